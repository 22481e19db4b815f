import BulwarkModel
import Foundation
@testable import Risk
import AttackGraph
import Inventory
import NetworkReach
import TestSupport
import Testing

@Suite struct LognormalLossTests {
    func relative(_ a: Double, _ b: Double) -> Double { abs(a - b) / abs(b) }

    /// DESIGN.md's closed form: frequency 0.1, low 1, high 10 → 0.40400128269457.
    @Test func theDesignExampleToOneInABillion() throws {
        let loss = try #require(LognormalLoss(low: 1, high: 10))
        #expect(relative(0.1 * loss.mean, 0.40400128269457) < 1e-9)
    }

    /// riskquant's README example: probability 0.01, low 1e6, high 1e7 → about 40,400 a year.
    @Test func riskquantsExample() throws {
        let loss = try #require(LognormalLoss(low: 1e6, high: 1e7))
        #expect((0.01 * loss.mean / 100).rounded() * 100 == 40_400)
        // μ and σ as riskquant derives them.
        #expect(relative(loss.mu, (log(1e6) + log(1e7)) / 2) < 1e-15)
        #expect(relative(loss.sigma, (log(1e7) - log(1e6)) / (2 * 1.6448536269514722)) < 1e-15)
    }

    /// The low and high losses are the 5th and 95th percentiles, and the median is their geometric mean.
    @Test func percentilesComeBack() throws {
        for (low, high) in [(1.0, 10.0), (2_000.0, 1_500_000.0), (5.0, 5.0)] {
            let loss = try #require(LognormalLoss(low: low, high: high))
            #expect(relative(loss.quantile(0.05), low) < 1e-12)
            #expect(relative(loss.quantile(0.95), high) < 1e-12)
            #expect(relative(loss.quantile(0.5), (low * high).squareRoot()) < 1e-12)
        }
        #expect(LognormalLoss(low: 0, high: 10) == nil)
        #expect(LognormalLoss(low: 10, high: 1) == nil)
        #expect(LognormalLoss(low: 1, high: .infinity) == nil)
    }

    /// Φ⁻¹ against published values of the standard normal's quantiles.
    @Test func inverseNormalMatchesPublishedQuantiles() {
        let known: [(Double, Double)] = [(0.95, 1.6448536269514722), (0.975, 1.959963984540054), (0.99, 2.3263478740408408),
                                         (0.5, 0), (0.001, -3.090232306167813), (1e-10, -6.361340902404056)]
        for (p, z) in known {
            let x = NormalDistribution.inverseCDF(p)
            #expect(abs(x - z) <= 1e-12 * max(1, abs(z)), "Φ⁻¹(\(p)) = \(x), expected \(z)")
        }
        // Symmetry.
        for p in stride(from: 0.01, to: 0.5, by: 0.037) {
            #expect(abs(NormalDistribution.inverseCDF(p) + NormalDistribution.inverseCDF(1 - p)) < 1e-12)
        }
    }
}

@Suite struct RiskQuantCSVTests {
    @Test func readsRowsAndDiagnosesBadOnes() throws {
        let text = [
            "\u{FEFF}Identifier,Name,Probability,Low_loss,High_loss,Notes",
            "t1,\"Data breach, customer records\",0.01,1000000,10000000,x",
            "t2,Ransomware,1.5,1000,2000,probability above 1",
            "t3,Outage,0.1,10,1,low above high",
            "t4,\"Quoted \"\"name\"\"\",0.1,1,10",
            "",
            "t5,Short row,0.2",
        ].joined(separator: "\r\n")
        let (scenarios, diagnostics) = try RiskQuantCSV.read(text, file: "risks.csv")
        #expect(scenarios.map(\.identifier) == ["t1", "t4"])
        #expect(scenarios[0].name == "Data breach, customer records" && scenarios[1].name == "Quoted \"name\"")
        #expect(abs(scenarios[1].annualizedLoss - 0.40400128269457) / 0.40400128269457 < 1e-9)
        #expect(diagnostics.map { $0.location.line } == [3, 4, 7])
        #expect(diagnostics[0].message.contains("probability"))
    }

