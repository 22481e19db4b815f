public import PacketSpace

/// A packet as a person or a test describes it: addresses and protocol, the rest optional.
///
/// Defaults (the same as netfilter-oracle's packets): source port 40000, a TCP packet with only SYN
/// set, an ICMP echo request, state NEW; with INPUT the destination is a local address, with
/// FORWARD an ordinary unicast one. Interfaces and the MAC address that are not given are unknown:
/// rules that test them make the answer inexact.
public struct PacketDescription: Sendable, Hashable {
    public var source: String
    public var destination: String
    public var proto: String = "tcp"
    public var sourcePort: Int?
    public var destinationPort: Int?
    public var state: String?
    public var inInterface: String?
    public var outInterface: String?
    public var sourceMAC: String?
    public var icmpType: Int?
    public var icmpCode: Int?
    public var tcpFlags: String?

    public init(source: String, destination: String, proto: String = "tcp") {
        self.source = source
        self.destination = destination
        self.proto = proto
    }
}

/// A packet ready for the evaluator: values for every field, and the fields that are only assumed.
public struct QueryPacket: Sendable {
    public var packet: Packet
    public var unknown: UInt32

    /// The assumed name of an interface the query does not give: one no ruleset names.
    public static let unknownInterface = InterfaceName.value("unknown0")!
    static let unknownMAC: UInt128 = 0x0200_0000_0002

    public struct Problem: Error, CustomStringConvertible {
        public var description: String
    }

    /// The routing type an address has by itself (multicast, broadcast, loopback) or `fallback`.
    public static func addressType(_ value: UInt128, family: AddressFamily, fallback: AddressType) -> AddressType {
        if family == .ipv4 {
            let v = UInt32(truncatingIfNeeded: value)
            if v >> 28 == 0xE { return .multicast }
            if v >> 24 == 0 || v == 0xFFFF_FFFF { return .broadcast }
            if v >> 24 == 127 { return .local }
            return fallback
        }
        if value >> 120 == 0xFF { return .multicast }
        if value == 1 { return .local }
        return fallback
    }

    public init(_ d: PacketDescription, hook: Hook) throws(Problem) {
        guard let src = IPAddress.parse(d.source[...]) else { throw Problem(description: "source '\(d.source)' is not an IP address") }
        guard let dst = IPAddress.parse(d.destination[...]) else { throw Problem(description: "destination '\(d.destination)' is not an IP address") }
        guard src.family == dst.family else { throw Problem(description: "source and destination are of different IP versions") }
        let family = src.family
        guard let proto = NetfilterNames.protocolNumber(d.proto[...]) else { throw Problem(description: "protocol '\(d.proto)' is unknown") }
        var values = [UInt128](repeating: 0, count: PacketField.allCases.count)
        var unknown: UInt32 = 0
        func set(_ f: PacketField, _ v: UInt128) { values[f.rawValue] = v }
        set(.family, family.rawValue)
        set(.sourceAddress, src.value)
        set(.destinationAddress, dst.value)
        set(.protocolNumber, UInt128(proto))
        let icmp: UInt8 = family == .ipv4 ? 1 : 58
        if NetfilterNames.portProtocols.contains(proto) {
            let sport = d.sourcePort ?? 40000
            let dport = d.destinationPort ?? 0
            guard (0...65535).contains(sport), (0...65535).contains(dport) else { throw Problem(description: "ports must be 0…65535") }
            set(.sourcePort, UInt128(sport))
            set(.destinationPort, UInt128(dport))
        }
        if proto == 6 {
            if let names = d.tcpFlags {
                guard let f = TCPFlags(names: names) else { throw Problem(description: "TCP flags '\(names)' are not FIN,SYN,RST,PSH,ACK,URG,ECE,CWR") }
                set(.tcpFlags, UInt128(f.rawValue))
            } else {
                set(.tcpFlags, UInt128(TCPFlags.syn.rawValue))
            }
        }
        if proto == icmp {
            let type = d.icmpType ?? (family == .ipv4 ? 8 : 128)
            let code = d.icmpCode ?? 0
            guard (0...255).contains(type), (0...255).contains(code) else { throw Problem(description: "ICMP type and code must be 0…255") }
            set(.icmpTypeCode, UInt128(type) << 8 | UInt128(code))
        }
        if let s = d.state {
            guard let st = ConnectionState(name: s) else { throw Problem(description: "state '\(s)' is not NEW, ESTABLISHED, RELATED, INVALID or UNTRACKED") }
            set(.connectionState, st.rawValue)
        } else {
            set(.connectionState, ConnectionState.new.rawValue)
        }
        func interface(_ name: String?, _ field: PacketField, present: Bool) throws(Problem) {
            guard present else {
                if name != nil { throw Problem(description: "\(hook.rawValue) packets have no \(field == .inInterface ? "input" : "output") interface") }
                set(field, 0)
                return
            }
            if let name {
                guard let v = InterfaceName.value(name[...]), v != 0 else { throw Problem(description: "interface '\(name)' is not a valid name") }
                set(field, v)
            } else {
                set(field, QueryPacket.unknownInterface)
                unknown |= 1 << UInt32(field.rawValue)
            }
        }
        try interface(d.inInterface, .inInterface, present: hook != .output)
        try interface(d.outInterface, .outInterface, present: hook != .input)
        if let m = d.sourceMAC {
            guard let v = MACAddress.parse(m[...]) else { throw Problem(description: "MAC '\(m)' is not like 00:11:22:33:44:55") }
            set(.sourceMAC, v)
        } else {
            set(.sourceMAC, QueryPacket.unknownMAC)
            unknown |= 1 << UInt32(PacketField.sourceMAC.rawValue)
        }
        let local: AddressType = .local
        set(.sourceAddressType, QueryPacket.addressType(src.value, family: family, fallback: hook == .output ? local : .unicast).rawValue)
        set(.destinationAddressType, QueryPacket.addressType(dst.value, family: family, fallback: hook == .input ? local : .unicast).rawValue)
        packet = Packet(values: values)
        self.unknown = unknown
    }
}
