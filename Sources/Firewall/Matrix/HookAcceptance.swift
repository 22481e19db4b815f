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
    public func accepted(on hook: Hook, within region: UInt32) -> HookAcceptance {
        let here = algebra.intersection(region, symbolic.entry(hook))
        if here == PacketAlgebra.emptyNode { return HookAcceptance(possible: 0, sure: 0) }
        var observer = SymbolicEvaluator.Observer()
        let whole = ChainIndex.Bounds(source: 0...UInt128.max, destination: 0...UInt128.max)
        let outcome = symbolic.runHook(hook, region: here, bounds: whole, deleted: nil, observer: &observer)
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