    @Test func unusableFilesThrow() {
        #expect(throws: RiskInputError.self) { try RiskQuantCSV.read("a,b,c\n1,2,3\n", file: "x.csv") }
        #expect(throws: RiskInputError.self) { try RiskQuantCSV.read("Identifier,Name,Probability,Low_loss,High_loss\nt,n,2,1,10\n", file: "x.csv") }
        #expect(throws: RiskInputError.self) { try RiskQuantCSV.read("", file: "x.csv") }
    }
}

@Suite struct MonteCarloTests {
    let scenarios = [
        FAIRScenario(identifier: "breach", name: "Customer data breach", lossEventFrequency: PERT(low: 0.05, mode: 0.2, high: 1)!,
                     magnitude: .pert(PERT(low: 50_000, mode: 400_000, high: 5_000_000)!)),
        FAIRScenario(identifier: "ransom", name: "Ransomware", lossEventFrequency: PERT(low: 0.1, mode: 0.5, high: 2)!,
                     magnitude: .pert(PERT(low: 100_000, mode: 250_000, high: 1_000_000)!)),
        FAIRScenario(identifier: "fixed", name: "Constant", lossEventFrequency: PERT(low: 1, mode: 1, high: 1)!,
                     magnitude: .pert(PERT(low: 1000, mode: 1000, high: 1000)!)),
    ]

    @Test func sameSeedSameNumbersAndCommonRandomNumbersPerScenario() {
        let a = MonteCarlo.simulate(scenarios, trials: 20_000, seed: 7)
        let b = MonteCarlo.simulate(scenarios, trials: 20_000, seed: 7)
        #expect(a.total == b.total && a.scenarios.map(\.statistics) == b.scenarios.map(\.statistics))
        #expect(MonteCarlo.simulate(scenarios, trials: 20_000, seed: 8).total != a.total)
        // A scenario draws the same numbers with or without the others, in any order.
        let alone = MonteCarlo.simulate([scenarios[1]], trials: 20_000, seed: 7)
        let reordered = MonteCarlo.simulate([scenarios[2], scenarios[1]], trials: 20_000, seed: 7)
        #expect(alone.scenarios[0].statistics == a.scenarios[1].statistics && reordered.scenarios[1].statistics == a.scenarios[1].statistics)
        #expect(a.scenarios[2].statistics.mean == 1000 && a.scenarios[2].statistics.valueAtRisk99 == 1000)
    }

    /// The simulated mean converges to E[LEF] × E[LM] (independent draws): within five standard errors.
    @Test func meansConvergeToTheAnalyticValue() {
        let r = MonteCarlo.simulate(scenarios, trials: 200_000, seed: 1)
        for s in r.scenarios where s.statistics.standardError > 0 {
            let z = abs(s.statistics.mean - s.scenario.expectedAnnualLoss) / s.statistics.standardError
            #expect(z < 5, "\(s.scenario.identifier): z = \(z)")
        }
        let expected = scenarios.reduce(0) { $0 + $1.expectedAnnualLoss }
        #expect(abs(r.total.mean - expected) / r.total.standardError < 5)
        // The exceedance curve falls as the loss grows, from 1 down.
        let p = r.exceedance.map(\.probability)
        #expect(!p.isEmpty && zip(p, p.dropFirst()).allSatisfy { $0 >= $1 } && p.first! > 0.99)
    }

