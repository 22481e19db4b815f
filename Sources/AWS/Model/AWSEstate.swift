public import BulwarkModel

/// What Bulwark knows of one AWS account's network: VPCs, subnets, instances and their interfaces,
/// security groups and network ACLs, read from `aws ec2 describe-*` exports.
///
/// Security groups are required; every other export is optional, and what is missing makes the
/// answers that need it inexact (never silently wrong).
public struct AWSEstate: Sendable {
    public let vpcs: [AWSVPC]
    public let subnets: [AWSSubnet]
    public let instances: [AWSInstance]
    public let interfaces: [AWSInterface]
    /// In file order. Group ids are unique in AWS; an export that repeats one keeps every copy (with a
    /// warning), and an interface carrying the id gets the permissions of all of them.
    public let securityGroups: [SecurityGroup]
    public let networkACLs: [NetworkACL]
    public let diagnostics: [Diagnostic]
    /// Which exports were read.
    public let loaded: Set<AWSInputKind>

    private let groupIndex: [String: [Int]]
    private let interfaceIndexByAddress: [AWSAddress: [Int]]
    private let memberAddresses: [String: AddressSet]
    private let memberCounts: [String: Int]
    /// Addresses of every known interface.
    let knownAddresses: AddressSet

    /// An estate from parts already read (tests and synthetic estates use this directly).
    public init(vpcs: [AWSVPC] = [], subnets: [AWSSubnet] = [], instances: [AWSInstance] = [], interfaces: [AWSInterface] = [],
                securityGroups: [SecurityGroup], networkACLs: [NetworkACL] = [], diagnostics: [Diagnostic] = [], loaded: Set<AWSInputKind>) {
        self.vpcs = vpcs
        self.subnets = subnets
        self.instances = instances
        self.securityGroups = securityGroups
        self.networkACLs = networkACLs
        self.loaded = loaded
        // Interfaces without a VPC take their subnet's.
        let subnetVPC = Dictionary(subnets.map { ($0.id, $0.vpcId) }, uniquingKeysWith: { a, _ in a })
        self.interfaces = interfaces.map { i in
            var i = i
            if i.vpcId == nil, let s = i.subnetId { i.vpcId = subnetVPC[s] ?? nil }
            return i
        }
        groupIndex = Dictionary(grouping: securityGroups.indices, by: { securityGroups[$0].id })
        var byAddress: [AWSAddress: [Int]] = [:]
        var members: [String: [AWSAddress]] = [:]
        var counts: [String: Int] = [:]
        for (k, i) in self.interfaces.enumerated() {
            for a in i.addresses { byAddress[a, default: []].append(k) }
            for g in i.groupIds {
                members[g, default: []].append(contentsOf: i.addresses)
                counts[g, default: 0] += 1
            }
        }
        interfaceIndexByAddress = byAddress
        memberAddresses = members.mapValues { AddressSet($0) }
        memberCounts = counts
        knownAddresses = AddressSet(self.interfaces.flatMap(\.addresses))
        self.diagnostics = diagnostics + AWSEstate.consistency(interfaces: self.interfaces, subnets: subnets, groups: securityGroups, loaded: loaded)
    }

    // MARK: - Look-ups

    /// Every group record with this id (one, unless the export repeats it).
    public func groups(id: String) -> [SecurityGroup] { (groupIndex[id] ?? []).map { securityGroups[$0] } }

    public func group(id: String) -> SecurityGroup? { groupIndex[id]?.first.map { securityGroups[$0] } }

    public func instance(id: String) -> AWSInstance? { instances.first { $0.id == id } }

    public func vpc(id: String) -> AWSVPC? { vpcs.first { $0.id == id } }

    public func subnet(id: String) -> AWSSubnet? { subnets.first { $0.id == id } }

    /// The interfaces attached to an instance.
    public func interfaces(ofInstance id: String) -> [AWSInterface] { interfaces.filter { $0.instanceId == id } }

