public import BulwarkModel
public import PacketSpace

extension EstateManifest {
    /// A network zone: a named set of address ranges with one kind and one trust level.
    public struct Zone: Sendable, Hashable {
        public var name: String
        public var kind: ZoneKind
        public var trust: TrustLevel
        /// The networks as written (both families may appear). A zone may have none, e.g. a cloud
        /// zone whose addresses come from the subnets mapped to it.
        public var networks: [Network]
        public var description: String?
        public var location: FileLocation
    }

    /// What a zone is for; reports and attack-graph rules treat kinds differently (an `ot` zone
    /// reached from `corp` is worse than a `guest` one).
    public enum ZoneKind: String, Sendable, Hashable, CaseIterable {
        case internet, dmz, corp, datacenter, cloud, ot, management, guest, other
    }

    /// How far the organization trusts what sits in a zone, from `untrusted` (the internet) to
    /// `high` (management networks, crown-jewel data centres).
    ///
    /// Four named levels rather than a number: a score like 62 pretends to a precision nobody has,
    /// and an ordered scale is all the analysis needs (traffic from lower to higher trust is
    /// the direction that wants a reason).
    public enum TrustLevel: String, Sendable, Hashable, CaseIterable, Comparable {
        case untrusted, low, medium, high

        public static func < (a: TrustLevel, b: TrustLevel) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    /// One network of a zone: an IPv4 or IPv6 prefix.
    public struct Network: Sendable, Hashable, CustomStringConvertible {
        public var family: AddressFamily
        /// The addresses, in PacketSpace's shared domain (IPv4 mapped into `::ffff:0:0/96`).
        public var range: ClosedRange<UInt128>
        /// The prefix length within the family (0–32 or 0–128).
        public var prefixLength: Int
        public var location: FileLocation

        /// The canonical text, `10.0.0.0/8` or `2001:db8::/32`.
        public var description: String {
            IPAddress.format(range.lowerBound, family: family) + "/\(prefixLength)"
        }
    }
}
