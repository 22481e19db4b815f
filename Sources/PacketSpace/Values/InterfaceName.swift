/// Network interface names as values of the interface fields.
///
/// Linux names are at most 15 bytes (`IFNAMSIZ` is 16 with the terminating NUL) and never contain
/// NUL, so a name packed big-endian into 16 bytes, padded with zeros, keeps lexicographic order. All
/// names starting with a prefix then form one interval — which is what iptables' `eth+` and
/// nftables' `"eth*"` wildcards mean. The value 0 is the empty name: no interface.
public enum InterfaceName {
    /// The longest name Linux allows.
    public static let maximumLength = 15

    /// The value of an exact name, or nil when it is too long.
    public static func value(_ name: Substring) -> UInt128? {
        let bytes = Array(name.utf8)
        guard bytes.count <= maximumLength, !bytes.contains(0) else { return nil }
        var v: UInt128 = 0
        for i in 0..<16 { v = v << 8 | UInt128(i < bytes.count ? bytes[i] : 0) }
        return v
    }

    /// The interval of every name starting with `prefix` (the empty prefix: every non-empty name).
    public static func prefixRange(_ prefix: Substring) -> ClosedRange<UInt128>? {
        guard let low = value(prefix) else { return nil }
        let used = prefix.utf8.count
        let free = (16 - used) * 8
        let high = free >= 128 ? UInt128.max : low | ((UInt128(1) << free) - 1)
        return Swift.max(low, 1)...high
    }

    /// The set an iptables interface argument denotes: a trailing `+` is a prefix wildcard.
    public static func iptablesPattern(_ text: Substring) -> IntervalSet? {
        if text.hasSuffix("+") {
            return prefixRange(text.dropLast()).map { IntervalSet($0) }
        }
        return value(text).map { IntervalSet(value: $0) }
    }

    /// A readable name within `range`: the shortest one, preferring a digit or letter where a
    /// character must be added (`eth2*` gives `eth2`, not the range's last, unprintable value).
    public static func readable(in range: ClosedRange<UInt128>) -> UInt128 {
        func byte(_ v: UInt128, _ i: Int) -> UInt8 { UInt8(truncatingIfNeeded: v >> UInt128(120 - 8 * i)) }
        let lo = range.lowerBound, hi = range.upperBound
        var k = 0
        while k < 16 && byte(lo, k) == byte(hi, k) { k += 1 }
        if k == 16 { return lo }
        let keep: UInt128 = k == 0 ? 0 : ~((UInt128(1) << UInt128(128 - 8 * k)) - 1)
        let prefix = lo & keep
        if prefix >= lo { return prefix }
        let a = byte(lo, k), b = byte(hi, k)
        let preferred = Array(UInt8(ascii: "0")...UInt8(ascii: "9")) + Array(UInt8(ascii: "a")...UInt8(ascii: "z"))
        for c in preferred where c > a && c <= b {
            return prefix | UInt128(c) << UInt128(120 - 8 * k)
        }
        return lo
    }

    /// The name a value encodes (the empty string for 0).
    public static func name(_ value: UInt128) -> String {
        var bytes: [UInt8] = []
        for i in stride(from: 120, through: 0, by: -8) {
            let b = UInt8(truncatingIfNeeded: value >> UInt128(i))
            if b == 0 { break }
            bytes.append(b)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// MAC addresses as values of ``PacketField/sourceMAC``.
public enum MACAddress {
    /// Parses `aa:bb:cc:dd:ee:ff`.
    public static func parse(_ text: Substring) -> UInt128? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 6 else { return nil }
        var v: UInt128 = 0
        for p in parts {
            guard p.utf8.count == 2 || p.utf8.count == 1, let b = UInt8(p, radix: 16) else { return nil }
            v = v << 8 | UInt128(b)
        }
        return v
    }

    public static func format(_ value: UInt128) -> String {
        (0..<6).map { i -> String in
            let b = UInt8(truncatingIfNeeded: value >> UInt128(40 - 8 * i))
            return b < 16 ? "0" + String(b, radix: 16) : String(b, radix: 16)
        }.joined(separator: ":")
    }
}