    /// Beta variates against the distribution's mean and variance; PERT's mean formula.
    @Test func betaAndPERTSamplers() {
        var g = RandomSource(seed: 3)
        for (a, b) in [(1.0, 1.0), (2.5, 4.0), (5.0, 1.0), (0.5, 0.7)] {
            let n = 200_000
            var sum = 0.0, sumSquares = 0.0
            for _ in 0..<n {
                let x = g.beta(a, b)
                sum += x
                sumSquares += x * x
            }
            let mean = sum / Double(n), variance = sumSquares / Double(n) - mean * mean
            let m = a / (a + b), v = a * b / ((a + b) * (a + b) * (a + b + 1))
            #expect(abs(mean - m) < 5 * (v / Double(n)).squareRoot(), "Beta(\(a), \(b)) mean \(mean), expected \(m)")
            #expect(abs(variance - v) / v < 0.02, "Beta(\(a), \(b)) variance \(variance), expected \(v)")
        }
        let pert = PERT(low: 10, mode: 20, high: 60)!
        #expect(pert.mean == (10 + 4 * 20 + 60) / 6.0 && pert.alpha == 1 + 4 * 10 / 50.0 && pert.beta == 1 + 4 * 40 / 50.0)
        #expect(PERT(low: 3, mode: 2, high: 5) == nil)
    }

    @Test func quantileSelectionAgreesWithSorting() {
        var g = SplitMix64(seed: 11)
        for n in [1, 2, 7, 100, 1001] {
            let values = (0..<n).map { _ in Double(g.next() % 50) }
            let sorted = values.sorted()
            for q in [0.0, 0.5, 0.95, 0.99, 1.0] {
                var copy = values
                let k = min(n - 1, max(0, Int((q * Double(n)).rounded(.up)) - 1))
                #expect(Quantile.select(&copy, q) == sorted[k], "n \(n) q \(q)")
            }
        }
    }

    @Test func fairCSVRowsAndDiagnostics() throws {
        let text = "Identifier,Name,LEF_low,LEF_mode,LEF_high,LM_low,LM_mode,LM_high\na,A,0.1,0.5,2,100,200,1000\nb,B,2,1,3,1,2,3\nc,C,x,1,2,1,2,3\n"
        let (rows, diagnostics) = try FAIRCSV.read(text, file: "fair.csv")
        #expect(rows.map(\.identifier) == ["a"] && diagnostics.map { $0.location.line } == [3, 4])
        #expect(throws: RiskInputError.self) { try FAIRCSV.read("Identifier,Name\nx,y\n", file: "f.csv") }
    }
}

@Suite struct LossStatisticsTests {
    @Test func percentilesAreTheSortedValuesRanks() {
        var g = SplitMix64(seed: 5)
        for n in [1, 19, 100, 1000, 4321] {
            let values = (0..<n).map { _ in Double(g.next() % 10_000) / 7 }
            let sorted = values.sorted()
            let s = LossStatistics(values)
            #expect(s.valueAtRisk95 == sorted[Quantile.rank(0.95, n)] && s.valueAtRisk99 == sorted[Quantile.rank(0.99, n)], "n \(n)")
            #expect(s.maximum == sorted.last!)
            #expect(abs(s.mean - values.reduce(0, +) / Double(n)) < 1e-9 * max(1, s.mean))
        }
    }

    /// 100,000 values (the percentiles are then selected among the values above a threshold guessed
    /// from a sample): random, with many ties, all equal, descending, and laid out so that the
    /// sample misleads the guess (every 64th value is the largest), which must fall back to all values.
    @Test func percentilesOfManyValuesWhateverTheirLayout() {
        var g = SplitMix64(seed: 9)
        let n = 100_000
        let random: [Double] = (0..<n).map { _ in Double(g.next() >> 11) * 0x1p-40 }
        let ties: [Double] = (0..<n).map { _ in Double(g.next() % 50) }
        let descending: [Double] = (0..<n).map { (i: Int) -> Double in Double(n - i) }
        let misleading: [Double] = (0..<n).map { (i: Int) -> Double in i % 64 == 0 ? 1e9 + Double(i) : Double(i) }
        let layouts: [(String, [Double])] = [("random", random), ("ties", ties), ("equal", [Double](repeating: 3, count: n)),
                                             ("descending", descending), ("misleading sample", misleading)]
        for (name, values) in layouts {
            let sorted = values.sorted()
            let s = LossStatistics(values)
            #expect(s.valueAtRisk95 == sorted[Quantile.rank(0.95, n)] && s.valueAtRisk99 == sorted[Quantile.rank(0.99, n)], "\(name)")
            #expect(s.maximum == sorted.last!, "\(name)")
        }
    }
}

