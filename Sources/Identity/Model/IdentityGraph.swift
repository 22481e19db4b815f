public import BulwarkModel

/// A relationship between two principals, by index into ``IdentityGraph/principals``.
public struct Edge: Hashable, Sendable, CustomStringConvertible {
    public var source: Int32
    public var target: Int32
    public var kind: EdgeKind

    public init(source: Int32, target: Int32, kind: EdgeKind) {
        self.source = source
        self.target = target
        self.kind = kind
    }

    public var description: String { "\(source) -\(kind.name)-> \(target)" }
}

/// Wall-clock time of one phase of loading (for `BULWARK_STATS` and the benchmarks).
public struct PhaseTiming: Hashable, Sendable {
    public var phase: String
    public var seconds: Double
}

/// An Active Directory identity graph, as BloodHound CE would hold it after ingest and
/// post-processing, stored for fast traversal.
///
/// Principals are numbered `0..<principalCount` (`Int32`); ``index(of:)`` maps an
/// `ObjectIdentifier` to its number. Edges are distinct (source, target, kind) triples kept in three
/// parallel arrays sorted by source, then target, then kind, so a principal's outgoing edges are one
/// contiguous range (compressed sparse rows); incoming edges are a second index over the same
/// arrays. Kinds are a one-byte enum with CE's traversable flag. See
/// docs/design/0006-identity-graph.md.
///
/// ```swift
/// let graph = try SharpHoundLoader().load(path: "collection.zip")
/// guard let alice = graph.index(of: "S-1-5-21-…-1105") else { return }
/// for e in graph.outgoing(alice) where graph.edgeKinds[e].isTraversable {
///     print(graph.principals[Int(graph.edgeTargets[e])].name)
/// }
/// ```
public struct IdentityGraph: Sendable {
    /// Every principal: those the files describe and those only referenced by edges.
    public let principals: [Principal]
    /// Edge sources, targets and kinds, sorted by (source, target, kind).
    public let edgeSources: ContiguousArray<Int32>
    public let edgeTargets: ContiguousArray<Int32>
    public let edgeKinds: ContiguousArray<EdgeKind>
    /// Problems found while reading, in file order.
    public let diagnostics: [Diagnostic]
    /// What each collector file contributed.
    public let files: [CollectorFileSummary]
    /// Time spent in each phase of loading.
    public internal(set) var timings: [PhaseTiming]

    let ids: IDTable
    /// `outStart[p]..<outStart[p + 1]` are `p`'s outgoing edges.
    let outStart: ContiguousArray<Int>
    /// `inEdges[inStart[p]..<inStart[p + 1]]` are the indices of `p`'s incoming edges.
    let inStart: ContiguousArray<Int>
    let inEdges: ContiguousArray<Int32>
    let properties: PropertyStore
    var tierZeroReasons: [Int32: TierZeroReason]

    init(principals: [Principal], ids: IDTable, sources: ContiguousArray<Int32>, targets: ContiguousArray<Int32>,
         kinds: ContiguousArray<EdgeKind>, properties: PropertyStore, tierZero: [Int32: TierZeroReason],
         diagnostics: [Diagnostic], files: [CollectorFileSummary], timings: [PhaseTiming]) {
        self.principals = principals
        self.ids = ids
        self.edgeSources = sources
        self.edgeTargets = targets
        self.edgeKinds = kinds
        self.properties = properties
        self.tierZeroReasons = tierZero
        self.diagnostics = diagnostics
        self.files = files
        self.timings = timings
        let adjacency = Adjacency(sources: sources, targets: targets, nodeCount: principals.count)
        outStart = adjacency.outStart
        inStart = adjacency.inStart
        inEdges = adjacency.inEdges
    }

    public var principalCount: Int { principals.count }
    public var edgeCount: Int { edgeSources.count }

    /// The number of the principal whose `ObjectIdentifier` is `id` (exactly as the input spells it).
    public func index(of id: String) -> Int32? { ids[id: id] }

    /// The principal whose `ObjectIdentifier` is `id`.
    public func principal(_ id: String) -> Principal? { ids[id: id].map { principals[Int($0)] } }

    public subscript(_ index: Int32) -> Principal { principals[Int(index)] }

    /// The edge at position `e` of the edge arrays.
    public func edge(_ e: Int) -> Edge { Edge(source: edgeSources[e], target: edgeTargets[e], kind: edgeKinds[e]) }

