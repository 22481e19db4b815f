public import PacketSpace

/// Who decided a packet: a rule, or a built-in chain's policy.
public struct Decider: Hashable, Sendable {
    /// The table of the deciding rule: the filter table, or one before it that dropped the packet.
    public var table: String = "filter"
    /// The nftables family of that table; nil for iptables.
    public var family: String?
    public var chain: String
    /// The rule's 1-based position, or nil when the policy decided.
    public var rule: Int?
    public var policy: Verdict?
    public var ref: RuleRef?
}

extension Decider {
    /// The deciding chain as answers name it (see ``chainPlace(family:table:chain:)``).
    public var place: String { chainPlace(family: family, table: table, chain: chain) }
}

extension TraceStep {
    public var place: String { chainPlace(family: family, table: table, chain: chain) }
}

/// How answers name a chain: `inet filter input` (nftables: family, table, chain), `raw PREROUTING`
/// (iptables, a table before the filter table), `INPUT` (iptables filter table).
public func chainPlace(family: String?, table: String, chain: String) -> String {
    if let family { return "\(family) \(table) \(chain)" }
    return table == "filter" ? chain : "\(table) \(chain)"
}

/// One matched rule on a packet's way through the chains.
public struct TraceStep: Hashable, Sendable {
    public var table: String = "filter"
    public var family: String?
    public var ref: RuleRef
    public var chain: String
    public var rule: Int
    public var target: String
    /// Whether the match was certain (false: an uncertain rule assumed to match).
    public var certain: Bool
}

/// The kernel's answer for one packet, as Bulwark computes it.
public struct Evaluation: Sendable {
    /// ACCEPT, DROP, REJECT or QUEUE; nil when a rule with an unknown target may have decided.
    public var verdict: Verdict?
    public var decidedBy: Decider?
    public var matched: [TraceStep]
    /// Reasons the answer might differ from the kernel's; empty means exact.
    public var uncertainties: [String]
    public var isExact: Bool { uncertainties.isEmpty }
    /// Things that could change the answer but, as far as the packet shows, do not (a reverse-path
    /// check in the raw table, say): worth knowing, not a reason for doubt.
    public var caveats: [String] = []
    /// Index into `matched` before which every rule's answer was certain.
    public var certainSteps: Int
}

/// Runs concrete packets through a table the way `ipt_do_table` does: first match wins within a
/// chain, jumps push a return address, gotos do not, RETURN and the end of a user chain pop it, the
/// end of (or a RETURN in) the built-in chain applies its policy; non-terminal targets go on.
public struct Evaluator: Sendable {
    public let program: TableProgram
    /// Whether matches on packet properties with documented query defaults (bridged or not,
    /// link-layer type, IPsec) count as exact: true for queries about described packets.
    public let packetDefaultsAreExact: Bool

    public init(program: TableProgram, packetDefaultsAreExact: Bool = true) {
        self.program = program
        self.packetDefaultsAreExact = packetDefaultsAreExact
    }

    enum Answer { case no, yes, maybeYes, maybeNo }

    @inline(__always) static func contains(_ cubes: [PacketCube], _ p: Packet, ignoring unknown: UInt32) -> Bool {
        outer: for cube in cubes {
            for c in cube.constraints where unknown & (1 << UInt32(c.dimension)) == 0 {
                if !c.values.contains(p.values[c.dimension]) { continue outer }
            }
            return true
        }
        return false
    }

    @inline(__always) static func containsForEveryUnknown(_ cubes: [PacketCube], _ p: Packet, unknown: UInt32) -> Bool {
        outer: for cube in cubes {
            for c in cube.constraints {
                if unknown & (1 << UInt32(c.dimension)) != 0 { continue outer }
                if !c.values.contains(p.values[c.dimension]) { continue outer }
            }
            return true
        }
        return false
    }

