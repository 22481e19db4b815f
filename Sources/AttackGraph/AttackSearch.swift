import BulwarkModel
import Foundation

/// Answers whether a zone position satisfies a step's condition (the port reachable from the zone),
/// asking the reachability engine once per (zone, condition).
public final class ConditionOracle: @unchecked Sendable {
    let test: (_ zone: Int, _ condition: AttackGraph.Condition) -> (reachable: Bool, exact: Bool)
    private var cache: [Int64: (Bool, Bool)] = [:]
    private let lock = NSLock()

    public init(_ test: @escaping (_ zone: Int, _ condition: AttackGraph.Condition) -> (reachable: Bool, exact: Bool)) {
        self.test = test
    }

    /// Whether a position in zone `zone` (the estate network's index) satisfies `condition`, asked afresh.
    public func holds(zone: Int, _ condition: AttackGraph.Condition) -> (reachable: Bool, exact: Bool) { test(zone, condition) }

    func answer(zone: Int, condition: Int32, in graph: AttackGraph) -> (reachable: Bool, exact: Bool) {
        let key = Int64(zone) << 32 | Int64(condition)
        lock.lock()
        defer { lock.unlock() }
        if let a = cache[key] { return a }
        let a = test(zone, graph.conditions[Int(condition)])
        cache[key] = a
        return a
    }
}

/// A search from a set of footholds through an ``AttackGraph``: the fewest steps (hops) or the most
/// likely way (the highest product of step probabilities) to every node, with the edge by which
/// each was reached so one witness path can be read back.
///
/// A step that needs a second foothold (a ``AttackGraph/Condition``) is an AND: it is taken once its
/// source is held and a zone position from which the port is reachable is held too. Its cost is
/// the larger of the two footholds' costs plus its own (Knuth's generalization of Dijkstra's
/// algorithm to AND/OR graphs with the superior function max), which is exact for hop counts
/// ("rounds of steps") and, for likelihood, credits the step with the less likely of its two
/// footholds: an upper bound on that way's probability when the footholds are reached
/// independently (docs/attack-graph.md).
public struct AttackSearch: Sendable {
    public enum Metric: String, Sendable {
        /// Each attack step costs 1; standing on a host's zone costs nothing.
        case hops
        /// Each step costs -ln(probability).
        case likelihood
    }

    public let metric: Metric
    /// Cost of the best way to each node: hops, or -ln(probability); infinity when unreached.
    public let costs: ContiguousArray<Double>
    /// The edge by which each node was reached, or -1 (sources and unreached nodes).
    public let via: ContiguousArray<Int32>
    /// For a node reached by a step with a condition: the zone node whose position satisfied it.
    public let position: ContiguousArray<Int32>
    /// Nodes in the order they were settled (best first).
    public let order: ContiguousArray<Int32>
    /// Whether the condition checks on the way to each node were all exact.
    public let exactConditions: ContiguousArray<Bool>

