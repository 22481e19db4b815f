import BulwarkModel
import PacketSpace

/// The protocol-and-port part of a rule as Bulwark reads it, and why it is not exact.
struct ServiceReading {
    var levels: Levels<ServiceMatch?>
    var reasons: [String] = []

    static func exactly(_ s: ServiceMatch) -> ServiceReading { ServiceReading(levels: Levels(exactly: s)) }

    /// A reading that matches nothing for sure, and at most `possible`.
    static func nothing(possibly possible: ServiceMatch, _ reason: String) -> ServiceReading {
        ServiceReading(levels: Levels(certain: nil, assumed: nil, possible: possible), reasons: [reason])
    }

    /// A protocol field: `-1` (every protocol), a name AWS uses, or a number.
    enum ProtocolField: Equatable {
        case all
        case number(UInt8)

        init?(_ text: String) {
            switch text.lowercased() {
            case "-1": self = .all
            case "tcp": self = .number(6)
            case "udp": self = .number(17)
            case "icmp": self = .number(1)
            case "icmpv6": self = .number(58)
            default:
                guard let n = Int(text), (0...255).contains(n) else { return nil }
                self = .number(UInt8(n))
            }
        }
    }

    static func isPortProtocol(_ p: UInt8) -> Bool { p == 6 || p == 17 }
    static func isICMP(_ p: UInt8) -> Bool { p == 1 || p == 58 }

    /// An ICMP type and code, each -1 or missing for "every".
    ///
    /// AWS: "A value of -1 indicates all ICMP/ICMPv6 types. If you specify all ICMP/ICMPv6 types, you
    /// must specify all codes." A code with every type is therefore invalid; Batfish reads it as
    /// matching nothing, and so does Bulwark, inexactly.
    static func icmp(_ p: UInt8, type: Int?, code: Int?, reader: inout ExportReader, at node: ExportReader.Node, what: String) -> ServiceReading {
        let t = type ?? -1
        let c = code ?? -1
        let all = ServiceMatch(protocolNumber: p)
        guard (-1...255).contains(t), (-1...255).contains(c) else {
            reader.diagnose(.error, node, "\(what): ICMP type \(t) and code \(c) must each be -1 or 0-255")
            return .nothing(possibly: all, "ICMP type \(t) / code \(c) is out of range; read as matching nothing")
        }
        if t == -1 && c != -1 {
            reader.diagnose(.warning, node, "\(what): ICMP code \(c) with every type (-1) is invalid (AWS requires every code with every type); read as matching nothing, as Batfish does")
            return .nothing(possibly: all, "ICMP code \(c) with every type is invalid; read as matching nothing")
        }
        if t == -1 { return .exactly(all) }
        return .exactly(ServiceMatch(protocolNumber: p, icmpType: UInt8(t), icmpCode: c == -1 ? nil : UInt8(c)))
    }

    /// A security group permission's `IpProtocol`, `FromPort` and `ToPort` (AWS `IpPermission`).
    ///
    /// - `-1`, and protocol numbers other than TCP, UDP, ICMP and ICMPv6: every port, whatever the range says.
    /// - TCP and UDP: `FromPort`..`ToPort`. AWS requires both; `-1` or a missing end is read as the open
    ///   end (0 or 65535) as Batfish reads it, inexactly. A reversed or out-of-range pair matches nothing.
    /// - ICMP and ICMPv6: `FromPort` is the type and `ToPort` the code (see ``icmp(_:type:code:reader:at:what:)``).
    static func securityGroup(protocolText: String?, from: Int?, to: Int?, reader: inout ExportReader, at node: ExportReader.Node) -> ServiceReading {
        let what = "IpPermission"
        guard let text = protocolText else {
            return .nothing(possibly: .everything, "the permission has no readable IpProtocol")
        }
        guard let proto = ProtocolField(text) else {
            reader.diagnose(.error, node, "\(what): IpProtocol '\(text)' is not -1, tcp, udp, icmp, icmpv6 or a protocol number 0-255")
            return .nothing(possibly: .everything, "IpProtocol '\(text)' is not a protocol Bulwark knows")
        }
        guard case .number(let p) = proto, isPortProtocol(p) || isICMP(p) else {
            if let f = from, let t = to, f != -1 || t != -1 {
                reader.diagnose(.note, node, "\(what): ports \(f)-\(t) are ignored for IpProtocol '\(text)' (AWS allows every port)")
            }
            if case .number(let p) = proto { return .exactly(ServiceMatch(protocolNumber: p)) }
            return .exactly(.everything)
        }
        if isICMP(p) { return icmp(p, type: from, code: to, reader: &reader, at: node, what: what) }
        let name = ServiceMatch.protocolName(p)
        let allPorts = ServiceMatch(protocolNumber: p, ports: 0...65535)
        let lowOpen = from == nil || from == -1
        let highOpen = to == nil || to == -1
        let low = lowOpen ? 0 : from!
        let high = highOpen ? 65535 : to!
        guard (0...65535).contains(low), (0...65535).contains(high), low <= high else {
            reader.diagnose(.error, node, "\(what): \(name) ports \(from.map(String.init) ?? "missing")-\(to.map(String.init) ?? "missing") are not a port range; read as matching nothing")
            return .nothing(possibly: allPorts, "\(name) port range \(from.map(String.init) ?? "missing")-\(to.map(String.init) ?? "missing") is invalid")
        }
        let range = UInt16(low)...UInt16(high)
        if lowOpen || highOpen {
            let ends = [lowOpen ? "FromPort \(from.map(String.init) ?? "missing") as 0" : nil, highOpen ? "ToPort \(to.map(String.init) ?? "missing") as 65535" : nil]
                .compactMap { $0 }.joined(separator: " and ")
            reader.diagnose(.warning, node, "\(what): AWS requires a \(name) port range; read \(ends), as Batfish does")
            return ServiceReading(levels: Levels(certain: nil, assumed: ServiceMatch(protocolNumber: p, ports: range), possible: allPorts),
                                  reasons: ["\(name) ports \(from.map(String.init) ?? "missing")-\(to.map(String.init) ?? "missing") are not a valid range; read as \(low)-\(high)"])
        }
        return .exactly(ServiceMatch(protocolNumber: p, ports: range))
    }

