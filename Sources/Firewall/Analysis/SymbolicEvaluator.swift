import PacketSpace

/// Runs whole sets of packets through the chains at once, exactly, with Bulwark's three-valued
/// honesty: every set is the packets that *may* take that way. A rule with an uncertain match sends
/// the packets it may match both ways, so a packet that may end in two verdicts is in both sets.
///
/// Work is confined to a region (usually the packets one rule can match): only rules whose address
/// bounds meet the region's are looked at, through each chain's index.
final class SymbolicEvaluator {
    let program: TableProgram
    let callGraph: CallGraph
    let algebra: PacketAlgebra

    /// Possible outcomes of a set of packets leaving a chain.
    struct Outcome {
        var accept: UInt32 = 0
        var drop: UInt32 = 0
        var reject: UInt32 = 0
        var queue: UInt32 = 0
        /// Returned to the caller (or, from a built-in chain, left to its policy).
        var returned: UInt32 = 0
        /// May meet a target Bulwark does not know.
        var undecided: UInt32 = 0
        /// Left to the policy of the chain a run from one rule ended in (set by the redundancy check
        /// that runs a built-in chain from a rule on).
        var policy: UInt32 = 0
        /// Accepted with no rule accepting them on any base chain of the hook (set by `runHook`).
        var acceptedByPolicyOnly: UInt32 = 0
        /// Packets that reached each base chain's policy (set by `runHook`).
        var policyByChain: [Int: UInt32] = [:]
    }

    /// What a run reports while it goes.
    struct Observer {
        /// The rule to watch: its possible arrivals that it may match are accumulated in `reach`.
        var target: RuleRef?
        var reach: UInt32 = 0
        /// Rules of `catchChain` before the target, and the packets each certainly took out of the chain.
        var catchChain: Int?
        var catches: [(Int, UInt32)] = []
        /// Rules that certainly decided some packets, with the packets (for redundancy explanations).
        var recordDecisions = false
        var decisions: [(RuleRef, UInt32)] = []
        /// Arrivals at the top of `catchChain`.
        var chainArrivals: UInt32 = 0
        /// Stop a chain's run after the target has been processed (enough for reachability).
        var stopAfterTarget = false
        /// Cubes known to hold every packet of the run: rules meeting none of them are skipped
        /// without set operations.
        var hint: [PacketCube]?
    }

    private var ruleSets: [RuleRef: (certain: UInt32, possible: UInt32)] = [:]
    /// Each chain's outcomes for every packet, computed once and intersected with a region after:
    /// a chain treats each packet on its own, so its outcome on a region is the region's share of
    /// its outcome on everything.
    private var summaries: [Int: Outcome] = [:]
    private var unsummarizable: Set<Int> = []
    /// Chains reachable from each chain, itself included.
    private let subtree: [Set<Int>]
    /// Nodes a chain summary may create before it is given up for direct evaluation.
    private let summaryBudget = 150_000
    private var abortAbove: Int?
    private var aborted = false
    /// A node limit for a whole run (see `runHook(…budget:)`).
    private var runLimit: Int?
    private var runAborted = false
    private var contexts: [Hook: UInt32] = [:]
    private var wellFormed: UInt32?
    /// Scratch space for ordering candidate rules.
    var marks: [UInt64] = []

    init(program: TableProgram, callGraph: CallGraph, algebra: PacketAlgebra) {
        self.program = program
        self.callGraph = callGraph
        self.algebra = algebra
        subtree = program.chains.indices.map { start in
            var seen: Set<Int> = [start]
            var todo = [start]
            while let c = todo.popLast() {
                for call in callGraph.calls[c] where seen.insert(call.callee).inserted { todo.append(call.callee) }
            }
            return seen
        }
    }

    /// Whether user chains are summarised once for every packet (worth it when many regions are run,
    /// as the analyses do; not for a single run over one region).
    var summarizes = true

