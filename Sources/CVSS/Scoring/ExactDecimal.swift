/// A decimal number held exactly as `units / 10^scale`.
///
/// The CVSS v2.0 equations multiply and add decimal constants with at most three places; carried
/// out exactly, every intermediate value of the base, temporal and environmental equations fits in
/// 128 bits (the widest, the environmental base, has 21 places and magnitude below 10^3), so
/// "round to one decimal" rounds the true value and never a binary approximation of it.
struct ExactDecimal: Sendable, Comparable {
    var units: Int128
    var scale: Int

    init(_ units: Int128, scale: Int = 0) {
        self.units = units
        self.scale = scale
    }

    static let zero = ExactDecimal(0)

    static func * (lhs: ExactDecimal, rhs: ExactDecimal) -> ExactDecimal {
        ExactDecimal(lhs.units * rhs.units, scale: lhs.scale + rhs.scale)
    }

    static func + (lhs: ExactDecimal, rhs: ExactDecimal) -> ExactDecimal {
        let (left, right) = aligned(lhs, rhs)
        return ExactDecimal(left.units + right.units, scale: left.scale)
    }

    static func - (lhs: ExactDecimal, rhs: ExactDecimal) -> ExactDecimal {
        let (left, right) = aligned(lhs, rhs)
        return ExactDecimal(left.units - right.units, scale: left.scale)
    }

    static func < (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        let (left, right) = aligned(lhs, rhs)
        return left.units < right.units
    }

    static func == (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        let (left, right) = aligned(lhs, rhs)
        return left.units == right.units
    }

    /// Rounded to `places` decimals, halves away from zero ("round to one decimal" of the v2.0 guide).
    func rounded(places: Int) -> ExactDecimal {
        guard scale > places else { return self }
        let divisor = Self.powerOfTen(scale - places)
        let magnitude = units.magnitude
        var quotient = magnitude / UInt128(divisor)
        if (magnitude % UInt128(divisor)) * 2 >= UInt128(divisor) { quotient += 1 }
        let signed = Int128(quotient)
        return ExactDecimal(units < 0 ? -signed : signed, scale: places)
    }

    var doubleValue: Double {
        Double(units) / Double(Self.powerOfTen(scale))
    }

    private static func aligned(_ lhs: ExactDecimal, _ rhs: ExactDecimal) -> (ExactDecimal, ExactDecimal) {
        if lhs.scale == rhs.scale { return (lhs, rhs) }
        if lhs.scale < rhs.scale {
            return (ExactDecimal(lhs.units * powerOfTen(rhs.scale - lhs.scale), scale: rhs.scale), rhs)
        }
        return (lhs, ExactDecimal(rhs.units * powerOfTen(lhs.scale - rhs.scale), scale: lhs.scale))
    }

    private static func powerOfTen(_ exponent: Int) -> Int128 {
        var result: Int128 = 1
        for _ in 0..<max(exponent, 0) { result *= 10 }
        return result
    }
}

extension ExactDecimal: ExpressibleByIntegerLiteral {
    init(integerLiteral value: Int) {
        self.init(Int128(value))
    }
}
