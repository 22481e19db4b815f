@testable import CVSS
import Testing

/// Cases the published documents do not cover (threat and environmental metrics in every
/// combination, Safety, the v3.0/v3.1 environmental difference, rounding at a half), checked
/// against independent implementations of the same specifications.
@Suite("Reference implementations")
struct ReferenceImplementationTests {
    /// CVSS v4.0 vectors with threat and environmental metrics (explicit `X` included), scored by
    /// the `cvss` 3.6 Python package (Red Hat Product Security's port of FIRST's reference
    /// calculator) with its final rounding set to the reference's: `Math.round(score * 10) / 10`
    /// of the binary value.
    static let v4EnvironmentalCases: [(String, Double)] = [
        ("CVSS:4.0/AV:L/AC:L/AT:P/PR:N/UI:A/VC:H/VI:L/VA:N/SC:N/SI:L/SA:H/E:A/MAV:L/MAC:X/MAT:X/MUI:X/MVC:L/MVA:H/MSC:H/MSI:L/MSA:S", 8.5),
        ("CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:N/VI:L/VA:L/SC:N/SI:L/SA:N/E:P/IR:H/AR:H/MAV:N/MAC:L/MPR:X/MVC:H/MVI:N/MVA:X/MSA:S", 7.2),
        ("CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:H/VA:N/SC:L/SI:L/SA:N/E:U/CR:X/IR:X/AR:M/MAV:P/MAC:L/MUI:A/MSA:N", 1.6),
        ("CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:A/VC:L/VI:L/VA:N/SC:H/SI:H/SA:H/E:U/CR:X/IR:H/MAC:H/MAT:X/MPR:L/MVC:N/MVI:H/MVA:L/MSC:H", 1.9),
        ("CVSS:4.0/AV:A/AC:L/AT:N/PR:H/UI:P/VC:L/VI:N/VA:N/SC:L/SI:N/SA:L/E:U/MAV:N/MPR:H/MUI:P/MVC:N", 1.1),
        ("CVSS:4.0/AV:A/AC:L/AT:P/PR:N/UI:N/VC:N/VI:H/VA:L/SC:L/SI:N/SA:H/E:P/CR:M/IR:M/MAT:N/MPR:L/MVC:H/MSI:H", 7.3),
        ("CVSS:4.0/AV:A/AC:L/AT:N/PR:H/UI:A/VC:L/VI:N/VA:H/SC:H/SI:L/SA:L/E:U/CR:H/IR:L/MPR:L/MVI:L/MVA:L/MSA:X", 1.0),
        ("CVSS:4.0/AV:L/AC:L/AT:P/PR:H/UI:A/VC:H/VI:N/VA:L/SC:N/SI:L/SA:L/E:X/IR:X/MAV:P/MAC:L/MPR:N/MUI:N/MVI:L/MVA:N/MSC:N", 4.3),
        ("CVSS:4.0/AV:P/AC:L/AT:P/PR:H/UI:A/VC:H/VI:L/VA:H/SC:N/SI:L/SA:H/E:X/CR:M/AR:H/MAC:L/MAT:N/MPR:L/MUI:X/MVI:H/MSI:S/MSA:L", 9.2),
        ("CVSS:4.0/AV:L/AC:L/AT:P/PR:H/UI:P/VC:H/VI:N/VA:H/SC:N/SI:H/SA:H/E:U/CR:L/IR:M/AR:L/MAT:N/MPR:H/MUI:N/MVI:H/MVA:H", 5.6),
        ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:H/VA:L/SC:H/SI:H/SA:H/E:X/CR:M/MAV:A/MAC:H/MAT:P/MVI:L", 5.8),
        ("CVSS:4.0/AV:N/AC:H/AT:P/PR:H/UI:A/VC:L/VI:L/VA:L/SC:H/SI:N/SA:N/E:P/MAV:P/MAC:X/MAT:P/MPR:N/MVC:X/MVA:N/MSC:L/MSI:L/MSA:L", 0.3),
        ("CVSS:4.0/AV:P/AC:H/AT:P/PR:N/UI:N/VC:L/VI:H/VA:N/SC:N/SI:N/SA:H/IR:H/MAT:X/MPR:H/MSC:N/MSI:S/MSA:L", 7.0),
        ("CVSS:4.0/AV:L/AC:H/AT:P/PR:N/UI:P/VC:L/VI:L/VA:N/SC:H/SI:N/SA:L/IR:X/MAC:L/MAT:P/MVC:L/MSI:S/MSA:H", 6.7),
        ("CVSS:4.0/AV:L/AC:H/AT:P/PR:L/UI:A/VC:L/VI:H/VA:L/SC:H/SI:H/SA:H/E:P/AR:X/MAV:X/MAT:N/MUI:N/MVC:H/MVA:L/MSC:N", 7.2),
        ("CVSS:4.0/AV:A/AC:H/AT:P/PR:L/UI:A/VC:N/VI:L/VA:N/SC:H/SI:N/SA:H/CR:H/IR:L/AR:L/MAV:A/MAT:N/MPR:H/MVI:H/MVA:X/MSI:S", 5.4),
        ("CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:A/VC:H/VI:N/VA:H/SC:H/SI:H/SA:H/AR:X/MUI:P/MSC:N/MSI:X/MSA:S", 9.2),
        ("CVSS:4.0/AV:N/AC:H/AT:N/PR:L/UI:N/VC:L/VI:H/VA:L/SC:N/SI:L/SA:N/E:U/CR:X/IR:H/AR:L/MAV:X/MAT:P/MPR:H/MVC:L/MVI:L/MVA:N/MSI:S", 2.2),
        ("CVSS:4.0/AV:N/AC:H/AT:N/PR:H/UI:N/VC:L/VI:H/VA:N/SC:L/SI:L/SA:H/E:U/CR:L/IR:L/AR:H/MUI:N/MVA:X/MSI:L/MSA:H", 2.0),
        ("CVSS:4.0/AV:A/AC:L/AT:N/PR:H/UI:N/VC:H/VI:N/VA:L/SC:N/SI:L/SA:L/E:P/CR:X/AR:M/MAV:N/MPR:N/MUI:N/MVC:X/MVI:H/MVA:L/MSC:H/MSA:S", 9.7),
        ("CVSS:4.0/AV:P/AC:L/AT:N/PR:H/UI:P/VC:H/VI:N/VA:H/SC:L/SI:H/SA:N/E:P/AR:L/MAT:X/MUI:N/MVC:L/MVA:L", 1.9),
        ("CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:N/VC:L/VI:L/VA:H/SC:L/SI:L/SA:N/E:P/MAV:A/MPR:H/MUI:A/MVC:H/MVI:X/MSC:L/MSA:X", 1.7),
        ("CVSS:4.0/AV:A/AC:L/AT:P/PR:H/UI:N/VC:H/VI:H/VA:N/SC:L/SI:L/SA:N/E:A/CR:M/IR:M/MAC:L/MAT:P/MPR:H/MUI:A/MVI:H/MVA:H/MSC:X/MSI:L", 5.3),
        ("CVSS:4.0/AV:A/AC:L/AT:P/PR:N/UI:N/VC:N/VI:L/VA:N/SC:L/SI:H/SA:H/E:P/CR:L/IR:H/AR:L/MPR:H/MVI:H/MSI:L", 5.6),
        ("CVSS:4.0/AV:P/AC:H/AT:N/PR:N/UI:A/VC:N/VI:H/VA:L/SC:L/SI:H/SA:N/E:X/MAC:L/MAT:X/MUI:A/MVI:N/MVA:X/MSA:H", 4.5),
        ("CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:N/VC:L/VI:H/VA:L/SC:N/SI:H/SA:H/E:A/CR:H/MAT:P/MSA:H", 7.2),
        ("CVSS:4.0/AV:A/AC:L/AT:P/PR:H/UI:A/VC:N/VI:N/VA:H/SC:N/SI:N/SA:L/E:X/AR:X/MAV:P/MUI:N/MVI:L/MVA:X/MSA:S", 6.9),
        ("CVSS:4.0/AV:A/AC:L/AT:N/PR:H/UI:A/VC:H/VI:L/VA:H/SC:H/SI:H/SA:N/E:A/CR:H/IR:M/AR:M/MAC:H/MAT:P/MUI:P/MVC:N/MVA:X/MSI:S", 5.4),
        ("CVSS:4.0/AV:L/AC:H/AT:P/PR:L/UI:N/VC:L/VI:N/VA:H/SC:N/SI:N/SA:N/CR:L/IR:X/AR:M/MAV:A/MAC:H/MAT:N/MVC:X/MVA:H/MSA:S", 7.2),
        ("CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:A/VC:L/VI:H/VA:L/SC:N/SI:H/SA:L/E:U/CR:L/AR:M/MAC:H/MAT:X/MPR:H/MVC:H/MVI:L/MVA:L/MSC:N", 1.7),
        ("CVSS:4.0/AV:A/AC:L/AT:P/PR:H/UI:N/VC:N/VI:H/VA:H/SC:N/SI:H/SA:L/E:U/MAV:P/MAC:L/MAT:N/MPR:X/MVI:N/MVA:N/MSC:H/MSA:H", 1.1),
    ]

