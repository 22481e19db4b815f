/// The edges BloodHound CE derives after ingest: well-known memberships, DCSync and
/// SyncLAPSPassword from pairs of replication rights, and the certificate-services chain.
extension GraphBuilder {
    /// CE's well-known links for each collected domain: Domain Users and Domain Computers are
    /// members of Authenticated Users, which is a member of Everyone (and so is Guest). Missing
    /// groups are added as referenced groups, as CE creates them.
    mutating func linkWellKnownGroups() {
        let domains = principals.indices.filter { principals[$0].kind == .domain && principals[$0].collected }
        for d in domains {
            let sid = principals[d].id
            let name = principals[d].name.isEmpty ? principals[d].domain : principals[d].name.uppercased()
            guard !name.isEmpty, sid.hasPrefix("S-1-") else { continue }
            func group(_ id: String, _ label: String) -> Int32 {
                let p = principalIndex(id, kind: .group, name: "\(label)@\(name)")
                if !principals[Int(p)].collected {
                    if principals[Int(p)].kind == .base { principals[Int(p)].kind = .group }
                    if principals[Int(p)].name.isEmpty { principals[Int(p)].name = "\(label)@\(name)" }
                    if principals[Int(p)].domain.isEmpty { principals[Int(p)].domain = name }
                }
                return p
            }
            let everyone = group("\(name)-S-1-1-0", "EVERYONE")
            let authenticated = group("\(name)-S-1-5-11", "AUTHENTICATED USERS")
            let users = group("\(sid)-513", "DOMAIN USERS")
            let computers = group("\(sid)-515", "DOMAIN COMPUTERS")
            addEdge(users, authenticated, .memberOf)
            addEdge(computers, authenticated, .memberOf)
            addEdge(authenticated, everyone, .memberOf)
            if let guest = ids[id: "\(sid)-501"] { addEdge(guest, everyone, .memberOf) }
        }
        properties.grow(to: principals.count)
    }

    /// Group membership in compressed rows: the members of each group, the groups of each member.
    struct Membership {
        var memberStart: [Int32], members: [Int32]
        var groupStart: [Int32], groups: [Int32]

        func members(of g: Int) -> ArraySlice<Int32> { members[Int(memberStart[g])..<Int(memberStart[g + 1])] }
        func groups(of m: Int) -> ArraySlice<Int32> { groups[Int(groupStart[m])..<Int(groupStart[m + 1])] }
    }

    func membership() -> Membership {
        let n = principals.count
        var pairs: [(member: Int32, group: Int32)] = []
        for e in packed where EdgeKind(rawValue: UInt8(e & 0xFF)) == .memberOf {
            pairs.append((Int32(e >> 36), Int32((e >> 8) & 0x0FFF_FFFF)))
        }
        func rows(_ key: (Int32, Int32) -> Int32, _ value: (Int32, Int32) -> Int32) -> ([Int32], [Int32]) {
            var start = [Int32](repeating: 0, count: n + 1)
            for p in pairs { start[Int(key(p.member, p.group)) + 1] += 1 }
            for i in 0..<n { start[i + 1] += start[i] }
            var fill = start
            var list = [Int32](repeating: 0, count: pairs.count)
            for p in pairs {
                let k = Int(key(p.member, p.group))
                list[Int(fill[k])] = value(p.member, p.group)
                fill[k] += 1
            }
            return (start, list)
        }
        let (memberStart, members) = rows({ $1 }, { m, _ in m })
        let (groupStart, groups) = rows({ m, _ in m }, { $1 })
        return Membership(memberStart: memberStart, members: members, groupStart: groupStart, groups: groups)
    }

    /// Principals that hold every one of `requirements` (sets of principals holding one right
    /// each), directly or through nested groups, reported at the first group where they meet —
    /// CE's `CalculateCrossProductNodeSets`: a member of a group that qualifies gets no edge of
    /// its own. A set holding Everyone or Authenticated Users is met by everybody and drops out.
    func crossProduct(_ requirements: [[Int32]], _ m: Membership) -> [Int32] {
        let everybody = requirements.map { set in set.contains { isEverybody(principals[Int($0)].id) } }
        let active = requirements.indices.filter { !everybody[$0] && !requirements[$0].isEmpty }
        guard !active.isEmpty, requirements.allSatisfy({ !$0.isEmpty }) else { return [] }
        var count = [UInt8](repeating: 0, count: principals.count)
        var seen = [Int](repeating: -1, count: principals.count)
        for (round, r) in active.enumerated() {
            var stack = requirements[r]
            while let x = stack.popLast() {
                guard seen[Int(x)] != round else { continue }
                seen[Int(x)] = round
                count[Int(x)] += 1
                stack.append(contentsOf: m.members(of: Int(x)))
            }
        }
        let need = UInt8(active.count)
        var out: [Int32] = []
        for x in count.indices where count[x] == need {
            if !m.groups(of: x).contains(where: { count[Int($0)] == need }) { out.append(Int32(x)) }
        }
        return out
    }

    private func isEverybody(_ id: String) -> Bool {
        id.hasSuffix("-S-1-1-0") || id.hasSuffix("-S-1-5-11") || id == "S-1-1-0" || id == "S-1-5-11"
    }

