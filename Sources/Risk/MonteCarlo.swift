public import BulwarkModel
import Foundation
import Synchronization

/// One FAIR loss scenario as pyfair models it at its top level: the annual loss of a trial is the
/// loss event frequency times the loss magnitude, each drawn from its estimate (a PERT; the
/// magnitude may be a lognormal instead).
public struct FAIRScenario: Sendable, Hashable {
    public var identifier: String
    public var name: String
    /// Loss events a year (when no ``threatEvents`` are given).
    public var lossEventFrequency: PERT
    /// The loss of one event.
    public var magnitude: LossMagnitude
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

    public init(identifier: String, name: String, lossEventFrequency: PERT, magnitude: LossMagnitude, threatEvents: [ThreatEvents] = [],
                location: FileLocation? = nil) {
        self.identifier = identifier
        self.name = name
        self.lossEventFrequency = lossEventFrequency
        self.magnitude = magnitude
        self.threatEvents = threatEvents
        self.location = location
    }

    /// E[LEF] × E[LM]: what the simulated mean converges to (the two are drawn independently).
    public var expectedAnnualLoss: Double {
        let lef = threatEvents.isEmpty ? lossEventFrequency.mean : threatEvents.reduce(0) { $0 + $1.probability * $1.frequency.mean }
        return lef * magnitude.mean
    }
}

/// The loss of one event: a PERT over (min, most likely, max), or a lognormal whose 5th and 95th
/// percentiles are a low and a high loss (riskquant's).
public enum LossMagnitude: Sendable, Hashable {
    case pert(PERT)
    case lognormal(LognormalLoss)

    public var mean: Double {
        switch self {
        case .pert(let p): p.mean
        case .lognormal(let l): l.mean
        }
    }

    /// The PERT, when it is one.
    public var pert: PERT? {
        if case .pert(let p) = self { return p }
        return nil
    }

    /// Draws for a block of trials, in the same way for every run with the same stream.
    enum Sampler {
        case pert(PERT.Sampler)
        case lognormal(LognormalLoss)

        func draw(_ trials: Range<Int>, _ g: inout RandomSource, _ body: (Int, Double) -> Void) {
            switch self {
            case .pert(let p): p.draw(trials, &g, body)
            case .lognormal(let l): for t in trials { body(t, exp(l.mu + l.sigma * g.normal())) }
            }
        }
    }

    var sampler: Sampler {
        switch self {
        case .pert(let p): .pert(p.sampler)
        case .lognormal(let l): .lognormal(l)
        }
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
        let count = values.count, n = Double(count)
        let k95 = Quantile.rank(0.95, count), k99 = Quantile.rank(0.99, count)
        // One pass for the moments, the maximum and the values from the threshold up; four partial
        // sums, so that the additions need not wait for one another.
        let threshold = Quantile.threshold(values, under: k95)
        var sums = (0.0, 0.0, 0.0, 0.0), squares = (0.0, 0.0, 0.0, 0.0), top = -Double.infinity, kept = 0
        var candidates = [Double](unsafeUninitializedCapacity: count) { c, initialized in
            values.withUnsafeBufferPointer { v in
                @inline(__always) func keep(_ x: Double) {
                    c[kept] = x
                    kept += x >= threshold ? 1 : 0
                    if x > top { top = x }
                }
                var i = 0
                while i + 4 <= count {
                    let (x0, x1, x2, x3) = (v[i], v[i + 1], v[i + 2], v[i + 3])
                    sums = (sums.0 + x0, sums.1 + x1, sums.2 + x2, sums.3 + x3)
                    squares = (squares.0 + x0 * x0, squares.1 + x1 * x1, squares.2 + x2 * x2, squares.3 + x3 * x3)
                    keep(x0)
                    keep(x1)
                    keep(x2)
                    keep(x3)
                    i += 4
                }
                for x in v[i...] {
                    sums.0 += x
                    squares.0 += x * x
                    keep(x)
                }
            }
            initialized = kept
        }
        let sum = (sums.0 + sums.1) + (sums.2 + sums.3), sumSquares = (squares.0 + squares.1) + (squares.2 + squares.3)
        mean = sum / n
        let variance = max(0, (sumSquares - sum * sum / n) / max(n - 1, 1))
        standardError = (variance / n).squareRoot()
        var below = count - kept
        if below > k95 {
            // The threshold guessed from the sample was above the 95th percentile: select from all.
            (candidates, below) = (values, 0)
        }
        // After the 99th percentile is in place, every smaller rank lies before it.
        valueAtRisk99 = Quantile.select(&candidates, rank: k99 - below, below: candidates.count)
        valueAtRisk95 = Quantile.select(&candidates, rank: k95 - below, below: k99 - below + 1)
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
        // Each scenario's trials and statistics on its own thread. A scenario's draws come in a fixed
        // order from its own stream: block by block, every loss event frequency (source by source),
        // then every loss magnitude; blocks keep the losses being filled in cache.
        let portfolio = PortfolioLosses(trials: trials)
        let statistics: [LossStatistics] = Parallel.map(Array(scenarios.indices)) { index in
            let s = scenarios[index]
            var g = RandomSource(seed: streamSeed(seed, s.identifier))
            let frequency = s.lossEventFrequency.sampler, magnitude = s.magnitude.sampler
            let sources = s.threatEvents.map { ($0.frequency.sampler, $0.probability) }
            var losses = portfolio.buffer()
            losses.withUnsafeMutableBufferPointer { out in
                for start in stride(from: 0, to: trials, by: 4096) {
                    let block = start..<min(trials, start + 4096)
                    if sources.isEmpty {
                        frequency.draw(block, &g) { t, lef in out[t] = lef }
                    } else {
                        for t in block { out[t] = 0 }
                        for (tef, p) in sources { tef.draw(block, &g) { t, events in out[t] += p * events } }
                    }
                    magnitude.draw(block, &g) { t, lm in out[t] *= lm }
                }
            }
            let statistics = LossStatistics(losses)
            portfolio.add(consume losses, of: index)
            return statistics
        }
        let total = portfolio.total
        let results = zip(scenarios, statistics).map { SimulationResult.Scenario(scenario: $0, statistics: $1) }
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
        var low = Double.infinity, top = -Double.infinity
        for v in total {
            if v > 0 && v < low { low = v }
            top = max(top, v)
        }
        guard top > 0, low.isFinite else { return [] }
        let points = 25
        let (a, b) = (log(low), log(top))
        let losses = (0..<points).map { k in exp(a + (b - a) * Double(k) / Double(points - 1)) }
        // How many values exceed the first k losses and no more (the losses never decrease), then
        // how many exceed each loss: counting, not sorting.
        var exceeding = [Int](repeating: 0, count: points + 1)
        for v in total {
            var lo = 0, hi = points
            while lo < hi {
                let mid = (lo + hi) / 2
                if v > losses[mid] { lo = mid + 1 } else { hi = mid }
            }
            exceeding[lo] += 1
        }
        var curve = [(loss: Double, probability: Double)](repeating: (0, 0), count: points)
        var above = 0
        for k in (0..<points).reversed() {
            above += exceeding[k + 1]
            curve[k] = (losses[k], Double(above) / Double(total.count))
        }
        return curve
    }
}

