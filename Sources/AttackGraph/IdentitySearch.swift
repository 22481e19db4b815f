public import Identity

/// A breadth-first search over an identity graph from a set of principals, forwards (where can an
/// attacker holding these go) or backwards (who can reach these), recording each principal's hop
/// count and the edge by which the search first reached it, so one shortest path to (or from) every
/// principal can be read back.
public struct IdentitySearch: Sendable {
    public enum Direction: Sendable {
        /// Along the edges: from the sources to what they can take over.
        case forward
        /// Against the edges: from the sources back to who can take them over.
        case backward
    }

    public let direction: Direction
    /// Hops from (forward) or to (backward) the nearest source, by principal index; -1 when none.
    public let distances: ContiguousArray<Int32>
    /// The edge (position in the graph's edge arrays) by which the search reached each principal:
    /// forward, the last edge of a shortest path from a source; backward, the first edge of a
    /// shortest path to a source. -1 for the sources and for principals not reached.
    public let edges: ContiguousArray<Int32>
    /// The principals reached, in the order the search settled them (sources first, then by hops).
    public let order: ContiguousArray<Int32>

    /// Searches from `sources` over the edges `usable` admits; by default BloodHound's traversable
    /// ones. `maxHops` stops the search that many hops out.
    public init(_ graph: IdentityGraph, from sources: [Int32], direction: Direction, maxHops: Int = .max,
                usable: (Int) -> Bool) {
        let n = graph.principalCount
        var distance = ContiguousArray<Int32>(repeating: -1, count: n)
        var via = ContiguousArray<Int32>(repeating: -1, count: n)
        var queue = ContiguousArray<Int32>()
        queue.reserveCapacity(min(n, 1 << 16))
        for s in sources where distance[Int(s)] < 0 {
            distance[Int(s)] = 0
            queue.append(s)
        }
        var head = 0
        while head < queue.count {
            let v = queue[head]
            head += 1
            let next = distance[Int(v)] + 1
            guard next <= maxHops else { continue }
            func visit(_ e: Int, _ u: Int) {
                guard distance[u] < 0, usable(e) else { return }
                distance[u] = next
                via[u] = Int32(e)
                queue.append(Int32(u))
            }
            switch direction {
            case .backward:
                for e in graph.incoming(v) { visit(Int(e), Int(graph.edgeSources[Int(e)])) }
            case .forward:
                for e in graph.outgoing(v) { visit(e, Int(graph.edgeTargets[e])) }
            }
        }
        self.direction = direction
        distances = distance
        edges = via
        order = queue
    }

    /// Searches over BloodHound's traversable edges.
    public init(_ graph: IdentityGraph, from sources: [Int32], direction: Direction, maxHops: Int = .max) {
        self.init(graph, from: sources, direction: direction, maxHops: maxHops) { graph.edgeKinds[$0].isTraversable }
    }

    public func hops(_ p: Int32) -> Int? {
        let d = distances[Int(p)]
        return d < 0 ? nil : Int(d)
    }

    /// One shortest path between `p` and the sources, as edge positions in the direction of the
    /// edges (from the attacker's side to the target's); empty when `p` is a source or not reached.
    public func path(_ p: Int32, in graph: IdentityGraph) -> [Int] {
        var path: [Int] = []
        var at = p
        while edges[Int(at)] >= 0 {
            let e = Int(edges[Int(at)])
            path.append(e)
            at = direction == .forward ? graph.edgeSources[e] : graph.edgeTargets[e]
        }
        return direction == .forward ? path.reversed() : path
    }
}