    /// Positions of `p`'s outgoing edges in the edge arrays.
    public func outgoing(_ p: Int32) -> Range<Int> { outStart[Int(p)]..<outStart[Int(p) + 1] }

    /// Positions of `p`'s incoming edges in the edge arrays.
    public func incoming(_ p: Int32) -> ArraySlice<Int32> { inEdges[inStart[Int(p)]..<inStart[Int(p) + 1]] }

    /// Whether the graph has the edge `source -kind-> target` (ids as in the input).
    public func hasEdge(from source: String, _ kind: EdgeKind, to target: String) -> Bool {
        guard let s = ids[id: source], let t = ids[id: target] else { return false }
        return outgoing(s).contains { edgeTargets[$0] == t && edgeKinds[$0] == kind }
    }

    /// The edges leaving the principal `id`.
    public func edges(from id: String) -> [Edge] {
        guard let p = ids[id: id] else { return [] }
        return outgoing(p).map(edge)
    }

    /// The edges reaching the principal `id`.
    public func edges(to id: String) -> [Edge] {
        guard let p = ids[id: id] else { return [] }
        return incoming(p).map { edge(Int($0)) }
    }

    /// How many edges of `kind` there are.
    public func edgeCount(of kind: EdgeKind) -> Int { edgeKinds.reduce(0) { $0 + ($1 == kind ? 1 : 0) } }

    /// How many distinct objects of `kind` the files describe, in `domain` (any case) or in all.
    public func count(of kind: PrincipalKind, in domain: String? = nil) -> Int {
        let d = domain?.uppercased()
        return principals.reduce(0) { $0 + ($1.collected && $1.kind == kind && (d == nil || $1.domain == d) ? 1 : 0) }
    }

    /// The domains the files describe objects of (upper-cased DNS names), sorted.
    public var domains: [String] {
        Set(principals.lazy.filter { $0.collected && !$0.domain.isEmpty }.map(\.domain)).sorted()
    }

    /// The principal's `Properties` object as the files gave it (several descriptions merged,
    /// later keys winning); nil for principals only referenced.
    public func properties(of p: Int32) -> JSONValue? { properties.value(of: p) }

    /// Whether `p` is Tier Zero (see ``TierZeroReason`` and docs/identity.md).
    public func isTierZero(_ p: Int32) -> Bool { tierZeroReasons[p] != nil }

    /// Why `p` is Tier Zero, or nil when it is not.
    public func tierZeroReason(_ p: Int32) -> TierZeroReason? { tierZeroReasons[p] }

    /// Every Tier Zero principal, in index order.
    public var tierZero: [Int32] { tierZeroReasons.keys.sorted() }
}

/// Raw `Properties` objects, compacted, one or more per principal (one per description).
struct PropertyStore: Sendable {
    struct Chunk: Sendable {
        var start: Int
        var count: Int
        var next: Int32
    }

    var bytes: [UInt8] = []
    var chunks: [Chunk] = []
    var head: [Int32] = []
    var tail: [Int32] = []

    mutating func grow(to n: Int) {
        while head.count < n {
            head.append(-1)
            tail.append(-1)
        }
    }

    mutating func append(_ p: Int32, _ slice: ArraySlice<UInt8>) {
        guard !slice.isEmpty else { return }
        let c = Int32(chunks.count)
        chunks.append(Chunk(start: bytes.count, count: slice.count, next: -1))
        bytes.append(contentsOf: slice)
        if tail[Int(p)] >= 0 { chunks[Int(tail[Int(p)])].next = c } else { head[Int(p)] = c }
        tail[Int(p)] = c
    }

    func value(of p: Int32) -> JSONValue? {
        guard Int(p) < head.count else { return nil }
        var c = head[Int(p)]
        var merged: [(String, JSONValue)]?
        while c >= 0 {
            let chunk = chunks[Int(c)]
            if let value = try? JSONParser.parse(Array(bytes[chunk.start..<(chunk.start + chunk.count)])), case .object(let members) = value {
                if var m = merged {
                    for (k, v) in members {
                        if let at = m.firstIndex(where: { $0.0 == k }) { m[at].1 = v } else { m.append((k, v)) }
                    }
                    merged = m
                } else {
                    merged = members
                }
            }
            c = chunk.next
        }
        return merged.map { .object($0) }
    }
}