    @Test("CVSS v4.0 threat and environmental scores", arguments: v4EnvironmentalCases)
    func v4Environmental(_ vector: String, _ expected: Double) throws {
        #expect(try CVSSVector(parsing: vector).score == expected)
    }

    /// Where the unrounded score is a binary value just below a half (8.549999999999999 for the
    /// first), the reference calculator rounds down; an implementation adding an epsilon before
    /// rounding (as the Python package does by default) gets 0.1 more.
    @Test(
        "CVSS v4.0 rounds the binary value as the reference does",
        arguments: [
            ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:H/VI:L/VA:N/SC:H/SI:H/SA:H", 8.5),
            ("CVSS:4.0/AV:L/AC:L/AT:P/PR:L/UI:P/VC:H/VI:N/VA:L/SC:H/SI:H/SA:L/CR:L/IR:L/MAV:P/MAC:H/MPR:X/MVC:H/MVI:N/MVA:L/MSA:H", 4.6),
            ("CVSS:4.0/AV:L/AC:H/AT:N/PR:L/UI:P/VC:H/VI:N/VA:N/SC:N/SI:L/SA:H/E:P/CR:L/IR:L/AR:M/MAV:P/MSA:L", 0.5),
            ("CVSS:4.0/AV:L/AC:L/AT:N/PR:H/UI:P/VC:L/VI:H/VA:N/SC:H/SI:N/SA:N/CR:H/MAC:H/MUI:N/MSC:L/MSA:N", 5.6),
        ])
    func v4RoundingAtHalf(_ vector: String, _ expected: Double) throws {
        #expect(try CVSSVector(parsing: vector).score == expected)
    }

