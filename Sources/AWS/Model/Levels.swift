public import PacketSpace
import BulwarkModel

/// What an element of a security group or network ACL matches, with Bulwark's honesty about it.
///
/// `certain`: packets it surely matches. `assumed`: the reading Bulwark answers with (the AWS or
/// Batfish reading of an odd value, or only the known members of a group). `possible`: packets it may
/// match at most. `certain ⊆ assumed ⊆ possible`; the element is exact when all three are equal.
public struct Levels<Value: Hashable & Sendable>: Hashable, Sendable {
    public var certain: Value
    public var assumed: Value
    public var possible: Value

    public init(certain: Value, assumed: Value, possible: Value) {
        self.certain = certain
        self.assumed = assumed
        self.possible = possible
    }

    public init(exactly value: Value) { self.init(certain: value, assumed: value, possible: value) }

    public var isExact: Bool { certain == possible }
}

/// How surely an element matches one packet.
public enum MatchCertainty: Int, Comparable, Sendable {
    /// Not even possibly.
    case no = 0
    /// Only in `possible`: whether it matches depends on what the export does not show.
    case possibly
    /// In `assumed` but not `certain`: Bulwark's reading says it matches, and that reading is not certain.
    case assumed
    /// In `certain`.
    case certainly

    public static func < (a: MatchCertainty, b: MatchCertainty) -> Bool { a.rawValue < b.rawValue }

    /// Whether Bulwark's answer counts the element as matching.
    public var counts: Bool { self >= .assumed }

    /// The certainty of a packet against levels of sets, given a membership test.
    static func of<V>(_ levels: Levels<V>, _ contains: (V) -> Bool) -> MatchCertainty {
        if contains(levels.certain) { return .certainly }
        if contains(levels.assumed) { return .assumed }
        if contains(levels.possible) { return .possibly }
        return .no
    }
}

/// The protocol-and-port part of a rule: one protocol or all, a destination port range, an ICMP
/// type and code. Fields left nil are unconstrained.
public struct ServiceMatch: Hashable, Sendable, CustomStringConvertible {
    /// The protocol number; nil for every protocol.
    public var protocolNumber: UInt8?
    /// Destination ports (TCP and UDP); nil for every port.
    public var ports: ClosedRange<UInt16>?
    /// ICMP or ICMPv6 type; nil for every type.
    public var icmpType: UInt8?
    /// ICMP or ICMPv6 code; nil for every code.
    public var icmpCode: UInt8?

    public init(protocolNumber: UInt8? = nil, ports: ClosedRange<UInt16>? = nil, icmpType: UInt8? = nil, icmpCode: UInt8? = nil) {
        self.protocolNumber = protocolNumber
        self.ports = ports
        self.icmpType = icmpType
        self.icmpCode = icmpCode
    }

    /// All traffic.
    public static let everything = ServiceMatch()

    /// Whether a packet with these fields matches.
    public func contains(protocolNumber p: UInt8, destinationPort: UInt16, icmpType t: UInt8, icmpCode c: UInt8) -> Bool {
        if let protocolNumber, protocolNumber != p { return false }
        if let ports, !ports.contains(destinationPort) { return false }
        if let icmpType, icmpType != t { return false }
        if let icmpCode, icmpCode != c { return false }
        return true
    }

    /// The packets it matches, as a cube over protocol, destination port and ICMP type/code.
    public var cube: PacketCube {
        var cube = PacketCube()
        if let protocolNumber { cube.restrict(.protocolNumber, to: UInt128(protocolNumber)) }
        if let ports { cube.restrict(.destinationPort, to: UInt128(ports.lowerBound)...UInt128(ports.upperBound)) }
        switch (icmpType, icmpCode) {
        case (nil, nil): break
        case let (t?, nil): cube.restrict(.icmpTypeCode, to: UInt128(t) << 8...(UInt128(t) << 8 | 255))
        case let (t?, c?): cube.restrict(.icmpTypeCode, to: UInt128(t) << 8 | UInt128(c))
        case let (nil, c?): cube.restrict(.icmpTypeCode, to: IntervalSet(ranges: (0...255).map { (UInt128($0) << 8 | UInt128(c))...(UInt128($0) << 8 | UInt128(c)) }))
        }
        return cube
    }

    /// Whether every packet it matches is matched by `other`.
    public func isSubset(of other: ServiceMatch) -> Bool {
        func within<T: Equatable>(_ mine: T?, _ theirs: T?) -> Bool { theirs == nil || mine == theirs }
        guard within(protocolNumber, other.protocolNumber), within(icmpType, other.icmpType), within(icmpCode, other.icmpCode) else { return false }
        // No port range is every port.
        let mine = ports ?? 0...65535
        let theirs = other.ports ?? 0...65535
        return theirs.lowerBound <= mine.lowerBound && mine.upperBound <= theirs.upperBound
    }

    public var description: String {
        guard let p = protocolNumber else { return "all traffic" }
        var text = ServiceMatch.protocolName(p)
        if let ports { text += ports == 0...65535 ? " all ports" : ports.count == 1 ? " \(ports.lowerBound)" : " \(ports.lowerBound)-\(ports.upperBound)" }
        if p == 1 || p == 58 {
            switch (icmpType, icmpCode) {
            case (nil, nil): text += " all types"
            case let (t?, nil): text += " type \(t)"
            case let (t?, c?): text += " type \(t) code \(c)"
            case let (nil, c?): text += " code \(c)"
            }
        }
        return text
    }

    /// `tcp`, `udp`, `icmp`, `icmpv6`, or `protocol N`.
    public static func protocolName(_ number: UInt8) -> String {
        Service.protocolName(number) ?? "protocol \(number)"
    }
}

extension Levels where Value == ServiceMatch? {
    /// How surely a packet with these fields matches.
    func certainty(protocolNumber p: UInt8, destinationPort: UInt16, icmpType t: UInt8, icmpCode c: UInt8) -> MatchCertainty {
        MatchCertainty.of(self) { $0?.contains(protocolNumber: p, destinationPort: destinationPort, icmpType: t, icmpCode: c) ?? false }
    }
}

extension Levels where Value == AddressSet {
    func certainty(_ address: AWSAddress) -> MatchCertainty { MatchCertainty.of(self) { $0.contains(address) } }
}