    @inline(__always) func answer(_ r: ProgramRule, _ p: Packet, unknown: UInt32) -> Answer {
        if r.constrained & unknown == 0 {
            if r.isExact { return Evaluator.contains(r.certain, p, ignoring: 0) ? .yes : .no }
            if packetDefaultsAreExact && r.rule.match.onlyPacketDefaults { return Evaluator.contains(r.assumed, p, ignoring: 0) ? .yes : .no }
        }
        return Evaluator.uncertainAnswer(r, p, unknown: unknown)
    }

    static func uncertainAnswer(_ r: ProgramRule, _ p: Packet, unknown: UInt32) -> Answer {
        if !contains(r.possible, p, ignoring: unknown) { return .no }
        if containsForEveryUnknown(r.certain, p, unknown: unknown) { return .yes }
        return contains(r.assumed, p, ignoring: 0) ? .maybeYes : .maybeNo
    }

    static func reasons(_ r: ProgramRule, unknown: UInt32) -> [String] {
        var out = r.rule.match.uncertainties.map { "\(r.rule.chain) rule \(r.rule.position): \($0)" }
        let tested = r.constrained & unknown
        if tested != 0 {
            let names = PacketField.allCases.filter { tested & (1 << UInt32($0.rawValue)) != 0 }.map { describeField($0) }
            out.append("\(r.rule.chain) rule \(r.rule.position) tests the \(names.joined(separator: " and ")), which the query does not give")
        }
        return out
    }

    static func describeField(_ f: PacketField) -> String {
        switch f {
        case .inInterface: "input interface"
        case .outInterface: "output interface"
        case .sourceMAC: "source MAC address"
        default: f.description
        }
    }

    /// The next rule at index `>= from` of `chain` that the packet may match, with the answer.
    func next(in chain: ProgramChain, from: Int, _ p: Packet, unknown: UInt32, skipping: Int?) -> (Int, Answer)? {
        let rules = chain.rules
        if chain.index.isLinear || unknown & (1 << UInt32(PacketField.sourceAddress.rawValue) | 1 << UInt32(PacketField.destinationAddress.rawValue)) != 0 {
            var i = from
            while i < rules.count {
                if i != skipping {
                    let a = answer(rules[i], p, unknown: unknown)
                    if a != .no { return (i, a) }
                }
                i += 1
            }
            return nil
        }
        let hit = chain.index.first(source: p[.sourceAddress], destination: p[.destinationAddress], from: from, before: rules.count) { i in
            i != skipping && answer(rules[i], p, unknown: unknown) != .no
        }
        return hit.map { ($0, answer(rules[$0], p, unknown: unknown)) }
    }

    /// Evaluates one packet entering the filter hook. `unknown` marks fields the caller does not
    /// know (their values in `packet` are assumptions); `skipping` evaluates as if that rule were deleted.
    ///
    /// The tables the kernel runs before the filter hook (raw, mangle, nat) are run too: a packet
    /// they drop is decided there; one they rewrite or take out of connection tracking makes the
    /// answer inexact; one they only might touch gets a caveat.
    public func evaluate(_ packet: Packet, unknown: UInt32 = 0, hook: Hook, skipping: RuleRef? = nil) -> Evaluation {
        var result = Evaluation(verdict: nil, decidedBy: nil, matched: [], uncertainties: [], certainSteps: .max)
        for (other, chain) in program.preceding[hook] ?? [] {
            let before = Evaluator(program: other, packetDefaultsAreExact: packetDefaultsAreExact)
                .effects(on: packet, unknown: unknown, chain: chain)
            result.uncertainties += before.inexact
            result.caveats += before.caveats
            if let dropped = before.decision {
                result.verdict = dropped.verdict
                result.decidedBy = dropped.decidedBy
                result.matched = dropped.matched
                return result
            }
        }
        runPipeline(packet, unknown: unknown, hook: hook, skipping: skipping, favoring: nil, into: &result)
        return result
    }

