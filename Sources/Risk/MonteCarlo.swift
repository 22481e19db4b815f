public import BulwarkModel
import Foundation

/// One FAIR loss scenario as pyfair models it at its top level: the annual loss of a trial is the
/// loss event frequency times the loss magnitude, each drawn from its PERT estimate.
public struct FAIRScenario: Sendable, Hashable {
    public var identifier: String
    public var name: String
    /// Loss events a year (when no ``threatEvents`` are given).
    public var lossEventFrequency: PERT
    /// The loss of one event.
    public var lossMagnitude: PERT
    /// Where the loss events come from, when known: each source's threat events a year and the
    /// probability that one becomes a loss event (FAIR's vulnerability). The loss event frequency of
    /// a trial is then Σ probability × threat events drawn.
    public var threatEvents: [ThreatEvents]
    public var location: FileLocation?

    public struct ThreatEvents: Sendable, Hashable {
        /// The source (an entry point's name).
        public var source: String
        public var frequency: PERT
        public var probability: Double

        public init(source: String, frequency: PERT, probability: Double) {
            self.source = source
            self.frequency = frequency
            self.probability = probability
        }
    }

    public init(identifier: String, name: String, lossEventFrequency: PERT, lossMagnitude: PERT, threatEvents: [ThreatEvents] = [],
                location: FileLocation? = nil) {
        self.identifier = identifier
        self.name = name
        self.lossEventFrequency = lossEventFrequency
        self.lossMagnitude = lossMagnitude
        self.threatEvents = threatEvents
        self.location = location
    }

    /// E[LEF] × E[LM]: what the simulated mean converges to (the two are drawn independently).
    public var expectedAnnualLoss: Double {
        let lef = threatEvents.isEmpty ? lossEventFrequency.mean : threatEvents.reduce(0) { $0 + $1.probability * $1.frequency.mean }
        return lef * lossMagnitude.mean
    }
}

/// Summary statistics of simulated annual losses.
public struct LossStatistics: Sendable, Hashable {
    /// The annualized loss expectancy: the mean over the trials.
    public var mean: Double
    /// Standard error of the mean.
    public var standardError: Double
    /// The 95th and 99th percentiles (value at risk).
    public var valueAtRisk95: Double
    public var valueAtRisk99: Double
    public var maximum: Double

    init(_ values: [Double]) {
        let n = Double(values.count)
        var sum = 0.0, sumSquares = 0.0, top = -Double.infinity
        for v in values {
            sum += v
            sumSquares += v * v
            top = max(top, v)
        }
        mean = sum / n
        let variance = max(0, (sumSquares - sum * sum / n) / max(n - 1, 1))
        standardError = (variance / n).squareRoot()
        var copy = values
        // After the 99th percentile is in place, every smaller rank lies before it.
        let k99 = Quantile.rank(0.99, values.count), k95 = Quantile.rank(0.95, values.count)
        valueAtRisk99 = Quantile.select(&copy, rank: k99, below: values.count)
        valueAtRisk95 = Quantile.select(&copy, rank: k95, below: k99 + 1)
        maximum = top
    }
}

/// What a simulation gives: each scenario's statistics, the portfolio's (the sum of all scenarios'
/// losses in each trial), and the portfolio's loss-exceedance curve.
public struct SimulationResult: Sendable {
    public struct Scenario: Sendable {
        public var scenario: FAIRScenario
        public var statistics: LossStatistics
    }

    public var trials: Int
    public var seed: UInt64
    public var scenarios: [Scenario]
    public var total: LossStatistics
    /// Points (loss, probability that a year's total loss exceeds it), at log-spaced losses.
    public var exceedance: [(loss: Double, probability: Double)]
}

