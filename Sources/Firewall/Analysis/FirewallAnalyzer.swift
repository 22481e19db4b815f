import BulwarkModel
import PacketSpace

/// What the analysis was asked to do.
public struct AnalysisOptions: Sendable {
    /// Report every Al-Shaer & Hamed pair relation, not only those that explain dead or redundant rules.
    public var allPairs: Bool
    /// Settle every rule by the exact set computation alone, skipping the shortcuts (containers,
    /// witnesses, lazy proofs): slower, and a check on the shortcuts in the tests.
    public var setsOnly: Bool
    public init(allPairs: Bool = false, setsOnly: Bool = false) {
        self.allPairs = allPairs
        self.setsOnly = setsOnly
    }
}

/// The result of analysing one ruleset's filter table.
public struct FirewallAnalysis: Sendable {
    public var ruleset: Ruleset
    public var findings: [FirewallFinding]
    /// Tables read but not analysed, with their rule counts.
    public var notAnalysed: [(table: String, rules: Int)]
    public var ruleCount: Int
    public var chainCount: Int
}

/// The analyses of one filter table: dead and redundant rules and the pairs that explain them,
/// over-permissive rules, missing default deny, chains never entered.
///
/// Each rule is settled the cheapest way that is still exact: an earlier rule that contains it
/// (dead), a concrete packet that reaches it (live) and whose verdict changes without it (not
/// redundant), and only otherwise an exact computation on the packet sets of its region.
public final class FirewallAnalyzer {
    public let program: TableProgram
    let options: AnalysisOptions
    let callGraph: CallGraph
    let symbolic: SymbolicEvaluator
    let witnesses: WitnessSearch
    let algebra: PacketAlgebra
    /// How each rule was settled, for tuning (printed with BULWARK_STATS=1).
    public struct Statistics: Sendable {
        public var containers = 0, witnesses = 0, symbolicDead = 0, symbolicLive = 0
        public var witnessNotRedundant = 0, symbolicRedundancy = 0, lazyRedundancy = 0
        public var deadNanos: UInt64 = 0, redundantNanos: UInt64 = 0, policyNanos: UInt64 = 0
    }
    public private(set) var statistics = Statistics()
    public var debugTrace = false
    public private(set) var debugLines: [String] = []

    /// Chains whose results are inexact because a chain on the way to them has unreadable lines.
    private var brokenAncestry: [[String]] = []

    /// For each rule, how many identical rule texts precede it in its chain (part of stable ids).
    private let twins: [[Int]]

    public init(program: TableProgram, options: AnalysisOptions = AnalysisOptions()) {
        twins = program.chains.map { chain in
            var counts: [String: Int] = [:]
            return chain.rules.map { r in
                defer { counts[r.rule.text, default: 0] += 1 }
                return counts[r.rule.text] ?? 0
            }
        }
        self.program = program
        self.options = options
        callGraph = CallGraph(program: program)
        algebra = PacketAlgebra()
        symbolic = SymbolicEvaluator(program: program, callGraph: callGraph, algebra: algebra)
        witnesses = WitnessSearch(program: program, callGraph: callGraph)
    }

    enum DeadReason {
        case chainNeverEntered
        case matchesNothing
        case covered([RuleRef], entryRestricted: Bool)
    }

    enum Status {
        case dead(DeadReason)
        case live(witness: Hook?)
        case redundant([RuleLocator])
    }

    /// Runs every analysis.
    public func analyze() -> FirewallAnalysis {
        computeBrokenAncestry()
        var findings: [FirewallFinding] = []
        var statuses: [RuleRef: Status] = [:]
        let outOfScope = program.chainsOnOtherHooks
        for (c, chain) in program.chains.enumerated() where !outOfScope.contains(c) {
            for i in chain.rules.indices {
                let ref = RuleRef(chain: c, index: i)
                if algebra.nodeCountTotal > 1_000_000 { symbolic.reset() }
                let t0 = ContinuousClock.now
                var status = deadness(ref)
                let t1 = ContinuousClock.now
                if case .live(let w) = status, let covered = redundancy(ref, witness: w) {
                    status = .redundant(covered)
                }
                statistics.deadNanos += nanos(t1 - t0)
                statistics.redundantNanos += nanos(ContinuousClock.now - t1)
                statuses[ref] = status
                findings += ruleFindings(ref, status)
            }
        }
        findings += pairFindings(statuses)
        findings += chainFindings(statuses)
        let t2 = ContinuousClock.now
        findings += PolicyChecks(analyzer: self).findings(statuses: statuses)
        statistics.policyNanos = nanos(ContinuousClock.now - t2)
        let ruleset = program.ruleset
        let others = ruleset.tables.filter { ruleset.isNFTables ? $0.addressFamilies == nil : $0.name != program.table }.map { (table: ($0.family.map { "\($0) " } ?? "") + $0.name, rules: $0.ruleCount) }
        return FirewallAnalysis(ruleset: ruleset, findings: findings, notAnalysed: others,
                                ruleCount: program.chains.reduce(0) { $0 + $1.rules.count }, chainCount: program.chains.count)
    }