    /// Searches from `sources`. `oracle` answers the conditions (nil: every condition holds, as when
    /// there is no network model); `usable` can take edges out (what-if); `startingProbability`
    /// gives a foothold that is only likely (a phished user: the click rate) for a likelihood search;
    /// `stopAt` ends the search once a node it accepts is settled (the nearest such node).
    public init(_ graph: AttackGraph, from sources: [Int32], metric: Metric, oracle: ConditionOracle?,
                startingProbability: [Int32: Double] = [:], stopAt: ((Int32) -> Bool)? = nil, usable: (Int) -> Bool = { _ in true }) {
        let n = graph.nodeCount
        var cost = ContiguousArray<Double>(repeating: .infinity, count: n)
        // Steps on the best way: among equally likely ways, the shorter one wins.
        var steps = ContiguousArray<Int32>(repeating: .max, count: n)
        var via = ContiguousArray<Int32>(repeating: -1, count: n)
        var position = ContiguousArray<Int32>(repeating: -1, count: n)
        var exact = ContiguousArray<Bool>(repeating: true, count: n)
        var settled = ContiguousArray<Bool>(repeating: false, count: n)
        var order = ContiguousArray<Int32>()
        var heap = Heap()
        // Conditions: the zone position that first satisfied each (-1 none yet), and the edges
        // waiting for one.
        var satisfiedBy = [Int32](repeating: -1, count: graph.conditions.count)
        var checked = [Bool](repeating: false, count: graph.conditions.count)
        var parked: [Int32: [Int32]] = [:]
        var settledZones: [Int32] = []

        func weight(_ e: Int) -> Double {
            let s = graph.step(ofEdge: e)
            switch metric {
            case .hops: if case .position = s.kind { return 0 } else { return 1 }
            case .likelihood: return s.probability >= 1 ? 0 : (s.probability <= 0 ? .infinity : -log(s.probability))
            }
        }
        func relax(_ e: Int, from base: Double, steps baseSteps: Int32, position z: Int32, exactness: Bool) {
            let v = Int(graph.edgeTargets[e])
            let c = base + weight(e)
            let k = baseSteps + { if case .position = graph.step(ofEdge: e).kind { return 0 } else { return 1 } }()
            guard c < cost[v] || (c == cost[v] && k < steps[v]), !settled[v] else { return }
            cost[v] = c
            steps[v] = k
            via[v] = Int32(e)
            position[v] = z
            exact[v] = exactness
            heap.push(c, k, Int32(v))
        }
        func conditionHolds(_ ci: Int32, zone: Int32) -> (Bool, Bool) {
            guard let oracle else { return (true, true) }
            let z = Int(graph.nodes[Int(zone)].zone)
            guard z >= 0 else { return (false, true) }
            return oracle.answer(zone: z, condition: ci, in: graph)
        }

        for s in sources {
            let p = metric == .likelihood ? (startingProbability[s] ?? 1) : 1
            let c = p >= 1 ? 0 : (p <= 0 ? Double.infinity : -log(p))
            guard c < cost[Int(s)] else { continue }
            cost[Int(s)] = c
            steps[Int(s)] = 0
            heap.push(c, 0, s)
        }
        while let (c, k, u) = heap.pop() {
            let ui = Int(u)
            guard !settled[ui], c == cost[ui], k == steps[ui] else { continue }
            settled[ui] = true
            order.append(u)
            if let stopAt, stopAt(u) { break }
            if graph.nodes[ui].kind == .zone {
                settledZones.append(u)
                // Edges waiting for a position: this zone may be it.
                for (ci, edges) in parked {
                    let (ok, ex) = conditionHolds(ci, zone: u)
                    guard ok else { continue }
                    satisfiedBy[Int(ci)] = u
                    parked[ci] = nil
                    for e in edges {
                        let src = Int(graph.edgeSources[Int(e)])
                        relax(Int(e), from: max(cost[src], c), steps: max(steps[src], k), position: u, exactness: exact[src] && ex)
                    }
                }
            }
            for e in graph.outgoing(u) {
                guard graph.step(ofEdge: e).traversable, usable(e) else { continue }
                let ci = graph.edgeConditions[e]
                if ci < 0 {
                    relax(e, from: c, steps: k, position: -1, exactness: exact[ui])
                    continue
                }
                if !checked[Int(ci)] {
                    checked[Int(ci)] = true
                    for z in settledZones where satisfiedBy[Int(ci)] < 0 && conditionHolds(ci, zone: z).0 { satisfiedBy[Int(ci)] = z }
                }
                let z = satisfiedBy[Int(ci)]
                if z >= 0 {
                    relax(e, from: max(c, cost[Int(z)]), steps: max(k, steps[Int(z)]), position: z, exactness: exact[ui] && conditionHolds(ci, zone: z).1)
                } else {
                    parked[ci, default: []].append(Int32(e))
                }
            }
        }
        self.metric = metric
        costs = cost
        self.via = via
        self.position = position
        self.order = order
        exactConditions = exact
    }

    public func isReached(_ node: Int32) -> Bool { costs[Int(node)] < .infinity }

    /// Hops (for a hop search) or the probability (for a likelihood search) of the best way to `node`.
    public func value(_ node: Int32) -> Double? {
        let c = costs[Int(node)]
        guard c < .infinity else { return nil }
        return metric == .hops ? c : exp(-c)
    }

    /// The edges of the witness way to `node`, from a source; empty for a source or an unreached node.
    public func path(to node: Int32, in graph: AttackGraph) -> [Int] {
        var edges: [Int] = []
        var at = node
        while via[Int(at)] >= 0, edges.count <= graph.nodeCount {
            let e = Int(via[Int(at)])
            edges.append(e)
            at = graph.edgeSources[e]
        }
        return edges.reversed()
    }
}

/// A binary min-heap of (cost, steps, node), ordered by cost, then steps.
struct Heap {
    private var items: [(Double, Int32, Int32)] = []

    private static func less(_ a: (Double, Int32, Int32), _ b: (Double, Int32, Int32)) -> Bool {
        a.0 < b.0 || (a.0 == b.0 && a.1 < b.1)
    }

    mutating func push(_ cost: Double, _ steps: Int32, _ node: Int32) {
        items.append((cost, steps, node))
        var i = items.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            guard Self.less(items[i], items[p]) else { break }
            items.swapAt(i, p)
            i = p
        }
    }

    mutating func pop() -> (Double, Int32, Int32)? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < items.count && Self.less(items[l], items[m]) { m = l }
                if r < items.count && Self.less(items[r], items[m]) { m = r }
                if m == i { break }
                items.swapAt(i, m)
                i = m
            }
        }
        return top
    }
}
