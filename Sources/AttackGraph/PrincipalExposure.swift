public import Identity

/// Every principal's hops to Tier Zero with one witness, however they were computed: over the
/// identity edges alone (``TierZeroExposure``, BloodHound's count), or in an estate where lateral
/// movement also needs its port reachable.
public struct PrincipalExposure: Sendable {
    /// Hops to Tier Zero by principal index; -1 with no path.
    public let hops: [Int32]
    /// The next node and step of one shortest way, by principal; nil for Tier Zero and no path.
    public let next: [NextStep?]
    /// One shortest way of each principal, as text (`A -MemberOf-> B -AdminTo-> C`).
    public let witness: @Sendable (Int32) -> String
    public let exact: Bool
    public let notes: [String]

    public struct NextStep: Sendable, Hashable {
        /// The next node's id (a principal's object id; in an estate also `zone:NAME` or a host id).
        public var id: String
        /// The step's kind: a BloodHound edge kind, or `StandsIn`.
        public var edge: String
    }

    public init(hops: [Int32], next: [NextStep?], exact: Bool, notes: [String], witness: @escaping @Sendable (Int32) -> String) {
        self.hops = hops
        self.next = next
        self.exact = exact
        self.notes = notes
        self.witness = witness
    }

    /// Over the identity edges alone, exactly as BloodHound counts.
    public init(_ e: TierZeroExposure, in g: IdentityGraph) {
        let search = e.search
        hops = Array(search.distances)
        next = (0..<g.principalCount).map { k in
            let edge = Int(search.edges[k])
            return edge < 0 ? nil : NextStep(id: g[g.edgeTargets[edge]].id, edge: g.edgeKinds[edge].name)
        }
        exact = true
        notes = []
        witness = { p in
            let path = search.path(p, in: g)
            guard let first = path.first else { return "" }
            var s = g[g.edgeSources[first]].name
            for edge in path { s += " -\(g.edgeKinds[edge].name)-> " + g[g.edgeTargets[edge]].name }
            return s
        }
    }

    /// BloodHound Enterprise's exposure over these distances (see ``TierZeroExposure/exposure(in:)``).
    public func exposure(in g: IdentityGraph) -> TierZeroExposure.Exposure {
        TierZeroExposure.Exposure(g) { hops[$0] }
    }
}

extension AttackGraph {
    /// Every principal's hops to Tier Zero over the identity steps, where lateral movement also needs
    /// its port reachable from a zone the attacker stands in. The attacker starts with the principal
    /// alone, plus, for a user, the zones of the hosts where the user has a session (where its
    /// credentials are used); a host's own zone comes with it. One search from each principal that
    /// has a way over the identity edges at all (stopping at the nearest Tier Zero); nil when that
    /// would be more than `maxWork` edge visits, estimated as principals × edges.
    public func tierZeroExposureWithPorts(oracle: ConditionOracle, maxWork: Double = 2e9, usable steps: (Int) -> Bool = { _ in true }) -> PrincipalExposure? {
        guard let g = identity else { return nil }
        let identityOnly = identityDistances(steps)
        let candidates = (0..<g.principalCount).filter { identityOnly[$0] > 0 }
        guard Double(candidates.count) * Double(max(edgeCount, 1)) <= maxWork else { return nil }
        var hops = identityOnly.map { $0 == 0 ? Int32(0) : -1 }
        var next = [PrincipalExposure.NextStep?](repeating: nil, count: g.principalCount)
        var paths: [Int32: [(edge: Int, position: Int32)]] = [:]
        var exact = true
        let tierZero = Set(g.tierZero)
        let usable: (Int) -> Bool = { e in
            switch self.step(ofEdge: e).kind {
            case .identity, .position: steps(e)
            default: false
            }
        }
        for p in candidates {
            var start = [Int32(p)]
            for s in g.incoming(Int32(p)) where g.edgeKinds[Int(s)] == .hasSession && g[Int32(p)].kind == .user {
                let z = nodes[Int(g.edgeSources[Int(s)])].zone
                if z >= 0, let zn = zoneNodes.first(where: { nodes[Int($0)].zone == z }), !start.contains(zn) { start.append(zn) }
            }
            let search = AttackSearch(self, from: start, metric: .hops, oracle: oracle, stopAt: { tierZero.contains($0) }, usable: usable)
            guard let reached = search.order.last, tierZero.contains(reached) else { continue }
            hops[p] = Int32(search.costs[Int(reached)])
            let path = search.path(to: reached, in: self)
            paths[Int32(p)] = path.map { ($0, search.position[Int(edgeTargets[$0])]) }
            if let first = path.first(where: { if case .position = step(ofEdge: $0).kind { return false } else { return true } }) {
                next[p] = .init(id: nodes[Int(edgeTargets[first])].id, edge: AttackGraph.stepName(step(ofEdge: first).kind))
            }
            exact = exact && search.exactConditions[Int(reached)]
        }
        let frozen = paths
        return PrincipalExposure(hops: hops, next: next, exact: exact,
                                 notes: ["lateral movement (AdminTo, CanRDP, CanPSRemote, ExecuteDCOM) counts only where its port is reachable from a zone the attacker stands in: a user's start is its sessions' zones, a host's its own"],
                                 witness: { [self] p in
                                     guard let path = frozen[p], let first = path.first else { return "" }
                                     var s = nodes[Int(edgeSources[first.edge])].name
                                     for (e, position) in path {
                                         let st = pathStep(e, position: position)
                                         s += " -\(st.step)-> " + st.to.name + (st.needs.map { " [\($0)]" } ?? "")
                                     }
                                     return s
                                 })
    }
}
