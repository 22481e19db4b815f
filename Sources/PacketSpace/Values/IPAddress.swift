/// IPv4 and IPv6 addresses as values of the packet space's address fields.
///
/// IPv6 addresses are their 128-bit value; IPv4 addresses are mapped into `::ffff:0:0/96` so both
/// families share one domain.
public enum IPAddress {
    /// The start of the IPv4-mapped range, `::ffff:0.0.0.0`.
    public static let ipv4Base: UInt128 = 0xFFFF_0000_0000
    /// Every IPv4 address, as an interval of the address domain.
    public static let ipv4Range: ClosedRange<UInt128> = ipv4Base...(ipv4Base + 0xFFFF_FFFF)

    /// The value of an IPv4 address given as a 32-bit number.
    @inlinable public static func v4(_ address: UInt32) -> UInt128 { ipv4Base | UInt128(address) }

    /// Parses dotted-quad IPv4 (`192.0.2.1`) into its mapped value.
    public static func parseV4(_ text: Substring) -> UInt128? {
        var parts = 0
        var value: UInt32 = 0
        var octet: UInt32 = 0
        var digits = 0
        for c in text.utf8 {
            if c == UInt8(ascii: ".") {
                guard digits > 0, parts < 3 else { return nil }
                value = value << 8 | octet
                parts += 1
                octet = 0
                digits = 0
            } else if c >= 48 && c <= 57 {
                octet = octet * 10 + UInt32(c - 48)
                digits += 1
                guard octet <= 255, digits <= 3 else { return nil }
            } else {
                return nil
            }
        }
        guard digits > 0, parts == 3 else { return nil }
        return v4(value << 8 | octet)
    }

    /// Parses an IPv6 address in any RFC 4291 text form, including an embedded IPv4 tail.
    public static func parseV6(_ text: Substring) -> UInt128? {
        guard !text.isEmpty, text.utf8.count <= 45 else { return nil }
        var halves: [Substring] = []
        var rest = text
        if let gap = rest.firstRange(of: "::") {
            halves = [rest[..<gap.lowerBound], rest[gap.upperBound...]]
            guard !halves[1].contains("::") else { return nil }
        } else {
            halves = [rest]
        }
        rest = ""
        func words(_ part: Substring, last: Bool) -> [UInt16]? {
            if part.isEmpty { return [] }
            var out: [UInt16] = []
            let groups = part.split(separator: ":", omittingEmptySubsequences: false)
            for (i, g) in groups.enumerated() {
                if g.contains(".") {
                    guard last, i == groups.count - 1, let v4 = parseV4(g) else { return nil }
                    let raw = UInt32(truncatingIfNeeded: v4)
                    out += [UInt16(raw >> 16), UInt16(raw & 0xFFFF)]
                } else {
                    guard !g.isEmpty, g.utf8.count <= 4, let w = UInt16(g, radix: 16) else { return nil }
                    out.append(w)
                }
            }
            return out
        }
        let gap = halves.count == 2
        guard let head = words(halves[0], last: !gap) else { return nil }
        let tail: [UInt16]
        if gap {
            guard let t = words(halves[1], last: true) else { return nil }
            tail = t
        } else {
            tail = []
        }
        let total = head.count + tail.count
        if gap { guard total <= 7 else { return nil } } else { guard total == 8 else { return nil } }
        var value: UInt128 = 0
        for w in head + Array(repeating: 0, count: 8 - total) + tail { value = value << 16 | UInt128(w) }
        return value
    }

    /// Parses either family; `family` tells which one the text was.
    public static func parse(_ text: Substring) -> (value: UInt128, family: AddressFamily)? {
        if text.utf8.contains(UInt8(ascii: ":")) {
            return parseV6(text).map { ($0, .ipv6) }
        }
        return parseV4(text).map { ($0, .ipv4) }
    }

