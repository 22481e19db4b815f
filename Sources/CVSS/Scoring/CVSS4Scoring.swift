/// CVSS v4.0 scores as FIRST's specification (section 8) and reference calculator compute them:
/// the vector's MacroVector (EQ1–EQ6) gives a score from FIRST's table, which is then lowered by
/// the mean, over the EQs, of how far the vector lies below the highest severity vectors of its
/// MacroVector, in proportion to the score gap to the next lower MacroVector.
///
/// The arithmetic follows the reference step for step in `Double`, in the same order, so the
/// result is the same binary value before rounding to one decimal.
struct CVSS4Scoring {
    private let given: [String: String]
    private let effectiveValues: [String: String]

    /// The metrics whose effective values scoring reads.
    private static let scoredMetrics = [
        "AV", "AC", "AT", "PR", "UI", "VC", "VI", "VA", "SC", "SI", "SA", "E", "CR", "IR", "AR",
    ]

    /// Scores `values` (indexed like ``MetricTable/v4``, `nil` for Not Defined).
    init(values: [String?]) {
        var given: [String: String] = [:]
        for (definition, value) in zip(MetricTable.v4.definitions, values) {
            if let value { given[definition.key] = value }
        }
        self.given = given
        var effectiveValues: [String: String] = [:]
        for key in Self.scoredMetrics {
            effectiveValues[key] = Self.effective(key, given: given)
        }
        self.effectiveValues = effectiveValues
    }

    // MARK: Effective values

    /// The value a metric takes for scoring: Not Defined Exploit Maturity counts as Attacked and Not
    /// Defined security requirements as High (the worst case); a defined modified base metric
    /// replaces its base metric.
    func effective(_ key: String) -> String {
        effectiveValues[key] ?? Self.effective(key, given: given)
    }

    private static func effective(_ key: String, given: [String: String]) -> String {
        switch key {
        case "E": return given["E"] ?? "A"
        case "CR", "IR", "AR": return given[key] ?? "H"
        default: return given["M" + key] ?? given[key] ?? "N"
        }
    }

    // MARK: MacroVector

    /// The six EQ levels of the vector (spec section 8.2, tables 24–29).
    var macroVector: [Int] {
        let av = effective("AV"), pr = effective("PR"), ui = effective("UI")
        let eq1: Int
        if av == "N" && pr == "N" && ui == "N" {
            eq1 = 0
        } else if (av == "N" || pr == "N" || ui == "N") && av != "P" {
            eq1 = 1
        } else {
            eq1 = 2
        }

        let eq2 = effective("AC") == "L" && effective("AT") == "N" ? 0 : 1

        let vc = effective("VC"), vi = effective("VI"), va = effective("VA")
        let eq3: Int
        if vc == "H" && vi == "H" {
            eq3 = 0
        } else if vc == "H" || vi == "H" || va == "H" {
            eq3 = 1
        } else {
            eq3 = 2
        }

        let eq4: Int
        if given["MSI"] == "S" || given["MSA"] == "S" {
            eq4 = 0
        } else if effective("SC") == "H" || effective("SI") == "H" || effective("SA") == "H" {
            eq4 = 1
        } else {
            eq4 = 2
        }

        let eq5: Int
        switch effective("E") {
        case "A": eq5 = 0
        case "P": eq5 = 1
        default: eq5 = 2
        }

        let eq6 =
            (effective("CR") == "H" && vc == "H") || (effective("IR") == "H" && vi == "H")
                || (effective("AR") == "H" && va == "H") ? 0 : 1

        return [eq1, eq2, eq3, eq4, eq5, eq6]
    }

    // MARK: Score