    /// Runs the base chains of a hook in order, as the kernel does: an accept lets the packet go on to
    /// the next base chain, anything else is final. An accepted packet is credited to the last rule or
    /// policy that accepted it on the hook itself (not on PREROUTING), a dropped one to what dropped it.
    func runPipeline(_ packet: Packet, unknown: UInt32, hook: Hook, skipping: RuleRef?, favoring: [RuleRef]?, into result: inout Evaluation) {
        let stages = program.stages(for: hook)
        if stages.isEmpty {
            result.uncertainties.append("no chain is attached to the \(hook.rawValue) hook")
            return
        }
        let family = AddressFamily(rawValue: packet[.family]) ?? .ipv4
        let state = packet[.connectionState]
        var accepted: Decider?
        var previous: Stage?
        var rewrittenBy: String?
        for stage in stages {
            if let f = stage.families, !f.contains(family) { continue }
            if stage.newConnectionsOnly && state != ConnectionState.new.rawValue { continue }
            if let rewriter = rewrittenBy {
                // Later base chains see the rewritten packet, which Bulwark does not compute.
                let reason = "\(rewriter) rewrites the destination before \(program.chains[stage.chain].name) sees the packet (not simulated)"
                if !result.uncertainties.contains(reason) { result.uncertainties.append(reason) }
                if result.certainSteps == .max { result.certainSteps = result.matched.count }
            }
            if let p = previous, p.hook == stage.hook, p.priority == stage.priority {
                let a = program.chains[p.chain], b = program.chains[stage.chain]
                let reason = "base chains \(a.name) and \(b.name) share priority \(stage.priority) on \(stage.hook.rawValue.lowercased()): their order is not in the export"
                if !result.uncertainties.contains(reason) { result.uncertainties.append(reason) }
            }
            previous = stage
            var part = Evaluation(verdict: nil, decidedBy: nil, matched: [], uncertainties: [], certainSteps: .max)
            run(packet, unknown: unknown, start: stage.chain, skipping: skipping, favoring: favoring, into: &part)
            if result.certainSteps == .max && part.certainSteps != .max { result.certainSteps = result.matched.count + part.certainSteps }
            result.matched += part.matched
            for r in part.uncertainties where !result.uncertainties.contains(r) { result.uncertainties.append(r) }
            guard part.verdict == .accept else {
                result.verdict = part.verdict
                result.decidedBy = part.decidedBy
                return
            }
            if stage.hook == hook { accepted = part.decidedBy }
            if let ref = part.decidedBy?.ref, let kind = program[ref].rule.targetOptions.first(where: { ["dnat", "redirect"].contains($0) }) {
                rewrittenBy = "\(program.chains[ref.chain].name) rule \(program[ref].rule.position) (\(kind))"
            }
        }
        result.verdict = .accept
        result.decidedBy = accepted
    }

    /// What a chain of another table does to a packet before the filter table sees it.
    struct Effects {
        /// The packet is dropped there (the evaluation in that table).
        var decision: Evaluation?
        var inexact: [String] = []
        var caveats: [String] = []
    }

    func effects(on packet: Packet, unknown: UInt32, chain: Int) -> Effects {
        var sub = Evaluation(verdict: nil, decidedBy: nil, matched: [], uncertainties: [], certainSteps: .max)
        run(packet, unknown: unknown, start: chain, skipping: nil, into: &sub)
        var out = Effects()
        let table = program.table
        if let v = sub.verdict, v != .accept {
            sub.decidedBy?.table = table
            out.decision = sub
            out.inexact += sub.uncertainties.map { "\(table) table: \($0)" }
            return out
        }
        for step in sub.matched where TableProgram.changesFilterInput(program[step.ref].rule) {
            out.inexact.append("\(table) \(step.chain) rule \(step.rule) (\(step.target)) \(step.certain ? "changes" : "may change") this packet before the filter table sees it")
        }
        // Rules that could act on the packet under other circumstances.
        for ref in program.effectRules {
            let r = program[ref]
            let a = answer(r, packet, unknown: unknown)
            guard a == .maybeNo || a == .maybeYes, !sub.matched.contains(where: { $0.ref == ref }) else { continue }
            let why = Evaluator.reasons(r, unknown: unknown).joined(separator: "; ")
            out.caveats.append("\(table) \(r.rule.chain) rule \(r.rule.position) (\(r.rule.target.name)) could act on this packet before the filter table (\(why))")
        }
        return out
    }

