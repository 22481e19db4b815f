public import Identity

/// A breadth-first search backwards over an identity graph from a set of principals (who can reach
/// these, and in how many hops), recording for each principal the first edge of one shortest path
/// to the sources, so that path can be read back.
public struct IdentitySearch: Sendable {
    /// Hops to the nearest source, by principal index; -1 when none.
    public let distances: ContiguousArray<Int32>
    /// The first edge (position in the graph's edge arrays) of a shortest path from each principal
    /// to a source; -1 for the sources and for principals that reach none.
    public let edges: ContiguousArray<Int32>
    /// The principals reached, in the order the search settled them (sources first, then by hops).
    public let order: ContiguousArray<Int32>

    /// Searches back from `sources` over the edges `usable` admits.
    public init(_ graph: IdentityGraph, from sources: [Int32], usable: (Int) -> Bool) {
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
            for e in graph.incoming(v) {
                let u = Int(graph.edgeSources[Int(e)])
                guard distance[u] < 0, usable(Int(e)) else { continue }
                distance[u] = next
                via[u] = e
                queue.append(Int32(u))
            }
        }
        distances = distance
        edges = via
        order = queue
    }

    /// Searches back over BloodHound's traversable edges.
    public init(_ graph: IdentityGraph, from sources: [Int32]) {
        self.init(graph, from: sources) { graph.edgeKinds[$0].isTraversable }
    }

    public func hops(_ p: Int32) -> Int? {
        let d = distances[Int(p)]
        return d < 0 ? nil : Int(d)
    }

    /// One shortest path from `p` to the sources, as edge positions; empty when `p` is a source or
    /// reaches none.
    public func path(_ p: Int32, in graph: IdentityGraph) -> [Int] {
        var path: [Int] = []
        var at = p
        while edges[Int(at)] >= 0 {
            let e = Int(edges[Int(at)])
            path.append(e)
            at = graph.edgeTargets[e]
        }
        return path
    }
}
