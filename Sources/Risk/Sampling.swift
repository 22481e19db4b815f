public import BulwarkModel
import Foundation

/// A PERT distribution: a beta distribution on [low, high] around a most likely value, as FAIR
/// estimates are written (low, most likely, high), with shape `gamma` (4 for the classic PERT).
/// Both parametrizations in use are available:
///
/// - ``Shape/classic`` (Malcolm et al. 1959, Vose): α = 1 + γ (mode − low) / (high − low),
///   β = 1 + γ (high − mode) / (high − low); the beta's mode is `mode`.
/// - ``Shape/moments`` (pyfair's `FairBetaPert`): the beta whose mean is (low + γ·mode + high) / (γ + 2)
///   and whose standard deviation is (high − low) / (γ + 2). It equals the classic one when the
///   mode is the midpoint.
///
/// Both have the mean (low + γ·mode + high) / (γ + 2).
public struct PERT: Sendable, Hashable {
    public enum Shape: String, Sendable, Hashable, CaseIterable {
        case classic, moments
    }

    public let low: Double
    public let mode: Double
    public let high: Double
    public let gamma: Double
    public let shape: Shape

    public init?(low: Double, mode: Double, high: Double, gamma: Double = 4, shape: Shape = .classic) {
        guard low.isFinite, high.isFinite, mode.isFinite, low <= mode, mode <= high, gamma > 0 else { return nil }
        self.low = low
        self.mode = mode
        self.high = high
        self.gamma = gamma
        self.shape = shape
    }

    public var mean: Double { (low + gamma * mode + high) / (gamma + 2) }

    public var alpha: Double {
        guard high > low else { return 1 }
        switch shape {
        case .classic: return 1 + gamma * (mode - low) / (high - low)
        case .moments:
            let sd = (high - low) / (gamma + 2)
            return (mean - low) / (high - low) * ((mean - low) * (high - mean) / (sd * sd) - 1)
        }
    }

    public var beta: Double {
        guard high > low else { return 1 }
        switch shape {
        case .classic: return 1 + gamma * (high - mode) / (high - low)
        case .moments: return alpha * (high - mean) / (mean - low)
        }
    }

    /// One draw (for many, take ``sampler`` once: it works the constants out only once).
    public func sample(_ g: inout RandomSource) -> Double { sampler.sample(&g) }

    /// A sampler with the distribution's constants worked out once (for many draws).
    public var sampler: Sampler { Sampler(self) }

    /// Draws from a PERT with its beta's envelope (``BetaEnvelope``) worked out once.
    public struct Sampler: Sendable {
        let low: Double, range: Double
        /// Nil when low = high: every draw is `low`, and no random number is used.
        let envelope: BetaEnvelope?

        init(_ p: PERT) { self.init(low: p.low, high: p.high, alpha: p.alpha, beta: p.beta) }

        init(low: Double, high: Double, alpha: Double, beta: Double) {
            self.low = low
            range = high - low
            envelope = range > 0 ? BetaEnvelope(alpha, beta) : nil
        }

        public func sample(_ g: inout RandomSource) -> Double {
            var value = low
            draw(0..<1, &g) { _, x in value = x }
            return value
        }

        /// Draws a value for each index of `trials` in turn, handing each to `body` with its index.
        @inline(__always)
        func draw(_ trials: Range<Int>, _ g: inout RandomSource, _ body: (Int, Double) -> Void) {
            guard let e = envelope else {
                for t in trials { body(t, low) }
                return
            }
            // The stream in a local copy, so that its state stays in a register across draws.
            var stream = g
            e.parts.withUnsafeBufferPointer { parts in
                for t in trials { body(t, low + e.sample(&stream, parts) * range) }
            }
            g = stream
        }
    }
}

/// Uniform, normal, gamma and beta variates from a seeded SplitMix64 stream: the same seed gives the
/// same numbers on every machine.
public struct RandomSource: Sendable {
    var rng: SplitMix64

    public init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    /// A uniform variate in (0, 1): 53 random bits, never 0.
    @inline(__always)
    public mutating func uniform() -> Double {
        (Double(rng.next() >> 11) + 0.5) * 0x1p-53
    }