    // MARK: - Dead rules

    func deadness(_ ref: RuleRef) -> Status {
        let hooks = callGraph.hooks[ref.chain]
        let rule = program[ref]
        if hooks.isEmpty { return .dead(.chainNeverEntered) }
        if rule.possible.isEmpty { return .dead(.matchesNothing) }
        if !options.setsOnly {
            if let j = container(of: ref) { statistics.containers += 1; return .dead(.covered([RuleRef(chain: ref.chain, index: j)], entryRestricted: false)) }
            for hook in hooks {
                if witnesses.witness(for: ref, hook: hook) != nil { statistics.witnesses += 1; return .live(witness: hook) }
            }
        }
        // Exact computation on the rule's region.
        var catches: [(Int, UInt32)] = []
        var arrivals: UInt32 = 0
        var region: UInt32 = 0
        let possible = symbolic.sets(ref).possible
        for hook in hooks {
            let r = algebra.intersection(symbolic.entry(hook), possible)
            if r == 0 { continue }
            region = algebra.union(region, r)
            var observer = SymbolicEvaluator.Observer(target: ref, catchChain: ref.chain, stopAfterTarget: true, hint: rule.possible)
            _ = symbolic.runHook(hook, region: r, bounds: rule.bounds, deleted: nil, observer: &observer)
            if observer.reach != 0 { statistics.symbolicLive += 1; return .live(witness: nil) }
            catches += observer.catches
            arrivals = algebra.union(arrivals, observer.chainArrivals)
        }
        if region == 0 { return .dead(.matchesNothing) }
        statistics.symbolicDead += 1
        // A small set of earlier rules that together take every arriving packet.
        let target = algebra.intersection(arrivals, possible)
        var chosen: [(Int, UInt32)] = []
        var covered: UInt32 = 0
        for (index, caught) in catches.sorted(by: { $0.0 < $1.0 }) {
            let fresh = algebra.subtracting(algebra.intersection(caught, target), covered)
            if fresh != 0 {
                chosen.append((index, caught))
                covered = algebra.union(covered, fresh)
            }
        }
        if chosen.count > 1 && chosen.count <= 24 {
            var k = chosen.count - 1
            while k >= 0 && chosen.count > 1 {
                let rest = chosen.enumerated().filter { $0.offset != k }.reduce(PacketAlgebra.emptyNode) { algebra.union($0, $1.element.1) }
                if algebra.isSubset(target, of: rest) { chosen.remove(at: k) }
                k -= 1
            }
        }
        let refs = chosen.map { RuleRef(chain: ref.chain, index: $0.0) }.sorted()
        return .dead(.covered(refs, entryRestricted: target != algebra.intersection(region, possible) || refs.isEmpty))
    }

    /// An earlier rule of the same chain that surely takes every packet the rule may match out of
    /// the chain: then the rule is dead whatever happens before.
    func container(of ref: RuleRef) -> Int? {
        container(of: program[ref].possible, in: ref.chain, before: ref.index)
    }

