public import PacketSpace

/// Whether taking one dropping rule out of a firewall could let some packets through, from the
/// chains' structure alone (no set algebra).
///
/// Without a DROP or REJECT rule, the packets it matched go on: to the rules after it, into the
/// chains those rules jump to, back to the chains that called its chain, and finally to a base
/// chain's policy. Only an ACCEPT on that way (or an accepting policy, a queue, a target Bulwark
/// cannot follow) can let one of them through. If no such rule may share a packet with the given
/// cubes, the rule's absence lets none of them through — certain; otherwise the answer is "maybe".
public struct RuleDeletionCheck {
    private let program: TableProgram
    /// Per chain, the places (chain, index) of the rules that jump or go to it.
    private let callers: [[RuleRef]]

    public init(program: TableProgram) {
        self.program = program
        var callers = Array(repeating: [RuleRef](), count: program.chains.count)
        for (c, calls) in CallGraph(program: program).calls.enumerated() {
            for call in calls { callers[call.callee].append(RuleRef(chain: c, index: call.rule)) }
        }
        self.callers = callers
    }

    /// Whether, without the dropping rule at `rule`, some packet of `cubes` (packets the rule may
    /// match) may be accepted by this firewall.
    public func mayAcceptMore(without rule: RuleRef, within cubes: [PacketCube]) -> Bool {
        if cubes.isEmpty { return false }
        var entered = Set<Int>(), continued = Set<RuleRef>()
        // Whether a rule from `index` on in chain `c` (and the chains they call) may accept some of the packets.
        func rules(_ c: Int, from index: Int) -> Bool {
            let chain = program.chains[c]
            for r in chain.rules[min(index, chain.rules.count)...] where r.mayOverlap(cubes) {
                switch r.action {
                case .verdict(.accept), .verdict(.queue), .unknown: return true
                case .jump(let d), .goto(let d): if entered.insert(d).inserted, rules(d, from: 0) { return true }
                case .verdict, .returnFromChain, .continuing: continue
                }
            }
            return false
        }
        // The rules after a place, then the chain's end: a base chain's policy, or back to every
        // place that called it (a goto returns further up: its callers' callers are followed too).
        func onward(_ c: Int, from index: Int) -> Bool {
            guard continued.insert(RuleRef(chain: c, index: index)).inserted else { return false }
            if rules(c, from: index) { return true }
            let chain = program.chains[c]
            if chain.isBuiltin { return chain.policy == .accept || chain.policy == .queue }
            return callers[c].contains { onward($0.chain, from: $0.index + 1) }
        }
        return onward(rule.chain, from: rule.index + 1)
    }
}