    /// DCSync (GetChanges + GetChangesAll on a domain) and SyncLAPSPassword (GetChanges +
    /// GetChangesInFilteredSet on a domain, to each of its computers with LAPS).
    mutating func deriveReplicationEdges() {
        var holders: [Int32: [EdgeKind: [Int32]]] = [:]
        for e in packed {
            guard let k = EdgeKind(rawValue: UInt8(e & 0xFF)), k == .getChanges || k == .getChangesAll || k == .getChangesInFilteredSet else { continue }
            let s = Int32(e >> 36), t = Int32((e >> 8) & 0x0FFF_FFFF)
            guard principals[Int(t)].kind == .domain else { continue }
            holders[t, default: [:]][k, default: []].append(s)
        }
        guard !holders.isEmpty else { return }
        let m = membership()
        var lapsComputers: [String: [Int32]] = [:]
        for (i, p) in principals.enumerated() where p.kind == .computer && p.flags.contains(.hasLAPS) {
            if let sid = p.domainSID { lapsComputers[sid, default: []].append(Int32(i)) }
        }
        for (domain, rights) in holders.sorted(by: { $0.key < $1.key }) {
            let changes = rights[.getChanges] ?? []
            for p in crossProduct([changes, rights[.getChangesAll] ?? []], m) { addEdge(p, domain, .dcSync) }
            let computers = lapsComputers[principals[Int(domain)].id] ?? []
            if !computers.isEmpty {
                for p in crossProduct([changes, rights[.getChangesInFilteredSet] ?? []], m) {
                    for c in computers { addEdge(p, c, .syncLAPSPassword) }
                }
            }
        }
    }

    /// The certificate-services edges CE derives from thumbprints, then GoldenCert.
    ///
    /// - TrustedForNTAuth: enterprise CA → NTAuth store that lists its thumbprint.
    /// - IssuedSignedBy: enterprise or root CA → the enterprise or root CA whose thumbprint is the
    ///   second link of its chain.
    /// - EnterpriseCAFor: enterprise CA → root CA with the same thumbprint.
    /// - GoldenCert: host of an enterprise CA → each domain whose NTAuth store trusts the CA and
    ///   one of whose root CAs it chains up to.
    mutating func deriveCertificateEdges() {
        guard !certificates.isEmpty else { return }
        var enterpriseByThumbprint: [String: [Int32]] = [:], rootByThumbprint: [String: [Int32]] = [:]
        for (p, c) in certificates {
            guard let t = c.thumbprint, !t.isEmpty else { continue }
            switch principals[Int(p)].kind {
            case .enterpriseCA: enterpriseByThumbprint[t, default: []].append(p)
            case .rootCA: rootByThumbprint[t, default: []].append(p)
            default: break
            }
        }
        var derived: [(Int32, Int32, EdgeKind)] = []
        for (p, c) in certificates.sorted(by: { $0.key < $1.key }) {
            switch principals[Int(p)].kind {
            case .ntAuthStore:
                for t in c.thumbprints { for e in enterpriseByThumbprint[t] ?? [] { derived.append((e, p, .trustedForNTAuth)) } }
            case .enterpriseCA, .rootCA:
                if c.chain.count > 1 {
                    let parent = c.chain[1]
                    for q in (enterpriseByThumbprint[parent] ?? []) + (rootByThumbprint[parent] ?? []) { derived.append((p, q, .issuedSignedBy)) }
                }
                if principals[Int(p)].kind == .enterpriseCA, let t = c.thumbprint {
                    for r in rootByThumbprint[t] ?? [] { derived.append((p, r, .enterpriseCAFor)) }
                }
            default:
                break
            }
        }
        for (s, t, k) in derived { addEdge(s, t, k) }

        // GoldenCert needs the chain: follow IssuedSignedBy and EnterpriseCAFor up to root CAs.
        var up: [Int32: [Int32]] = [:], ntAuthOf: [Int32: [Int32]] = [:], ntAuthFor: [Int32: [Int32]] = [:]
        var rootFor: [Int32: [Int32]] = [:], hosts: [Int32: [Int32]] = [:]
        for (s, t, k) in derived {
            if k == .issuedSignedBy || k == .enterpriseCAFor { up[s, default: []].append(t) }
            if k == .trustedForNTAuth { ntAuthOf[s, default: []].append(t) }
        }
        for e in packed {
            let s = Int32(e >> 36), t = Int32((e >> 8) & 0x0FFF_FFFF)
            switch EdgeKind(rawValue: UInt8(e & 0xFF)) {
            case .ntAuthStoreFor: ntAuthFor[s, default: []].append(t)
            case .rootCAFor: rootFor[s, default: []].append(t)
            case .hostsCAService: hosts[t, default: []].append(s)
            default: break
            }
        }
        for eca in enterpriseByThumbprint.values.joined().sorted() {
            let trustedBy = Set((ntAuthOf[eca] ?? []).flatMap { ntAuthFor[$0] ?? [] })
            guard !trustedBy.isEmpty, let computers = hosts[eca] else { continue }
            var seen: Set<Int32> = [eca], stack = [eca], rootDomains = Set<Int32>()
            while let x = stack.popLast() {
                if principals[Int(x)].kind == .rootCA { rootDomains.formUnion(rootFor[x] ?? []) }
                for y in up[x] ?? [] where seen.insert(y).inserted { stack.append(y) }
            }
            for domain in trustedBy.intersection(rootDomains).sorted() {
                for c in computers { addEdge(c, domain, .goldenCert) }
            }
        }
    }
}
