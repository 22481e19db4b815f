import BulwarkModel

extension ExportReader {
    /// `describe-security-groups`: every group, each permission with its place in the file.
    mutating func securityGroups() throws(AWSLoadError) -> [SecurityGroup] {
        var out: [SecurityGroup] = []
        for (node, id) in try records(.securityGroups, what: "a security group", idKey: "GroupId") {
            var group = SecurityGroup(id: id, name: string("GroupName", of: node), groupDescription: string("Description", of: node),
                                      vpcId: string("VpcId", of: node), ownerId: string("OwnerId", of: node), location: location(node),
                                      ingress: [], egress: [])
            group.ingress = permissions("IpPermissions", of: node, groupId: id, direction: .ingress)
            group.egress = permissions("IpPermissionsEgress", of: node, groupId: id, direction: .egress)
            out.append(group)
        }
        return out
    }

    private mutating func permissions(_ key: String, of group: Node, groupId: String, direction: TrafficDirection) -> [SecurityGroupPermission] {
        array(key, of: group).enumerated().map { index, node in
            permission(node, locator: PermissionLocator(groupId: groupId, direction: direction, index: index, location: location(node)))
        }
    }

    /// One `IpPermission`. A malformed one is kept as matching nothing for sure and anything at most,
    /// so that results touching it are never reported as exact.
    private mutating func permission(_ node: Node, locator: PermissionLocator) -> SecurityGroupPermission {
        guard case .object = node.value else {
            diagnose(.error, node, "expected an IpPermission (a JSON object)")
            return SecurityGroupPermission(locator: locator, protocolText: "", fromPort: nil, toPort: nil,
                                           service: Levels(certain: nil, assumed: nil, possible: .everything),
                                           serviceReasons: ["the permission is not a JSON object"], peers: [.unreadable("not a JSON object")])
        }
        let protocolText = string("IpProtocol", of: node, required: true, what: "an IpPermission")
        let from = int("FromPort", of: node)
        let to = int("ToPort", of: node)
        let service = ServiceReading.securityGroup(protocolText: protocolText, from: from, to: to, reader: &self, at: node)

        var peers: [PermissionPeer] = []
        for (key, cidrKey, family) in [("IpRanges", "CidrIp", AddressFamilyName.v4), ("Ipv6Ranges", "CidrIpv6", .v6)] {
            for range in objects(key, of: node, what: "a range") {
                switch cidr(cidrKey, of: range, family: family) {
                case .block(let c): peers.append(.cidr(c))
                case .malformed(let why): peers.append(.unreadable(why))
                case .absent:
                    diagnose(.error, range, "expected \"\(cidrKey)\" (a string) in an \(key) element")
                    peers.append(.unreadable("\(key) element without \(cidrKey)"))
                }
            }
        }
        for pair in objects("UserIdGroupPairs", of: node, what: "a group pair") {
            guard let id = string("GroupId", of: pair, required: true, what: "a UserIdGroupPairs element") else {
                peers.append(.unreadable("UserIdGroupPairs element without GroupId"))
                continue
            }
            peers.append(.group(GroupReference(groupId: id, userId: string("UserId", of: pair), vpcId: string("VpcId", of: pair),
                                               peeringStatus: string("PeeringStatus", of: pair))))
        }
        for list in objects("PrefixListIds", of: node, what: "a prefix list") {
            guard let id = string("PrefixListId", of: list, required: true, what: "a PrefixListIds element") else {
                peers.append(.unreadable("PrefixListIds element without PrefixListId"))
                continue
            }
            peers.append(.prefixList(id))
        }
        if peers.isEmpty {
            diagnose(.warning, node, "IpPermission names no address range, group or prefix list: it admits nothing")
        }
        if case .number(let p)? = protocolText.flatMap(ServiceReading.ProtocolField.init), p == 1 || p == 58 {
            let other: AddressFamilyName = p == 1 ? .v6 : .v4
            if peers.contains(where: { if case .cidr(let c) = $0 { c.family == other.family } else { false } }) {
                diagnose(.warning, node, "IpProtocol '\(protocolText!)' with \(other.name) ranges: protocol \(p) over \(other.name) is not \(other == .v6 ? "ICMPv6 (use icmpv6)" : "ICMP (use icmp)")")
            }
        }
        return SecurityGroupPermission(locator: locator, protocolText: protocolText ?? "", fromPort: from, toPort: to, service: service.levels,
                                       serviceReasons: service.reasons, peers: peers)
    }
}