/// The portfolio's loss in each trial: the sum over the scenarios, added in the scenarios' order
/// (whichever thread finishes a scenario first), so that the sums are the same with any number of
/// threads. A scenario's losses are let go once added, and their buffer handed to a later scenario:
/// memory holds a few scenarios at a time, and the buffers' pages are mapped only once.
final class PortfolioLosses: Sendable {
    private struct State {
        var next = 0
        var waiting: [Int: [Double]] = [:]
        var spare: [[Double]] = []
        var total: [Double]
    }

    private let state: Mutex<State>
    let trials: Int

    init(trials: Int) {
        self.trials = trials
        state = Mutex(State(total: [Double](repeating: 0, count: trials)))
    }

    /// A buffer of `trials` values to fill, to be handed back through ``add(_:of:)``.
    func buffer() -> [Double] { state.withLock { $0.spare.popLast() } ?? [Double](repeating: 0, count: trials) }

    /// Adds the losses of scenario `index`, and of those after it that were waiting for it.
    func add(_ losses: [Double], of index: Int) {
        state.withLock { s in
            s.waiting[index] = losses
            while let next = s.waiting.removeValue(forKey: s.next) {
                s.total.withUnsafeMutableBufferPointer { total in
                    next.withUnsafeBufferPointer { l in
                        for t in total.indices { total[t] += l[t] }
                    }
                }
                s.next += 1
                s.spare.append(next)
            }
        }
    }

    var total: [Double] { state.withLock { $0.total } }
}

/// Order statistics without sorting.
enum Quantile {
    /// The rank of the "lower" empirical q-quantile of n values: ⌈q·n⌉ − 1, within 0..<n.
    static func rank(_ q: Double, _ n: Int) -> Int { min(n - 1, max(0, Int((q * Double(n)).rounded(.up)) - 1)) }

    /// The value at rank ⌈q·n⌉ − 1 (the "lower" empirical quantile), by quickselect; reorders `values`.
    static func select(_ values: inout [Double], _ q: Double) -> Double {
        select(&values, rank: rank(q, values.count), below: values.count)
    }

    /// A value most likely below the value of rank `k` (and not far below), guessed from every 64th
    /// value; −∞ for fewer than 4,096 values. Rank k among all values is rank k − c among those from
    /// the threshold up, when c values lie below it: selecting among those alone is much less work.
    static func threshold(_ values: [Double], under k: Int) -> Double {
        let stride = 64
        guard values.count >= 64 * stride else { return -.infinity }
        var sample = Swift.stride(from: 0, to: values.count, by: stride).map { values[$0] }
        // About 2.5% of the sample below rank k's share of it: the threshold lands above rank k
        // only by a deviation of several standard errors.
        let share = Int(Double(sample.count) * Double(k) / Double(values.count))
        return select(&sample, rank: max(0, min(sample.count - 1, share - max(16, sample.count / 40))), below: sample.count)
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