    /// Parses `addr`, `addr/len` or `addr/netmask` into the interval of addresses it denotes.
    ///
    /// iptables accepts a dotted netmask for IPv4; a non-contiguous mask is not an interval and is refused.
    public static func parseNetwork(_ text: Substring, family: AddressFamily) -> ClosedRange<UInt128>? {
        // Fast path: dotted quad with an optional /length.
        if family == .ipv4 {
            var value: UInt32 = 0, octet: UInt32 = 0, dots = 0, digits = 0, length = -1
            var ok = true
            for c in text.utf8 {
                if length >= 0 {
                    guard c >= 48 && c <= 57, length <= 32 else { ok = false; break }
                    length = length * 10 + Int(c - 48)
                } else if c >= 48 && c <= 57 {
                    octet = octet * 10 + UInt32(c - 48)
                    digits += 1
                    if octet > 255 || digits > 3 { ok = false; break }
                } else if c == UInt8(ascii: ".") && digits > 0 && dots < 3 {
                    value = value << 8 | octet; octet = 0; digits = 0; dots += 1
                } else if c == UInt8(ascii: "/") && digits > 0 && dots == 3 {
                    length = 0
                } else {
                    ok = false
                    break
                }
            }
            if ok && dots == 3 && digits > 0 && length <= 32 && (length != 0 || text.utf8.last != UInt8(ascii: "/")) {
                value = value << 8 | octet
                return prefix(v4(value), length: length < 0 ? 32 : length, family: .ipv4)
            }
        }
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = parts.first else { return nil }
        let base: UInt128
        switch family {
        case .ipv4: guard let v = parseV4(first) else { return nil }; base = v
        case .ipv6: guard let v = parseV6(first) else { return nil }; base = v
        }
        let bits = family == .ipv4 ? 32 : 128
        var length = bits
        if parts.count == 2 {
            if let n = Int(parts[1]), n >= 0, n <= bits {
                length = n
            } else if family == .ipv4, let mask = parseV4(parts[1]) {
                let m = UInt32(truncatingIfNeeded: mask)
                let ones = m.nonzeroBitCount
                guard m == (ones == 0 ? 0 : UInt32.max << (32 - ones)) else { return nil }
                length = ones
            } else {
                return nil
            }
        }
        return prefix(base, length: length, family: family)
    }

    /// The interval of a prefix of `length` bits (counted within the family's own width).
    public static func prefix(_ address: UInt128, length: Int, family: AddressFamily) -> ClosedRange<UInt128> {
        let hostBits = (family == .ipv4 ? 32 : 128) - length
        if hostBits >= 128 { return 0...UInt128.max }
        let hostMask: UInt128 = hostBits == 0 ? 0 : (UInt128(1) << hostBits) - 1
        let low = address & ~hostMask
        return low...(low | hostMask)
    }

    /// The text of an address value: dotted quad for mapped IPv4, RFC 5952 form for IPv6.
    public static func format(_ value: UInt128, family: AddressFamily) -> String {
        if family == .ipv4 {
            let v = UInt32(truncatingIfNeeded: value)
            return "\(v >> 24).\((v >> 16) & 255).\((v >> 8) & 255).\(v & 255)"
        }
        var words: [UInt16] = []
        for i in stride(from: 112, through: 0, by: -16) { words.append(UInt16(truncatingIfNeeded: value >> UInt128(i))) }
        // The longest run of two or more zero words becomes "::" (the first such run on ties).
        var bestStart = -1
        var bestLength = 1
        var i = 0
        while i < 8 {
            if words[i] == 0 {
                var j = i
                while j < 8 && words[j] == 0 { j += 1 }
                if j - i > bestLength { bestStart = i; bestLength = j - i }
                i = j
            } else {
                i += 1
            }
        }
        func hex(_ w: UInt16) -> String { String(w, radix: 16) }
        if bestStart < 0 { return words.map(hex).joined(separator: ":") }
        let left = words[..<bestStart].map(hex).joined(separator: ":")
        let right = words[(bestStart + bestLength)...].map(hex).joined(separator: ":")
        return left + "::" + right
    }

    /// The shortest text for an interval of addresses: `a`, `a/len` or `a-b`.
    public static func format(range: ClosedRange<UInt128>, family: AddressFamily) -> String {
        let lo = range.lowerBound
        let hi = range.upperBound
        if lo == hi { return format(lo, family: family) }
        let span = hi - lo
        if (span & (span &+ 1)) == 0 && lo & span == 0 {
            let hostBits = span == .max ? 128 : (span + 1).trailingZeroBitCount
            let width = family == .ipv4 ? 32 : 128
            return "\(format(lo, family: family))/\(width - hostBits)"
        }
        return "\(format(lo, family: family))-\(format(hi, family: family))"
    }

    /// The smallest prefix holding the whole interval, as (first address, prefix length in 128-bit terms).
    @inlinable public static func coveringPrefixLength(_ range: ClosedRange<UInt128>) -> Int {
        let diff = range.lowerBound ^ range.upperBound
        return diff.leadingZeroBitCount
    }
}
