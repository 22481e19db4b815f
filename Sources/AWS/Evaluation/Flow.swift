public import BulwarkModel
public import PacketSpace

/// A connection attempt: the first packet of a flow, from the client to the service.
public struct AWSFlow: Hashable, Sendable, CustomStringConvertible {
    public var source: AWSAddress
    public var destination: AWSAddress
    public var protocolNumber: UInt8
    /// The service port (TCP, UDP and other port protocols); 0 otherwise.
    public var destinationPort: UInt16
    /// The client's port; nil to ask about every port of the ephemeral range.
    public var sourcePort: UInt16?
    /// ICMP or ICMPv6 type and code; 0 for other protocols.
    public var icmpType: UInt8
    public var icmpCode: UInt8

    public init(source: AWSAddress, destination: AWSAddress, protocolNumber: UInt8, destinationPort: UInt16 = 0, sourcePort: UInt16? = nil,
                icmpType: UInt8 = 0, icmpCode: UInt8 = 0) {
        self.source = source
        self.destination = destination
        self.protocolNumber = protocolNumber
        self.destinationPort = destinationPort
        self.sourcePort = sourcePort
        self.icmpType = icmpType
        self.icmpCode = icmpCode
    }

    /// A TCP or UDP flow from text addresses; nil when an address does not parse.
    public init?(_ source: String, _ destination: String, protocolNumber: UInt8, port: UInt16, sourcePort: UInt16? = nil) {
        guard let s = AWSAddress(source), let d = AWSAddress(destination) else { return nil }
        self.init(source: s, destination: d, protocolNumber: protocolNumber, destinationPort: port, sourcePort: sourcePort)
    }

    /// Whether the protocol carries ports the network ACLs test (TCP and UDP).
    public var hasPorts: Bool { protocolNumber == 6 || protocolNumber == 17 }

    public var description: String {
        let what = ServiceMatch.protocolName(protocolNumber)
        if hasPorts { return "\(what) \(source)\(sourcePort.map { ":\($0)" } ?? "") -> \(destination):\(destinationPort)" }
        if protocolNumber == 1 || protocolNumber == 58 { return "\(what) \(source) -> \(destination) type \(icmpType) code \(icmpCode)" }
        return "\(what) \(source) -> \(destination)"
    }

    /// The packet of the packet space this flow's first packet is (fields it does not carry are 0).
    public var packet: Packet {
        var p = Packet(values: Array(repeating: 0, count: PacketField.allCases.count))
        p[.family] = source.family.rawValue
        p[.protocolNumber] = UInt128(protocolNumber)
        p[.sourceAddress] = source.value
        p[.destinationAddress] = destination.value
        p[.destinationPort] = UInt128(destinationPort)
        p[.sourcePort] = UInt128(sourcePort ?? 0)
        p[.icmpTypeCode] = UInt128(icmpType) << 8 | UInt128(icmpCode)
        p[.connectionState] = ConnectionState.new.rawValue
        return p
    }
}

/// What one end of a flow is, as far as the exports tell.
public enum AWSEndpoint: Hashable, Sendable, CustomStringConvertible {
    /// A known interface: its security groups and subnet apply.
    case interface(AWSInterface)
    /// An address inside a known subnet that no known interface has: the subnet's ACL applies; the
    /// security groups (if a host is there at all) are unknown.
    case unknownHost(AWSAddress, subnetId: String)
    /// Outside every known subnet: nothing in the estate filters on its side.
    case external(AWSAddress)

    public var subnetId: String? {
        switch self {
        case .interface(let i): i.subnetId
        case .unknownHost(_, let s): s
        case .external: nil
        }
    }

    public var description: String {
        switch self {
        case .interface(let i): i.description
        case .unknownHost(let a, let s): "\(a) (no known interface, in \(s))"
        case .external(let a): "\(a) (outside the estate)"
        }
    }
}

