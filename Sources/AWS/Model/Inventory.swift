public import BulwarkModel

/// A VPC (`describe-vpcs`).
public struct AWSVPC: Hashable, Sendable {
    public var id: String
    public var name: String?
    public var isDefault: Bool
    /// The associated IPv4 and IPv6 blocks.
    public var cidrBlocks: [AWSCIDR]
    public var location: FileLocation

    public init(id: String, name: String?, isDefault: Bool, cidrBlocks: [AWSCIDR], location: FileLocation) {
        self.id = id
        self.name = name
        self.isDefault = isDefault
        self.cidrBlocks = cidrBlocks
        self.location = location
    }

    /// Every address of the VPC's blocks.
    public var addresses: AddressSet { cidrBlocks.reduce(AddressSet.empty) { $0.union(AddressSet($1)) } }
}

/// A subnet (`describe-subnets`).
public struct AWSSubnet: Hashable, Sendable {
    public var id: String
    public var vpcId: String?
    public var name: String?
    /// `CidrBlock` and the associated IPv6 blocks.
    public var cidrBlocks: [AWSCIDR]
    public var location: FileLocation

    public init(id: String, vpcId: String?, name: String?, cidrBlocks: [AWSCIDR], location: FileLocation) {
        self.id = id
        self.vpcId = vpcId
        self.name = name
        self.cidrBlocks = cidrBlocks
        self.location = location
    }

    public var addresses: AddressSet { cidrBlocks.reduce(AddressSet.empty) { $0.union(AddressSet($1)) } }
}

/// A network interface (ENI): security groups attach to interfaces, not to instances.
///
/// From `describe-network-interfaces`, or from `NetworkInterfaces` of `describe-instances` (an
/// instance without that list gets one interface built from its own fields).
public struct AWSInterface: Hashable, Sendable, CustomStringConvertible {
    public var id: String
    /// The instance it is attached to, if any.
    public var instanceId: String?
    public var subnetId: String?
    public var vpcId: String?
    /// Private IPv4 addresses and IPv6 addresses (public addresses are translated before the
    /// security groups see a packet, so they are not listed here).
    public var addresses: [AWSAddress]
    public var groupIds: [String]
    public var interfaceDescription: String?
    public var location: FileLocation

    public init(id: String, instanceId: String?, subnetId: String?, vpcId: String?, addresses: [AWSAddress], groupIds: [String],
                interfaceDescription: String?, location: FileLocation) {
        self.id = id
        self.instanceId = instanceId
        self.subnetId = subnetId
        self.vpcId = vpcId
        self.addresses = addresses
        self.groupIds = groupIds
        self.interfaceDescription = interfaceDescription
        self.location = location
    }

    public var addressSet: AddressSet { AddressSet(addresses) }

    /// `eni-0123 (i-0456)`.
    public var description: String { instanceId.map { "\(id) (\($0))" } ?? id }
}

/// An EC2 instance (`describe-instances`).
public struct AWSInstance: Hashable, Sendable {
    public var id: String
    /// The `Name` tag.
    public var name: String?
    public var vpcId: String?
    public var subnetId: String?
    /// `State.Name` (`running`, `stopped` …).
    public var state: String?
    public var publicAddress: AWSAddress?
    public var location: FileLocation

    public init(id: String, name: String?, vpcId: String?, subnetId: String?, state: String?, publicAddress: AWSAddress?, location: FileLocation) {
        self.id = id
        self.name = name
        self.vpcId = vpcId
        self.subnetId = subnetId
        self.state = state
        self.publicAddress = publicAddress
        self.location = location
    }
}
