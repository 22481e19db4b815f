import BulwarkModel
import PacketSpace

extension ExportReader {
    /// `describe-network-acls`.
    mutating func networkACLs() throws(AWSLoadError) -> [NetworkACL] {
        var out: [NetworkACL] = []
        for (node, id) in try records(.networkACLs, what: "a network ACL", idKey: "NetworkAclId") {
            let entries = objects("Entries", of: node, what: "an entry").compactMap { entry($0, aclId: id) }
            var seen: [String: NetworkACLEntry] = [:]
            for e in entries {
                let key = "\(e.direction.rawValue) \(e.ruleNumber) \(e.cidr?.family == .ipv6 ? 6 : 4)"
                if let first = seen[key] {
                    diagnostics.append(Diagnostic(.warning, e.location, "rule \(e.ruleNumber) appears twice in the \(e.direction == .ingress ? "inbound" : "outbound") entries of \(id) (first at line \(first.location.line)); both are kept in file order"))
                } else {
                    seen[key] = e
                }
            }
            var subnetIds: [String] = []
            for a in objects("Associations", of: node, what: "an association") {
                if let s = string("SubnetId", of: a, required: true, what: "an association") { subnetIds.append(s) }
            }
            out.append(NetworkACL(id: id, vpcId: string("VpcId", of: node), isDefault: bool("IsDefault", of: node) ?? false,
                                  subnetIds: subnetIds, entries: entries, location: location(node)))
        }
        return out
    }

    /// One entry; an entry without a rule number, direction or action cannot be placed and is skipped.
    private mutating func entry(_ node: Node, aclId: String) -> NetworkACLEntry? {
        let what = "a network ACL entry; skipped"
        guard let number = int("RuleNumber", of: node, required: true, what: what) else { return nil }
        guard let egress = bool("Egress", of: node) else {
            diagnose(.error, node, "expected \"Egress\" (true or false) in a network ACL entry; skipped")
            return nil
        }
        guard let actionText = string("RuleAction", of: node, required: true, what: what) else { return nil }
        guard let action = NetworkACLAction(rawValue: actionText.lowercased()) else {
            diagnose(.error, member("RuleAction", of: node) ?? node, "\"RuleAction\": '\(actionText)' is not allow or deny; entry skipped")
            return nil
        }
        if !(1...32768).contains(number) {
            diagnose(.warning, node, "rule number \(number) is outside 1-32766 (and the default rules 32767, 32768)")
        }
        var reasons: [String] = []
        var block: AWSCIDR?
        var addresses = Levels(certain: AddressSet.empty, assumed: .empty, possible: .everything)
        switch (cidr("CidrBlock", of: node, family: .v4), cidr("Ipv6CidrBlock", of: node, family: .v6)) {
        case (.block(let c), _), (_, .block(let c)):
            block = c
            addresses = Levels(exactly: AddressSet(c))
        case (.malformed(let why), _), (_, .malformed(let why)):
            reasons.append(why)
        case (.absent, .absent):
            diagnose(.error, node, "expected \"CidrBlock\" or \"Ipv6CidrBlock\" in a network ACL entry")
            reasons.append("the entry has no CIDR block")
        }
        var portRange: (from: Int?, to: Int?)?
        if let r = member("PortRange", of: node), case .object = r.value {
            portRange = (int("From", of: r), int("To", of: r))
        }
        var icmp: (type: Int?, code: Int?)?
        if let r = member("IcmpTypeCode", of: node), case .object = r.value {
            icmp = (int("Type", of: r), int("Code", of: r))
        }
        let protocolText = string("Protocol", of: node, required: true, what: "a network ACL entry")
        let service = ServiceReading.networkACL(protocolText: protocolText, portRange: portRange, icmp: icmp, family: block, reader: &self, at: node)
        return NetworkACLEntry(aclId: aclId, ruleNumber: number, direction: egress ? .egress : .ingress, action: action, protocolText: protocolText ?? "",
                               cidr: block, service: service.levels, addresses: addresses, reasons: reasons + service.reasons, location: location(node))
    }
}