/// The stepped-envelope beta sampler that every PERT draw goes through, against the exact beta
/// distribution: the regularized incomplete beta function is computed here on its own (a continued
/// fraction), checked against closed forms, and the samples are tested with Kolmogorov–Smirnov.
@Suite struct BetaEnvelopeTests {
    /// ln Γ for x > 0: Lanczos (g = 7, nine coefficients), about 15 digits.
    static func logGamma(_ x: Double) -> Double {
        if x < 0.5 { return log(Double.pi / sin(Double.pi * x)) - logGamma(1 - x) }
        let c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
                 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7]
        let z = x - 1
        var sum = c[0]
        for i in 1..<9 { sum += c[i] / (z + Double(i)) }
        let t = z + 7.5
        return 0.5 * log(2 * Double.pi) + (z + 0.5) * log(t) - t + log(sum)
    }

    /// I_x(a, b) by its continued fraction (modified Lentz), on the side where it converges fast.
    static func regularizedBeta(_ x: Double, _ a: Double, _ b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        if x > (a + 1) / (a + b + 2) { return 1 - regularizedBeta(1 - x, b, a) }
        let front = exp(a * log(x) + b * log(1 - x) - (logGamma(a) + logGamma(b) - logGamma(a + b))) / a
        let tiny = 1e-300
        var f = 1.0, c = 1.0, d = 0.0
        for i in 0...400 {
            let m = Double(i / 2)
            let numerator: Double
            if i == 0 {
                numerator = 1
            } else if i % 2 == 0 {
                numerator = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            } else {
                numerator = -((a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1))
            }
            d = 1 + numerator * d
            d = abs(d) < tiny ? tiny : d
            d = 1 / d
            c = 1 + numerator / c
            c = abs(c) < tiny ? tiny : c
            let step = c * d
            f *= step
            if abs(1 - step) < 1e-15 { break }
        }
        return front * (f - 1)
    }

    @Test func theReferenceCDFMatchesClosedForms() {
        for x in stride(from: 0.001, to: 1, by: 0.0371) {
            func near(_ value: Double, _ exact: Double) -> Bool { abs(value - exact) < 1e-12 }
            #expect(near(Self.regularizedBeta(x, 1, 1), x))
            #expect(near(Self.regularizedBeta(x, 3.5, 1), pow(x, 3.5)))
            #expect(near(Self.regularizedBeta(x, 1, 0.6), 1 - pow(1 - x, 0.6)))
            #expect(near(Self.regularizedBeta(x, 0.5, 0.5), 2 / Double.pi * asin(x.squareRoot())))
            // I_x(2, 3) = 6x² − 8x³ + 3x⁴.
            #expect(near(Self.regularizedBeta(x, 2, 3), 6 * x * x - 8 * x * x * x + 3 * x * x * x * x))
        }
        #expect(abs(Self.regularizedBeta(0.5, 4.7, 4.7) - 0.5) < 1e-12)
    }

    /// Shapes below 1 at either or both ends (the density unbounded there), exactly 1, and above 1,
    /// as PERT estimates give them and beyond: mean, variance, the mass of each end strip, and
    /// the Kolmogorov–Smirnov distance to the exact CDF.
    @Test(arguments: [(0.5, 0.5), (0.69, 3.38), (3.55, 0.78), (0.2, 5), (1, 1), (1, 3.8), (2.5, 4), (4.7, 1.3), (60, 40)])
    func samplesFollowTheExactBeta(a: Double, b: Double) {
        let n = 100_000
        let sampler = PERT.Sampler(low: 0, high: 1, alpha: a, beta: b)
        var g = RandomSource(seed: 17)
        var x = [Double](repeating: 0, count: n)
        sampler.draw(0..<n, &g) { t, value in x[t] = value }
        let mean = x.reduce(0, +) / Double(n)
        let variance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
        let m = a / (a + b), v = a * b / ((a + b) * (a + b) * (a + b + 1))
        #expect(abs(mean - m) < 5 * (v / Double(n)).squareRoot(), "Beta(\(a), \(b)) mean \(mean), expected \(m)")
        // The sample variance's standard error, from the fourth central moment of the beta.
        let kurtosisExcess = 6 * ((a - b) * (a - b) * (a + b + 1) - a * b * (a + b + 2)) / (a * b * (a + b + 2) * (a + b + 3))
        let varianceError = v * ((kurtosisExcess + 2) / Double(n)).squareRoot()
        #expect(abs(variance - v) < 5 * varianceError, "Beta(\(a), \(b)) variance \(variance), expected \(v)")
        // The end strips, where an unbounded density is drawn by its own envelope.
        let h = 1.0 / 256
        for (count, p) in [(x.count { $0 < h }, Self.regularizedBeta(h, a, b)), (x.count { $0 > 1 - h }, 1 - Self.regularizedBeta(1 - h, a, b))] {
            #expect(abs(Double(count) - p * Double(n)) < 5 * (p * (1 - p) * Double(n)).squareRoot() + 1, "Beta(\(a), \(b)) end strip")
        }
        x.sort()
        var distance = 0.0
        for (i, value) in x.enumerated() {
            let cdf = Self.regularizedBeta(value, a, b)
            distance = max(distance, abs(cdf - Double(i) / Double(n)), abs(Double(i + 1) / Double(n) - cdf))
        }
        // The 0.1% critical value of the Kolmogorov distribution is 1.95/√n.
        #expect(distance * Double(n).squareRoot() < 1.95, "Beta(\(a), \(b)) KS distance \(distance)")
    }

    /// A PERT draw is low + range × its beta, and every beta shape gives draws within [low, high].
    @Test func pertDrawsStayWithinTheirRange() {
        var g = RandomSource(seed: 4)
        for pert in [PERT(low: 10, mode: 10, high: 60, shape: .moments)!, PERT(low: 10, mode: 60, high: 60)!, PERT(low: 5, mode: 5, high: 5)!] {
            let sampler = pert.sampler
            for _ in 0..<10_000 {
                let x = sampler.sample(&g)
                #expect(x >= pert.low && x <= pert.high)
            }
        }
    }
}

