public import Estate
import Identity

/// The way from the attacker's footholds to one target: the fewest steps and the most likely, one
/// witness each, and how many shortest ways there are.
public struct PathAnswer: Sendable {
    public var target: AttackGraph.Node
    /// Steps of the shortest witness (empty when the target is a foothold itself); nil when unreachable.
    public var shortest: [PathStep]?
    public var hops: Int?
    /// Steps of the most likely witness; nil when unreachable.
    public var mostLikely: [PathStep]?
    /// The product of the most likely witness's step probabilities (independence assumed).
    public var probability: Double?
    /// How many shortest ways lead there (a Double: the number can be astronomically large).
    public var shortestWays: Double
    /// Whether every step and port check on both witnesses is exact.
    public var exact: Bool
    public var reasons: [String]
    /// From each entry point on its own (when asked): the fewest steps and the most likely way's
    /// probability, nil where that entry point does not lead to the target.
    public var byEntry: [EntryAnswer] = []

    public struct EntryAnswer: Sendable {
        public var entry: String
        public var hops: Int?
        public var probability: Double?
    }
}

/// A step many ways to the targets go through.
public struct ChokePoint: Sendable {
    public var step: PathStep
    /// Shortest ways from the footholds to the targets that take this step.
    public var shortestWays: Double
    /// Their share of all shortest ways to the targets, 0...1.
    public var share: Double
    /// Targets whose most likely way takes this step.
    public var mostLikelyTargets: Int
}

/// What one foothold can reach: everything, by the fewest steps (incident scoping).
public struct BlastRadius: Sendable {
    public var from: [AttackGraph.Node]
    /// Reached nodes (footholds excluded) in order of hops, each with its hops and the step that
    /// reached it.
    public var reached: [(node: AttackGraph.Node, hops: Int, step: PathStep)]
    public var tierZeroReached: Int
    public var crownJewelsReached: [String]
    public var assetsReached: [String]
}

extension AttackGraph {
    /// The footholds the manifest's entry points give: a zone position, a host, or each enabled user
    /// of an AD group (members directly or through nested groups) with the zones of the hosts where
    /// the user has a session, with the probability the foothold is gained (a group's click rate; 1
    /// otherwise). A group the collection lacks gives none.
    public func entryNodes(_ manifest: EstateManifest?) -> [(name: String, node: Int32, probability: Double)] {
        guard let manifest else { return [] }
        var out: [(name: String, node: Int32, probability: Double)] = []
        for e in manifest.entryPoints {
            switch e.target {
            case .zone(let z): if let n = node(named: "zone:\(z)") { out.append((e.name, n, 1)) }
            case .host(let h): if let n = node(named: h) { out.append((e.name, n, 1)) }
            case .group(let g):
                guard let identity, let group = node(named: g), group < identity.principalCount else { continue }
                var seen: Set<Int32> = [group]
                var stack = [group]
                while let v = stack.popLast() {
                    for e2 in identity.incoming(v) where identity.edgeKinds[Int(e2)] == .memberOf {
                        let u = identity.edgeSources[Int(e2)]
                        if seen.insert(u).inserted { stack.append(u) }
                    }
                }
                for u in seen.sorted() where identity[u].kind == .user && identity[u].enabled != false {
                    out.append((e.name, u, e.clickRate ?? 1))
                    // The phished user reads mail where they are logged on: the attacker sends from
                    // those hosts' zones (as the user, without control of the host).
                    for s in identity.incoming(u) where identity.edgeKinds[Int(s)] == .hasSession {
                        let z = nodes[Int(identity.edgeSources[Int(s)])].zone
                        if z >= 0, let zn = zoneNodes.first(where: { nodes[Int($0)].zone == z }), !out.contains(where: { $0.node == zn && $0.name == e.name }) {
                            out.append((e.name, zn, e.clickRate ?? 1))
                        }
                    }
                }
            }
        }
        return out
    }

    /// The starting probabilities of entry points that are not certain (phished users).
    public static func startingProbabilities(_ entries: [(name: String, node: Int32, probability: Double)]) -> [Int32: Double] {
        var p: [Int32: Double] = [:]
        for e in entries where e.probability < 1 { p[e.node] = max(p[e.node] ?? 0, e.probability) }
        for e in entries where e.probability >= 1 { p[e.node] = nil }
        return p
    }

