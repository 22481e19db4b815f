public import BulwarkModel

/// The qualitative severity rating of a CVSS score.
///
/// CVSS v3.x and v4.0 share one scale (None 0.0, Low 0.1–3.9, Medium 4.0–6.9, High 7.0–8.9,
/// Critical 9.0–10.0). CVSS v2.0 has only Low 0.0–3.9, Medium 4.0–6.9 and High 7.0–10.0 (the NVD
/// scale), so a v2 score is never `none` or `critical`.
public enum CVSSSeverity: String, Sendable, Hashable, Codable, CaseIterable, Comparable, CustomStringConvertible {
    /// Score 0.0 (v3.x and v4.0 only).
    case none
    /// Score 0.1–3.9 (v2.0: 0.0–3.9).
    case low
    /// Score 4.0–6.9.
    case medium
    /// Score 7.0–8.9 (v2.0: 7.0–10.0).
    case high
    /// Score 9.0–10.0 (v3.x and v4.0 only).
    case critical

    /// Rates `score` on the scale of `version`.
    ///
    /// Scores are compared after rounding to one decimal, as every CVSS score is published; a value
    /// outside 0…10 (which no CVSS formula produces) is clamped first.
    public init(score: Double, version: CVSSVersion) {
        let tenths = score.isNaN ? 0 : Int((min(max(score, 0), 10) * 10).rounded())
        if version == .v2_0 {
            switch tenths {
            case ..<40: self = .low
            case ..<70: self = .medium
            default: self = .high
            }
            return
        }
        switch tenths {
        case ...0: self = .none
        case ..<40: self = .low
        case ..<70: self = .medium
        case ..<90: self = .high
        default: self = .critical
        }
    }

    /// The lowercase name, e.g. "critical".
    public var description: String { rawValue }

    /// Orders ratings from `none` to `critical`.
    public static func < (lhs: CVSSSeverity, rhs: CVSSSeverity) -> Bool {
        lhs.rank < rhs.rank
    }

    /// The finding severity Bulwark uses for this rating (`none` becomes `info`).
    public var findingSeverity: Severity {
        switch self {
        case .none: .info
        case .low: .low
        case .medium: .medium
        case .high: .high
        case .critical: .critical
        }
    }

    private var rank: Int {
        switch self {
        case .none: 0
        case .low: 1
        case .medium: 2
        case .high: 3
        case .critical: 4
        }
    }
}
