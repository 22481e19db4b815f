/// Which metric groups a CVSS v4.0 score takes into account, as the v4.0 specification (section
/// 1.3) requires a score to be labelled.
public enum CVSSNomenclature: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// Base metrics only.
    case base = "CVSS-B"
    /// Base and threat metrics.
    case baseThreat = "CVSS-BT"
    /// Base and environmental metrics.
    case baseEnvironmental = "CVSS-BE"
    /// Base, threat and environmental metrics.
    case baseThreatEnvironmental = "CVSS-BTE"

    /// The label, e.g. "CVSS-BT".
    public var description: String { rawValue }
}

extension CVSSVector {
    /// The base score, 0.0–10.0.
    ///
    /// For v4.0 this is the CVSS-B score: the vector scored with its threat and environmental
    /// metrics set to Not Defined.
    public var baseScore: Double {
        switch version {
        case .v2_0: CVSS2Scoring(self).baseScore
        case .v3_0, .v3_1: CVSS3Scoring(self).baseScore
        case .v4_0: CVSS4Scoring(values: values(clearing: [.threat, .environmental])).score
        }
    }

    /// The temporal score (v2.0 and v3.x), or `nil` when the vector defines no temporal metric or
    /// is a v4.0 vector (v4.0 has threat metrics instead; see ``threatScore``).
    public var temporalScore: Double? {
        switch version {
        case .v2_0: hasDefinedMetric(in: .temporal) ? CVSS2Scoring(self).temporalScore : nil
        case .v3_0, .v3_1: hasDefinedMetric(in: .temporal) ? CVSS3Scoring(self).temporalScore : nil
        case .v4_0: nil
        }
    }

    /// The CVSS-BT score of a v4.0 vector that defines Exploit Maturity: base and threat metrics,
    /// environmental ones set to Not Defined. `nil` for other vectors.
    public var threatScore: Double? {
        guard version == .v4_0, hasDefinedMetric(in: .threat) else { return nil }
        return CVSS4Scoring(values: values(clearing: [.environmental])).score
    }

    /// The environmental score, or `nil` when the vector defines no environmental metric.
    ///
    /// For v2.0 and v3.x it includes the temporal metrics, as their equations do. For v4.0 it is the
    /// score of the whole vector: CVSS-BE, or CVSS-BTE when Exploit Maturity is defined too.
    public var environmentalScore: Double? {
        guard hasDefinedMetric(in: .environmental) else { return nil }
        switch version {
        case .v2_0: return CVSS2Scoring(self).environmentalScore
        case .v3_0, .v3_1: return CVSS3Scoring(self).environmentalScore
        case .v4_0: return CVSS4Scoring(values: values).score
        }
    }

    /// The most specific score the vector supports: the environmental score if it has one, else
    /// the temporal (v2.0, v3.x) or threat (v4.0) score if it has one, else the base score. For v4.0
    /// this is the score of the whole vector, labelled by ``nomenclature``.
    public var score: Double {
        environmentalScore ?? temporalScore ?? threatScore ?? baseScore
    }

    /// The qualitative severity of the ``baseScore`` on the version's scale (see ``CVSSSeverity``).
    public var severity: CVSSSeverity {
        CVSSSeverity(score: baseScore, version: version)
    }

    /// The qualitative severity of ``score`` on the version's scale.
    public var scoreSeverity: CVSSSeverity {
        CVSSSeverity(score: score, version: version)
    }

    /// For v4.0, which metric groups ``score`` takes into account; `nil` for earlier versions.
    public var nomenclature: CVSSNomenclature? {
        guard version == .v4_0 else { return nil }
        switch (hasDefinedMetric(in: .threat), hasDefinedMetric(in: .environmental)) {
        case (false, false): return .base
        case (true, false): return .baseThreat
        case (false, true): return .baseEnvironmental
        case (true, true): return .baseThreatEnvironmental
        }
    }

    /// For v4.0, the MacroVector of the whole vector: its six EQ levels as digits, e.g. "002201".
    /// `nil` for earlier versions.
    public var macroVector: String? {
        guard version == .v4_0 else { return nil }
        return CVSS4Scoring(values: values).macroVector.map(String.init).joined()
    }
}