    /// v3.0 and v3.1 differ in the Scope Changed Modified Impact: (MISS − 0.02)^15 against
    /// (MISS × 0.9731 − 0.02)^13. Scores from the `cvss` 3.6 Python package (base, temporal,
    /// environmental for 3.1, then for 3.0).
    static let v3EnvironmentalCases: [(String, [Double], [Double])] = [
        ("AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H/CR:M", [9.6, 9.6, 9.7], [9.6, 9.6, 9.6]),
        ("AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H/MS:C/CR:H/IR:H/AR:H", [8.8, 8.8, 10.0], [8.8, 8.8, 9.9]),
        ("AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:H/A:H/E:F/RL:T/RC:R/MAV:A/MC:H", [9.0, 8.1, 7.6], [9.0, 8.1, 7.5]),
        ("AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H/MS:C/MPR:H/CR:L", [7.8, 7.8, 8.1], [7.8, 7.8, 8.1]),
        ("AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:N/E:U/RL:O/RC:U", [6.5, 5.2, 5.2], [6.5, 5.2, 5.2]),
        ("AV:A/AC:H/PR:H/UI:R/S:C/C:L/I:L/A:L/CR:M/IR:H/AR:M/MPR:N/MUI:N/MS:C/MC:N", [4.8, 4.8, 5.4], [4.8, 4.8, 5.4]),
        ("AV:P/AC:H/PR:H/UI:R/S:U/C:N/I:L/A:N/E:H/RL:W/RC:C/IR:H/MAV:N/MAC:L/MPR:N/MUI:N/MI:H", [1.6, 1.6, 9.1], [1.6, 1.6, 9.1]),
    ]

    @Test("CVSS v3.0 and v3.1 temporal and environmental scores", arguments: v3EnvironmentalCases)
    func v3Environmental(_ body: String, _ v3_1: [Double], _ v3_0: [Double]) throws {
        for (prefix, expected) in [("CVSS:3.1/", v3_1), ("CVSS:3.0/", v3_0)] {
            let vector = try CVSSVector(parsing: prefix + body)
            let scoring = CVSS3Scoring(vector)
            #expect([scoring.baseScore, scoring.temporalScore, scoring.environmentalScore] == expected, "\(prefix)")
        }
    }

    /// FIRST's calculator for v3.1, as quoted in the README of the Rust crate `cvssrust`.
    @Test("CVSS v3.1 temporal score, FIRST calculator")
    func v3Temporal() throws {
        let vector = try CVSSVector(parsing: "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N/E:P/RL:W/RC:C")
        #expect(vector.baseScore == 6.1)
        #expect(vector.temporalScore == 5.6)
        #expect(vector.environmentalScore == nil)
        #expect(vector.score == 5.6)
    }

    /// The Roundup functions themselves: the v3.0 definition's examples (4.02 → 4.1, 4.00 → 4.0)
    /// and v3.1 Appendix A's reason for being (a product meant to be 4.0 computed a hair above).
    @Test("Roundup of v3.0 and v3.1")
    func roundUp() throws {
        let v3_0 = CVSS3Scoring(try CVSSVector(parsing: "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"))
        let v3_1 = CVSS3Scoring(try CVSSVector(parsing: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"))
        for scoring in [v3_0, v3_1] {
            #expect(scoring.roundUp(4.02) == 4.1)
            #expect(scoring.roundUp(4.0) == 4.0)
            #expect(scoring.roundUp(4.000000000000001) == 4.0)
            #expect(scoring.roundUp(0) == 0)
            #expect(scoring.roundUp(9.9999) == 10.0)
        }
        // v3.1 first rounds to five decimals: 4.000004 counts as 4.0, while v3.0 rounds it up.
        #expect(v3_1.roundUp(4.000004) == 4.0)
        #expect(v3_0.roundUp(4.000004) == 4.1)
        #expect(v3_1.roundUp(4.00001) == 4.1)
    }
}
