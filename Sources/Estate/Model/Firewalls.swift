public import BulwarkModel

extension EstateManifest {
    /// A firewall of the estate: its export, in which format, and where it sits.
    public struct Firewall: Sendable, Hashable {
        public var name: String
        /// As written, or detected from the export's content when the manifest leaves it out.
        public var format: FirewallFormat
        /// Whether ``format`` was detected rather than written.
        public var formatDetected: Bool
        /// The export files: one for iptables and nftables, one to four for AWS.
        public var exports: [ExportFile]
        public var placement: Placement
        public var description: String?
        public var location: FileLocation

        /// The export file of a role (`.ruleset` for iptables and nftables).
        public func export(_ role: ExportRole) -> ExportFile? { exports.first { $0.role == role } }
    }

    /// The export formats Bulwark reads.
    public enum FirewallFormat: String, Sendable, Hashable, CaseIterable {
        /// `iptables-save` output (IPv4).
        case iptablesSave = "iptables-save"
        /// `ip6tables-save` output (IPv6): the same syntax, another address family.
        case ip6tablesSave = "ip6tables-save"
        /// `nft -j list ruleset`.
        case nftablesJSON = "nftables-json"
        /// AWS CLI `describe-security-groups` JSON, with optional instances, subnets and NACLs.
        case aws
    }

    /// What one export file holds.
    public enum ExportRole: String, Sendable, Hashable, CaseIterable {
        /// The whole ruleset of an iptables or nftables firewall (`file:`).
        case ruleset
        /// `aws ec2 describe-security-groups`.
        case securityGroups = "security-groups"
        /// `aws ec2 describe-instances`.
        case instances
        /// `aws ec2 describe-subnets`.
        case subnets
        /// `aws ec2 describe-network-acls`.
        case networkACLs = "network-acls"
    }

    /// A file the manifest names: as written, and resolved against the estate folder.
    public struct ExportFile: Sendable, Hashable {
        public var role: ExportRole
        /// The path as written in the manifest, relative to it.
        public var relativePath: String
        /// The absolute path.
        public var path: String
        public var location: FileLocation
    }

    /// Where a firewall sits, which says which traffic passes through it.
    public enum Placement: Sendable, Hashable {
        /// A network firewall: traffic between zones passes it, entering and leaving by the
        /// interfaces that face those zones.
        case network(interfaces: [Interface])
        /// A host firewall: it filters traffic to and from one host.
        case host(String)
        /// A cloud firewall (AWS security groups and NACLs); `subnets` maps subnet ids to zones
        /// where the manifest says so.
        case cloud(subnets: [SubnetZone])

        public var kind: String {
            switch self {
            case .network: "network"
            case .host: "host"
            case .cloud: "cloud"
            }
        }
    }

    /// A network firewall's interface and the zone it faces. The name may end in `+`, as in
    /// iptables, for every interface starting with the rest (`vlan+`).
    public struct Interface: Sendable, Hashable {
        public var name: String
        public var zone: String
        public var location: FileLocation
    }

    /// A cloud subnet and the zone it belongs to.
    public struct SubnetZone: Sendable, Hashable {
        public var subnet: String
        public var zone: String
        public var location: FileLocation
    }

    /// A declared path from one zone to another through firewalls, in the order traffic meets them.
    /// An empty `via` says the zones are connected with no firewall between them.
    public struct Route: Sendable, Hashable {
        public var from: String
        public var to: String
        public var via: [String]
        public var location: FileLocation
    }
}
