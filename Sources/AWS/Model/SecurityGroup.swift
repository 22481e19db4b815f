public import BulwarkModel

/// Which way traffic crosses a security group or a network ACL.
public enum TrafficDirection: String, Sendable, Hashable, CaseIterable, Codable {
    /// Into the interface or subnet (`IpPermissions`, network ACL entries with `"Egress": false`).
    case ingress
    /// Out of it (`IpPermissionsEgress`, entries with `"Egress": true`).
    case egress
}

/// Names one permission of a security group: the group, the list it is in, its position, and
/// where the permission object starts in the file.
public struct PermissionLocator: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var groupId: String
    public var direction: TrafficDirection
    /// 0-based position in `IpPermissions` or `IpPermissionsEgress`.
    public var index: Int
    public var location: FileLocation

    public init(groupId: String, direction: TrafficDirection, index: Int, location: FileLocation) {
        self.groupId = groupId
        self.direction = direction
        self.index = index
        self.location = location
    }

    public static func < (a: PermissionLocator, b: PermissionLocator) -> Bool {
        (a.groupId, a.direction == .ingress ? 0 : 1, a.index) < (b.groupId, b.direction == .ingress ? 0 : 1, b.index)
    }

    /// `sg-0123 ingress #0`.
    public var description: String { "\(groupId) \(direction.rawValue) #\(index)" }
}

/// A security group named as the other side of a permission (`UserIdGroupPairs`).
public struct GroupReference: Hashable, Sendable {
    public var groupId: String
    /// The account that owns the referenced group, when the export names it.
    public var userId: String?
    /// The referenced group's VPC, when the export names it (peered VPCs).
    public var vpcId: String?
    /// Set for references across a VPC peering connection.
    public var peeringStatus: String?

    public init(groupId: String, userId: String? = nil, vpcId: String? = nil, peeringStatus: String? = nil) {
        self.groupId = groupId
        self.userId = userId
        self.vpcId = vpcId
        self.peeringStatus = peeringStatus
    }
}

/// The other side of a permission: the source of an ingress permission, the destination of an egress one.
public enum PermissionPeer: Hashable, Sendable, CustomStringConvertible {
    /// `IpRanges[].CidrIp` or `Ipv6Ranges[].CidrIpv6`.
    case cidr(AWSCIDR)
    /// `UserIdGroupPairs[]`: the private addresses of the interfaces that carry the group.
    case group(GroupReference)
    /// `PrefixListIds[].PrefixListId`: a managed list of CIDRs the export does not contain.
    case prefixList(String)
    /// An entry Bulwark could not read; it may stand for any address.
    case unreadable(String)

    public var description: String {
        switch self {
        case .cidr(let c): c.text
        case .group(let g): g.groupId
        case .prefixList(let id): id
        case .unreadable(let why): "(unreadable: \(why))"
        }
    }
}

/// One `IpPermissions` or `IpPermissionsEgress` element: a protocol-and-port part and the peers it admits.
public struct SecurityGroupPermission: Hashable, Sendable, CustomStringConvertible {
    public var locator: PermissionLocator
    /// `IpProtocol` as written (empty when missing).
    public var protocolText: String
    public var fromPort: Int?
    public var toPort: Int?
    /// The protocol-and-port part; nil at a level means that level matches nothing.
    public var service: Levels<ServiceMatch?>
    /// Why the protocol-and-port part is not exact; empty when it is.
    public var serviceReasons: [String]
    public var peers: [PermissionPeer]

    public init(locator: PermissionLocator, protocolText: String, fromPort: Int?, toPort: Int?, service: Levels<ServiceMatch?>,
                serviceReasons: [String], peers: [PermissionPeer]) {
        self.locator = locator
        self.protocolText = protocolText
        self.fromPort = fromPort
        self.toPort = toPort
        self.service = service
        self.serviceReasons = serviceReasons
        self.peers = peers
    }

    public var direction: TrafficDirection { locator.direction }

    /// `tcp 22 from 1.2.3.4/32, sg-0123` (ingress) or `all traffic to 0.0.0.0/0` (egress).
    public var description: String {
        let what = service.assumed?.description ?? "nothing (\(protocolText) \(fromPort.map(String.init) ?? "-")..\(toPort.map(String.init) ?? "-"))"
        let peerText = peers.isEmpty ? "no one" : peers.map(\.description).joined(separator: ", ")
        return "\(what) \(direction == .ingress ? "from" : "to") \(peerText)"
    }
}

/// A security group: a stateful allow-list attached to network interfaces.
public struct SecurityGroup: Hashable, Sendable {
    public var id: String
    public var name: String?
    public var groupDescription: String?
    public var vpcId: String?
    public var ownerId: String?
    /// Where the group object starts.
    public var location: FileLocation
    public var ingress: [SecurityGroupPermission]
    public var egress: [SecurityGroupPermission]

    public init(id: String, name: String?, groupDescription: String?, vpcId: String?, ownerId: String?, location: FileLocation,
                ingress: [SecurityGroupPermission], egress: [SecurityGroupPermission]) {
        self.id = id
        self.name = name
        self.groupDescription = groupDescription
        self.vpcId = vpcId
        self.ownerId = ownerId
        self.location = location
        self.ingress = ingress
        self.egress = egress
    }

    /// The VPC's default group (every VPC has one, named `default`; it cannot be deleted).
    public var isDefault: Bool { name == "default" }

    public func permissions(_ direction: TrafficDirection) -> [SecurityGroupPermission] {
        direction == .ingress ? ingress : egress
    }
}