    var score: Double {
        // A vector with no impact on any system scores 0.0 whatever else it says.
        if ["VC", "VI", "VA", "SC", "SI", "SA"].allSatisfy({ effective($0) == "N" }) {
            return 0
        }
        let eq = macroVector
        guard eq.count == 6, let value = Self.lookup(eq) else { return 0 }
        let (eq1, eq2, eq3, eq4, eq5, eq6) = (eq[0], eq[1], eq[2], eq[3], eq[4], eq[5])

        // 1a. Score of the next lower MacroVector along each EQ (absent at the bottom of an EQ).
        let lowerEQ1 = Self.lookup([eq1 + 1, eq2, eq3, eq4, eq5, eq6])
        let lowerEQ2 = Self.lookup([eq1, eq2 + 1, eq3, eq4, eq5, eq6])
        let lowerEQ3EQ6: Double?
        switch (eq3, eq6) {
        case (0, 0):
            // Two ways down (00 → 01 and 00 → 10): the reference takes the higher score, and none
            // when either is missing.
            if let left = Self.lookup([eq1, eq2, eq3, eq4, eq5, eq6 + 1]),
                let right = Self.lookup([eq1, eq2, eq3 + 1, eq4, eq5, eq6])
            {
                lowerEQ3EQ6 = max(left, right)
            } else {
                lowerEQ3EQ6 = nil
            }
        case (1, 0):
            lowerEQ3EQ6 = Self.lookup([eq1, eq2, eq3, eq4, eq5, eq6 + 1])
        case (0, 1), (1, 1):
            lowerEQ3EQ6 = Self.lookup([eq1, eq2, eq3 + 1, eq4, eq5, eq6])
        default:
            lowerEQ3EQ6 = Self.lookup([eq1, eq2, eq3 + 1, eq4, eq5, eq6 + 1])
        }
        let lowerEQ4 = Self.lookup([eq1, eq2, eq3, eq4 + 1, eq5, eq6])
        let lowerEQ5 = Self.lookup([eq1, eq2, eq3, eq4, eq5 + 1, eq6])

        // 1b. Severity distances from the first highest severity vector of the MacroVector that
        // the vector does not exceed in any metric.
        let distances = distancesFromHighestSeverityVector(eq1: eq1, eq2: eq2, eq3: eq3, eq4: eq4, eq5: eq5, eq6: eq6)
        func d(_ key: String) -> Double { distances[key] ?? 0 }
        let distanceEQ1 = d("AV") + d("PR") + d("UI")
        let distanceEQ2 = d("AC") + d("AT")
        let distanceEQ3EQ6 = d("VC") + d("VI") + d("VA") + d("CR") + d("IR") + d("AR")
        let distanceEQ4 = d("SC") + d("SI") + d("SA")

        let step = 0.1
        let depthEQ1 = Double(Self.element(CVSS4Tables.depthEQ1, eq1)) * step
        let depthEQ2 = Double(Self.element(CVSS4Tables.depthEQ2, eq2)) * step
        let depthEQ3EQ6 = Double(Self.element(Self.element(CVSS4Tables.depthEQ3EQ6, eq3, default: []), eq6)) * step
        let depthEQ4 = Double(Self.element(CVSS4Tables.depthEQ4, eq4)) * step

        // 1c–d. Each EQ with a lower MacroVector contributes the score gap times the proportion of
        // the level's depth the vector is down; EQ5 has depth one step and so contributes zero.
        var existingLower = 0
        var normalizedEQ1 = 0.0, normalizedEQ2 = 0.0, normalizedEQ3EQ6 = 0.0, normalizedEQ4 = 0.0, normalizedEQ5 = 0.0
        if let lower = lowerEQ1 {
            existingLower += 1
            normalizedEQ1 = (value - lower) * (distanceEQ1 / depthEQ1)
        }
        if let lower = lowerEQ2 {
            existingLower += 1
            normalizedEQ2 = (value - lower) * (distanceEQ2 / depthEQ2)
        }
        if let lower = lowerEQ3EQ6 {
            existingLower += 1
            normalizedEQ3EQ6 = (value - lower) * (distanceEQ3EQ6 / depthEQ3EQ6)
        }
        if let lower = lowerEQ4 {
            existingLower += 1
            normalizedEQ4 = (value - lower) * (distanceEQ4 / depthEQ4)
        }
        if let lower = lowerEQ5 {
            existingLower += 1
            normalizedEQ5 = (value - lower) * 0
        }

        // 2–3. Subtract the mean and round to one decimal, halves up.
        let meanDistance =
            existingLower == 0
            ? 0
            : (normalizedEQ1 + normalizedEQ2 + normalizedEQ3EQ6 + normalizedEQ4 + normalizedEQ5) / Double(existingLower)
        let unrounded = max(0, min(10, value - meanDistance))
        guard unrounded.isFinite else { return 0 }
        return (unrounded * 10).rounded(.toNearestOrAwayFromZero) / 10
    }

