public import Identity

/// How far every principal of an identity graph is from Tier Zero, over BloodHound's traversable
/// edges, with one shortest witness path each.
///
/// Hops are counted as BloodHound's shortest-path search counts them: the number of edges of the
/// shortest directed path from the principal to any Tier Zero principal, using only the edges CE
/// lists in `PathfindingRelationships` (``EdgeKind/isTraversable``). Tier Zero principals are at 0;
/// a principal with no such path has no distance. One breadth-first search backwards from all Tier
/// Zero principals at once gives every distance, so the cost is linear in the edges.
///
/// ```swift
/// let exposure = TierZeroExposure(graph)
/// if let alice = graph.index(of: sid), let hops = exposure.hops(alice) {
///     print(hops, exposure.path(from: alice, in: graph).map { graph.edge($0) })
/// }
/// ```
public struct TierZeroExposure: Sendable {
    /// The backward search from Tier Zero.
    public let search: IdentitySearch

    /// Distances to Tier Zero as the graph marks it.
    public init(_ graph: IdentityGraph) {
        self.init(graph, to: graph.tierZero)
    }

    /// Distances to `targets` (principal indices), over traversable edges.
    public init(_ graph: IdentityGraph, to targets: [Int32]) {
        search = IdentitySearch(graph, from: targets)
    }

    /// Hops from `p` to Tier Zero, or nil when no path leads there.
    public func hops(_ p: Int32) -> Int? { search.hops(p) }

    /// The edges (positions in the graph's edge arrays) of one shortest path from `p` to Tier Zero,
    /// in order; empty for Tier Zero principals and for those with no path.
    public func path(from p: Int32, in graph: IdentityGraph) -> [Int] { search.path(p, in: graph) }

    /// How many principals have a path (Tier Zero included).
    public var reachingCount: Int { search.order.count }

    /// BloodHound Enterprise's exposure: of the enabled users and computers the collection describes
    /// that are not Tier Zero themselves, the share with a path to Tier Zero. `enabled` absent counts
    /// as enabled (SharpHound states it for every user and computer it collects).
    public func exposure(in graph: IdentityGraph) -> Exposure {
        Exposure(graph) { search.distances[$0] }
    }

    /// Enabled users and computers with a path to Tier Zero, out of all (Tier Zero left out).
    public struct Exposure: Sendable, Hashable {
        public var eligible: Int
        public var exposed: Int

        public init(eligible: Int, exposed: Int) {
            self.eligible = eligible
            self.exposed = exposed
        }

        /// Counts over `hops` (by principal index; -1 for no path, 0 for Tier Zero).
        public init(_ graph: IdentityGraph, hops: (Int) -> Int32) {
            var eligible = 0, exposed = 0
            for (i, p) in graph.principals.enumerated() where p.collected && (p.kind == .user || p.kind == .computer) && p.enabled != false {
                let d = hops(i)
                guard d != 0 else { continue }
                eligible += 1
                if d > 0 { exposed += 1 }
            }
            self.init(eligible: eligible, exposed: exposed)
        }

        /// The share in percent; nil when there is nobody to count.
        public var percent: Double? { eligible == 0 ? nil : 100 * Double(exposed) / Double(eligible) }
    }
}