    /// Nodes a target word names: `tier-zero`, `crown-jewels` (crown-jewel hosts and every
    /// information asset impact), an asset's name (its impacts), or any node's id or name.
    public func targets(named text: String) -> [Int32] {
        switch text.lowercased() {
        case "tier-zero", "tierzero", "tier0": return tierZeroNodes
        case "crown-jewels", "crown-jewel": return crownJewels + assetNodes
        default:
            let impacts = AssetImpact.allCases.compactMap { node(named: "asset:\(text)/\($0.rawValue)") }
            if !impacts.isEmpty { return impacts }
            return node(named: text).map { [$0] } ?? []
        }
    }

    /// The shortest and the most likely way from `sources` to each of `targets`.
    /// `entries` (each entry point's name and footholds) adds, for every target, the answer from each
    /// entry point on its own.
    public func paths(from sources: [Int32], to targets: [Int32], oracle: ConditionOracle?, startingProbability: [Int32: Double] = [:],
                      entries: [(name: String, nodes: [Int32])] = [], usable: (Int) -> Bool = { _ in true }) -> [PathAnswer] {
        let short = AttackSearch(self, from: sources, metric: .hops, oracle: oracle, usable: usable)
        let likely = AttackSearch(self, from: sources, metric: .likelihood, oracle: oracle, startingProbability: startingProbability, usable: usable)
        let ways = shortestWays(short, usable: usable)
        let perEntry = entries.map { e in
            (e.name, AttackSearch(self, from: e.nodes, metric: .hops, oracle: oracle, usable: usable),
             AttackSearch(self, from: e.nodes, metric: .likelihood, oracle: oracle, startingProbability: startingProbability, usable: usable))
        }
        let answers = targets.map { t in
            guard short.isReached(t) else {
                return PathAnswer(target: nodes[Int(t)], shortest: nil, hops: nil, mostLikely: nil, probability: nil, shortestWays: 0, exact: true, reasons: [])
            }
            let a = witness(to: t, in: short), b = witness(to: t, in: likely)
            var reasons: [String] = []
            for s in a + b { if let r = s.inexact, !reasons.contains(r) { reasons.append(r) } }
            if !short.exactConditions[Int(t)] || !likely.exactConditions[Int(t)] {
                reasons.append("uncertain firewall matches decide a port check on the way")
            }
            return PathAnswer(target: nodes[Int(t)], shortest: a, hops: short.value(t).map { Int($0) }, mostLikely: b, probability: likely.value(t),
                              shortestWays: ways[Int(t)], exact: reasons.isEmpty, reasons: reasons,
                              byEntry: perEntry.map { .init(entry: $0.0, hops: $0.1.value(t).map { Int($0) }, probability: $0.2.value(t)) })
        }
        // Nearest first; unreachable last; ties in the order asked.
        return answers.enumerated().sorted { a, b in
            let (ha, hb) = (a.element.hops ?? .max, b.element.hops ?? .max)
            return ha != hb ? ha < hb : a.offset < b.offset
        }.map(\.element)
    }