    /// An earlier rule (index below `before`) of the chain that surely takes every packet of the
    /// cubes out of the chain.
    func container(of cubes: [PacketCube], in c: Int, before: Int) -> Int? {
        let chain = program.chains[c]
        func contains(_ j: Int) -> Bool {
            let other = chain.rules[j]
            guard other.action.leavesChain else { return false }
            return cubes.allSatisfy { pc in other.certain.contains { pc.isSubset(of: $0) } }
        }
        if chain.index.isLinear {
            return (0..<min(before, chain.rules.count)).first(where: contains)
        }
        var sLo = UInt128.max, sHi = UInt128(0), dLo = UInt128.max, dHi = UInt128(0)
        for cube in cubes {
            sLo = min(sLo, cube.values(.sourceAddress)?.min ?? 0)
            sHi = max(sHi, cube.values(.sourceAddress)?.max ?? .max)
            dLo = min(dLo, cube.values(.destinationAddress)?.min ?? 0)
            dHi = max(dHi, cube.values(.destinationAddress)?.max ?? .max)
        }
        guard !cubes.isEmpty else { return nil }
        var best: Int?
        chain.index.forEachList(containing: ChainIndex.Bounds(source: sLo...sHi, destination: dLo...dHi)) { list in
            for j32 in list {
                let j = Int(j32)
                if j >= before || (best.map { j >= $0 } ?? false) { break }
                if contains(j) { best = j; break }
            }
            return true
        }
        return best
    }

    // MARK: - Redundant rules

    /// The rules (or policies) that decide the rule's packets the same way without it, when deleting
    /// it surely changes no packet's verdict; nil otherwise.
    func redundancy(_ ref: RuleRef, witness: Hook?) -> [RuleLocator]? {
        let rule = program[ref]
        switch rule.action {
        case .continuing, .unknown: return nil
        default: break
        }
        // A RETURN that no later rule of its chain could take over: the end of the chain returns
        // the same packets (or, in a built-in chain, applies the same policy).
        if rule.action == .returnFromChain && rule.isExact && !options.setsOnly {
            let chain = program.chains[ref.chain]
            let later = chain.index.overlappingAscending(rule.bounds, from: ref.index + 1, marks: &symbolic.marks)
            if later.allSatisfy({ program.chains[ref.chain].rules[Int($0)].action == .continuing || !program.chains[ref.chain].rules[Int($0)].mayOverlap(rule.possible) }) {
                statistics.lazyRedundancy += 1
                return [chain.isBuiltin ? RuleLocator(chain: chain.name, policy: chain.policy) : RuleLocator(chain: chain.name)]
            }
        }
        // A packet whose verdict changes without the rule settles it: look first near the rule's
        // typical packet, then (when the rules after it cannot settle it cheaply) where rules with
        // other verdicts overlap it.
        if witness != nil && !options.setsOnly {
            for hook in callGraph.hooks[ref.chain] {
                if witnesses.witness(for: ref, hook: hook, changingVerdict: true) != nil
                    || witnesses.randomWitness(changingVerdictOf: ref, hook: hook) {
                    statistics.witnessNotRedundant += 1
                    return nil
                }
            }
            if let settled = continuationRedundancy(ref) {
                statistics.lazyRedundancy += 1
                return settled.isEmpty ? nil : settled
            }
            for (hook, cube) in conflictCandidates(ref) {
                if witnesses.witness(for: ref, hook: hook, within: cube, attempts: 4, changingVerdict: true) != nil {
                    statistics.witnessNotRedundant += 1
                    return nil
                }
            }
        }
        if !options.setsOnly, let settled = continuationRedundancy(ref) ?? fromRuleRedundancy(ref) {
            statistics.lazyRedundancy += 1
            return settled.isEmpty ? nil : settled
        }
        statistics.symbolicRedundancy += 1
        let ops0 = algebra.operationCount
        let t0 = ContinuousClock.now
        defer {
            if debugTrace { debugLines.append("symbolic redundancy: \(program[ref].rule.chain) \(program[ref].rule.position): \(algebra.operationCount - ops0) ops, \(nanos(ContinuousClock.now - t0) / 1000) µs, \(algebra.nodeCountTotal) nodes: \(program[ref].rule.text)") }
        }
        var deciders: [RuleLocator] = []
        let possible = symbolic.sets(ref).possible
        for hook in callGraph.hooks[ref.chain] {
            let region = algebra.intersection(symbolic.entry(hook), possible)
            if region == 0 { continue }
            var withObserver = SymbolicEvaluator.Observer(target: ref, hint: rule.possible)
            let with = symbolic.runHook(hook, region: region, bounds: rule.bounds, deleted: nil, observer: &withObserver)
            let reach = withObserver.reach
            if reach == 0 { continue }
            var withoutObserver = SymbolicEvaluator.Observer(recordDecisions: true, hint: rule.possible)
            let without = symbolic.runHook(hook, region: region, bounds: rule.bounds, deleted: ref, observer: &withoutObserver)
            guard sameSingleOutcome(with, without, on: reach) else { return nil }
            for (decider, caught) in withoutObserver.decisions where program[decider].action != .returnFromChain && algebra.overlaps(caught, reach) {
                let r = program[decider].rule
                let loc = RuleLocator(chain: r.chain, rule: r.position)
                if !deciders.contains(loc) { deciders.append(loc) }
            }
            for (c, reached) in without.policyByChain.sorted(by: { $0.key < $1.key }) where algebra.overlaps(reached, reach) {
                let loc = RuleLocator(chain: program.chains[c].name, policy: program.chains[c].policy)
                if !deciders.contains(loc) { deciders.append(loc) }
            }
        }
        return deciders.isEmpty ? nil : deciders
    }

