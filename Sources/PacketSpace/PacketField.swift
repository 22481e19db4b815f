/// One dimension of the packet space.
///
/// The raw value is the dimension's position: it is also the level of the field in a
/// ``PacketSet``'s decision diagram, so fields most rulesets test come first.
public enum PacketField: Int, CaseIterable, Sendable, Hashable, CustomStringConvertible {
    /// IP version: 0 is IPv4, 1 is IPv6.
    case family
    /// Input interface name, encoded by ``InterfaceName``; 0 means the packet has none (locally generated).
    case inInterface
    /// Output interface name, encoded by ``InterfaceName``; 0 means none (delivered locally).
    case outInterface
    /// Connection-tracking state, a ``ConnectionState`` raw value.
    case connectionState
    /// Layer-4 protocol number (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6 …).
    case protocolNumber
    /// Source address: IPv6 as is, IPv4 mapped into `::ffff:0:0/96`.
    case sourceAddress
    /// Destination address, encoded as ``sourceAddress``.
    case destinationAddress
    /// Destination port (TCP, UDP, SCTP, DCCP, UDP-Lite); 0 for other packets.
    case destinationPort
    /// Source port; 0 for packets without ports.
    case sourcePort
    /// ICMP or ICMPv6 type and code as `type << 8 | code`; 0 for other packets.
    case icmpTypeCode
    /// TCP flags in ``TCPFlags`` bit order; 0 for other packets.
    case tcpFlags
    /// 1 for a second or later IPv4 fragment, 0 otherwise.
    case fragment
    /// Routing type of the source address (a ``AddressType`` raw value).
    case sourceAddressType
    /// Routing type of the destination address.
    case destinationAddressType
    /// Source MAC address, 48 bits.
    case sourceMAC

    /// The largest value of the field.
    public var maximum: UInt128 {
        switch self {
        case .family: 1
        case .inInterface, .outInterface, .sourceAddress, .destinationAddress: .max
        case .connectionState: UInt128(ConnectionState.allCases.count - 1)
        case .protocolNumber: 255
        case .destinationPort, .sourcePort, .icmpTypeCode: 65535
        case .tcpFlags: 255
        case .fragment: 1
        case .sourceAddressType, .destinationAddressType: UInt128(AddressType.allCases.count - 1)
        case .sourceMAC: (1 << 48) - 1
        }
    }

    public var description: String {
        switch self {
        case .family: "family"
        case .inInterface: "in_interface"
        case .outInterface: "out_interface"
        case .connectionState: "state"
        case .protocolNumber: "protocol"
        case .sourceAddress: "src"
        case .destinationAddress: "dst"
        case .destinationPort: "dport"
        case .sourcePort: "sport"
        case .icmpTypeCode: "icmp"
        case .tcpFlags: "tcp_flags"
        case .fragment: "fragment"
        case .sourceAddressType: "src_type"
        case .destinationAddressType: "dst_type"
        case .sourceMAC: "src_mac"
        }
    }

    /// The maxima of every field, in field order: the layout of the standard packet space.
    public static let standardMaxima: [UInt128] = allCases.map(\.maximum)
}

/// IP version values of ``PacketField/family``.
public enum AddressFamily: UInt128, Sendable, CaseIterable {
    case ipv4 = 0
    case ipv6 = 1
}

/// Connection-tracking states, as the kernel's `state` and `conntrack` matches see them.
public enum ConnectionState: UInt128, Sendable, CaseIterable, CustomStringConvertible {
    case invalid = 0
    case new = 1
    case established = 2
    case related = 3
    case untracked = 4

    public var description: String {
        switch self {
        case .invalid: "INVALID"
        case .new: "NEW"
        case .established: "ESTABLISHED"
        case .related: "RELATED"
        case .untracked: "UNTRACKED"
        }
    }

    /// Parses a state name as iptables and nftables write it (case-insensitive).
    public init?(name: String) {
        switch name.uppercased() {
        case "INVALID": self = .invalid
        case "NEW": self = .new
        case "ESTABLISHED": self = .established
        case "RELATED": self = .related
        case "UNTRACKED": self = .untracked
        default: return nil
        }
    }
}

/// Routing types of an address (the kernel's `RTN_*` values), as the `addrtype` match sees them.
public enum AddressType: UInt128, Sendable, CaseIterable, CustomStringConvertible {
    case unspec = 0, unicast, local, broadcast, anycast, multicast, blackhole, unreachable, prohibit, `throw`, nat, xresolve

    public var description: String {
        switch self {
        case .unspec: "UNSPEC"
        case .unicast: "UNICAST"
        case .local: "LOCAL"
        case .broadcast: "BROADCAST"
        case .anycast: "ANYCAST"
        case .multicast: "MULTICAST"
        case .blackhole: "BLACKHOLE"
        case .unreachable: "UNREACHABLE"
        case .prohibit: "PROHIBIT"
        case .throw: "THROW"
        case .nat: "NAT"
        case .xresolve: "XRESOLVE"
        }
    }

    public init?(name: String) {
        guard let t = AddressType.allCases.first(where: { $0.description == name.uppercased() }) else { return nil }
        self = t
    }
}

/// TCP flag bits in the packet space's own order: the flags rulesets test together come first, so
/// common masks (`SYN,RST,ACK,FIN`) are one interval.
public struct TCPFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let syn = TCPFlags(rawValue: 0x80)
    public static let ack = TCPFlags(rawValue: 0x40)
    public static let rst = TCPFlags(rawValue: 0x20)
    public static let fin = TCPFlags(rawValue: 0x10)
    public static let psh = TCPFlags(rawValue: 0x08)
    public static let urg = TCPFlags(rawValue: 0x04)
    public static let ece = TCPFlags(rawValue: 0x02)
    public static let cwr = TCPFlags(rawValue: 0x01)
    public static let all = TCPFlags(rawValue: 0xFF)

    /// Flag names in wire order, for display and parsing.
    public static let named: [(String, TCPFlags)] = [
        ("FIN", .fin), ("SYN", .syn), ("RST", .rst), ("PSH", .psh), ("ACK", .ack), ("URG", .urg), ("ECE", .ece), ("CWR", .cwr),
    ]

    /// Parses `SYN,ACK`, `ALL` or `NONE`.
    public init?(names: String) {
        var flags = TCPFlags()
        for part in names.split(separator: ",") {
            let n = part.uppercased()
            if n == "ALL" { flags.formUnion(.all); continue }
            if n == "NONE" { continue }
            guard let f = TCPFlags.named.first(where: { $0.0 == n }) else { return nil }
            flags.formUnion(f.1)
        }
        self = flags
    }

    /// The set of flag values `v` with `v & mask == compare`, as intervals.
    public static func matching(mask: TCPFlags, compare: TCPFlags) -> IntervalSet {
        var values: [ClosedRange<UInt128>] = []
        for v in 0...255 where UInt8(v) & mask.rawValue == compare.rawValue & mask.rawValue {
            values.append(UInt128(v)...UInt128(v))
        }
        return IntervalSet(ranges: values)
    }

    public var names: String {
        let n = TCPFlags.named.filter { contains($0.1) }.map(\.0)
        return n.isEmpty ? "NONE" : n.joined(separator: ",")
    }
}
