public import PacketSpace

/// Who decided a packet: a rule, or a built-in chain's policy.
public struct Decider: Hashable, Sendable {
    public var chain: String
    /// The rule's 1-based position, or nil when the policy decided.
    public var rule: Int?
    public var policy: Verdict?
    public var ref: RuleRef?
}

/// One matched rule on a packet's way through the chains.
public struct TraceStep: Hashable, Sendable {
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
    /// Index into `matched` before which every rule's answer was certain.
    public var certainSteps: Int
}

/// Runs concrete packets through a table the way `ipt_do_table` does: first match wins within a
/// chain, jumps push a return address, gotos do not, RETURN and the end of a user chain pop it, the
/// end of (or a RETURN in) the built-in chain applies its policy; non-terminal targets go on.
public struct Evaluator: Sendable {
    public let program: TableProgram

    public init(program: TableProgram) { self.program = program }

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

    @inline(__always) static func answer(_ r: ProgramRule, _ p: Packet, unknown: UInt32) -> Answer {
        if r.isExact && r.constrained & unknown == 0 {
            return contains(r.certain, p, ignoring: 0) ? .yes : .no
        }
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
                    let a = Evaluator.answer(rules[i], p, unknown: unknown)
                    if a != .no { return (i, a) }
                }
                i += 1
            }
            return nil
        }
        let hit = chain.index.first(source: p[.sourceAddress], destination: p[.destinationAddress], from: from, before: rules.count) { i in
            i != skipping && Evaluator.answer(rules[i], p, unknown: unknown) != .no
        }
        return hit.map { ($0, Evaluator.answer(rules[$0], p, unknown: unknown)) }
    }

    /// Evaluates one packet entering the filter hook. `unknown` marks fields the caller does not
    /// know (their values in `packet` are assumptions); `skipping` evaluates as if that rule were
    /// deleted; `entry` starts elsewhere than the hook's built-in chain.
    public func evaluate(_ packet: Packet, unknown: UInt32 = 0, hook: Hook, skipping: RuleRef? = nil) -> Evaluation {
        var result = Evaluation(verdict: nil, decidedBy: nil, matched: [], uncertainties: [], certainSteps: .max)
        guard let start = program.chain(for: hook) else {
            result.uncertainties.append("the table has no \(hook.rawValue) chain")
            return result
        }
        for (other, chain) in program.preceding[hook] ?? [] {
            result.uncertainties += Evaluator(program: other).effects(on: packet, unknown: unknown, chain: chain)
        }
        run(packet, unknown: unknown, start: start, skipping: skipping, into: &result)
        return result
    }

    /// Why a chain of another table may change what the filter table sees for this packet.
    func effects(on packet: Packet, unknown: UInt32, chain: Int) -> [String] {
        var sub = Evaluation(verdict: nil, decidedBy: nil, matched: [], uncertainties: [], certainSteps: .max)
        run(packet, unknown: unknown, start: chain, skipping: nil, into: &sub)
        let name = "\(program.table) \(program.chains[chain].name)"
        var out: [String] = []
        for step in sub.matched where TableProgram.changesFilterInput(program[step.ref].rule) {
            out.append("\(program.table) \(step.chain) rule \(step.rule) (\(step.target)) \(step.certain ? "changes" : "may change") this packet before the filter table sees it")
        }
        if let v = sub.verdict, v != .accept, let d = sub.decidedBy, d.rule == nil {
            out.append("the \(name) policy \(v.rawValue) drops this packet before the filter table")
        }
        if !sub.isExact && program.chains.contains(where: { $0.rules.contains { TableProgram.changesFilterInput($0.rule) } }) {
            out += sub.uncertainties.map { "\(program.table) table: \($0)" }
        }
        return out
    }

    /// For the analyses: uncertain rules are resolved as not matching, except those in `favoring`,
    /// resolved as matching. Every rule may really behave so, so a path found this way is a possible one.
    func runForAnalysis(_ packet: Packet, start: Int, skipping: RuleRef?, favoring: [RuleRef], into result: inout Evaluation) {
        run(packet, unknown: 0, start: start, skipping: skipping, favoring: favoring, into: &result)
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
            result.decidedBy = Decider(chain: c.name, rule: nil, policy: c.policy ?? .accept, ref: nil)
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
            result.matched.append(TraceStep(ref: ref, chain: c.name, rule: r.rule.position, target: r.rule.target.name, certain: answer == .yes))
            switch r.action {
            case .verdict(let v):
                result.verdict = v
                result.decidedBy = Decider(chain: c.name, rule: r.rule.position, policy: nil, ref: ref)
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
