import BulwarkModel
import Foundation
import Risk
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