    private func distancesFromHighestSeverityVector(
        eq1: Int, eq2: Int, eq3: Int, eq4: Int, eq5: Int, eq6: Int
    ) -> [String: Double] {
        let candidatesEQ1 = Self.element(Self.parsedEQ1, eq1, default: [])
        let candidatesEQ2 = Self.element(Self.parsedEQ2, eq2, default: [])
        let candidatesEQ3EQ6 = Self.element(Self.element(Self.parsedEQ3EQ6, eq3, default: []), eq6, default: [])
        let candidatesEQ4 = Self.element(Self.parsedEQ4, eq4, default: [])
        let candidatesEQ5 = Self.element(Self.parsedEQ5, eq5, default: [])
        let own = Self.distanceKeys.map { key in CVSS4Tables.severityLevels[key]?[effective(key)] ?? 0 }

        var distances: [String: Double] = [:]
        // Nested in EQ order, as the reference composes them; like the reference, fall back to the
        // distances from the last candidate should none qualify.
        for part1 in candidatesEQ1 {
            for part2 in candidatesEQ2 {
                for part3 in candidatesEQ3EQ6 {
                    for part4 in candidatesEQ4 {
                        for part5 in candidatesEQ5 {
                            distances = [:]
                            var qualifies = true
                            for (index, key) in Self.distanceKeys.enumerated() {
                                let top = part1[key] ?? part2[key] ?? part3[key] ?? part4[key] ?? part5[key] ?? 0
                                let distance = own[index] - top
                                distances[key] = distance
                                if distance < 0 { qualifies = false }
                            }
                            if qualifies { return distances }
                        }
                    }
                }
            }
        }
        return distances
    }

    // MARK: Helpers

    private static func lookup(_ levels: [Int]) -> Double? {
        guard levels.allSatisfy({ (0...9).contains($0) }) else { return nil }
        return scoresByCode[levels.reduce(0) { $0 * 10 + $1 }]
    }

    /// ``CVSS4Tables/macroVectorScores`` keyed by the MacroVector read as a decimal number.
    private static let scoresByCode: [Int: Double] = {
        var scores: [Int: Double] = [:]
        for (key, score) in CVSS4Tables.macroVectorScores {
            if let code = Int(key) { scores[code] = score }
        }
        return scores
    }()

    /// The metrics whose severity distances are measured, in the reference's order.
    private static let distanceKeys = [
        "AV", "PR", "UI", "AC", "AT", "VC", "VI", "VA", "SC", "SI", "SA", "CR", "IR", "AR", "E",
    ]

    /// A highest severity vector part ("AV:N/PR:N/UI:N") as the severity level of each metric.
    private static func levels(of part: String) -> [String: Double] {
        var levels: [String: Double] = [:]
        for component in part.split(separator: "/") {
            let pair = component.split(separator: ":", maxSplits: 1)
            if pair.count == 2, let level = CVSS4Tables.severityLevels[String(pair[0])]?[String(pair[1])] {
                levels[String(pair[0])] = level
            }
        }
        return levels
    }

    private static let parsedEQ1 = CVSS4Tables.highestSeverityEQ1.map { $0.map(levels(of:)) }
    private static let parsedEQ2 = CVSS4Tables.highestSeverityEQ2.map { $0.map(levels(of:)) }
    private static let parsedEQ3EQ6 = CVSS4Tables.highestSeverityEQ3EQ6.map { $0.map { $0.map(levels(of:)) } }
    private static let parsedEQ4 = CVSS4Tables.highestSeverityEQ4.map { $0.map(levels(of:)) }
    private static let parsedEQ5 = CVSS4Tables.highestSeverityEQ5.map { $0.map(levels(of:)) }

    private static func element<T>(_ array: [T], _ index: Int, default fallback: T) -> T {
        array.indices.contains(index) ? array[index] : fallback
    }

    private static func element(_ array: [Int], _ index: Int) -> Int {
        element(array, index, default: 1)
    }
}
