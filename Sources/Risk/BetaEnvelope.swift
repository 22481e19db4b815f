import BulwarkModel
import Foundation

/// Exact Beta(a, b) variates, any shapes a, b > 0, by rejection under a stepped envelope: one
/// rejection loop with no gamma variates, and for most draws no logarithm.
///
/// [0, 1] is cut into 256 strips of equal width. Over each strip stands a box as high as the density
/// gets there, in two parts: the *floor*, up to the lowest the density gets in the strip (entirely
/// under the density), and the *cap* above it. A draw picks one of the 512 parts in proportion to its
/// area (Walker's alias table: one 64-bit number) and a point uniformly across its strip (a second).
/// A point in a floor is under the density and is kept as it is; a point in a cap is kept only if a
/// uniform height within the cap falls under the density, and otherwise the draw starts again. Where
/// a shape is below 1 the density is unbounded at that end, and the end strip's envelope is instead
/// C·x^(a−1) (or C·(1−x)^(b−1)), drawn by inversion and thinned the same way. This is rejection
/// sampling from the uniform distribution under the envelope, so the kept points are exactly
/// Beta(a, b) distributed: the table only decides how often the density itself must be evaluated
/// (about one draw in fifty for the shapes PERT estimates give), never the distribution.
struct BetaEnvelope: Sendable {
    static let strips = 256
    static let width = 1 / Double(strips)

    /// One of the 512 parts (floors 0..<256, caps 256..<512): the part is kept when the low 55 bits
    /// of its random number are below `threshold` (2^55 always keeps it), else `alias` is taken.
    struct Part: Sendable {
        var threshold: UInt64
        var alias: Int
    }

    static let lowBits: UInt64 = 1 << 55 - 1

    let parts: ContiguousArray<Part>
    /// Each strip's floor and box height, in units of the density's largest value away from an
    /// unbounded end.
    let floors: ContiguousArray<Double>, ceilings: ContiguousArray<Double>
    let a: Double, b: Double, logPeak: Double
    /// For an unbounded end: a squeeze for the thinning (the other factor's least value on the end
    /// strip over its largest), and the log of that largest value, raised a little against rounding.
    let lowTail: (squeeze: Double, logTop: Double)?, highTail: (squeeze: Double, logTop: Double)?

    init(_ a: Double, _ b: Double) {
        precondition(a > 0 && b > 0, "beta shapes must be positive")
        let n = Self.strips, h = Self.width
        let a1 = a - 1, b1 = b - 1
        // The only point inside (0, 1) where the density turns: its mode, or its lowest point when
        // both shapes are below 1.
        let turn: Double? = (a1 > 0 && b1 > 0) || (a1 < 0 && b1 < 0) ? a1 / (a1 + b1) : nil
        func logDensity(_ x: Double) -> Double { Self.logDensity(x, a1, b1) }
        let edges = (0...n).map { logDensity(Double($0) * h) }
        var bounded = edges[(a < 1 ? 1 : 0)...(b < 1 ? n - 1 : n)].max()!
        if let t = turn { bounded = max(bounded, logDensity(t)) }
        let peak = bounded
        var floors = ContiguousArray<Double>(repeating: 0, count: n), ceilings = floors
        for i in 0..<n {
            var low = min(edges[i], edges[i + 1]), high = max(edges[i], edges[i + 1])
            if let t = turn, Double(i) * h <= t, t <= Double(i + 1) * h {
                low = min(low, logDensity(t))
                high = max(high, logDensity(t))
            }
            // Rounding in the density's evaluation must not put a box under it or a floor over it.
            ceilings[i] = exp(high - peak) * (1 + 1e-9)
            floors[i] = exp(low - peak) * (1 - 1e-9)
        }
        var caps = zip(ceilings, floors).map { $0 - $1 }
        // An unbounded end: C·x^(a−1) over (0, h], C the largest of (1 − x)^(b−1) there.
        func tail(_ shape: Double, _ other: Double) -> (mass: Double, squeeze: Double, logTop: Double) {
            let atEdge = (other - 1) * log(1 - h)
            let (largest, least) = other >= 1 ? (0.0, atEdge) : (atEdge, 0.0)
            let top = largest + log1p(1e-9)
            // Its area over the strip's width, as the boxes' weights are their heights.
            return (exp(top - peak + (shape - 1) * log(h)) / shape, exp(least - top) * (1 - 1e-9), top)
        }
        var lowTail: (squeeze: Double, logTop: Double)? = nil, highTail: (squeeze: Double, logTop: Double)? = nil
        if a < 1 {
            let t = tail(a, b)
            (floors[0], caps[0], lowTail) = (0, t.mass, (t.squeeze, t.logTop))
        }
        if b < 1 {
            let t = tail(b, a)
            (floors[n - 1], caps[n - 1], highTail) = (0, t.mass, (t.squeeze, t.logTop))
        }
        (self.a, self.b, logPeak) = (a, b, peak)
        (self.floors, self.ceilings, self.lowTail, self.highTail) = (floors, ceilings, lowTail, highTail)
        parts = Self.aliasTable(Array(floors) + caps)
    }

