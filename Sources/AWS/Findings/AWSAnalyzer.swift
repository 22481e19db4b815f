import BulwarkModel
import PacketSpace

extension AWSEstate {
    /// Every finding, ordered by severity (most severe first), then file position.
    public func findings(options: AWSAnalysisOptions = AWSAnalysisOptions()) -> [AWSFinding] {
        var out: [AWSFinding] = []
        var interfacesPerVPC: [String: Int] = [:]
        for i in interfaces { interfacesPerVPC[i.vpcId ?? "", default: 0] += 1 }
        for group in securityGroups {
            out += worldOpenAdministration(group, options: options)
            out += subsumedRules(group)
            out += broadReferences(group, options: options, vpcInterfaces: group.vpcId.map { interfacesPerVPC[$0] ?? 0 } ?? interfaces.count)
        }
        out += unusedGroups()
        return out.sorted { a, b in
            a.severity != b.severity ? a.severity > b.severity
                : (a.location.file, a.location.line, a.location.column ?? 0, a.id) < (b.location.file, b.location.line, b.location.column ?? 0, b.id)
        }
    }

    /// The content of a permission, for stable ids (positions move when a file is edited; content does not).
    private func signature(_ p: SecurityGroupPermission) -> String {
        "\(p.direction.rawValue) \(p.protocolText) \(p.fromPort.map(String.init) ?? "-") \(p.toPort.map(String.init) ?? "-") "
            + p.peers.map(\.description).sorted().joined(separator: ",")
    }

    /// Why findings that depend on which interfaces carry which groups may be incomplete.
    private var inventoryReasons: [String] {
        loaded.contains(.networkInterfaces) ? []
            : ["no describe-network-interfaces export: groups on interfaces that are not instances' (load balancers, Lambda, RDS, endpoints …) are not seen"]
    }

    // MARK: - Administrative services open to the world

    /// An ingress permission whose peers together cover every IPv4 address or every IPv6 address
    /// (`0.0.0.0/0`, `::/0`, or blocks that add up to them) and whose protocol and ports include an
    /// administrative service.
    func worldOpenAdministration(_ group: SecurityGroup, options: AWSAnalysisOptions) -> [AWSFinding] {
        var out: [AWSFinding] = []
        for p in group.ingress {
            guard let service = p.service.assumed else { continue }
            var assumed = AddressSet.empty
            var certain = AddressSet.empty
            var reasons = p.serviceReasons
            for peer in p.peers {
                let (levels, why) = addresses(of: peer, in: group)
                assumed = assumed.union(levels.assumed)
                certain = certain.union(levels.certain)
                if levels.certain != levels.assumed { reasons += why }
            }
            let families = AddressFamily.allCases.filter { AddressSet.everything[$0].isSubset(of: assumed[$0]) }
            guard !families.isEmpty else { continue }
            let exposed = options.administrativeServices.filter {
                service.contains(protocolNumber: $0.protocolNumber, destinationPort: $0.port, icmpType: 0, icmpCode: 0)
            }
            guard !exposed.isEmpty else { continue }
            let sure = families.allSatisfy { AddressSet.everything[$0].isSubset(of: certain[$0]) }
                && exposed.allSatisfy { p.service.certain?.contains(protocolNumber: $0.protocolNumber, destinationPort: $0.port, icmpType: 0, icmpCode: 0) ?? false }
            let world = families.map { f in
                p.peers.compactMap { if case .cidr(let c) = $0, c.family == f, c.isEverything { c.text } else { nil } }.first
                    ?? "all of \(f == .ipv4 ? "IPv4" : "IPv6") (several blocks)"
            }.joined(separator: " and ")
            let severity: Severity = service.protocolNumber == nil ? .critical : exposed.map(\.severity).max() ?? .high
            let via = service.protocolNumber == nil ? "all traffic (IpProtocol -1), which includes " : "\(service), which includes "
            let names = exposed.count > 6 ? exposed.prefix(6).map(\.awsLabel).joined(separator: ", ") + " and \(exposed.count - 6) more"
                : exposed.map(\.awsLabel).joined(separator: ", ")
            out.append(AWSFinding(
                id: StableID.make("aws", [AWSFindingKind.adminPortOpenToWorld.rawValue, group.id, signature(p)]),
                kind: .adminPortOpenToWorld, severity: severity, groupId: group.id, permission: p.locator, location: p.locator.location,
                message: "\(p.locator) lets \(world) reach \(via)\(names)",
                fix: "Limit the source to the administrators' or applications' addresses, or to a security group (a bastion, the application tier); reach instances through Session Manager or a VPN instead of opening the port to the internet",
                inexactReasons: sure ? [] : unique(reasons)))
        }
        return out
    }

