import Foundation
import BulwarkModel
public import Identity

/// What each kind of change costs, in whatever unit the organization counts (effort, days, money).
public struct ControlCosts: Sendable, Hashable {
    /// Installing a patch for one finding on one host.
    public var patch = 2.0
    /// A firewall rule dropping one service from one zone to one host.
    public var block = 1.0
    /// Taking away an ACE, a local group right or a delegation.
    public var right = 1.0
    /// Removing a group membership.
    public var membership = 1.0
    /// Stopping a privileged account from logging on to a host (a session).
    public var session = 2.0

    public init() {}

    /// The kind of change that takes an AD relationship away, and its price.
    public func removal(of kind: EdgeKind) -> (kind: String, cost: Double) {
        switch kind {
        case .memberOf: ("membership", membership)
        case .hasSession: ("session", session)
        default: ("right", right)
        }
    }

    /// Reads `kind=cost` (kinds: patch, block, right, membership, session).
    public mutating func set(_ text: String) throws(ControlError) {
        let parts = text.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let value = Double(parts[1]), value >= 0, value.isFinite else {
            throw ControlError("'\(text)': expected KIND=COST with a cost of 0 or more, such as patch=3")
        }
        switch parts[0].lowercased() {
        case "patch": patch = value
        case "block": block = value
        case "right": right = value
        case "membership": membership = value
        case "session": session = value
        default: throw ControlError("'\(parts[0])': not a kind of change (patch, block, right, membership, session)")
        }
    }
}

/// The cheapest set of changes that disconnects the footholds from the targets.
public struct Remediation: Sendable {
    public struct Change: Sendable, Hashable {
        /// `patch`, `block`, `right`, `membership`, `session`.
        public var kind: String
        /// The change in `bulwark whatif --add/--remove` syntax.
        public var control: String
        /// `add` (a patch, a firewall rule) or `remove` (an AD relationship).
        public var action: String
        public var cost: Double
    }

    public var changes: [Change]
    public var cost: Double
    /// Whether the targets can be reached at all (without it there is nothing to fix).
    public var reachable: Bool
    /// Whether no cheaper fix exists; false when lateral movement that needs a port lies between
    /// the footholds and the targets (see `reason`).
    public var exact: Bool
    public var reason: String?
}