    /// The steps most ways to the targets go through: for each edge on a shortest way, the number
    /// of shortest footholds-to-target ways through it (ways into its source times ways from its
    /// target on to a target), and how many targets' most likely ways take it; the `limit` heaviest.
    public func chokePoints(from sources: [Int32], to targets: [Int32], oracle: ConditionOracle?, limit: Int = 10) -> [ChokePoint] {
        let short = AttackSearch(self, from: sources, metric: .hops, oracle: oracle)
        let likely = AttackSearch(self, from: sources, metric: .likelihood, oracle: oracle)
        let into = shortestWays(short, usable: { _ in true })
        func tight(_ e: Int) -> Bool {
            let (u, v) = (Int(edgeSources[e]), Int(edgeTargets[e]))
            let s = step(ofEdge: e)
            guard s.traversable, short.isReached(Int32(u)), short.isReached(Int32(v)) else { return false }
            if edgeConditions[e] >= 0 { return Int(short.via[v]) == e }
            let w: Double = { if case .position = s.kind { return 0 } else { return 1 } }()
            return short.costs[u] + w == short.costs[v]
        }
        // Ways on from each node to a target, in decreasing hops (zones before hosts at equal hops).
        var onward = [Double](repeating: 0, count: nodeCount)
        let isTarget = Set(targets)
        let order = short.order.sorted { a, b in
            let (ca, cb) = (short.costs[Int(a)], short.costs[Int(b)])
            if ca != cb { return ca > cb }
            return (nodes[Int(a)].kind == .zone ? 0 : 1) < (nodes[Int(b)].kind == .zone ? 0 : 1)
        }
        for n in order {
            var w = isTarget.contains(n) ? 1.0 : 0.0
            for e in outgoing(n) where tight(e) { w += onward[Int(edgeTargets[e])] }
            onward[Int(n)] = w
        }
        let total = targets.reduce(0.0) { $0 + (short.isReached($1) ? into[Int($1)] : 0) }
        var likelyUse: [Int: Int] = [:]
        for t in targets where likely.isReached(t) { for e in Set(likely.path(to: t, in: self)) { likelyUse[e, default: 0] += 1 } }
        var points: [ChokePoint] = []
        for e in 0..<edgeCount where tight(e) {
            if case .position = step(ofEdge: e).kind { continue }
            let through = into[Int(edgeSources[e])] * onward[Int(edgeTargets[e])]
            guard through > 0 else { continue }
            let position = edgeConditions[e] >= 0 ? short.position[Int(edgeTargets[e])] : -1
            points.append(ChokePoint(step: pathStep(e, position: position), shortestWays: through, share: total > 0 ? through / total : 0,
                                     mostLikelyTargets: likelyUse[e] ?? 0))
        }
        points.sort { ($0.shortestWays, $0.mostLikelyTargets) > ($1.shortestWays, $1.mostLikelyTargets) }
        return Array(points.prefix(limit))
    }

    /// Everything `sources` can reach, by hops.
    public func blastRadius(from sources: [Int32], oracle: ConditionOracle?) -> BlastRadius {
        let search = AttackSearch(self, from: sources, metric: .hops, oracle: oracle)
        let footholds = Set(sources)
        var reached: [(node: AttackGraph.Node, hops: Int, step: PathStep)] = []
        for n in search.order where !footholds.contains(n) {
            let e = Int(search.via[Int(n)])
            reached.append((nodes[Int(n)], Int(search.costs[Int(n)]), pathStep(e, position: search.position[Int(n)])))
        }
        let tz = tierZeroNodes.filter { search.isReached($0) && !footholds.contains($0) }.count
        return BlastRadius(from: sources.map { nodes[Int($0)] }, reached: reached, tierZeroReached: tz,
                           crownJewelsReached: crownJewels.filter { search.isReached($0) }.map { nodes[Int($0)].name },
                           assetsReached: assetNodes.filter { search.isReached($0) }.map { nodes[Int($0)].name })
    }

    /// The number of shortest ways to every node of a hop search: a pass in order of hops adding up
    /// the ways into each node over the edges that lie on shortest ways (a step that needs a second
    /// foothold is counted through the position the search recorded for it). Zone positions cost no
    /// step, and only hosts lead to them, so within one hop count zones come after hosts.
    func shortestWays(_ search: AttackSearch, usable: (Int) -> Bool) -> [Double] {
        var ways = [Double](repeating: 0, count: nodeCount)
        let order = search.order.sorted { a, b in
            let (ca, cb) = (search.costs[Int(a)], search.costs[Int(b)])
            if ca != cb { return ca < cb }
            return (nodes[Int(a)].kind == .zone ? 1 : 0) < (nodes[Int(b)].kind == .zone ? 1 : 0)
        }
        for n in order {
            let v = Int(n)
            if search.via[v] < 0 {
                ways[v] = 1
                continue
            }
            var w = 0.0
            for e in incoming(n) {
                let e = Int(e)
                let u = Int(edgeSources[e])
                let s = step(ofEdge: e)
                guard search.isReached(Int32(u)), s.traversable, usable(e) else { continue }
                if edgeConditions[e] >= 0 {
                    if Int(search.via[v]) == e { w += ways[u] }
                    continue
                }
                let weight: Double = { if case .position = s.kind { return 0 } else { return 1 } }()
                if search.costs[u] + weight == search.costs[v] { w += ways[u] }
            }
            ways[v] = max(w, 1)
        }
        return ways
    }
}