    /// Parts of the rule where a rule with another verdict (or the policy) may decide its packets if
    /// it were deleted: where to look for a packet whose verdict the rule changes.
    private func conflictCandidates(_ ref: RuleRef, limit: Int = 48) -> [(Hook, PacketCube)] {
        let rule = program[ref]
        guard let mine = rule.certain.first ?? rule.possible.first else { return [] }
        var out: [(Hook, PacketCube)] = []
        var seen: Set<RuleRef> = []
        var visited: Set<Int> = []

        /// Rules of chain `c` from `from` on, and of the chains they call, in the order a packet meets
        /// them; `within` gathers the conditions of the jumps taken to get there.
        func walk(_ c: Int, from: Int, hook: Hook, within: PacketCube) {
            guard out.count < limit, visited.insert(c).inserted || from > 0 else { return }
            let chain = program.chains[c]
            var scanned = 0
            for k32 in chain.index.overlappingAscending(rule.bounds, from: from, marks: &symbolic.marks) {
                if out.count >= limit { return }
                scanned += 1
                if scanned > 4096 { return }
                let k = RuleRef(chain: c, index: Int(k32))
                if k == ref || seen.contains(k) { continue }
                let other = program[k]
                guard let theirs = other.certain.first(where: { within.overlaps($0) }) else { continue }
                switch other.action {
                case .verdict:
                    guard other.action != rule.action else { continue }
                    seen.insert(k)
                    out.append((hook, within.intersection(theirs)))
                case .jump(let callee), .goto(let callee):
                    walk(callee, from: 0, hook: hook, within: within.intersection(theirs))
                default:
                    continue
                }
            }
        }

        for hook in callGraph.hooks[ref.chain] {
            switch rule.action {
            case .jump(let callee), .goto(let callee):
                // The packets the rule sends away are decided in the called chains.
                walk(callee, from: 0, hook: hook, within: mine)
            default:
                break
            }
            // What the packets meet without the rule: the rest of its chain, then the callers.
            walk(ref.chain, from: ref.index + 1, hook: hook, within: mine)
            for path in callGraph.paths[ref.chain][hook] ?? [] {
                for site in path.reversed() { walk(site.chain, from: site.index + 1, hook: hook, within: mine) }
            }
        }
        return out
    }

    /// Redundancy of an exact verdict rule of a built-in chain, without computing which packets
    /// reach it: the rules after it must give every packet it may match the same verdict. Where a
    /// rule after it may decide otherwise, only those packets are checked for reaching it at all.
    /// Returns the deciders when redundant, an empty list when not, nil when this way cannot tell.
    private func continuationRedundancy(_ ref: RuleRef) -> [RuleLocator]? {
        let rule = program[ref]
        let chain = program.chains[ref.chain]
        guard rule.isExact, case .verdict(let verdict) = rule.action, chain.isBuiltin,
              let hook = program.filterHook(ofBaseChain: ref.chain) else { return nil }
        let possible = symbolic.sets(ref).possible
        let region = algebra.intersection(symbolic.entry(hook), possible)
        var cur = region
        var deciders: [RuleLocator] = []
        /// Whether some packet of `part` (within the cubes `within`, when known) may reach the rule:
        /// an earlier rule holding all of it says no, a concrete packet says yes, else exactly.
        func reaches(_ part: UInt32, within: [PacketCube]? = nil) -> Bool {
            if let within, container(of: within, in: ref.chain, before: ref.index) != nil { return false }
            if witnesses.someReaches(part, ref: ref, hook: hook, algebra: algebra) { return true }
            var observer = SymbolicEvaluator.Observer(target: ref, stopAfterTarget: true, hint: rule.possible)
            _ = symbolic.runHook(hook, region: part, bounds: symbolic.bounds(part) ?? rule.bounds, deleted: nil, observer: &observer)
            return observer.reach != 0
        }
        let candidates = chain.index.overlappingAscending(rule.bounds, from: ref.index + 1, marks: &symbolic.marks)
        for k32 in candidates {
            if cur == 0 { break }
            let k = RuleRef(chain: ref.chain, index: Int(k32))
            let other = program[k]
            if other.action == .continuing || !other.mayOverlap(rule.possible) { continue }
            let (certain, otherPossible) = symbolic.sets(k)
            let hit = algebra.intersection(cur, otherPossible)
            if hit == 0 { continue }
            if other.isExact, other.action == rule.action {
                deciders.append(locator(k))
                cur = algebra.subtracting(cur, certain)
                continue
            }
            // A jump, goto or RETURN leads elsewhere: this way cannot tell.
            guard case .verdict = other.action else { return nil }
            // It may decide these packets otherwise: do any of them reach the rule?
            let both = rule.possible.flatMap { mine in other.possible.map { mine.intersection($0) } }.filter { !$0.isEmpty }
            if reaches(hit, within: both) { return [] }
            cur = algebra.subtracting(cur, hit)
        }
        if cur != 0 {
            if chain.policy == verdict {
                deciders.append(RuleLocator(chain: chain.name, policy: verdict))
            } else if reaches(cur) {
                return []
            }
        }
        return deciders.isEmpty ? [] : deciders
    }