extension AttackGraph {
    /// The minimum-cost set of changes — patches, firewall rules, AD relationships taken away — after
    /// which no way leads from `sources` to any of `targets`: a minimum cut (Dinic's maximum flow) of a
    /// flow network in which every change is one edge.
    ///
    /// The network: every AD relationship is an edge costing its kind's price (MemberOf a
    /// membership, HasSession a session, any other right a right). An exploit of finding `v` on host
    /// `h` reached on port `p` from zone `z` becomes `z → block(z, h, p) → patch(v, h) → h`, so
    /// cutting the first edge is one firewall rule (stopping every finding on that port from that
    /// zone) and the second one patch (stopping it from every zone). A lateral-movement step that
    /// needs a port becomes `U → lateral(h, p) → h`: the right, or rules blocking the port from
    /// every zone that reaches it. Standing in a zone and data access cannot be cut.
    ///
    /// Lateral movement needs a position *and* the right; a flow network can only say "or", so it
    /// is taken as possible whenever some zone reaches its port. The fix is then always enough, but
    /// when such steps lie between the footholds and the targets, a cheaper one that cuts the
    /// attacker's way to those zones may exist, and the answer says so.
    public func remediation(from sources: [Int32], to targets: [Int32], costs: ControlCosts, oracle: ConditionOracle?) -> Remediation {
        var net = FlowNetwork()
        let source = net.addNode(), sink = net.addNode()
        var nodeOf = [Int32](repeating: -1, count: nodeCount)
        func flowNode(_ n: Int32) -> Int {
            if nodeOf[Int(n)] < 0 { nodeOf[Int(n)] = Int32(net.addNode()) }
            return Int(nodeOf[Int(n)])
        }
        var gadgets: [String: Int] = [:]
        func gadget(_ key: String) -> (Int, Bool) {
            if let g = gadgets[key] { return (g, false) }
            let g = net.addNode()
            gadgets[key] = g
            return (g, true)
        }
        var changeOf: [Int: Remediation.Change] = [:]  // flow edge -> the change it stands for
        // Only what lies between the footholds and the targets matters.
        let forward = AttackSearch(self, from: sources, metric: .hops, oracle: nil)
        var backward = [Bool](repeating: false, count: nodeCount)
        var queue = targets
        for t in targets { backward[Int(t)] = true }
        while let v = queue.popLast() {
            for e in incoming(v) where step(ofEdge: Int(e)).traversable {
                let u = edgeSources[Int(e)]
                if !backward[Int(u)] { backward[Int(u)] = true; queue.append(u) }
            }
        }
        var conditional = false
        let zoneOfNode: [Int32: Int] = Dictionary(zoneNodes.map { ($0, Int(nodes[Int($0)].zone)) }) { a, _ in a }
        for e in 0..<edgeCount {
            let u = edgeSources[e], v = edgeTargets[e]
            let s = step(ofEdge: e)
            guard s.traversable, forward.isReached(u), backward[Int(v)] else { continue }
            switch s.kind {
            case .position, .dataAccess:
                net.addEdge(flowNode(u), flowNode(v), .infinity)
            case .exploit:
                let h = nodes[Int(v)].name, port = s.service?.description ?? "?"
                let (b, newB) = gadget("block \(u) \(v) \(port)")
                if newB {
                    let edge = net.addEdge(flowNode(u), b, costs.block)
                    changeOf[edge] = .init(kind: "block", control: "block \(nodes[Int(u)].id) -> \(h) \(port)", action: "add", cost: costs.block)
                }
                let cves = s.cves.joined(separator: ",")
                let (p, newP) = gadget("patch \(cves) \(v)")
                net.addEdge(b, p, .infinity)
                if newP {
                    let edge = net.addEdge(p, flowNode(v), costs.patch)
                    let text = s.cves.first.map { "patch \($0) on \(h)" } ?? "patch \(s.facts.first ?? "the finding") on \(h)"
                    changeOf[edge] = .init(kind: "patch", control: text, action: "add", cost: costs.patch)
                }
            case .identity(let kind):
                let (what, price) = costs.removal(of: kind)
                let change = Remediation.Change(kind: what, control: "\(nodes[Int(u)].name) -\(kind.name)-> \(nodes[Int(v)].name)", action: "remove", cost: price)
                let ci = edgeConditions[e]
                guard ci >= 0, let oracle else {
                    let edge = net.addEdge(flowNode(u), flowNode(v), price)
                    changeOf[edge] = change
                    continue
                }
                // The port must be reachable from some zone; blocking it from all of them is the other way.
                let c = conditions[Int(ci)]
                let qualifying = zoneNodes.filter { z in forward.isReached(z) && oracle.answer(zone: zoneOfNode[z] ?? -1, condition: ci, in: self).reachable }
                guard !qualifying.isEmpty else { continue }
                conditional = true
                let (l, newL) = gadget("lateral \(ci)")
                let edge = net.addEdge(flowNode(u), l, price)
                changeOf[edge] = change
                if newL {
                    let blocks = net.addEdge(l, flowNode(v), costs.block * Double(qualifying.count))
                    let port = c.services.map(\.description).joined(separator: ",")
                    changeOf[blocks] = .init(kind: "block",
                                             control: qualifying.map { "block \(nodes[Int($0)].id) -> \(nodes[Int(v)].name) \(port)" }.joined(separator: "; "),
                                             action: "add", cost: costs.block * Double(qualifying.count))
                }
            }
        }
        for s in sources { net.addEdge(source, flowNode(s), .infinity) }
        for t in targets { net.addEdge(flowNode(t), sink, .infinity) }
        let reachable = targets.contains { forward.isReached($0) }
        guard reachable else { return Remediation(changes: [], cost: 0, reachable: false, exact: true, reason: nil) }
        let flow = net.maxFlow(from: source, to: sink)
        guard flow.isFinite else {
            return Remediation(changes: [], cost: .infinity, reachable: true, exact: true,
                               reason: "a foothold holds a target already, or reaches it by steps no change here can cut")
        }
        let cut = net.minCut(from: source)
        var changes = cut.compactMap { changeOf[$0] }.sorted { ($0.cost, $0.control) > ($1.cost, $1.control) }
        guard conditional else { return Remediation(changes: changes, cost: flow, reachable: true, exact: true, reason: nil) }
        // With AND steps the cut is enough but maybe not cheapest: search every cheaper set of single
        // changes (per-zone rules included) under the full semantics, within a limit.
        var candidates: [Remediation.Change] = []
        for c in changeOf.values where !c.control.contains("; ") && !candidates.contains(c) { candidates.append(c) }
        for c in changeOf.values where c.control.contains("; ") {
            for part in c.control.components(separatedBy: "; ") {
                let single = Remediation.Change(kind: "block", control: part, action: "add", cost: costs.block)
                if !candidates.contains(single) { candidates.append(single) }
            }
        }
        candidates.sort { ($0.cost, $0.control) < ($1.cost, $1.control) }
        var budget = Self.exactSearchLimit
        var best: (cost: Double, set: [Remediation.Change])?
        var chosen: [Remediation.Change] = []
        func cuts(_ set: [Remediation.Change]) -> Bool {
            budget -= 1
            guard let (usable, o) = try? applying(set.map { ($0.control, $0.action == "add") }, oracle: oracle) else { return false }
            let search = AttackSearch(self, from: sources, metric: .hops, oracle: o, usable: usable)
            return !targets.contains { search.isReached($0) }
        }
        func explore(_ from: Int, _ spent: Double) {
            guard budget > 0 else { return }
            if !chosen.isEmpty, cuts(chosen) {
                if spent < (best?.cost ?? flow) - 1e-9 { best = (spent, chosen) }
                return
            }
            for i in from..<candidates.count where spent + candidates[i].cost < (best?.cost ?? flow) - 1e-9 {
                chosen.append(candidates[i])
                explore(i + 1, spent + candidates[i].cost)
                chosen.removeLast()
                if budget <= 0 { return }
            }
        }
        explore(0, 0)
        if let best { changes = best.set.sorted { ($0.cost, $0.control) > ($1.cost, $1.control) } }
        let complete = budget > 0
        return Remediation(changes: changes, cost: best?.cost ?? flow, reachable: true, exact: complete,
                           reason: complete ? nil : "lateral movement that needs a port lies on the way, and the search for a cheaper fix under the full semantics stopped after \(Self.exactSearchLimit) candidate sets: a cheaper fix may exist")
    }