/// Seeded, reproducible Monte Carlo over FAIR scenarios.
///
/// Each scenario draws from its own random stream, seeded by the run's seed and the scenario's
/// identifier (not its position): the same scenario gets the same random numbers in every run with
/// the same seed, whatever else is in the run. Comparisons with and without a control therefore use
/// common random numbers, and their difference is not sampling noise.
public enum MonteCarlo {
    public static func simulate(_ scenarios: [FAIRScenario], trials: Int, seed: UInt64) -> SimulationResult {
        precondition(trials > 0, "at least one trial")
        // Each scenario's trials and statistics on its own thread.
        let runs: [(losses: [Double], statistics: LossStatistics)] = Parallel.map(scenarios) { s in
            var g = RandomSource(seed: streamSeed(seed, s.identifier))
            let frequency = s.lossEventFrequency.sampler, magnitude = s.lossMagnitude.sampler
            let sources = s.threatEvents.map { ($0.frequency.sampler, $0.probability) }
            var out = [Double](repeating: 0, count: trials)
            if sources.isEmpty {
                for t in 0..<trials { out[t] = frequency.sample(&g) * magnitude.sample(&g) }
            } else {
                for t in 0..<trials {
                    var lef = 0.0
                    for (tef, p) in sources { lef += p * tef.sample(&g) }
                    out[t] = lef * magnitude.sample(&g)
                }
            }
            return (out, LossStatistics(out))
        }
        var total = [Double](repeating: 0, count: trials)
        for r in runs { for t in 0..<trials { total[t] += r.losses[t] } }
        let results = zip(scenarios, runs).map { SimulationResult.Scenario(scenario: $0, statistics: $1.statistics) }
        return SimulationResult(trials: trials, seed: seed, scenarios: results, total: LossStatistics(total), exceedance: exceedanceCurve(total))
    }

    /// The stream seed of a scenario: FNV-1a of its identifier, mixed with the run's seed.
    static func streamSeed(_ seed: UInt64, _ identifier: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in identifier.utf8 {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01B3
        }
        var mix = SplitMix64(seed: seed ^ h)
        return mix.next()
    }

    /// P(total > x) at 25 losses spaced evenly in log between the smallest positive and the largest.
    static func exceedanceCurve(_ total: [Double]) -> [(loss: Double, probability: Double)] {
        let sorted = total.sorted()
        guard let top = sorted.last, top > 0, let low = sorted.first(where: { $0 > 0 }) else { return [] }
        let points = 25
        let (a, b) = (log(low), log(top))
        return (0..<points).map { k in
            let x = exp(a + (b - a) * Double(k) / Double(points - 1))
            // The first index with a value above x.
            var lo = 0, hi = sorted.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if sorted[mid] > x { hi = mid } else { lo = mid + 1 }
            }
            return (x, Double(sorted.count - lo) / Double(sorted.count))
        }
    }
}

/// Order statistics without sorting.
enum Quantile {
    /// The rank of the "lower" empirical q-quantile of n values: ⌈q·n⌉ − 1, within 0..<n.
    static func rank(_ q: Double, _ n: Int) -> Int { min(n - 1, max(0, Int((q * Double(n)).rounded(.up)) - 1)) }

    /// The value at rank ⌈q·n⌉ − 1 (the "lower" empirical quantile), by quickselect; reorders `values`.
    static func select(_ values: inout [Double], _ q: Double) -> Double {
        select(&values, rank: rank(q, values.count), below: values.count)
    }

    /// The value of rank `k` among `values[0..<end]` (quickselect); afterwards every value before `k`
    /// is no larger and every value after it (below `end`) no smaller.
    static func select(_ values: inout [Double], rank k: Int, below end: Int) -> Double {
        values.withUnsafeMutableBufferPointer { v in
            var lo = 0, hi = end - 1
            var g = SplitMix64(seed: 0x5EED)
            while lo < hi {
                let pivot = v[lo + Int(g.next() % UInt64(hi - lo + 1))]
                var i = lo, j = hi
                while i <= j {
                    while v[i] < pivot { i += 1 }
                    while v[j] > pivot { j -= 1 }
                    if i <= j {
                        v.swapAt(i, j)
                        i += 1
                        j -= 1
                    }
                }
                if k <= j { hi = j } else if k >= i { lo = i } else { return v[k] }
            }
            return v[k]
        }
    }
}
