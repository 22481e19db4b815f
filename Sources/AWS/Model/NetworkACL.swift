public import BulwarkModel

/// A network ACL entry's action.
public enum NetworkACLAction: String, Sendable, Hashable, Codable {
    case allow
    case deny
}

/// One entry (rule) of a network ACL.
public struct NetworkACLEntry: Hashable, Sendable, CustomStringConvertible {
    public var aclId: String
    public var ruleNumber: Int
    public var direction: TrafficDirection
    public var action: NetworkACLAction
    /// `Protocol` as written.
    public var protocolText: String
    /// `CidrBlock` or `Ipv6CidrBlock`; nil when neither could be read.
    public var cidr: AWSCIDR?
    /// The protocol-and-port part (`PortRange` is the destination port, in both directions).
    public var service: Levels<ServiceMatch?>
    /// The addresses on the far side: sources of inbound traffic, destinations of outbound traffic.
    public var addresses: Levels<AddressSet>
    /// Why the entry is not exact; empty when it is.
    public var reasons: [String]
    public var location: FileLocation

    public init(aclId: String, ruleNumber: Int, direction: TrafficDirection, action: NetworkACLAction, protocolText: String, cidr: AWSCIDR?,
                service: Levels<ServiceMatch?>, addresses: Levels<AddressSet>, reasons: [String], location: FileLocation) {
        self.aclId = aclId
        self.ruleNumber = ruleNumber
        self.direction = direction
        self.action = action
        self.protocolText = protocolText
        self.cidr = cidr
        self.service = service
        self.addresses = addresses
        self.reasons = reasons
        self.location = location
    }

    /// The rules AWS adds to every ACL (32767 for IPv4, 32768 for IPv6), shown as `*` by the console.
    public var isDefaultRule: Bool { ruleNumber >= 32767 }

    /// `100`, or `*` for a default rule.
    public var label: String { isDefaultRule ? "*" : String(ruleNumber) }

    public var description: String {
        "\(aclId) \(direction == .ingress ? "inbound" : "outbound") rule \(label): \(action.rawValue) \(service.assumed?.description ?? "nothing") "
            + "\(direction == .ingress ? "from" : "to") \(cidr?.text ?? "?")"
    }
}

/// A network ACL: stateless, ordered allow and deny rules for the subnets associated with it.
public struct NetworkACL: Hashable, Sendable {
    public var id: String
    public var vpcId: String?
    /// The VPC's default ACL: it also serves every subnet of the VPC no other ACL is associated with.
    public var isDefault: Bool
    /// Subnets named by `Associations[].SubnetId`.
    public var subnetIds: [String]
    /// Every entry, inbound and outbound, in ascending rule number.
    public var entries: [NetworkACLEntry]
    public var location: FileLocation

    public init(id: String, vpcId: String?, isDefault: Bool, subnetIds: [String], entries: [NetworkACLEntry], location: FileLocation) {
        self.id = id
        self.vpcId = vpcId
        self.isDefault = isDefault
        self.subnetIds = subnetIds
        self.entries = entries.sorted { ($0.ruleNumber, $0.location.line) < ($1.ruleNumber, $1.location.line) }
        self.location = location
    }

    /// The entries of one direction in evaluation order (ascending rule number).
    public func entries(_ direction: TrafficDirection) -> [NetworkACLEntry] { entries.filter { $0.direction == direction } }
}