    /// How many candidate sets of changes the exact search may try before it gives up.
    public static let exactSearchLimit = 20_000

    /// The edges left usable and the condition oracle after a set of changes in `bulwark whatif`
    /// syntax (`(text, adding)`); only changes that take steps out.
    public func applying(_ changes: [(String, Bool)], oracle: ConditionOracle?) throws(ControlError) -> ((Int) -> Bool, ConditionOracle?) {
        var blocked = Set<Int>()
        var o = oracle
        for (text, adding) in changes {
            let (edges, newOracle) = try removal(try Control(parsing: text, in: self), adding: adding, oracle: o)
            blocked.formUnion(edges)
            o = newOracle
        }
        return ({ !blocked.contains($0) }, o)
    }
}

/// A flow network for Dinic's algorithm, with real capacities (infinity for edges that cannot be cut).
struct FlowNetwork {
    private var to: [Int] = []
    private var capacity: [Double] = []
    private var adjacency: [[Int]] = []

    mutating func addNode() -> Int {
        adjacency.append([])
        return adjacency.count - 1
    }

    /// Adds `from → to` with `capacity` and its residual twin; returns the edge's index.
    @discardableResult
    mutating func addEdge(_ from: Int, _ target: Int, _ cap: Double) -> Int {
        let e = to.count
        to.append(target); capacity.append(cap); adjacency[from].append(e)
        to.append(from); capacity.append(0); adjacency[target].append(e + 1)
        return e
    }

    mutating func maxFlow(from s: Int, to t: Int) -> Double {
        var total = 0.0
        while true {
            var level = [Int](repeating: -1, count: adjacency.count)
            level[s] = 0
            var queue = [s], head = 0
            while head < queue.count {
                let v = queue[head]; head += 1
                for e in adjacency[v] where capacity[e] > 1e-12 && level[to[e]] < 0 {
                    level[to[e]] = level[v] + 1
                    queue.append(to[e])
                }
            }
            guard level[t] >= 0 else { return total }
            var next = [Int](repeating: 0, count: adjacency.count)
            func push(_ v: Int, _ f: Double) -> Double {
                if v == t { return f }
                while next[v] < adjacency[v].count {
                    let e = adjacency[v][next[v]]
                    if capacity[e] > 1e-12 && level[to[e]] == level[v] + 1 {
                        let d = push(to[e], min(f, capacity[e]))
                        if d > 0 {
                            if capacity[e] < .infinity { capacity[e] -= d }
                            if capacity[e ^ 1] < .infinity { capacity[e ^ 1] += d }
                            return d
                        }
                    }
                    next[v] += 1
                }
                return 0
            }
            while true {
                let f = push(s, .infinity)
                if f <= 0 { break }
                if f == .infinity { return .infinity }
                total += f
            }
        }
    }

    /// The saturated edges from the source's side of the residual graph to the other side.
    func minCut(from s: Int) -> [Int] {
        var seen = [Bool](repeating: false, count: adjacency.count)
        seen[s] = true
        var stack = [s]
        while let v = stack.popLast() {
            for e in adjacency[v] where capacity[e] > 1e-12 && !seen[to[e]] {
                seen[to[e]] = true
                stack.append(to[e])
            }
        }
        var cut: [Int] = []
        for v in 0..<adjacency.count where seen[v] {
            for e in adjacency[v] where e & 1 == 0 && !seen[to[e]] { cut.append(e) }
        }
        return cut
    }
}