    /// Redundancy of any rule of a built-in chain, computed from the rule on: the packets it may match
    /// are run from it with and without it; where the outcomes differ (or are not single), it is
    /// checked whether such packets can reach the rule at all. Deleting a rule cannot change what
    /// happens before it, so nothing before it needs running.
    private func fromRuleRedundancy(_ ref: RuleRef) -> [RuleLocator]? {
        let rule = program[ref]
        let chain = program.chains[ref.chain]
        guard chain.isBuiltin, let hook = program.filterHook(ofBaseChain: ref.chain) else { return nil }
        let possible = symbolic.sets(ref).possible
        let region = algebra.intersection(symbolic.entry(hook), possible)
        if region == 0 { return [] }
        func outcome(deleted: RuleRef?, observer: inout SymbolicEvaluator.Observer) -> SymbolicEvaluator.Outcome {
            var out = symbolic.run(chain: ref.chain, region: region, bounds: rule.bounds, from: ref.index, deleted: deleted, observer: &observer, depth: 0)
            let leftover = out.returned
            out.returned = 0
            switch chain.policy ?? .accept {
            case .accept: out.accept = algebra.union(out.accept, leftover)
            case .drop: out.drop = algebra.union(out.drop, leftover)
            case .reject: out.reject = algebra.union(out.reject, leftover)
            case .queue: out.queue = algebra.union(out.queue, leftover)
            }
            out.policy = leftover
            return out
        }
        var withObserver = SymbolicEvaluator.Observer(hint: rule.possible)
        let with = outcome(deleted: nil, observer: &withObserver)
        var withoutObserver = SymbolicEvaluator.Observer(recordDecisions: true, hint: rule.possible)
        let without = outcome(deleted: ref, observer: &withoutObserver)
        // Packets whose possible verdicts differ, or that have more than one.
        func parts(_ o: SymbolicEvaluator.Outcome) -> [UInt32] { [o.accept, o.drop, o.reject, o.queue, o.undecided] }
        var differ = PacketAlgebra.emptyNode
        let a = parts(with)
        let b = parts(without)
        for k in 0..<5 {
            differ = algebra.union(differ, algebra.subtracting(a[k], b[k]))
            differ = algebra.union(differ, algebra.subtracting(b[k], a[k]))
            for m in (k + 1)..<5 {
                differ = algebra.union(differ, algebra.intersection(a[k], a[m]))
                differ = algebra.union(differ, algebra.intersection(b[k], b[m]))
            }
        }
        differ = algebra.union(differ, algebra.union(a[4], b[4]))
        if differ != 0 {
            if witnesses.someReaches(differ, ref: ref, hook: hook, algebra: algebra) { return [] }
            var observer = SymbolicEvaluator.Observer(target: ref, stopAfterTarget: true, hint: rule.possible)
            _ = symbolic.runHook(hook, region: differ, bounds: symbolic.bounds(differ) ?? rule.bounds, deleted: nil, observer: &observer)
            if observer.reach != 0 { return [] }
        }
        // Redundant: name what decides its packets without it.
        var deciders: [RuleLocator] = []
        let decided = algebra.subtracting(region, differ)
        for (decider, caught) in withoutObserver.decisions where program[decider].action != .returnFromChain && algebra.overlaps(caught, decided) {
            let loc = locator(decider)
            if !deciders.contains(loc) { deciders.append(loc) }
        }
        if algebra.overlaps(without.policy, decided) {
            deciders.append(RuleLocator(chain: chain.name, policy: chain.policy))
        }
        return deciders
    }