    /// A network ACL entry's `Protocol`, `PortRange` and `IcmpTypeCode` (AWS `CreateNetworkAclEntry`).
    ///
    /// - `-1`, and protocol numbers other than 6, 17 and 1: every port and type, whatever the entry says.
    /// - 6 (TCP) and 17 (UDP): `PortRange.From`..`To`, the destination port. Without a range, every port (inexact).
    /// - 1 (ICMP): `IcmpTypeCode.Type` and `Code`, -1 for every one.
    /// - 58 (ICMPv6): with an IPv4 block every type and code; with an IPv6 block as ICMP.
    static func networkACL(protocolText: String?, portRange: (from: Int?, to: Int?)?, icmp typeCode: (type: Int?, code: Int?)?, family: AWSCIDR?,
                           reader: inout ExportReader, at node: ExportReader.Node) -> ServiceReading {
        let what = "network ACL entry"
        guard let text = protocolText else { return .nothing(possibly: .everything, "the entry has no readable Protocol") }
        guard let proto = ProtocolField(text) else {
            reader.diagnose(.error, node, "\(what): Protocol '\(text)' is not -1 or a protocol number 0-255")
            return .nothing(possibly: .everything, "Protocol '\(text)' is not a protocol Bulwark knows")
        }
        guard case .number(let p) = proto else { return .exactly(.everything) }
        if isPortProtocol(p) {
            let name = ServiceMatch.protocolName(p)
            guard let range = portRange else {
                reader.diagnose(.warning, node, "\(what): \(name) without a PortRange; read as every port")
                return ServiceReading(levels: Levels(certain: nil, assumed: ServiceMatch(protocolNumber: p), possible: ServiceMatch(protocolNumber: p)),
                                      reasons: ["\(name) entry without a PortRange; read as every port"])
            }
            guard let f = range.from, let t = range.to, (0...65535).contains(f), (0...65535).contains(t), f <= t else {
                reader.diagnose(.error, node, "\(what): PortRange \(range.from.map(String.init) ?? "missing")-\(range.to.map(String.init) ?? "missing") is not a port range; read as matching nothing")
                return .nothing(possibly: ServiceMatch(protocolNumber: p), "PortRange of the entry is invalid")
            }
            return .exactly(ServiceMatch(protocolNumber: p, ports: UInt16(f)...UInt16(t)))
        }
        if p == 1 || (p == 58 && family?.family == .ipv6) {
            guard let tc = typeCode else {
                reader.diagnose(.warning, node, "\(what): \(ServiceMatch.protocolName(p)) without an IcmpTypeCode; read as every type and code")
                return ServiceReading(levels: Levels(certain: nil, assumed: ServiceMatch(protocolNumber: p), possible: ServiceMatch(protocolNumber: p)),
                                      reasons: ["ICMP entry without an IcmpTypeCode; read as every type and code"])
            }
            return icmp(p, type: tc.type, code: tc.code, reader: &reader, at: node, what: what)
        }
        return .exactly(ServiceMatch(protocolNumber: p))
    }
}
