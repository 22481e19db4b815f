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

    public func sample(_ g: inout RandomSource) -> Double {
        guard high > low else { return low }
        return low + g.beta(alpha, beta) * (high - low)
    }

    /// A sampler with the distribution's constants worked out once (for many draws).
    public var sampler: Sampler { Sampler(self) }

    /// Draws from a PERT with its gamma variates' constants precomputed: the same numbers as
    /// ``PERT/sample(_:)`` for the same stream, faster.
    public struct Sampler: Sendable {
        let low: Double, range: Double
        let a: RandomSource.GammaConstants, b: RandomSource.GammaConstants

        init(_ p: PERT) {
            low = p.low
            range = p.high - p.low
            a = .init(p.alpha)
            b = .init(p.beta)
        }

        @inline(__always)
        public func sample(_ g: inout RandomSource) -> Double {
            guard range > 0 else { return low }
            let x = g.gamma(a), y = g.gamma(b)
            return low + x / (x + y) * range
        }
    }
}

/// Uniform, normal, gamma and beta variates from a seeded SplitMix64 stream: the same seed gives the
/// same numbers on every machine.
public struct RandomSource: Sendable {
    var rng: SplitMix64
    private var spare = 0.0
    private var hasSpare = false

    public init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    /// A uniform variate in (0, 1): 53 random bits, never 0.
    @inline(__always)
    public mutating func uniform() -> Double {
        (Double(rng.next() >> 11) + 0.5) * 0x1p-53
    }

    /// A standard normal variate (Marsaglia's polar method).
    @inline(__always)
    public mutating func normal() -> Double {
        if hasSpare {
            hasSpare = false
            return spare
        }
        while true {
            let u = 2 * uniform() - 1, v = 2 * uniform() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 {
                let f = (-2 * log(s) / s).squareRoot()
                spare = v * f
                hasSpare = true
                return u * f
            }
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