    /// Whether every packet of `region` has exactly one possible verdict, the same in both runs.
    private func sameSingleOutcome(_ a: SymbolicEvaluator.Outcome, _ b: SymbolicEvaluator.Outcome, on region: UInt32) -> Bool {
        func parts(_ o: SymbolicEvaluator.Outcome) -> [UInt32] {
            [o.accept, o.drop, o.reject, o.queue, o.undecided].map { algebra.intersection($0, region) }
        }
        let pa = parts(a)
        let pb = parts(b)
        if pa[4] != 0 || pb[4] != 0 || pa[3] != 0 || pb[3] != 0 { return false }
        for k in 0..<3 where pa[k] != pb[k] { return false }
        for x in 0..<3 {
            for y in (x + 1)..<3 where algebra.overlaps(pa[x], pa[y]) || algebra.overlaps(pb[x], pb[y]) { return false }
        }
        return true
    }

    // MARK: - Findings

    private func computeBrokenAncestry() {
        // For each chain, the chains on the way to it (and itself) that have unreadable lines.
        var callers = [[Int]](repeating: [], count: program.chains.count)
        for (c, list) in callGraph.calls.enumerated() { for call in list where !callers[call.callee].contains(c) { callers[call.callee].append(c) } }
        brokenAncestry = program.chains.indices.map { c in
            var seen: Set<Int> = [c]
            var todo = [c]
            var out: [String] = []
            while let x = todo.popLast() {
                if !program.chains[x].brokenLines.isEmpty {
                    out.append("chain \(program.chains[x].name) has lines Bulwark could not read (line \(program.chains[x].brokenLines.map(String.init).joined(separator: ", ")))")
                }
                for y in callers[x] where seen.insert(y).inserted { todo.append(y) }
            }
            return out
        }
    }

    func inexactReasons(for ref: RuleRef) -> [String] {
        var out = brokenAncestry[ref.chain]
        if program[ref].rule.isBroken { out.append("the rule itself could not be read") }
        return out
    }

    func locator(_ ref: RuleRef) -> RuleLocator {
        let r = program[ref].rule
        return RuleLocator(chain: r.chain, rule: r.position)
    }

    func describe(_ ref: RuleRef) -> String {
        let r = program[ref].rule
        let target = r.target.name.isEmpty ? "no target" : r.target.name
        return "\(r.chain) rule \(r.position)" + (r.part.map { " [\($0)]" } ?? "") + " (\(target))"
    }

    func finding(_ kind: FirewallFindingKind, _ ref: RuleRef, severity: Severity, message: String, fix: String,
                 coveredBy: [RuleLocator]? = nil, related: [RuleLocator]? = nil, witness: WitnessPacket? = nil,
                 extraReasons: [String] = [], idParts: [String] = []) -> FirewallFinding {
        let r = program[ref].rule
        // Identical rule texts in one chain are told apart by their order among themselves.
        let twins = self.twins[ref.chain][ref.index]
        let reasons = inexactReasons(for: ref) + extraReasons
        return FirewallFinding(
            id: StableID.make("fw", [kind.rawValue] + (r.family.map { [$0] } ?? []) + [r.table, r.chain, r.text, String(twins)] + (r.part.map { [$0] } ?? []) + idParts),
            kind: kind, severity: severity, table: r.table, family: r.family, chain: r.chain, rule: r.position, line: r.line,
            column: r.column, part: r.part,
            file: program.ruleset.file, ruleText: r.text, exact: reasons.isEmpty, inexactReasons: reasons,
            coveredBy: coveredBy, related: related, hooks: callGraph.hooks[ref.chain], message: message, fix: fix,
            witness: witness, lens: kind.lens, role: kind.role, domain: kind.domain)
    }