@Suite struct NormalSamplerTests {
    /// The ziggurat's normals: mean, variance, and the share beyond the base layer's edge r and
    /// beyond 1.96, against Φ.
    @Test func zigguratNormalsHaveTheRightMomentsAndTails() {
        var g = RandomSource(seed: 21)
        let n = 2_000_000
        var sum = 0.0, sumSquares = 0.0, beyondR = 0, beyond196 = 0
        for _ in 0..<n {
            let x = g.normal()
            sum += x
            sumSquares += x * x
            if abs(x) > 3.442619855899 { beyondR += 1 }
            if abs(x) > 1.959963984540054 { beyond196 += 1 }
        }
        let mean = sum / Double(n), variance = sumSquares / Double(n) - mean * mean
        #expect(abs(mean) < 5 / Double(n).squareRoot())
        #expect(abs(variance - 1) < 5 * (2 / Double(n)).squareRoot())
        // P(|Z| > 1.96) = 0.05; P(|Z| > r) = 2(1 − Φ(r)) = 5.7616e-4.
        func within(_ count: Int, _ p: Double) -> Bool { abs(Double(count) - p * Double(n)) < 5 * (p * (1 - p) * Double(n)).squareRoot() }
        #expect(within(beyond196, 0.05))
        #expect(within(beyondR, 5.7616e-4))
    }
}