    /// Whether a chain's summary may stand in for running it: nothing watched or deleted lies inside.
    private func canSummarize(_ c: Int, deleted: RuleRef?, observer: Observer) -> Bool {
        if !summarizes || unsummarizable.contains(c) { return false }
        let inside = subtree[c]
        if let d = deleted, inside.contains(d.chain) { return false }
        if let t = observer.target, inside.contains(t.chain) { return false }
        if let k = observer.catchChain, inside.contains(k) { return false }
        return true
    }

    private func summary(_ c: Int, depth: Int) -> Outcome? {
        if let s = summaries[c] { return s }
        if abortAbove != nil { return nil }  // no nested summaries inside a summary being built
        abortAbove = algebra.nodeCountTotal + summaryBudget
        aborted = false
        var observer = Observer()
        let whole = ChainIndex.Bounds(source: 0...UInt128.max, destination: 0...UInt128.max)
        let s = run(chain: c, region: PacketAlgebra.fullNode, bounds: whole, from: 0, deleted: nil, observer: &observer, depth: depth)
        abortAbove = nil
        if aborted {
            aborted = false
            unsummarizable.insert(c)
            return nil
        }
        summaries[c] = s
        return s
    }

    /// Forgets every set; call between rules to bound memory.
    func reset() {
        algebra.reset()
        ruleSets.removeAll(keepingCapacity: true)
        summaries.removeAll()
        contexts.removeAll()
        wellFormed = nil
    }

    /// Address bounds of a set, for index queries.
    func bounds(_ node: UInt32) -> ChainIndex.Bounds? {
        guard let s = algebra.range(node, dimension: PacketField.sourceAddress.rawValue),
              let d = algebra.range(node, dimension: PacketField.destinationAddress.rawValue) else { return nil }
        return ChainIndex.Bounds(source: s, destination: d)
    }

    func union(_ cubes: [PacketCube]) -> UInt32 {
        var n = PacketAlgebra.emptyNode
        for c in cubes { n = algebra.union(n, algebra.cube(c)) }
        return n
    }

    func sets(_ ref: RuleRef) -> (certain: UInt32, possible: UInt32) {
        if let s = ruleSets[ref] { return s }
        let r = program[ref]
        let possible = union(r.possible)
        let certain = r.isExact ? possible : union(r.certain)
        ruleSets[ref] = (certain, possible)
        return (certain, possible)
    }

    /// Well-formed packets of the program's family that can arrive at the hook.
    func entry(_ hook: Hook) -> UInt32 {
        if let e = contexts[hook] { return e }
        let wf = wellFormed ?? union(program.families.flatMap { WellFormedPackets.cubes(family: $0) })
        wellFormed = wf
        let e = algebra.intersection(wf, union(hook.context))
        contexts[hook] = e
        return e
    }

    /// Runs `region` (already within the hook's entry set) through the base chains of the hook, in
    /// the kernel's order, with their policies: packets a chain accepts go on to the next one, the
    /// rest are final. `deleted` is evaluated as if that rule were not there.
    func runHook(_ hook: Hook, region: UInt32, bounds: ChainIndex.Bounds, deleted: RuleRef?, observer: inout Observer) -> Outcome {
        let stages = program.stages(for: hook)
        var total = Outcome()
        if stages.isEmpty { return total }
        var cur = region
        // Packets some rule (not a policy) accepted on the way.
        var acceptedByRule = PacketAlgebra.emptyNode
        for stage in stages {
            var here = cur
            if let families = stage.families { here = algebra.intersection(here, familyNode(families)) }
            if stage.newConnectionsOnly { here = algebra.intersection(here, newConnectionsNode()) }
            let passing = algebra.subtracting(cur, here)
            var out = run(chain: stage.chain, region: here, bounds: bounds, from: 0, deleted: deleted, observer: &observer, depth: 0)
            let leftover = out.returned
            out.returned = 0
            let policy = program.chains[stage.chain].policy ?? .accept
            acceptedByRule = algebra.union(acceptedByRule, out.accept)
            if leftover != 0 {
                total.policyByChain[stage.chain] = algebra.union(total.policyByChain[stage.chain] ?? 0, leftover)
            }
            switch policy {
            case .accept: out.accept = algebra.union(out.accept, leftover)
            case .drop: out.drop = algebra.union(out.drop, leftover)
            case .reject: out.reject = algebra.union(out.reject, leftover)
            case .queue: out.queue = algebra.union(out.queue, leftover)
            }
            total.drop = algebra.union(total.drop, out.drop)
            total.reject = algebra.union(total.reject, out.reject)
            total.queue = algebra.union(total.queue, out.queue)
            total.undecided = algebra.union(total.undecided, out.undecided)
            cur = algebra.union(passing, out.accept)
        }
        total.accept = cur
        total.acceptedByPolicyOnly = algebra.subtracting(cur, acceptedByRule)
        return total
    }

