public import BulwarkModel
public import PacketSpace

/// How much of a zone pair's traffic of a service gets through.
public enum Reach: String, Sendable, Hashable, CaseIterable {
    /// Every new connection of the service, from every address of one zone to every address of the other.
    case all
    /// Some of them (some hosts, some ports, some sources).
    case some
    /// None.
    case none
}

/// The rule, policy or cloud element that decided one hop.
public struct DecidingRule: Sendable, Hashable {
    /// The export file (as reports name it).
    public var file: String
    public var line: Int?
    public var column: Int?
    /// Where in the export: a chain (`FORWARD`, `inet filter forward`), a security group, an ACL.
    public var place: String
    /// The rule's 1-based position in its chain, for rulesets.
    public var rule: Int?
    /// The chain policy, when no rule decided.
    public var policy: String?
    /// The rule as written, or a description of the cloud element.
    public var text: String
    /// `accept`, `drop`, `reject`, `allow`, `deny` …
    public var action: String
}

/// One control a flow meets and what it does with the witness packet.
public struct Hop: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// A network firewall between two zones (its FORWARD hook).
        case network
        /// The destination host's firewall (INPUT) or the source host's (OUTPUT).
        case host
        /// A cloud VPC's security groups and network ACLs.
        case cloud
    }

    public var firewall: String
    public var kind: Kind
    /// What was run: `FORWARD eth0 → eth3`, `INPUT of db01`, `security groups and network ACLs`.
    public var detail: String
    /// Whether the witness passes; nil when the control cannot decide it.
    public var passes: Bool?
    public var deciding: [DecidingRule]
    /// Why this hop's answer may be wrong; empty when exact.
    public var reasons: [String]
    /// When the packet does not take this hop at all: why (a connected route sends it elsewhere).
    public var routing: String? = nil
}

/// One way from zone to zone: the zones in order and every hop, up to the first that stops the
/// witness.
public struct PathTrace: Sendable, Hashable {
    public var zones: [String]
    /// The firewall between each zone and the next (`zones.count - 1` names; a VPC's name where its
    /// gateway joins the zones).
    public var via: [String]
    public var hops: [Hop]
    /// Whether the witness gets through the whole path.
    public var passes: Bool
    /// Whether the path comes from the manifest's `routes` (else it is one of the paths through the
    /// placed firewalls that the engine assumed).
    public var declared: Bool
}

/// The answer for one zone pair and one service.
public struct ReachCell: Sendable {
    public var from: String
    public var to: String
    public var service: Service
    public var reach: Reach
    public var exact: Bool
    /// Why the answer may be wrong; empty when exact.
    public var reasons: [String]
    /// What the answer assumes (paths, cloud addresses, client ports).
    public var notes: [String]
    /// A packet of the pair and service: an allowed one when there is any, a blocked one otherwise.
    public var witness: Packet?
    /// The ways the witness takes (allowed) or the places it is stopped (blocked).
    public var paths: [PathTrace]
    /// For `some`: the manifest's hosts of the destination zone that can be reached and those that cannot.
    public var reachableHosts: [String]
    public var unreachableHosts: [String]
}

/// The zone-pair matrix of one or more services.
public struct ReachMatrix: Sendable {
    public var estate: String?
    public var services: [Service]
    public var zones: [String]
    /// For each service, for each ordered pair of distinct zones (rows `from`, columns `to`).
    public var cells: [ReachCell]
    /// What the whole matrix assumes (no routes declared …).
    public var notes: [String]
}