    /// A standard normal variate: Marsaglia and Tsang's ziggurat (128 layers), exact up to the
    /// 32-bit resolution of its layers; the layer and the value come from separate bits of one
    /// 64-bit draw (Doornik's remedy for the original's correlation).
    @inline(__always)
    public mutating func normal() -> Double {
        let r = rng.next()
        let i = Int(r & 127)
        let h = Int32(truncatingIfNeeded: r >> 32)
        let z = Ziggurat.table
        if Int64(abs(Int64(h))) < Int64(z.k[i]) { return Double(h) * z.w[i] }
        return normalSlow(h, i)
    }

    private mutating func normalSlow(_ firstH: Int32, _ firstI: Int) -> Double {
        let z = Ziggurat.table
        var h = firstH, i = firstI
        while true {
            let x = Double(h) * z.w[i]
            if i == 0 {
                // The tail beyond r: Marsaglia's exponential method.
                var t: Double, y: Double
                repeat {
                    t = -log(uniform()) / Ziggurat.r
                    y = -log(uniform())
                } while y + y < t * t
                return h > 0 ? Ziggurat.r + t : -Ziggurat.r - t
            }
            if z.f[i] + uniform() * (z.f[i - 1] - z.f[i]) < exp(-0.5 * x * x) { return x }
            let r = rng.next()
            i = Int(r & 127)
            h = Int32(truncatingIfNeeded: r >> 32)
            if Int64(abs(Int64(h))) < Int64(z.k[i]) { return Double(h) * z.w[i] }
        }
    }

    /// The constants of Marsaglia and Tsang's method for one shape (a shape below 1 is drawn as
    /// shape + 1, then scaled by U^(1/shape): Stuart's boost).
    public struct GammaConstants: Sendable {
        let d: Double, c: Double, inverseShape: Double?

        public init(_ shape: Double) {
            let s = shape < 1 ? shape + 1 : shape
            d = s - 1.0 / 3
            c = 1 / (9 * d).squareRoot()
            inverseShape = shape < 1 ? 1 / shape : nil
        }
    }

    /// A Gamma(shape, 1) variate (Marsaglia and Tsang; shapes below 1 by Stuart's boost).
    public mutating func gamma(_ shape: Double) -> Double { gamma(GammaConstants(shape)) }

    @inline(__always)
    public mutating func gamma(_ k: GammaConstants) -> Double {
        var value: Double
        while true {
            var x: Double, v: Double
            repeat {
                x = normal()
                v = 1 + k.c * x
            } while v <= 0
            v = v * v * v
            let u = uniform()
            let x2 = x * x
            if u < 1 - 0.0331 * x2 * x2 || log(u) < 0.5 * x2 + k.d * (1 - v + log(v)) {
                value = k.d * v
                break
            }
        }
        if let e = k.inverseShape { value *= exp(log(uniform()) * e) }
        return value
    }

    /// A Beta(a, b) variate.
    public mutating func beta(_ a: Double, _ b: Double) -> Double {
        let x = gamma(a), y = gamma(b)
        return x / (x + y)
    }
}

/// The ziggurat's tables for the standard normal (Marsaglia and Tsang, 2000): 128 layers of equal
/// area v under the density exp(−x²/2), the base layer ending at r with the tail beyond it.
enum Ziggurat {
    static let r = 3.442619855899
    static let v = 9.91256303526217e-3

    struct Table: Sendable {
        var k = [UInt32](repeating: 0, count: 128)
        var w = [Double](repeating: 0, count: 128)
        var f = [Double](repeating: 0, count: 128)
    }

    static let table: Table = {
        var t = Table()
        let m = 2147483648.0
        var d = r, previous = r
        let q = v / exp(-0.5 * d * d)
        t.k[0] = UInt32(d / q * m)
        t.k[1] = 0
        t.w[0] = q / m
        t.w[127] = d / m
        t.f[0] = 1
        t.f[127] = exp(-0.5 * d * d)
        for i in stride(from: 126, through: 1, by: -1) {
            d = (-2 * log(v / d + exp(-0.5 * d * d))).squareRoot()
            t.k[i + 1] = UInt32(d / previous * m)
            previous = d
            t.f[i] = exp(-0.5 * d * d)
            t.w[i] = d / m
        }
        return t
    }()
}