    // MARK: - Subsumed rules

    /// One peer of one permission: what AWS calls a security group rule.
    private struct Rule {
        var permission: SecurityGroupPermission
        var peerIndex: Int
        var term: PeerTerm
        var label: String { "\(permission.locator) (\(permission.service.assumed?.description ?? "nothing") \(permission.direction == .ingress ? "from" : "to") \(term.peer))" }
    }

    /// A rule whose packets another rule of the same group and direction allows too. Rules are
    /// compared as products of their protocol-and-port part and their addresses. A group reference is
    /// only compared with a reference to the same group or with an address block holding all its
    /// members; an address block is never said to be covered by a group whose members happen to hold it.
    func subsumedRules(_ group: SecurityGroup) -> [AWSFinding] {
        var out: [AWSFinding] = []
        for direction in TrafficDirection.allCases {
            let rules = group.permissions(direction).flatMap { p in
                terms(of: p, in: group).enumerated().map { Rule(permission: p, peerIndex: $0.offset, term: $0.element) }
            }
            for (a, rule) in rules.enumerated() {
                guard let service = rule.term.service.assumed, !rule.term.addresses.assumed.isEmpty else { continue }
                var covering: [(Int, Bool)] = []
                for (b, other) in rules.enumerated() where b != a && comparable(rule.term.peer, other.term.peer) {
                    let sure = (rule.term.service.possible.map { s in other.term.service.certain.map { s.isSubset(of: $0) } ?? false } ?? true)
                        && rule.term.addresses.possible.isSubset(of: other.term.addresses.certain)
                    let assumed = other.term.service.assumed.map { service.isSubset(of: $0) } ?? false
                        && rule.term.addresses.assumed.isSubset(of: other.term.addresses.assumed)
                    guard sure || assumed else { continue }
                    // Of two equal rules, only the later one is reported.
                    let mutual = (other.term.service.assumed.map { s in service.isSubset(of: s) && s.isSubset(of: service) } ?? false)
                        && other.term.addresses.assumed == rule.term.addresses.assumed
                    if mutual && b > a { continue }
                    covering.append((b, sure))
                }
                guard !covering.isEmpty else { continue }
                let sure = covering.contains { $0.1 }
                let coverers = covering.map { rules[$0.0] }
                var note = ""
                if case .group(let ref) = rule.term.peer, let first = coverers.first, case .cidr(let c) = first.term.peer {
                    note = ", as long as the members of \(ref.groupId) stay inside \(c.text)"
                }
                let reasons = sure ? [] : unique(rule.term.reasons + coverers.flatMap(\.term.reasons))
                out.append(AWSFinding(
                    id: StableID.make("aws", [AWSFindingKind.subsumedPermission.rawValue, group.id, signature(rule.permission), rule.term.peer.description]),
                    kind: .subsumedPermission, severity: .low, groupId: group.id, permission: rule.permission.locator,
                    location: rule.permission.locator.location,
                    message: "\(rule.label) is subsumed by \(coverers.map(\.label).joined(separator: "; "))\(note): deleting it changes no packet's fate",
                    fix: rule.permission.peers.count > 1 ? "Remove \(rule.term.peer) from the permission" : "Remove the permission",
                    inexactReasons: reasons, related: coverers.map(\.permission.locator)))
            }
        }
        return out
    }

    /// Whether a rule with peer `a` may be reported as covered by a rule with peer `b`.
    private func comparable(_ a: PermissionPeer, _ b: PermissionPeer) -> Bool {
        switch (a, b) {
        case (.group(let x), .group(let y)): x.groupId == y.groupId
        case (_, .group): false
        default: true
        }
    }

    // MARK: - Unused groups

