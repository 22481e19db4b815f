import BulwarkModel

extension ExportReader {
    /// `describe-vpcs`.
    mutating func vpcs() throws(AWSLoadError) -> [AWSVPC] {
        var out: [AWSVPC] = []
        for (node, id) in try records(.vpcs, what: "a VPC", idKey: "VpcId") {
            var blocks: [AWSCIDR] = []
            let associations = objects("CidrBlockAssociationSet", of: node, what: "a CIDR block association")
            for a in associations where a.value["CidrBlockState"]?["State"]?.string.map({ $0 == "associated" }) ?? true {
                if case .block(let c) = cidr("CidrBlock", of: a, family: .v4) { blocks.append(c) }
            }
            if associations.isEmpty, case .block(let c) = cidr("CidrBlock", of: node, family: .v4) { blocks.append(c) }
            for a in objects("Ipv6CidrBlockAssociationSet", of: node, what: "an IPv6 CIDR block association")
            where a.value["Ipv6CidrBlockState"]?["State"]?.string.map({ $0 == "associated" }) ?? true {
                if case .block(let c) = cidr("Ipv6CidrBlock", of: a, family: .v6) { blocks.append(c) }
            }
            out.append(AWSVPC(id: id, name: nameTag(of: node), isDefault: bool("IsDefault", of: node) ?? false, cidrBlocks: blocks, location: location(node)))
        }
        return out
    }

    /// `describe-subnets`.
    mutating func subnets() throws(AWSLoadError) -> [AWSSubnet] {
        var out: [AWSSubnet] = []
        for (node, id) in try records(.subnets, what: "a subnet", idKey: "SubnetId") {
            var blocks: [AWSCIDR] = []
            if case .block(let c) = cidr("CidrBlock", of: node, family: .v4) { blocks.append(c) }
            for a in objects("Ipv6CidrBlockAssociationSet", of: node, what: "an IPv6 CIDR block association") {
                if case .block(let c) = cidr("Ipv6CidrBlock", of: a, family: .v6) { blocks.append(c) }
            }
            out.append(AWSSubnet(id: id, vpcId: string("VpcId", of: node), name: nameTag(of: node), cidrBlocks: blocks, location: location(node)))
        }
        return out
    }

    /// `describe-instances`: the instances, and their interfaces.
    mutating func instances() throws(AWSLoadError) -> (instances: [AWSInstance], interfaces: [AWSInterface]) {
        var instances: [AWSInstance] = []
        var interfaces: [AWSInterface] = []
        for reservation in try topLevelArray(AWSInputKind.instances.key) {
            guard case .object = reservation.value else { diagnose(.error, reservation, "expected a reservation (a JSON object) in \"Reservations\"; skipped"); continue }
            for node in objects("Instances", of: reservation, what: "an instance") {
                guard let id = string("InstanceId", of: node, required: true, what: "an instance; skipped") else { continue }
                let state = member("State", of: node).flatMap { $0.value["Name"]?.string }
                if state == "terminated" {
                    diagnose(.note, node, "instance \(id) is terminated: it has no interfaces and is left out")
                    continue
                }
                let instance = AWSInstance(id: id, name: nameTag(of: node), vpcId: string("VpcId", of: node), subnetId: string("SubnetId", of: node),
                                           state: state, publicAddress: string("PublicIpAddress", of: node).flatMap(AWSAddress.init), location: location(node))
                instances.append(instance)
                let attached = objects("NetworkInterfaces", of: node, what: "a network interface")
                if attached.isEmpty {
                    // No interface list: the instance's own fields describe its primary interface.
                    let groups = groupIds(of: node, key: "SecurityGroups")
                    interfaces.append(AWSInterface(id: "\(id)/primary", instanceId: id, subnetId: instance.subnetId, vpcId: instance.vpcId,
                                                   addresses: addresses(of: node), groupIds: groups, interfaceDescription: nil, location: location(node)))
                }
                for eni in attached {
                    if let i = interface(eni, instanceId: id) { interfaces.append(i) }
                }
            }
        }
        return (instances, interfaces)
    }

    /// `describe-network-interfaces`.
    mutating func networkInterfaces() throws(AWSLoadError) -> [AWSInterface] {
        var out: [AWSInterface] = []
        for node in try topLevelArray(AWSInputKind.networkInterfaces.key) {
            guard case .object = node.value else { diagnose(.error, node, "expected a network interface (a JSON object) in \"NetworkInterfaces\"; skipped"); continue }
            let instanceId = member("Attachment", of: node).flatMap { $0.value["InstanceId"]?.string }
            if let i = interface(node, instanceId: instanceId) { out.append(i) }
        }
        return out
    }

    /// A `NetworkInterface` object (either export's shape).
    private mutating func interface(_ node: Node, instanceId: String?) -> AWSInterface? {
        guard let id = string("NetworkInterfaceId", of: node, required: true, what: "a network interface; skipped") else { return nil }
        return AWSInterface(id: id, instanceId: instanceId, subnetId: string("SubnetId", of: node), vpcId: string("VpcId", of: node),
                            addresses: addresses(of: node), groupIds: groupIds(of: node, key: "Groups"),
                            interfaceDescription: string("Description", of: node), location: location(node))
    }

    /// `PrivateIpAddress`, `PrivateIpAddresses[].PrivateIpAddress` and `Ipv6Addresses[].Ipv6Address`, without repeats.
    private mutating func addresses(of node: Node) -> [AWSAddress] {
        var texts: [(String, Node)] = []
        if let m = member("PrivateIpAddress", of: node), let s = m.value.string { texts.append((s, m)) }
        for p in objects("PrivateIpAddresses", of: node, what: "a private address") {
            if let m = member("PrivateIpAddress", of: p), let s = m.value.string { texts.append((s, m)) }
        }
        for p in objects("Ipv6Addresses", of: node, what: "an IPv6 address") {
            if let m = member("Ipv6Address", of: p), let s = m.value.string { texts.append((s, m)) }
        }
        var out: [AWSAddress] = []
        for (text, at) in texts {
            guard let a = AWSAddress(text) else {
                diagnose(.error, at, "'\(text)' is not an IP address")
                continue
            }
            if !out.contains(a) { out.append(a) }
        }
        return out
    }

    /// Group ids of a `Groups` or `SecurityGroups` list.
    private mutating func groupIds(of node: Node, key: String) -> [String] {
        var out: [String] = []
        for g in objects(key, of: node, what: "a group") {
            if let id = string("GroupId", of: g, required: true, what: "a \(key) element"), !out.contains(id) { out.append(id) }
        }
        return out
    }
}
