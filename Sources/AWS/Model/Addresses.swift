public import PacketSpace

/// An IP address as the packet space encodes it: the family, and the value (IPv4 mapped into
/// `::ffff:0:0/96`, so that `family` and not the value tells the families apart).
public struct AWSAddress: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var family: AddressFamily
    public var value: UInt128

    public init(family: AddressFamily, value: UInt128) {
        self.family = family
        self.value = value
    }

    /// Parses `10.0.0.1` or `2001:db8::1`.
    public init?(_ text: String) {
        guard let (value, family) = IPAddress.parse(Substring(text)) else { return nil }
        self.init(family: family, value: value)
    }

    public static func < (a: AWSAddress, b: AWSAddress) -> Bool {
        a.family.rawValue != b.family.rawValue ? a.family.rawValue < b.family.rawValue : a.value < b.value
    }

    public var description: String { IPAddress.format(value, family: family) }
}

/// A CIDR block as an export writes it, with the interval of addresses it stands for.
public struct AWSCIDR: Hashable, Sendable, CustomStringConvertible {
    /// The text as written (`2.2.2.2/28`).
    public var text: String
    public var family: AddressFamily
    public var prefixLength: Int
    /// The addresses of the block; host bits written in the text are ignored, as AWS does.
    public var range: ClosedRange<UInt128>
    /// Whether the text has host bits set (`2.2.2.2/28` stands for `2.2.2.0/28`).
    public var hasHostBits: Bool

    /// Parses `a.b.c.d/n` or `x:…/n` of the given family; nil when the text is not such a block.
    public init?(_ text: String, family: AddressFamily) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        let width = family == .ipv4 ? 32 : 128
        guard parts.count == 2, !parts[1].isEmpty, parts[1].utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
              let length = Int(parts[1]), (0...width).contains(length) else { return nil }
        let parsed = family == .ipv4 ? IPAddress.parseV4(parts[0]) : IPAddress.parseV6(parts[0])
        guard let base = parsed else { return nil }
        self.text = text
        self.family = family
        prefixLength = length
        range = IPAddress.prefix(base, length: length, family: family)
        hasHostBits = base != range.lowerBound
    }

    /// Whether the block is a whole family (`0.0.0.0/0`, `::/0`).
    public var isEverything: Bool { prefixLength == 0 }

    /// The block as canonical text (`2.2.2.0/28`).
    public var canonical: String { "\(IPAddress.format(range.lowerBound, family: family))/\(prefixLength)" }

    public var description: String { text }
}

/// A set of addresses of both families.
public struct AddressSet: Hashable, Sendable {
    /// IPv4 addresses, in their mapped encoding (a subset of ``IPAddress/ipv4Range``).
    public var ipv4: IntervalSet
    /// IPv6 addresses.
    public var ipv6: IntervalSet

    public init(ipv4: IntervalSet = IntervalSet(), ipv6: IntervalSet = IntervalSet()) {
        self.ipv4 = ipv4
        self.ipv6 = ipv6
    }

    public init<S: Sequence>(_ addresses: S) where S.Element == AWSAddress {
        var v4: [ClosedRange<UInt128>] = []
        var v6: [ClosedRange<UInt128>] = []
        for a in addresses {
            if a.family == .ipv4 { v4.append(a.value...a.value) } else { v6.append(a.value...a.value) }
        }
        self.init(ipv4: IntervalSet(ranges: v4), ipv6: IntervalSet(ranges: v6))
    }

    public init(_ cidr: AWSCIDR) {
        if cidr.family == .ipv4 { self.init(ipv4: IntervalSet(cidr.range)) } else { self.init(ipv6: IntervalSet(cidr.range)) }
    }

    public static let empty = AddressSet()
    /// Every address of both families.
    public static let everything = AddressSet(ipv4: IntervalSet(IPAddress.ipv4Range), ipv6: IntervalSet(0...UInt128.max))

    public subscript(family: AddressFamily) -> IntervalSet { family == .ipv4 ? ipv4 : ipv6 }

    public var isEmpty: Bool { ipv4.isEmpty && ipv6.isEmpty }

    public func contains(_ address: AWSAddress) -> Bool { self[address.family].contains(address.value) }

    public func union(_ other: AddressSet) -> AddressSet {
        AddressSet(ipv4: ipv4.union(other.ipv4), ipv6: ipv6.union(other.ipv6))
    }

    public func intersection(_ other: AddressSet) -> AddressSet {
        AddressSet(ipv4: ipv4.intersection(other.ipv4), ipv6: ipv6.intersection(other.ipv6))
    }

    public func subtracting(_ other: AddressSet) -> AddressSet {
        AddressSet(ipv4: ipv4.subtracting(other.ipv4), ipv6: ipv6.subtracting(other.ipv6))
    }

    public func isSubset(of other: AddressSet) -> Bool { ipv4.isSubset(of: other.ipv4) && ipv6.isSubset(of: other.ipv6) }

    /// The private ranges of both families: RFC 1918, shared address space (RFC 6598) and unique
    /// local IPv6 (RFC 4193). A VPC's own blocks lie in them.
    public static let privateRanges: AddressSet = {
        let v4 = { (a: UInt32, length: Int) in IPAddress.prefix(IPAddress.v4(a), length: length, family: .ipv4) }
        return AddressSet(
            ipv4: IntervalSet(ranges: [v4(0x0A00_0000, 8), v4(0xAC10_0000, 12), v4(0xC0A8_0000, 16), v4(0x6440_0000, 10)]),
            ipv6: IntervalSet(IPAddress.prefix(0xFC00 << 112, length: 7, family: .ipv6)))
    }()
}