    /// For the analyses: uncertain rules are resolved as not matching, except those in `favoring`,
    /// resolved as matching. Every rule may really behave so, so a path found this way is a possible one.
    func runForAnalysis(_ packet: Packet, hook: Hook, skipping: RuleRef?, favoring: [RuleRef], into result: inout Evaluation) {
        runPipeline(packet, unknown: 0, hook: hook, skipping: skipping, favoring: favoring, into: &result)
    }

    private func run(_ packet: Packet, unknown: UInt32, start: Int, skipping: RuleRef?, favoring: [RuleRef]? = nil,
                     into result: inout Evaluation) {
        var stack: [(Int, Int)] = []
        var chain = start
        var from = 0
        var steps = 0
        func uncertain(_ reasons: [String]) {
            if result.certainSteps == .max { result.certainSteps = result.matched.count }
            for r in reasons where !result.uncertainties.contains(r) { result.uncertainties.append(r) }
        }
        func policy() {
            let c = program.chains[start]
            result.verdict = c.policy ?? .accept
            result.decidedBy = Decider(table: c.table, family: c.family, chain: c.name, rule: nil, policy: c.policy ?? .accept, ref: nil)
        }
        while true {
            steps += 1
            if steps > 100_000 {
                uncertain(["the chains loop (more than 100000 steps)"])
                return
            }
            let c = program.chains[chain]
            if !c.brokenLines.isEmpty {
                uncertain(["chain \(c.name) has lines Bulwark could not read (line \(c.brokenLines.map(String.init).joined(separator: ", ")))"])
            }
            let skip = skipping.flatMap { $0.chain == chain ? $0.index : nil }
            guard let (i, answer) = next(in: c, from: from, packet, unknown: unknown, skipping: skip) else {
                // End of chain: the built-in chain applies its policy, a user chain returns.
                if chain == start || stack.isEmpty && c.isBuiltin { policy(); return }
                if let (caller, resume) = stack.popLast() { chain = caller; from = resume } else { policy(); return }
                continue
            }
            let r = c.rules[i]
            let ref = RuleRef(chain: chain, index: i)
            if answer == .maybeYes || answer == .maybeNo {
                if r.action != .continuing { uncertain(Evaluator.reasons(r, unknown: unknown)) }
                let matches = favoring.map { $0.contains(ref) } ?? (answer == .maybeYes)
                if !matches { from = i + 1; continue }
            }
            result.matched.append(TraceStep(table: c.table, family: c.family, ref: ref, chain: c.name, rule: r.rule.position, target: r.rule.target.name, certain: answer == .yes))
            switch r.action {
            case .verdict(let v):
                result.verdict = v
                result.decidedBy = Decider(table: c.table, family: c.family, chain: c.name, rule: r.rule.position, policy: nil, ref: ref)
                if v == .queue { uncertain(["\(c.name) rule \(r.rule.position) hands the packet to a userspace queue"]) }
                return
            case .continuing:
                from = i + 1
            case .unknown:
                uncertain(["\(c.name) rule \(r.rule.position) has a target Bulwark does not know (\(r.rule.target.name)); assumed to let the packet go on"])
                from = i + 1
            case .jump(let callee):
                if stack.count >= 64 {
                    uncertain(["jumps nest deeper than the kernel allows"])
                    return
                }
                stack.append((chain, i + 1))
                chain = callee
                from = 0
            case .goto(let callee):
                chain = callee
                from = 0
            case .returnFromChain:
                if let (caller, resume) = stack.popLast() { chain = caller; from = resume } else { policy(); return }
            }
        }
    }
}