    /// The interfaces that carry a group: its members.
    public func interfaces(carrying groupId: String) -> [AWSInterface] { interfaces.filter { $0.groupIds.contains(groupId) } }

    /// The interfaces with this private address (one, unless VPCs overlap).
    public func interfaces(at address: AWSAddress) -> [AWSInterface] { (interfaceIndexByAddress[address] ?? []).map { interfaces[$0] } }

    /// The addresses of a group's members; empty when no known interface carries it.
    public func memberAddresses(of groupId: String) -> AddressSet { memberAddresses[groupId] ?? .empty }

    /// How many known interfaces carry a group.
    public func memberCount(of groupId: String) -> Int { memberCounts[groupId] ?? 0 }

    /// Subnets whose blocks hold the address.
    public func subnets(containing address: AWSAddress) -> [AWSSubnet] { subnets.filter { $0.addresses.contains(address) } }

    /// The network ACL of a subnet: the one associated with it, or else its VPC's default ACL; nil with
    /// the reason when the exports do not tell.
    public func networkACL(forSubnet subnetId: String) -> (acl: NetworkACL?, reason: String?) {
        guard loaded.contains(.networkACLs) else { return (nil, "no describe-network-acls export: the network ACL of \(subnetId) is unknown") }
        if let acl = networkACLs.first(where: { $0.subnetIds.contains(subnetId) }) { return (acl, nil) }
        let vpcId = subnet(id: subnetId)?.vpcId ?? interfaces.first { $0.subnetId == subnetId }?.vpcId
        if let vpcId, let acl = networkACLs.first(where: { $0.isDefault && $0.vpcId == vpcId }) { return (acl, nil) }
        return (nil, "no network ACL in the export is associated with \(subnetId), and its VPC's default ACL is not there either")
    }

    /// The groups whose permissions apply to an interface, and the ids it carries that the export lacks.
    public func groups(of interface: AWSInterface) -> (groups: [SecurityGroup], missing: [String]) {
        var found: [SecurityGroup] = []
        var missing: [String] = []
        for id in interface.groupIds {
            let g = groups(id: id)
            if g.isEmpty { missing.append(id) } else { found += g }
        }
        return (found, missing)
    }

    // MARK: - Consistency

    private static func consistency(interfaces: [AWSInterface], subnets: [AWSSubnet], groups: [SecurityGroup], loaded: Set<AWSInputKind>) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let subnetById = Dictionary(subnets.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let groupVPC = Dictionary(groups.map { ($0.id, $0.vpcId) }, uniquingKeysWith: { a, _ in a })
        var firstGroup: [String: SecurityGroup] = [:]
        for g in groups {
            if let first = firstGroup[g.id] {
                out.append(Diagnostic(.warning, g.location, "security group \(g.id) appears again (first at line \(first.location.line)); both are kept, and an interface carrying \(g.id) gets the permissions of both"))
            } else {
                firstGroup[g.id] = g
            }
        }
        for i in interfaces {
            if let sid = i.subnetId, let s = subnetById[sid], !s.cidrBlocks.isEmpty {
                for a in i.addresses where !s.addresses.contains(a) {
                    out.append(Diagnostic(.warning, i.location, "\(i.id) has address \(a), outside its subnet \(sid) (\(s.cidrBlocks.map(\.text).joined(separator: ", ")))"))
                }
            } else if let sid = i.subnetId, loaded.contains(.subnets) {
                out.append(Diagnostic(.note, i.location, "\(i.id) is in subnet \(sid), which the subnet export does not list"))
            }
            for g in i.groupIds {
                switch groupVPC[g] {
                case nil:
                    out.append(Diagnostic(.warning, i.location, "\(i.id) carries \(g), which the security-group export does not list: what it allows is unknown"))
                case let vpc??:
                    if let own = i.vpcId, own != vpc {
                        out.append(Diagnostic(.warning, i.location, "\(i.id) in \(own) carries \(g) of \(vpc)"))
                    }
                default: break
                }
            }
        }
        return out
    }
}