    private func ruleFindings(_ ref: RuleRef, _ status: Status) -> [FirewallFinding] {
        let r = program[ref]
        let name = "\(r.rule.chain) rule \(r.rule.position)" + (r.rule.part.map { " (branch \($0))" } ?? "")
        switch status {
        case .live:
            return []
        case .dead(.chainNeverEntered):
            return [finding(.dead, ref, severity: .low,
                            message: "\(name) never fires: no built-in chain ever jumps to chain \(r.rule.chain).",
                            fix: "Delete the rule with its chain, or jump to chain \(r.rule.chain) from where it was meant to apply.",
                            coveredBy: [])]
        case .dead(.matchesNothing):
            let why = r.rule.match.notes.isEmpty ? "its conditions contradict each other or the chain it is in" : r.rule.match.notes.joined(separator: "; ")
            return [finding(.dead, ref, severity: .medium,
                            message: "\(name) never fires: no packet can match it (\(why)).",
                            fix: "Correct the rule's conditions or delete it.", coveredBy: [])]
        case .dead(.covered(let refs, let restricted)):
            let covering = refs.map(describe)
            var text = "\(name) never fires"
            if !covering.isEmpty { text += ": every packet it matches is decided earlier by \(covering.joined(separator: ", "))" }
            if restricted { text += covering.isEmpty ? ": its chain is never entered with packets it matches" : "; the rest never enter chain \(r.rule.chain)" }
            text += "."
            let opposite = refs.contains { program[$0].action != r.action }
            let severity: Severity = opposite && r.action != .continuing ? .medium : .low
            let fix = refs.isEmpty
                ? "Check the jumps into chain \(r.rule.chain): the rule's packets never get there."
                : "Delete the rule, or move it above \(describe(refs[0])) if it is an intended exception."
            return [finding(.dead, ref, severity: severity, message: text, fix: fix, coveredBy: refs.map(locator))]
        case .redundant(let deciders):
            let described = deciders.map { d in
                d.rule.map { "\(d.chain) rule \($0)" } ?? (d.policy.map { "the \(d.chain) policy \($0.rawValue)" } ?? "the end of chain \(d.chain) (which returns)")
            }
            let logs = logsPackets(ref)
            return [finding(.redundant, ref, severity: .low,
                            message: "\(name) fires, but deleting it changes no packet's verdict: \(described.joined(separator: ", ")) \(described.count == 1 ? "decides" : "decide") the same packets the same way without it."
                                + (logs ? " It does log them: deleting it would lose that log." : ""),
                            fix: logs ? "Keep it if the log is wanted; otherwise delete it." : "Delete the rule to keep the ruleset simple, unless it documents intent.",
                            coveredBy: deciders)]
        }
    }

    /// Whether the rule sends packets to a chain that logs them (LOG, NFLOG, ULOG).
    func logsPackets(_ ref: RuleRef) -> Bool {
        guard case .jump(let start) = program[ref].action else { return false }
        var seen: Set<Int> = [start]
        var todo = [start]
        while let c = todo.popLast() {
            for r in program.chains[c].rules {
                if case .continuing(let t) = r.rule.target, ["LOG", "NFLOG", "ULOG"].contains(t) { return true }
                if case .jump(let x) = r.action, seen.insert(x).inserted { todo.append(x) }
                if case .goto(let x) = r.action, seen.insert(x).inserted { todo.append(x) }
            }
        }
        return false
    }

