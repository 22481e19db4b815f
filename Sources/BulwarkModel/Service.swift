/// A network service as a policy or a question names it: an IP protocol and, for protocols that
/// carry ports, the destination ports; for ICMP, optionally one message type.
///
/// The text forms, as the manifest and the command line write them (case does not matter):
///
/// | text | meaning |
/// |---|---|
/// | `any` | every protocol, every port |
/// | `tcp`, `udp`, `sctp`, `gre`, `esp` … | every packet of that protocol (every port) |
/// | `tcp/443`, `udp/53` | one destination port |
/// | `tcp/8000-8080` | a range of destination ports |
/// | `tcp/22,3389,8000-8080` | a list of ports and ranges (one protocol) |
/// | `icmp`, `icmp/8`, `icmpv6/128` | ICMP or ICMPv6, every type or one type |
/// | `ip/47` | an IP protocol by number (shown by name when it has one: `gre`) |
/// | `ssh`, `https`, `rdp`, `smb` … | a well-known service (see ``Service/wellKnown``) |
///
/// A service has one protocol, so DNS is two services (`udp/53` and `tcp/53`); the name `dns`
/// means `udp/53`, the common case. Ports are only for tcp, udp, sctp, dccp and udplite, ICMP types
/// only for icmp and icmpv6; anything else is an error, never silently widened.
///
/// ``description`` writes the canonical form back (`ssh` becomes `tcp/22`, `tcp/0-65535` becomes
/// `tcp`, port lists sorted and merged), so two services are equal exactly when they denote the
/// same packets.
public struct Service: Sendable, Hashable, LosslessStringConvertible {
    /// The IP protocol number; nil for every protocol.
    public let protocolNumber: UInt8?
    /// Destination ports, sorted, disjoint and never adjacent; empty for every port.
    public let ports: [ClosedRange<UInt16>]
    /// The ICMP (or ICMPv6) message type; nil for every type.
    public let icmpType: UInt8?

    /// Every packet of every protocol.
    public static let any = Service(protocolNumber: nil)

    /// A service from its parts, in canonical form: ports are merged and kept only for protocols
    /// that carry ports, the ICMP type only for ICMP and ICMPv6, and all ports is no port list.
    public init(protocolNumber: UInt8?, ports: [ClosedRange<UInt16>] = [], icmpType: UInt8? = nil) {
        self.protocolNumber = protocolNumber
        if let p = protocolNumber, Service.portProtocols.contains(p) {
            let merged = Service.merge(ports)
            self.ports = merged == [0...UInt16.max] ? [] : merged
        } else {
            self.ports = []
        }
        if let p = protocolNumber, Service.icmpProtocols.contains(p) {
            self.icmpType = icmpType
        } else {
            self.icmpType = nil
        }
    }

    /// TCP to the given ports.
    public static func tcp(_ ports: ClosedRange<UInt16>...) -> Service { Service(protocolNumber: 6, ports: ports) }

    /// UDP to the given ports.
    public static func udp(_ ports: ClosedRange<UInt16>...) -> Service { Service(protocolNumber: 17, ports: ports) }

    /// Parses any text form in the table above.
    public init(parsing text: String) throws(ServiceError) {
        self = try Service.parse(text)
    }

    /// Parses any text form, or nil when the text is not a service.
    public init?(_ description: String) {
        guard let s = try? Service.parse(description) else { return nil }
        self = s
    }

    /// Whether the protocol has ports (and so the service may name some).
    /// Whether some connection is of both services (same protocol, or either any; a port in both
    /// port lists, or either without ports).
    public func overlaps(_ other: Service) -> Bool {
        if let a = protocolNumber, let b = other.protocolNumber, a != b { return false }
        if ports.isEmpty || other.ports.isEmpty { return true }
        return ports.contains { p in other.ports.contains { $0.overlaps(p) } }
    }

    public var carriesPorts: Bool { protocolNumber.map(Service.portProtocols.contains) ?? false }

    /// Whether the protocol is ICMP or ICMPv6.
    public var isICMP: Bool { protocolNumber.map(Service.icmpProtocols.contains) ?? false }