    /// The log of x^(a−1)·(1−x)^(b−1), given a − 1 and b − 1.
    @inline(__always)
    static func logDensity(_ x: Double, _ a1: Double, _ b1: Double) -> Double {
        // A shape of exactly 1 contributes nothing, even at the end where the log is infinite.
        (a1 == 0 ? 0 : a1 * log(x)) + (b1 == 0 ? 0 : b1 * log(1 - x))
    }

    /// Walker's alias table (Vose's construction) for drawing part j with probability ∝ weights[j].
    static func aliasTable(_ weights: [Double]) -> ContiguousArray<Part> {
        let n = weights.count, total = weights.reduce(0, +), always = lowBits + 1
        var scaled = weights.map { $0 * Double(n) / total }
        var parts = ContiguousArray((0..<n).map { Part(threshold: always, alias: $0) })
        var small = (0..<n).filter { scaled[$0] < 1 }, large = (0..<n).filter { scaled[$0] >= 1 }
        while let s = small.popLast() {
            guard let l = large.popLast() else { break }
            parts[s] = Part(threshold: UInt64(min(1, max(0, scaled[s])) * Double(lowBits)), alias: l)
            scaled[l] = (scaled[l] + scaled[s]) - 1
            if scaled[l] < 1 { small.append(l) } else { large.append(l) }
        }
        // Whatever is left holds a share of 1 up to rounding: it keeps itself.
        return parts
    }

    /// One variate in [0, 1]. `parts` is this envelope's table, taken out of its array once by the caller.
    @inline(__always)
    func sample(_ g: inout RandomSource, _ parts: UnsafeBufferPointer<Part>) -> Double {
        while true {
            let r = g.rng.next()
            let i = Int(truncatingIfNeeded: r >> 55)
            let part = parts[i]
            // The part kept or its alias, without a branch: the sign of threshold − 1 − bits.
            let aliased = 0 &- Int(truncatingIfNeeded: (part.threshold &- 1 &- (r & Self.lowBits)) >> 63)
            let j = i ^ ((i ^ part.alias) & aliased)
            let u = g.uniform()
            if j < Self.strips { return (Double(j) + u) * Self.width }
            if let x = fromCap(j - Self.strips, u, &g) { return x }
        }
    }

    /// A point in strip s's cap (or end envelope) at position u across it, if it falls under the density.
    @inline(never)
    func fromCap(_ s: Int, _ u: Double, _ g: inout RandomSource) -> Double? {
        if s == 0, let t = lowTail {
            let x = Self.width * exp(log(u) / a)
            let v = g.uniform()
            return v < t.squeeze || log(v) + t.logTop < Self.logDensity(x, 0, b - 1) ? x : nil
        }
        if s == Self.strips - 1, let t = highTail {
            let w = Self.width * exp(log(u) / b)
            let v = g.uniform()
            return v < t.squeeze || log(v) + t.logTop < Self.logDensity(w, 0, a - 1) ? 1 - w : nil
        }
        let x = (Double(s) + u) * Self.width
        let y = floors[s] + g.uniform() * (ceilings[s] - floors[s])
        return log(y) + logPeak < Self.logDensity(x, a - 1, b - 1) ? x : nil
    }
}