    /// Groups no known interface carries. Not checked at all when neither instances nor network
    /// interfaces were loaded (every group would look unused). A VPC's default group cannot be
    /// deleted and often carries nothing: it is reported as `info`, as a reminder that it should allow
    /// nothing (CIS AWS Foundations 5.4) when it still has permissions.
    func unusedGroups() -> [AWSFinding] {
        guard loaded.contains(.instances) || loaded.contains(.networkInterfaces) else { return [] }
        // The permissions of other groups that name each group.
        var naming: [String: [PermissionLocator]] = [:]
        for g in securityGroups {
            for p in g.ingress + g.egress {
                let named = Set(p.peers.compactMap { if case .group(let r) = $0, r.groupId != g.id { r.groupId } else { nil } })
                for id in named { naming[id, default: []].append(p.locator) }
            }
        }
        var out: [AWSFinding] = []
        for group in securityGroups where memberCount(of: group.id) == 0 {
            let referrers = naming[group.id] ?? []
            var message = "\(group.id)\(group.name.map { " (\($0))" } ?? "") is attached to no known instance or network interface"
            if !referrers.isEmpty {
                message += "; \(referrers.map(\.description).joined(separator: ", ")) name\(referrers.count == 1 ? "s" : "") it, and so admit no known interface"
            }
            let rules = group.ingress.count + group.egress.count
            let fix: String
            if group.isDefault {
                message += rules > 0 ? ". It is the VPC's default group and still has \(group.ingress.count) ingress and \(group.egress.count) egress permissions" : ""
                fix = rules > 0 ? "Remove the default group's permissions so that anything launched into it by mistake is isolated (CIS AWS Foundations 5.4)"
                    : "Nothing to do: a VPC's default group cannot be deleted"
            } else {
                fix = referrers.isEmpty ? "Delete the group if nothing is meant to use it" : "Delete the group and the permissions that name it, or attach it where it was meant to be"
            }
            out.append(AWSFinding(
                id: StableID.make("aws", [AWSFindingKind.unusedGroup.rawValue, group.id, group.name ?? ""]),
                kind: .unusedGroup, severity: group.isDefault ? .info : .low, groupId: group.id, permission: nil, location: group.location,
                message: message, fix: fix, inexactReasons: inventoryReasons, related: referrers))
        }
        return out
    }

    // MARK: - Broad references

    /// Peers that admit far more than a least-privilege rule would:
    /// 1. a reference to the VPC's default group from another group: every interface launched without
    ///    an explicit group joins it, so the permission admits whatever is launched carelessly;
    /// 2. a reference (not to the group itself) to a group with at least `broadGroupMinimumMembers`
    ///    members that are at least `broadGroupShare` of the known interfaces in the VPC: the rule is
    ///    close to "the whole VPC", not to the callers that need the service;
    /// 3. a private address block (RFC 1918, RFC 6598, fc00::/7) that strictly contains every block of
    ///    the group's VPC: it admits addresses outside the VPC (peered VPCs, VPNs, other accounts)
    ///    on top of all of it, while the VPC's own block, or the callers' group, would do.
    func broadReferences(_ group: SecurityGroup, options: AWSAnalysisOptions, vpcInterfaces: Int) -> [AWSFinding] {
        var out: [AWSFinding] = []
        let vpcBlocks = group.vpcId.flatMap { vpc(id: $0) }?.addresses
        for p in group.ingress + group.egress {
            for peer in p.peers {
                var finding: (criterion: String, message: String, fix: String, severity: Severity, reasons: [String])?
                switch peer {
                case .group(let ref) where ref.groupId != group.id:
                    let members = memberCount(of: ref.groupId)
                    if let target = self.group(id: ref.groupId), target.isDefault {
                        finding = ("default-group", "\(p.locator) names \(ref.groupId), the VPC's default group: every interface launched without a group of its own joins it",
                                   "Name a dedicated group for the callers that need \(p.service.assumed?.description ?? "the service")", .medium, [])
                    } else if members >= options.broadGroupMinimumMembers, Double(members) >= options.broadGroupShare * Double(vpcInterfaces) {
                        finding = ("large-group", "\(p.locator) names \(ref.groupId), which \(members) of the \(vpcInterfaces) known interfaces of the VPC carry: nearly the whole VPC",
                                   "Name a group that only the callers of \(p.service.assumed?.description ?? "the service") carry", .medium, inventoryReasons)
                    }
                case .cidr(let c) where !c.isEverything:
                    guard let vpcBlocks, !vpcBlocks[c.family].isEmpty else { continue }
                    let block = AddressSet(c)
                    if vpcBlocks[c.family].isSubset(of: block[c.family]), vpcBlocks[c.family] != block[c.family], block.isSubset(of: AddressSet.privateRanges) {
                        let vpcText = vpc(id: group.vpcId!)!.cidrBlocks.filter { $0.family == c.family }.map(\.text).joined(separator: ", ")
                        finding = ("broader-than-vpc", "\(p.locator) admits \(c.text), which holds all of the VPC (\(vpcText)) and \(block[c.family].count - vpcBlocks[c.family].count) addresses outside it",
                                   "Narrow \(c.text) to \(vpcText), or to the group of the callers", .low, [])
                    }
                default:
                    break
                }
                guard let f = finding else { continue }
                out.append(AWSFinding(
                    id: StableID.make("aws", [AWSFindingKind.broadReference.rawValue, group.id, signature(p), peer.description, f.criterion]),
                    kind: .broadReference, severity: f.severity, groupId: group.id, permission: p.locator, location: p.locator.location,
                    message: f.message, fix: f.fix, inexactReasons: f.reasons))
            }
        }
        return out
    }
}