    private func familyNode(_ families: Set<AddressFamily>) -> UInt32 {
        var cube = PacketCube()
        cube.restrict(.family, to: IntervalSet(ranges: families.map { UInt128($0.rawValue)...UInt128($0.rawValue) }))
        return algebra.cube(cube)
    }

    private func newConnectionsNode() -> UInt32 {
        var cube = PacketCube()
        cube.restrict(.connectionState, to: ConnectionState.new.rawValue)
        return algebra.cube(cube)
    }

    /// `runHook` with a limit on the nodes it may create: nil when the run would need more (the sets
    /// of some rulesets grow too large to compute whole; callers then give no answer rather than a wrong one).
    func runHook(_ hook: Hook, region: UInt32, bounds: ChainIndex.Bounds, budget: Int, observer: inout Observer) -> Outcome? {
        runLimit = algebra.nodeCountTotal + budget
        runAborted = false
        defer { runLimit = nil }
        let out = runHook(hook, region: region, bounds: bounds, deleted: nil, observer: &observer)
        return runAborted ? nil : out
    }

    /// Runs a set of packets through one chain from rule `from`.
    func run(chain c: Int, region: UInt32, bounds: ChainIndex.Bounds, from: Int, deleted: RuleRef?,
             observer: inout Observer, depth: Int) -> Outcome {
        var out = Outcome()
        var cur = region
        if cur == 0 { return out }
        if c == observer.catchChain && from == 0 { observer.chainArrivals = algebra.union(observer.chainArrivals, cur) }
        let chain = program.chains[c]
        // Candidate rules in ascending order.
        let candidates = chain.index.overlappingAscending(bounds, from: from, marks: &marks)
        for ci in candidates {
            if let limit = abortAbove, algebra.nodeCountTotal > limit { aborted = true; return out }
            if let limit = runLimit, algebra.nodeCountTotal > limit { runAborted = true; return out }
            if cur == 0 { break }
            let i = Int(ci)
            let ref = RuleRef(chain: c, index: i)
            if ref == deleted { continue }
            let rule = chain.rules[i]
            // Rules after which every packet goes on change nothing, unless watched.
            if rule.action == .continuing && ref != observer.target { continue }
            // Cheap cube tests before any set operation.
            if !rule.possible.contains(where: { cube in cubeMayMeet(cube, bounds) }) { continue }
            if let hint = observer.hint, !rule.mayOverlap(hint) { continue }
            let (certain, possible) = sets(ref)
            let hit = algebra.intersection(cur, possible)
            if hit == 0 { continue }
            let isTarget = ref == observer.target
            if isTarget { observer.reach = algebra.union(observer.reach, hit) }
            switch rule.action {
            case .verdict(let v):
                switch v {
                case .accept: out.accept = algebra.union(out.accept, hit)
                case .drop: out.drop = algebra.union(out.drop, hit)
                case .reject: out.reject = algebra.union(out.reject, hit)
                case .queue: out.queue = algebra.union(out.queue, hit)
                }
                let caught = algebra.intersection(cur, certain)
                note(caught, ref: ref, chain: c, index: i, observer: &observer)
                cur = algebra.subtracting(cur, certain)
            case .returnFromChain:
                out.returned = algebra.union(out.returned, hit)
                let caught = algebra.intersection(cur, certain)
                note(caught, ref: ref, chain: c, index: i, observer: &observer)
                cur = algebra.subtracting(cur, certain)
            case .continuing:
                break
            case .unknown:
                out.undecided = algebra.union(out.undecided, hit)
            case .jump(let callee), .goto(let callee):
                if callGraph.cycleEdges.contains(ref) || depth > 64 {
                    out.undecided = algebra.union(out.undecided, hit)
                    if case .goto = rule.action { cur = algebra.subtracting(cur, certain) }
                    break
                }
                let sub: Outcome
                var summarized = false
                if canSummarize(callee, deleted: deleted, observer: observer), let whole = summary(callee, depth: depth + 1) {
                    summarized = true
                    sub = Outcome(accept: algebra.intersection(hit, whole.accept), drop: algebra.intersection(hit, whole.drop),
                                  reject: algebra.intersection(hit, whole.reject), queue: algebra.intersection(hit, whole.queue),
                                  returned: algebra.intersection(hit, whole.returned), undecided: algebra.intersection(hit, whole.undecided))
                } else {
                    sub = run(chain: callee, region: hit, bounds: bounds, from: 0, deleted: deleted, observer: &observer, depth: depth + 1)
                }
                out.accept = algebra.union(out.accept, sub.accept)
                out.drop = algebra.union(out.drop, sub.drop)
                out.reject = algebra.union(out.reject, sub.reject)
                out.queue = algebra.union(out.queue, sub.queue)
                out.undecided = algebra.union(out.undecided, sub.undecided)
                if case .goto = rule.action {
                    out.returned = algebra.union(out.returned, sub.returned)
                    let caught = algebra.intersection(cur, certain)
                    note(caught, ref: ref, chain: c, index: i, observer: &observer, decides: summarized)
                    cur = algebra.subtracting(cur, certain)
                } else {
                    // Packets surely entering and surely not coming back are decided here.
                    let caught = algebra.subtracting(algebra.intersection(cur, certain), sub.returned)
                    note(caught, ref: ref, chain: c, index: i, observer: &observer, decides: summarized)
                    cur = algebra.union(algebra.subtracting(cur, certain), sub.returned)
                }
            }
            if isTarget && observer.stopAfterTarget { return out }
        }
        out.returned = algebra.union(out.returned, cur)
        return out
    }

    /// Records packets a rule surely took out of its chain. `decides`: whether the rule is the one to
    /// name as deciding them (a jump whose chain was run rule by rule leaves that to the rules inside).
    private func note(_ caught: UInt32, ref: RuleRef, chain: Int, index: Int, observer: inout Observer, decides: Bool = true) {
        guard caught != 0 else { return }
        if chain == observer.catchChain, let t = observer.target, t.chain == chain, index < t.index {
            observer.catches.append((index, caught))
        }
        if observer.recordDecisions && decides { observer.decisions.append((ref, caught)) }
    }

    /// Whether a cube may meet the address bounds (a cheap filter before building sets).
    private func cubeMayMeet(_ cube: PacketCube, _ bounds: ChainIndex.Bounds) -> Bool {
        if let s = cube.values(.sourceAddress), let lo = s.min, let hi = s.max, hi < bounds.source.lowerBound || lo > bounds.source.upperBound { return false }
        if let d = cube.values(.destinationAddress), let lo = d.min, let hi = d.max, hi < bounds.destination.lowerBound || lo > bounds.destination.upperBound { return false }
        return true
    }
}