    /// Al-Shaer & Hamed relations: for the pairs that explain a dead or redundant rule, or all pairs on request.
    private func pairFindings(_ statuses: [RuleRef: Status]) -> [FirewallFinding] {
        var out: [FirewallFinding] = []
        var seen: Set<[RuleRef]> = []
        func relation(earlier x: RuleRef, later y: RuleRef) -> FirewallFindingKind? {
            let a = program[x]
            let b = program[y]
            guard a.possible.contains(where: { ac in b.possible.contains { ac.overlaps($0) } }) else { return nil }
            let same = a.action == b.action
            let laterInEarlier = b.possible.allSatisfy { bc in a.certain.contains { bc.isSubset(of: $0) } }
            let earlierInLater = a.possible.allSatisfy { ac in b.certain.contains { ac.isSubset(of: $0) } }
            if laterInEarlier { return same ? .pairRedundancy : .shadowing }
            if earlierInLater { return same ? .pairRedundancy : .generalization }
            return same ? nil : .correlation
        }
        func emit(_ kind: FirewallFindingKind, subject: RuleRef, other: RuleRef) {
            guard seen.insert([min(subject, other), max(subject, other)]).inserted else { return }
            let s = describe(subject)
            let o = describe(other)
            let message: String
            let fix: String
            switch kind {
            case .shadowing:
                message = "\(s) is shadowed by \(o): it matches only packets that rule already decides, with a different action."
                fix = "Move \(s) above \(o) if it is an exception, or delete it."
            case .pairRedundancy:
                message = "\(s) and \(o) match overlapping packets, one inside the other, with the same action."
                fix = "Keep the broader rule and delete the narrower one."
            case .generalization:
                message = "\(s) generalises \(o): it matches a superset of that earlier rule's packets with a different action."
                fix = "Usually intended (an exception before a general rule); make sure the order is deliberate."
            default:
                message = "\(s) and \(o) overlap partially with different actions: the packets in both are decided by the earlier one."
                fix = "Split or reorder the rules so that the overlap is decided deliberately."
            }
            out.append(finding(kind, subject, severity: .info, message: message, fix: fix, related: [locator(other)],
                               idParts: [program[other].rule.text]))
        }
        for (ref, status) in statuses.sorted(by: { $0.key < $1.key }) {
            switch status {
            case .dead(.covered(let refs, _)):
                for j in refs where j.chain == ref.chain {
                    if let k = relation(earlier: j, later: ref) { emit(k, subject: ref, other: j) }
                }
            case .redundant(let deciders):
                for d in deciders {
                    guard let pos = d.rule, d.chain == program.chains[ref.chain].name else { continue }
                    let other = RuleRef(chain: ref.chain, index: pos - 1)
                    guard other.index > ref.index else { continue }
                    if relation(earlier: ref, later: other) == .pairRedundancy { emit(.pairRedundancy, subject: ref, other: other) }
                }
            default:
                break
            }
        }
        if options.allPairs {
            for (c, chain) in program.chains.enumerated() where chain.rules.count <= 2000 {
                for y in chain.rules.indices {
                    for x in 0..<y {
                        let a = RuleRef(chain: c, index: x)
                        let b = RuleRef(chain: c, index: y)
                        guard let k = relation(earlier: a, later: b) else { continue }
                        // Redundancy of the earlier rule inside a later, broader one is about the earlier rule.
                        let earlierInLater = program[a].possible.allSatisfy { ac in program[b].certain.contains { ac.isSubset(of: $0) } }
                        if k == .pairRedundancy && earlierInLater { emit(k, subject: a, other: b) } else { emit(k, subject: b, other: a) }
                    }
                }
            }
        }
        return out
    }

    /// User chains that no live rule jumps to.
    private func chainFindings(_ statuses: [RuleRef: Status]) -> [FirewallFinding] {
        var out: [FirewallFinding] = []
        var liveCallers = [Int](repeating: 0, count: program.chains.count)
        for (c, calls) in callGraph.calls.enumerated() {
            for call in calls {
                if case .dead = statuses[RuleRef(chain: c, index: call.rule)] { continue }
                liveCallers[call.callee] += 1
            }
        }
        let outOfScope = program.chainsOnOtherHooks
        for (c, chain) in program.chains.enumerated() where !chain.isBuiltin && liveCallers[c] == 0 && !outOfScope.contains(c) {
            let referenced = callGraph.calls.contains { $0.contains { $0.callee == c } }
            let message = referenced
                ? "Chain \(chain.name) is never entered: every rule that jumps to it is dead."
                : "Chain \(chain.name) is never entered: no rule jumps to it."
            out.append(FirewallFinding(
                id: StableID.make("fw", ["unused-chain"] + chain.qualifiedName), kind: .unusedChain, severity: .low,
                table: chain.table, family: chain.family, chain: chain.name, rule: nil, line: chain.line ?? chain.rules.first?.rule.line,
                file: program.ruleset.file, ruleText: nil, exact: brokenAncestry[c].isEmpty, inexactReasons: brokenAncestry[c],
                coveredBy: nil, related: nil, hooks: [], message: message,
                fix: "Delete chain \(chain.name) (\(chain.rules.count) rules) or jump to it where it was meant to apply.",
                witness: nil, lens: .itSecurity, role: .firewallAdministrator, domain: .securityOperations))
        }
        return out
    }
}

func nanos(_ d: Duration) -> UInt64 {
    let (s, a) = d.components
    return UInt64(s) * 1_000_000_000 + UInt64(a / 1_000_000_000)
}