    /// The canonical text: `any`, `tcp`, `tcp/22,8000-8080`, `icmp/8`, `ip/253`.
    public var description: String {
        guard let p = protocolNumber else { return "any" }
        let name = Service.protocolName(p) ?? "ip/\(p)"
        if !ports.isEmpty {
            return name + "/" + ports.map { $0.lowerBound == $0.upperBound ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }
                .joined(separator: ",")
        }
        if let t = icmpType { return "\(name)/\(t)" }
        return name
    }

    // MARK: Names

    /// Protocols that carry ports: TCP, UDP, DCCP, SCTP, UDP-Lite.
    public static let portProtocols: Set<UInt8> = [6, 17, 33, 132, 136]

    /// ICMP and ICMPv6.
    public static let icmpProtocols: Set<UInt8> = [1, 58]

    /// Protocol names, canonical name first for each number (`icmpv6` before its aliases).
    static let protocolNames: [(name: String, number: UInt8)] = [
        ("icmp", 1), ("igmp", 2), ("tcp", 6), ("udp", 17), ("dccp", 33), ("gre", 47), ("esp", 50), ("ah", 51),
        ("icmpv6", 58), ("ipv6-icmp", 58), ("icmp6", 58), ("ospf", 89), ("pim", 103), ("vrrp", 112),
        ("sctp", 132), ("udplite", 136),
    ]

    private static let protocolNumbers: [String: UInt8] = Dictionary(protocolNames.map { ($0.name, $0.number) }) { first, _ in first }

    /// The canonical name of a protocol number, when it has one here.
    public static func protocolName(_ number: UInt8) -> String? {
        protocolNames.first { $0.number == number }?.name
    }

    /// The well-known service names and what each means, in the order documented.
    ///
    /// The names are the services an analyst asks about most, including the industrial protocols
    /// that matter in OT zones. Where a service runs over several protocols the common one is meant
    /// (`dns` and `snmp` are UDP; write `tcp/53` for DNS over TCP).
    public static let wellKnown: [(name: String, service: Service)] = [
        ("ftp", .tcp(21...21)), ("ssh", .tcp(22...22)), ("telnet", .tcp(23...23)), ("smtp", .tcp(25...25)),
        ("dns", .udp(53...53)), ("http", .tcp(80...80)), ("kerberos", .tcp(88...88)), ("s7", .tcp(102...102)),
        ("ntp", .udp(123...123)), ("msrpc", .tcp(135...135)), ("netbios", .tcp(139...139)), ("snmp", .udp(161...161)),
        ("ldap", .tcp(389...389)), ("https", .tcp(443...443)), ("smb", .tcp(445...445)), ("modbus", .tcp(502...502)),
        ("syslog", .udp(514...514)), ("ldaps", .tcp(636...636)), ("mssql", .tcp(1433...1433)), ("mqtt", .tcp(1883...1883)),
        ("nfs", .tcp(2049...2049)), ("mysql", .tcp(3306...3306)), ("rdp", .tcp(3389...3389)), ("opc-ua", .tcp(4840...4840)),
        ("postgresql", .tcp(5432...5432)), ("vnc", .tcp(5900...5900)), ("winrm", .tcp(5985...5986)),
        ("redis", .tcp(6379...6379)), ("dnp3", .tcp(20000...20000)), ("bacnet", .udp(47808...47808)),
        ("ping", Service(protocolNumber: 1, icmpType: 8)),
    ]

    private static let wellKnownByName: [String: Service] = Dictionary(wellKnown.map { ($0.name, $0.service) }) { first, _ in first }

    // MARK: Parsing

    private static let expectedForm = "a service such as tcp/443, udp/53, tcp/8000-8080, tcp/22,3389, icmp/8, ip/47, any, or a well-known name such as ssh, https, rdp, smb"

