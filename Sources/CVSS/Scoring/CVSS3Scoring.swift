/// CVSS v3.0 and v3.1 scores: the equations of section 7 of both specifications, which differ in
/// the Roundup function and in the Scope Changed term of the environmental Modified Impact.
///
/// Arithmetic is in `Double`, as in the specifications and FIRST's calculators.
struct CVSS3Scoring {
    let version: CVSSVersion
    private let metric: (String) -> String?

    init(_ vector: CVSSVector) {
        self.version = vector.version
        let table = vector.table
        let values = vector.values
        self.metric = { key in table.index(of: key).flatMap { values[$0] } }
    }

    // MARK: Scores

    var baseScore: Double {
        let scopeChanged = metric("S") == "C"
        let iss = 1 - (1 - impactWeight(metric("C"))) * (1 - impactWeight(metric("I"))) * (1 - impactWeight(metric("A")))
        let impact = scopeChanged ? 7.52 * (iss - 0.029) - 3.25 * power(iss - 0.02, 15) : 6.42 * iss
        let exploitability =
            8.22 * attackVectorWeight(metric("AV")) * attackComplexityWeight(metric("AC"))
            * privilegesWeight(metric("PR"), scopeChanged: scopeChanged) * userInteractionWeight(metric("UI"))
        if impact <= 0 { return 0 }
        return roundUp(min((scopeChanged ? 1.08 : 1) * (impact + exploitability), 10))
    }

    var temporalScore: Double {
        roundUp(baseScore * temporalMultiplier)
    }

    var environmentalScore: Double {
        let scopeChanged = (metric("MS") ?? metric("S")) == "C"
        let confidentiality = requirementWeight(metric("CR")) * impactWeight(modified("C"))
        let integrity = requirementWeight(metric("IR")) * impactWeight(modified("I"))
        let availability = requirementWeight(metric("AR")) * impactWeight(modified("A"))
        let miss = min(1 - (1 - confidentiality) * (1 - integrity) * (1 - availability), 0.915)
        let modifiedImpact: Double
        if !scopeChanged {
            modifiedImpact = 6.42 * miss
        } else if version == .v3_0 {
            modifiedImpact = 7.52 * (miss - 0.029) - 3.25 * power(miss - 0.02, 15)
        } else {
            modifiedImpact = 7.52 * (miss - 0.029) - 3.25 * power(miss * 0.9731 - 0.02, 13)
        }
        let modifiedExploitability =
            8.22 * attackVectorWeight(modified("AV")) * attackComplexityWeight(modified("AC"))
            * privilegesWeight(modified("PR"), scopeChanged: scopeChanged) * userInteractionWeight(modified("UI"))
        if modifiedImpact <= 0 { return 0 }
        let capped = roundUp(min((scopeChanged ? 1.08 : 1) * (modifiedImpact + modifiedExploitability), 10))
        return roundUp(capped * temporalMultiplier)
    }

    private var temporalMultiplier: Double {
        exploitMaturityWeight(metric("E")) * remediationWeight(metric("RL")) * confidenceWeight(metric("RC"))
    }

    /// The modified base metric `M<key>` when defined, else the base metric `<key>`.
    private func modified(_ key: String) -> String? {
        metric("M" + key) ?? metric(key)
    }

    // MARK: Roundup

    /// The Roundup of the version's specification.
    func roundUp(_ input: Double) -> Double {
        guard input.isFinite, input > 0 else { return 0 }
        switch version {
        case .v3_1:
            // v3.1 Appendix A: round to five decimals as an integer first, so floating-point noise
            // (4.000000000000001) does not round up a whole tenth.
            let scaled = Int((input * 100_000).rounded())
            if scaled % 10_000 == 0 { return Double(scaled) / 100_000 }
            return Double(scaled / 10_000 + 1) / 10
        default:
            // v3.0 section 7.4 footnote: the smallest number, to one decimal, equal to or higher
            // than the input. Noise below 1e-9 around an exact tenth is taken as that tenth, since
            // every input the equations feed here that is meant to be a tenth lands within it.
            let tenths = input * 10
            let nearest = tenths.rounded()
            if abs(tenths - nearest) < 1e-9 { return nearest / 10 }
            return tenths.rounded(.up) / 10
        }
    }

    // MARK: Weights (specification section 7.4, table 16)

    private func attackVectorWeight(_ value: String?) -> Double {
        switch value {
        case "N": 0.85
        case "A": 0.62
        case "L": 0.55
        default: 0.2  // P
        }
    }

    private func attackComplexityWeight(_ value: String?) -> Double {
        value == "H" ? 0.44 : 0.77
    }

    private func privilegesWeight(_ value: String?, scopeChanged: Bool) -> Double {
        switch value {
        case "N": 0.85
        case "L": scopeChanged ? 0.68 : 0.62
        default: scopeChanged ? 0.5 : 0.27  // H
        }
    }

    private func userInteractionWeight(_ value: String?) -> Double {
        value == "R" ? 0.62 : 0.85
    }

    private func impactWeight(_ value: String?) -> Double {
        switch value {
        case "H": 0.56
        case "L": 0.22
        default: 0  // N
        }
    }

    private func exploitMaturityWeight(_ value: String?) -> Double {
        switch value {
        case "F": 0.97
        case "P": 0.94
        case "U": 0.91
        default: 1  // H, X
        }
    }

    private func remediationWeight(_ value: String?) -> Double {
        switch value {
        case "W": 0.97
        case "T": 0.96
        case "O": 0.95
        default: 1  // U, X
        }
    }

    private func confidenceWeight(_ value: String?) -> Double {
        switch value {
        case "R": 0.96
        case "U": 0.92
        default: 1  // C, X
        }
    }

    private func requirementWeight(_ value: String?) -> Double {
        switch value {
        case "H": 1.5
        case "L": 0.5
        default: 1  // M, X
        }
    }
}

/// `base` raised to a small non-negative integer power by repeated multiplication (no Foundation).
func power(_ base: Double, _ exponent: Int) -> Double {
    var result = 1.0
    for _ in 0..<max(exponent, 0) { result *= base }
    return result
}
