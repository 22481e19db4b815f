public import BulwarkModel
public import PacketSpace

/// What a ruleset accepts on one hook, as packet sets in an algebra the caller owns, so that the
/// sets of several firewalls can be intersected along a path.
///
/// `possible` holds every packet some run may accept; `sure` the packets every run accepts
/// (uncertain matches — rate limits, ipsets, unknown targets — are the difference). Both are
/// within the region asked about.
public struct HookAcceptance: Sendable, Hashable {
    public var possible: UInt32
    public var sure: UInt32

    public init(possible: UInt32, sure: UInt32) {
        self.possible = possible
        self.sure = sure
    }

    public var isExact: Bool { possible == sure }
}

/// Runs sets of packets through a ruleset's hooks (every base chain in the kernel's order, with the
/// chains that see packets before the hook) and reports what is accepted.
public final class AcceptanceProbe {
    public let program: TableProgram
    public let algebra: PacketAlgebra
    private let symbolic: SymbolicEvaluator

    public init(program: TableProgram, algebra: PacketAlgebra) {
        self.program = program
        self.algebra = algebra
        symbolic = SymbolicEvaluator(program: program, callGraph: CallGraph(program: program), algebra: algebra)
        // Each hook is run once over one region: chain summaries over every packet would cost more.
        symbolic.summarizes = false
    }

    /// The packets that can reach the hook at all: well-formed packets of the families the ruleset
    /// filters, with the interfaces and address types the hook's packets have.
    public func entry(_ hook: Hook) -> UInt32 { symbolic.entry(hook) }

    /// What the hook accepts of `region` (intersected with ``entry(_:)`` first).
    /// With `deleting`, as if that rule were not there (for "what is this rule worth").
    public func accepted(on hook: Hook, within region: UInt32, deleting rule: RuleRef? = nil) -> HookAcceptance {
        let here = algebra.intersection(region, symbolic.entry(hook))
        if here == PacketAlgebra.emptyNode { return HookAcceptance(possible: 0, sure: 0) }
        var observer = SymbolicEvaluator.Observer()
        let whole = ChainIndex.Bounds(source: 0...UInt128.max, destination: 0...UInt128.max)
        let outcome = symbolic.runHook(hook, region: here, bounds: whole, deleted: rule, observer: &observer)
        let refused = algebra.union(algebra.union(outcome.drop, outcome.reject), algebra.union(outcome.queue, outcome.undecided))
        return HookAcceptance(possible: outcome.accept, sure: algebra.subtracting(outcome.accept, refused))
    }
}

extension Service {
    /// The first packets of the service's connections, as cubes: protocol, destination ports or
    /// ICMP type, state NEW, first fragments, and for TCP the SYN that opens a connection. Nothing
    /// else is constrained.
    public var connectionCubes: [PacketCube] {
        var cube = PacketCube()
        cube.restrict(.connectionState, to: ConnectionState.new.rawValue)
        cube.restrict(.fragment, to: 0)
        if !ports.isEmpty {
            cube.restrict(.destinationPort, to: IntervalSet(ranges: ports.map { UInt128($0.lowerBound)...UInt128($0.upperBound) }))
        }
        if let type = icmpType { cube.restrict(.icmpTypeCode, to: (UInt128(type) << 8)...(UInt128(type) << 8 | 0xFF)) }
        var tcp = cube
        tcp.restrict(.protocolNumber, to: 6)
        tcp.restrict(.tcpFlags, to: UInt128(TCPFlags.syn.rawValue))
        guard let proto = protocolNumber else {
            var others = cube
            others.restrict(.protocolNumber, to: IntervalSet(0...5).union(IntervalSet(7...255)))
            return [tcp, others]
        }
        if proto == 6 { return [tcp] }
        cube.restrict(.protocolNumber, to: UInt128(proto))
        return [cube]
    }
}

/// Whether taking one dropping rule out of a firewall could let some packets through, from the
/// chains' structure alone (no set algebra).
///
/// Without a DROP or REJECT rule, the packets it matched go on: to the rules after it, into the
/// chains those rules jump to, back to the chains that called its chain, and finally to a base
/// chain's policy. Only an ACCEPT on that way (or an accepting policy, or a target Bulwark cannot
/// follow) can let one of them through. If no such rule may share a packet with the given cubes,
/// the rule's absence lets none of them through — certain; otherwise the answer is "maybe".
public struct RuleDeletionCheck {
    private let program: TableProgram
    /// Per chain, the places (chain, index) of the rules that jump or go to it.
    private let callers: [[RuleRef]]

    public init(program: TableProgram) {
        self.program = program
        var callers = Array(repeating: [RuleRef](), count: program.chains.count)
        for (c, chain) in program.chains.enumerated() {
            for (i, r) in chain.rules.enumerated() {
                switch r.action {
                case .jump(let d), .goto(let d): callers[d].append(RuleRef(chain: c, index: i))
                default: continue
                }
            }
        }
        self.callers = callers
    }

    /// Whether, without the dropping rule at `rule`, some packet of `cubes` (packets the rule may
    /// match) may be accepted by this firewall.
    public func mayAcceptMore(without rule: RuleRef, within cubes: [PacketCube]) -> Bool {
        if cubes.isEmpty { return false }
        var visitedChains = Set<Int>()
        var continued = Set<RuleRef>()
        // The rules after a place, then the chain's end.
        func onward(_ c: Int, from index: Int) -> Bool {
            guard continued.insert(RuleRef(chain: c, index: index)).inserted else { return false }
            let chain = program.chains[c]
            for r in chain.rules[min(index, chain.rules.count)...] where r.mayOverlap(cubes) {
                switch r.action {
                case .verdict(.accept), .verdict(.queue), .unknown: return true
                case .jump(let d), .goto(let d): if into(d) { return true }
                case .verdict, .returnFromChain, .continuing: continue
                }
            }
            if chain.isBuiltin { return chain.policy == .accept || chain.policy == .queue }
            // Back to every place that called the chain (a goto returns further up: its callers' callers too).
            for site in callers[c] where onward(site.chain, from: site.index + 1) { return true }
            return false
        }
        // Whether a chain entered by a jump may accept some of the packets.
        func into(_ d: Int) -> Bool {
            guard visitedChains.insert(d).inserted else { return false }
            for r in program.chains[d].rules where r.mayOverlap(cubes) {
                switch r.action {
                case .verdict(.accept), .verdict(.queue), .unknown: return true
                case .jump(let e), .goto(let e): if into(e) { return true }
                case .verdict, .returnFromChain, .continuing: continue
                }
            }
            return false
        }
        return onward(rule.chain, from: rule.index + 1)
    }
}