/// The steps a flow goes through, in order.
public enum DecisionStage: String, Sendable, Hashable, CaseIterable, Codable {
    /// The source interface's security groups, egress permissions.
    case sourceSecurityGroups = "source-security-groups"
    /// The source subnet's network ACL, outbound entries, on the request.
    case requestLeavesSourceSubnet = "request-source-subnet-outbound"
    /// The destination subnet's network ACL, inbound entries, on the request.
    case requestEntersDestinationSubnet = "request-destination-subnet-inbound"
    /// The destination interface's security groups, ingress permissions.
    case destinationSecurityGroups = "destination-security-groups"
    /// The destination subnet's network ACL, outbound entries, on the reply.
    case returnLeavesDestinationSubnet = "return-destination-subnet-outbound"
    /// The source subnet's network ACL, inbound entries, on the reply.
    case returnEntersSourceSubnet = "return-source-subnet-inbound"

    public var isReturn: Bool { self == .returnLeavesDestinationSubnet || self == .returnEntersSourceSubnet }
}

/// What decided a stage.
public enum DecidingElement: Hashable, Sendable, CustomStringConvertible {
    /// A security group permission that matches (every matching one is listed).
    case permission(PermissionLocator)
    /// No permission of these groups matches: security groups deny what they do not allow.
    case noPermission(groupIds: [String])
    /// The first network ACL entry that matches.
    case networkACLEntry(aclId: String, ruleNumber: Int, action: NetworkACLAction, location: FileLocation)
    /// No entry of the ACL matches: denied.
    case networkACLEnd(aclId: String)
    /// The exports do not show what applies; Bulwark assumes it allows.
    case unknown(String)

    public var description: String {
        switch self {
        case .permission(let p): "\(p) (\(p.location))"
        case .noPermission(let ids): "no permission of \(ids.isEmpty ? "any group (the interface has none)" : ids.joined(separator: ", ")) matches"
        case .networkACLEntry(let acl, let n, let action, let location): "\(acl) rule \(n >= 32767 ? "*" : String(n)) \(action.rawValue) (\(location))"
        case .networkACLEnd(let acl): "\(acl): no entry matches (denied)"
        case .unknown(let why): "unknown: \(why)"
        }
    }
}

/// One stage's outcome (for a return stage of TCP or UDP, for a range of client ports).
public struct StageOutcome: Hashable, Sendable {
    public var stage: DecisionStage
    /// What was consulted: an interface, or an ACL and its subnet.
    public var subject: String
    /// For return stages of TCP and UDP: the client ports this outcome holds for.
    public var clientPorts: ClosedRange<UInt16>?
    public var allowed: Bool
    public var deciding: [DecidingElement]
    /// Why the outcome is not certain; empty when it is.
    public var reasons: [String]

    public var exact: Bool { reasons.isEmpty }
}

/// The answer for a flow: the verdict, every stage's deciding elements, and how exact it is.
public struct AWSFlowDecision: Hashable, Sendable {
    public enum Verdict: String, Sendable, Hashable, Codable {
        /// The request and its replies pass, for every client port asked about.
        case allowed
        /// The request or every reply is stopped.
        case blocked
        /// The request passes; replies pass only to some client ports (see ``clientPortsAllowed``).
        case allowedForSomeClientPorts = "allowed-for-some-client-ports"
    }

    public var flow: AWSFlow
    public var verdict: Verdict
    public var source: AWSEndpoint
    public var destination: AWSEndpoint
    public var outcomes: [StageOutcome]
    /// For TCP and UDP: the client ports asked about (the flow's source port, or the ephemeral range).
    public var clientPorts: ClosedRange<UInt16>?
    /// For TCP and UDP: the client ports for which the request and its replies pass.
    public var clientPortsAllowed: IntervalSet?
    /// Why the verdict is not certain; empty when it is.
    public var reasons: [String]

    public var exact: Bool { reasons.isEmpty }
    public var isAllowed: Bool { verdict == .allowed }

    /// The outcomes of one stage.
    public func outcomes(_ stage: DecisionStage) -> [StageOutcome] { outcomes.filter { $0.stage == stage } }
}