@Suite struct RiskRegisterTests {
    /// The lab: the internet tries 12/52/365 times a year; its most likely way reaches the customer
    /// records' confidentiality and integrity with probability 1 (availability is protected by a
    /// tested offline backup); one loss costs 200k/1M/5M.
    @Test func theLabsRegister() throws {
        let inventory = try InventoryBuilder.build(TestSupport.projectRoot + "/Tests/AttackGraphTests/Inputs/lab")
        let manifest = try #require(inventory.manifest)
        let builder = AttackGraphBuilder(inventory: inventory, engine: ReachabilityEngine(network: try EstateNetwork(manifest: manifest)))
        let (entries, notes) = RiskRegister.build(graph: builder.build(), manifest: manifest, oracle: builder.oracle())
        #expect(entries.map(\.scenario.identifier) == ["customer-records/confidentiality", "customer-records/integrity"])
        #expect(entries.allSatisfy { $0.currency == "EUR" && $0.scenario.threatEvents.map(\.source) == ["internet"] && $0.scenario.threatEvents[0].probability == 1 })
        #expect(notes.filter { $0.contains("has no frequency") }.count == 2)
        let attempts: Double = (12.0 + 4.0 * 52.0 + 365.0) / 6.0
        let loss: Double = (200_000.0 + 4_000_000.0 + 5_000_000.0) / 6.0
        let expected = attempts * loss
        #expect(abs(entries[0].scenario.expectedAnnualLoss - expected) < 1e-6 * expected)
        let result = MonteCarlo.simulate(entries.map(\.scenario), trials: 100_000, seed: 3)
        for s in result.scenarios { #expect(abs(s.statistics.mean - expected) < 5 * s.statistics.standardError) }
    }
}

@Suite struct ControlValueTests {
    /// On the lab, the register rests on the internet's way web01 → APP01 → svc_app's AdminTo on
    /// DB01. Cutting the exploits saves all of it; taking the AdminTo (or svc_app's session, or SMB
    /// inside servers) away leaves the PostgreSQL exploit (p 0.7): it saves 30%, on the same
    /// random numbers and in closed form.
    @Test func theLabsControlsAreValuedAndRanked() throws {
        let inventory = try InventoryBuilder.build(TestSupport.projectRoot + "/Tests/AttackGraphTests/Inputs/lab")
        let manifest = try #require(inventory.manifest)
        let builder = AttackGraphBuilder(inventory: inventory, engine: ReachabilityEngine(network: try EstateNetwork(manifest: manifest)))
        let (values, before) = ControlValue.rank(graph: builder.build(), manifest: manifest, oracle: builder.oracle(), costs: ControlCosts(),
                                                 trials: 50_000, seed: 5)
        let expectedTotal: Double = 2 * (12.0 + 4.0 * 52.0 + 365.0) / 6.0 * (200_000.0 + 4_000_000.0 + 5_000_000.0) / 6.0
        let byControl = Dictionary(uniqueKeysWithValues: values.map { ($0.change, $0) })
        for full in ["patch CVE-2021-41773 on web01", "block zone:internet -> web01 tcp/80", "patch CVE-2020-1938 on APP01.LAB.LOCAL"] {
            let v = try #require(byControl[full], "\(full)")
            #expect(v.lossAfter == 0 && v.value == before && abs(v.expectedReduction - expectedTotal) < 1e-6 * expectedTotal)
        }
        let partial = try #require(byControl["SVC_APP@LAB.LOCAL -AdminTo-> DB01.LAB.LOCAL"])
        #expect(abs(partial.expectedReduction - 0.3 * expectedTotal) < 1e-6 * expectedTotal)
        // Common random numbers: with p scaled from 1 to 0.7 in every trial, the simulated saving is
        // exactly 30% of the simulated loss, up to rounding.
        #expect(abs(partial.value - 0.3 * before) < 1e-9 * before)
        // Ranked by value, then by value per cost: the cheap rules before the patches.
        #expect(values.first?.kind == "block" && values.prefix(4).allSatisfy { $0.value == before })
        #expect(values.map(\.value) == values.map(\.value).sorted(by: >))
    }
}
