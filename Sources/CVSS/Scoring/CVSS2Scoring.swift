/// CVSS v2.0 scores: the equations of section 3.2 of "A Complete Guide to the Common Vulnerability
/// Scoring System Version 2.0", evaluated in exact decimal arithmetic and rounded to one decimal
/// (halves up). A result below zero, which the environmental equation can reach with low security
/// requirements, is reported as 0.0.
struct CVSS2Scoring {
    private let metric: (String) -> String?

    init(_ vector: CVSSVector) {
        let table = vector.table
        let values = vector.values
        self.metric = { key in table.index(of: key).flatMap { values[$0] } }
    }

    var baseScore: Double {
        max(baseEquation(impact: impact).doubleValue, 0)
    }

    var temporalScore: Double {
        max(temporalEquation(base: baseEquation(impact: impact)).doubleValue, 0)
    }

    var environmentalScore: Double {
        let adjustedTemporal = temporalEquation(base: baseEquation(impact: adjustedImpact))
        let collateral = collateralDamageWeight(metric("CDP"))
        let distribution = targetDistributionWeight(metric("TD"))
        let score = ((adjustedTemporal + (10 - adjustedTemporal) * collateral) * distribution).rounded(places: 1)
        return max(score.doubleValue, 0)
    }

    // Impact = 10.41 × (1 − (1 − C) × (1 − I) × (1 − A))
    private var impact: ExactDecimal {
        let c = impactWeight(metric("C"))
        let i = impactWeight(metric("I"))
        let a = impactWeight(metric("A"))
        return ExactDecimal(1041, scale: 2) * (1 - (1 - c) * (1 - i) * (1 - a))
    }

    // AdjustedImpact = min(10, 10.41 × (1 − (1 − C × CR) × (1 − I × IR) × (1 − A × AR)))
    private var adjustedImpact: ExactDecimal {
        let c = impactWeight(metric("C")) * requirementWeight(metric("CR"))
        let i = impactWeight(metric("I")) * requirementWeight(metric("IR"))
        let a = impactWeight(metric("A")) * requirementWeight(metric("AR"))
        return min(10, ExactDecimal(1041, scale: 2) * (1 - (1 - c) * (1 - i) * (1 - a)))
    }

    // BaseScore = round_to_1_decimal(((0.6 × Impact) + (0.4 × Exploitability) − 1.5) × f(Impact))
    private func baseEquation(impact: ExactDecimal) -> ExactDecimal {
        let exploitability =
            20 * accessVectorWeight(metric("AV")) * accessComplexityWeight(metric("AC"))
            * authenticationWeight(metric("Au"))
        let f = impact == .zero ? ExactDecimal.zero : ExactDecimal(1176, scale: 3)
        let raw = (ExactDecimal(6, scale: 1) * impact + ExactDecimal(4, scale: 1) * exploitability - ExactDecimal(15, scale: 1)) * f
        return raw.rounded(places: 1)
    }

    // TemporalScore = round_to_1_decimal(BaseScore × Exploitability × RemediationLevel × ReportConfidence)
    private func temporalEquation(base: ExactDecimal) -> ExactDecimal {
        (base * exploitabilityWeight(metric("E")) * remediationWeight(metric("RL")) * confidenceWeight(metric("RC")))
            .rounded(places: 1)
    }

    // MARK: Weights (guide section 3.2.1–3.2.3)

    private func accessVectorWeight(_ value: String?) -> ExactDecimal {
        switch value {
        case "L": ExactDecimal(395, scale: 3)
        case "A": ExactDecimal(646, scale: 3)
        default: 1  // N
        }
    }

    private func accessComplexityWeight(_ value: String?) -> ExactDecimal {
        switch value {
        case "H": ExactDecimal(35, scale: 2)
        case "M": ExactDecimal(61, scale: 2)
        default: ExactDecimal(71, scale: 2)  // L
        }
    }

    private func authenticationWeight(_ value: String?) -> ExactDecimal {
        switch value {
        case "M": ExactDecimal(45, scale: 2)
        case "S": ExactDecimal(56, scale: 2)
        default: ExactDecimal(704, scale: 3)  // N
        }
    }

    private func impactWeight(_ value: String?) -> ExactDecimal {
        switch value {
        case "P": ExactDecimal(275, scale: 3)
        case "C": ExactDecimal(660, scale: 3)
        default: 0  // N
        }
    }

    private func exploitabilityWeight(_ value: String?) -> ExactDecimal {
        switch value {
        case "U": ExactDecimal(85, scale: 2)
        case "POC": ExactDecimal(9, scale: 1)
        case "F": ExactDecimal(95, scale: 2)
        default: 1  // H, ND
        }
    }

    private func remediationWeight(_ value: String?) -> ExactDecimal {
        switch value {
        case "OF": ExactDecimal(87, scale: 2)
        case "TF": ExactDecimal(9, scale: 1)
        case "W": ExactDecimal(95, scale: 2)
        default: 1  // U, ND
        }
    }

    private func confidenceWeight(_ value: String?) -> ExactDecimal {
        switch value {
        case "UC": ExactDecimal(9, scale: 1)
        case "UR": ExactDecimal(95, scale: 2)
        default: 1  // C, ND
        }
    }

    private func collateralDamageWeight(_ value: String?) -> ExactDecimal {
        switch value {
        case "L": ExactDecimal(1, scale: 1)
        case "LM": ExactDecimal(3, scale: 1)
        case "MH": ExactDecimal(4, scale: 1)
        case "H": ExactDecimal(5, scale: 1)
        default: 0  // N, ND
        }
    }

    private func targetDistributionWeight(_ value: String?) -> ExactDecimal {
        switch value {
        case "N": 0
        case "L": ExactDecimal(25, scale: 2)
        case "M": ExactDecimal(75, scale: 2)
        default: 1  // H, ND
        }
    }

    private func requirementWeight(_ value: String?) -> ExactDecimal {
        switch value {
        case "L": ExactDecimal(5, scale: 1)
        case "H": ExactDecimal(151, scale: 2)
        default: 1  // M, ND
        }
    }
}
