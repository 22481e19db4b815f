/// Both adjacency indexes of a directed graph whose edges are kept in parallel arrays sorted by
/// source (compressed sparse rows): `outStart[n]..<outStart[n + 1]` are the positions of `n`'s
/// outgoing edges, and `inEdges[inStart[n]..<inStart[n + 1]]` the positions of its incoming ones.
public struct Adjacency: Sendable {
    public let outStart: ContiguousArray<Int>
    public let inStart: ContiguousArray<Int>
    public let inEdges: ContiguousArray<Int32>

    /// `sources` must be sorted; nodes are `0..<nodeCount`.
    public init(sources: ContiguousArray<Int32>, targets: ContiguousArray<Int32>, nodeCount n: Int) {
        var out = ContiguousArray<Int>(repeating: 0, count: n + 1)
        var inn = ContiguousArray<Int>(repeating: 0, count: n + 1)
        for e in 0..<sources.count {
            out[Int(sources[e]) + 1] += 1
            inn[Int(targets[e]) + 1] += 1
        }
        for k in 0..<n {
            out[k + 1] += out[k]
            inn[k + 1] += inn[k]
        }
        var fill = inn
        var incoming = ContiguousArray<Int32>(repeating: 0, count: sources.count)
        for e in 0..<sources.count {
            let t = Int(targets[e])
            incoming[fill[t]] = Int32(e)
            fill[t] += 1
        }
        outStart = out
        inStart = inn
        inEdges = incoming
    }

    /// The order that sorts edges by source, stably (a counting sort).
    public static func sortedBySource(_ sources: ContiguousArray<Int32>, nodeCount n: Int) -> ContiguousArray<Int32> {
        var start = ContiguousArray<Int>(repeating: 0, count: n + 1)
        for s in sources { start[Int(s) + 1] += 1 }
        for k in 0..<n { start[k + 1] += start[k] }
        var order = ContiguousArray<Int32>(repeating: 0, count: sources.count)
        for e in 0..<sources.count {
            let s = Int(sources[e])
            order[start[s]] = Int32(e)
            start[s] += 1
        }
        return order
    }
}
