/// Which chains call which, which built-in chains reach each chain, and a few call paths to each.
struct CallGraph {
    /// For each chain, its jump/goto rules: (rule index, callee).
    let calls: [[(rule: Int, callee: Int)]]
    /// For each chain, the hooks whose built-in chain reaches it.
    let hooks: [[Hook]]
    /// Call edges that close a cycle; the engine does not follow them (iptables-restore refuses loops).
    let cycleEdges: Set<RuleRef>
    /// For each chain and hook, up to a few call paths from the built-in chain: the jump/goto rules taken.
    let paths: [[Hook: [[RuleRef]]]]

    init(program: TableProgram) {
        var calls: [[(Int, Int)]] = []
        for chain in program.chains {
            var list: [(Int, Int)] = []
            for (i, r) in chain.rules.enumerated() {
                switch r.action {
                case .jump(let c), .goto(let c): list.append((i, c))
                default: break
                }
            }
            calls.append(list)
        }
        self.calls = calls.map { $0.map { (rule: $0.0, callee: $0.1) } }

        // Cycles: depth-first search, an edge to a chain on the stack closes one.
        var cycle: Set<RuleRef> = []
        var state = [UInt8](repeating: 0, count: program.chains.count)  // 0 new, 1 on stack, 2 done
        func visit(_ c: Int) {
            state[c] = 1
            for (rule, callee) in calls[c] {
                if state[callee] == 1 { cycle.insert(RuleRef(chain: c, index: rule)); continue }
                if state[callee] == 0 { visit(callee) }
            }
            state[c] = 2
        }
        for c in program.chains.indices where state[c] == 0 { visit(c) }
        cycleEdges = cycle

        var hooks = [[Hook]](repeating: [], count: program.chains.count)
        var paths = [[Hook: [[RuleRef]]]](repeating: [:], count: program.chains.count)
        for hook in Hook.filterHooks {
            // Breadth-first from the hook's base chains, keeping up to four shortest paths per chain.
            var queue: [Int] = []
            for stage in program.stages(for: hook) where paths[stage.chain][hook] == nil {
                queue.append(stage.chain)
                paths[stage.chain][hook] = [[]]
            }
            var head = 0
            while head < queue.count {
                let c = queue[head]
                head += 1
                if !hooks[c].contains(hook) { hooks[c].append(hook) }
                for (rule, callee) in calls[c] where !cycle.contains(RuleRef(chain: c, index: rule)) {
                    let extended = (paths[c][hook] ?? []).map { $0 + [RuleRef(chain: c, index: rule)] }
                    var existing = paths[callee][hook] ?? []
                    let isNew = existing.isEmpty
                    for p in extended where existing.count < 4 && !existing.contains(p) && p.count < 64 { existing.append(p) }
                    paths[callee][hook] = existing
                    if isNew { queue.append(callee) }
                }
            }
        }
        self.hooks = hooks
        self.paths = paths
    }
}