    static func parse(_ raw: String) throws(ServiceError) -> Service {
        let text = raw.trimmingSpaces().lowercased()
        if text.isEmpty { throw ServiceError(.empty, raw, "expected " + expectedForm) }
        if text == "any" { return .any }
        guard let slash = text.firstIndex(of: "/") else {
            if let p = protocolNumbers[text] { return Service(protocolNumber: p) }
            if let s = wellKnownByName[text] { return s }
            throw ServiceError(.unknownName, raw, "unknown protocol or service name '\(text)'; expected " + expectedForm)
        }
        let head = String(text[..<slash])
        let tail = text[text.index(after: slash)...]
        if head == "ip" {
            guard let n = decimal(tail, maximum: 255) else {
                throw ServiceError(.badProtocolNumber, raw, "expected an IP protocol number from 0 to 255 after 'ip/'")
            }
            return Service(protocolNumber: UInt8(n))
        }
        guard let p = protocolNumbers[head] else {
            throw ServiceError(.unknownProtocol, raw, "unknown protocol '\(head)'; expected one of "
                + protocolNames.map(\.name).joined(separator: ", ") + ", or ip/NUMBER")
        }
        if portProtocols.contains(p) {
            return Service(protocolNumber: p, ports: try portList(tail, raw: raw))
        }
        if icmpProtocols.contains(p) {
            guard let t = decimal(tail, maximum: 255) else {
                throw ServiceError(.badICMPType, raw, "expected an ICMP type from 0 to 255 after '\(head)/'")
            }
            return Service(protocolNumber: p, icmpType: UInt8(t))
        }
        throw ServiceError(.portsNotApplicable, raw, "protocol \(head) has no ports; expected '\(head)' alone (ports apply to "
            + portProtocols.sorted().compactMap(protocolName).joined(separator: ", ") + ")")
    }

    /// `22`, `8000-8080`, `22,3389,8000-8080`.
    private static func portList(_ text: Substring, raw: String) throws(ServiceError) -> [ClosedRange<UInt16>] {
        var ranges: [ClosedRange<UInt16>] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = item.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
            guard let lo = decimal(bounds[0], maximum: 65535), let hi = bounds.count == 2 ? decimal(bounds[1], maximum: 65535) : lo else {
                throw ServiceError(.badPort, raw, "expected a port from 0 to 65535 or a range like 8000-8080, not '\(item)'")
            }
            guard lo <= hi else {
                throw ServiceError(.badPortRange, raw, "port range \(item) runs backwards; expected \(hi)-\(lo)")
            }
            ranges.append(UInt16(lo)...UInt16(hi))
        }
        return ranges
    }

    /// A plain decimal number (digits only, at most 5 of them) not above `maximum`.
    private static func decimal(_ text: Substring, maximum: Int) -> Int? {
        guard !text.isEmpty, text.utf8.count <= 5, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let n = Int(text), n <= maximum else {
            return nil
        }
        return n
    }

    private static func merge(_ ranges: [ClosedRange<UInt16>]) -> [ClosedRange<UInt16>] {
        var out: [ClosedRange<UInt16>] = []
        for r in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = out.last, Int(r.lowerBound) <= Int(last.upperBound) + 1 {
                out[out.count - 1] = last.lowerBound...max(last.upperBound, r.upperBound)
            } else {
                out.append(r)
            }
        }
        return out
    }
}

/// Why a text is not a service: a stable code and a message saying what was expected.
public struct ServiceError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        case empty
        case unknownName = "unknown-name"
        case unknownProtocol = "unknown-protocol"
        case badProtocolNumber = "bad-protocol-number"
        case badPort = "bad-port"
        case badPortRange = "bad-port-range"
        case badICMPType = "bad-icmp-type"
        case portsNotApplicable = "ports-not-applicable"
    }

    public var code: Code
    /// The text as given.
    public var text: String
    /// What was wrong and what was expected instead.
    public var message: String

    public init(_ code: Code, _ text: String, _ message: String) {
        self.code = code
        self.text = text
        self.message = message
    }

    public var description: String { "'\(text)' is not a service: \(message)" }
}

extension String {
    /// The text without leading and trailing spaces and tabs (no Foundation needed).
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
