/// The metric groups of the CVSS specifications.
enum MetricGroup: Sendable {
    /// Base metrics; the mandatory ones of every version are all here.
    case base
    /// v2.0 and v3.x temporal metrics.
    case temporal
    /// v4.0 threat metrics (Exploit Maturity).
    case threat
    /// Environmental metrics: security requirements and modified base metrics.
    case environmental
    /// v4.0 supplemental metrics, which never change a score.
    case supplemental
}

/// One metric of a version: its abbreviation, name, group and the values it allows, in the order
/// the specification lists them.
struct MetricDefinition: Sendable {
    let key: String
    let name: String
    let group: MetricGroup
    let values: [String]

    var isMandatory: Bool { group == .base }
}

/// The metrics of one CVSS version in the specification's canonical vector order.
struct MetricTable: Sendable {
    let version: CVSSVersion
    let definitions: [MetricDefinition]
    /// The value that means "Not Defined" for non-base metrics ("X", or "ND" in v2.0).
    let notDefined: String

    func index(of key: some StringProtocol) -> Int? {
        definitions.firstIndex { $0.key == key }
    }

    static func forVersion(_ version: CVSSVersion) -> MetricTable {
        switch version {
        case .v2_0: v2
        case .v3_0: v3_0
        case .v3_1: v3_1
        case .v4_0: v4
        }
    }

    // CVSS v2.0 Complete Guide, section 2 and table 13 (vector order).
    static let v2 = MetricTable(
        version: .v2_0,
        definitions: [
            MetricDefinition(key: "AV", name: "Access Vector", group: .base, values: ["L", "A", "N"]),
            MetricDefinition(key: "AC", name: "Access Complexity", group: .base, values: ["H", "M", "L"]),
            MetricDefinition(key: "Au", name: "Authentication", group: .base, values: ["M", "S", "N"]),
            MetricDefinition(key: "C", name: "Confidentiality Impact", group: .base, values: ["N", "P", "C"]),
            MetricDefinition(key: "I", name: "Integrity Impact", group: .base, values: ["N", "P", "C"]),
            MetricDefinition(key: "A", name: "Availability Impact", group: .base, values: ["N", "P", "C"]),
            MetricDefinition(key: "E", name: "Exploitability", group: .temporal, values: ["U", "POC", "F", "H", "ND"]),
            MetricDefinition(key: "RL", name: "Remediation Level", group: .temporal, values: ["OF", "TF", "W", "U", "ND"]),
            MetricDefinition(key: "RC", name: "Report Confidence", group: .temporal, values: ["UC", "UR", "C", "ND"]),
            MetricDefinition(
                key: "CDP", name: "Collateral Damage Potential", group: .environmental,
                values: ["N", "L", "LM", "MH", "H", "ND"]),
            MetricDefinition(key: "TD", name: "Target Distribution", group: .environmental, values: ["N", "L", "M", "H", "ND"]),
            MetricDefinition(key: "CR", name: "Confidentiality Requirement", group: .environmental, values: ["L", "M", "H", "ND"]),
            MetricDefinition(key: "IR", name: "Integrity Requirement", group: .environmental, values: ["L", "M", "H", "ND"]),
            MetricDefinition(key: "AR", name: "Availability Requirement", group: .environmental, values: ["L", "M", "H", "ND"]),
        ],
        notDefined: "ND")

    // CVSS v3.0 and v3.1 specifications, section 6 table 15 (vector order); both versions have the
    // same metrics and values.
    private static let v3Definitions: [MetricDefinition] = [
        MetricDefinition(key: "AV", name: "Attack Vector", group: .base, values: ["N", "A", "L", "P"]),
        MetricDefinition(key: "AC", name: "Attack Complexity", group: .base, values: ["L", "H"]),
        MetricDefinition(key: "PR", name: "Privileges Required", group: .base, values: ["N", "L", "H"]),
        MetricDefinition(key: "UI", name: "User Interaction", group: .base, values: ["N", "R"]),
        MetricDefinition(key: "S", name: "Scope", group: .base, values: ["U", "C"]),
        MetricDefinition(key: "C", name: "Confidentiality", group: .base, values: ["H", "L", "N"]),
        MetricDefinition(key: "I", name: "Integrity", group: .base, values: ["H", "L", "N"]),
        MetricDefinition(key: "A", name: "Availability", group: .base, values: ["H", "L", "N"]),
        MetricDefinition(key: "E", name: "Exploit Code Maturity", group: .temporal, values: ["X", "H", "F", "P", "U"]),
        MetricDefinition(key: "RL", name: "Remediation Level", group: .temporal, values: ["X", "U", "W", "T", "O"]),
        MetricDefinition(key: "RC", name: "Report Confidence", group: .temporal, values: ["X", "C", "R", "U"]),
        MetricDefinition(key: "CR", name: "Confidentiality Requirement", group: .environmental, values: ["X", "H", "M", "L"]),
        MetricDefinition(key: "IR", name: "Integrity Requirement", group: .environmental, values: ["X", "H", "M", "L"]),
        MetricDefinition(key: "AR", name: "Availability Requirement", group: .environmental, values: ["X", "H", "M", "L"]),
        MetricDefinition(key: "MAV", name: "Modified Attack Vector", group: .environmental, values: ["X", "N", "A", "L", "P"]),
        MetricDefinition(key: "MAC", name: "Modified Attack Complexity", group: .environmental, values: ["X", "L", "H"]),
        MetricDefinition(key: "MPR", name: "Modified Privileges Required", group: .environmental, values: ["X", "N", "L", "H"]),
        MetricDefinition(key: "MUI", name: "Modified User Interaction", group: .environmental, values: ["X", "N", "R"]),
        MetricDefinition(key: "MS", name: "Modified Scope", group: .environmental, values: ["X", "U", "C"]),
        MetricDefinition(key: "MC", name: "Modified Confidentiality", group: .environmental, values: ["X", "H", "L", "N"]),
        MetricDefinition(key: "MI", name: "Modified Integrity", group: .environmental, values: ["X", "H", "L", "N"]),
        MetricDefinition(key: "MA", name: "Modified Availability", group: .environmental, values: ["X", "H", "L", "N"]),
    ]

    static let v3_0 = MetricTable(version: .v3_0, definitions: v3Definitions, notDefined: "X")
    static let v3_1 = MetricTable(version: .v3_1, definitions: v3Definitions, notDefined: "X")

    // CVSS v4.0 specification, section 7 table 23 (vector order).
    static let v4 = MetricTable(
        version: .v4_0,
        definitions: [
            MetricDefinition(key: "AV", name: "Attack Vector", group: .base, values: ["N", "A", "L", "P"]),
            MetricDefinition(key: "AC", name: "Attack Complexity", group: .base, values: ["L", "H"]),
            MetricDefinition(key: "AT", name: "Attack Requirements", group: .base, values: ["N", "P"]),
            MetricDefinition(key: "PR", name: "Privileges Required", group: .base, values: ["N", "L", "H"]),
            MetricDefinition(key: "UI", name: "User Interaction", group: .base, values: ["N", "P", "A"]),
            MetricDefinition(key: "VC", name: "Vulnerable System Confidentiality", group: .base, values: ["H", "L", "N"]),
            MetricDefinition(key: "VI", name: "Vulnerable System Integrity", group: .base, values: ["H", "L", "N"]),
            MetricDefinition(key: "VA", name: "Vulnerable System Availability", group: .base, values: ["H", "L", "N"]),
            MetricDefinition(key: "SC", name: "Subsequent System Confidentiality", group: .base, values: ["H", "L", "N"]),
            MetricDefinition(key: "SI", name: "Subsequent System Integrity", group: .base, values: ["H", "L", "N"]),
            MetricDefinition(key: "SA", name: "Subsequent System Availability", group: .base, values: ["H", "L", "N"]),
            MetricDefinition(key: "E", name: "Exploit Maturity", group: .threat, values: ["X", "A", "P", "U"]),
            MetricDefinition(key: "CR", name: "Confidentiality Requirement", group: .environmental, values: ["X", "H", "M", "L"]),
            MetricDefinition(key: "IR", name: "Integrity Requirement", group: .environmental, values: ["X", "H", "M", "L"]),
            MetricDefinition(key: "AR", name: "Availability Requirement", group: .environmental, values: ["X", "H", "M", "L"]),
            MetricDefinition(key: "MAV", name: "Modified Attack Vector", group: .environmental, values: ["X", "N", "A", "L", "P"]),
            MetricDefinition(key: "MAC", name: "Modified Attack Complexity", group: .environmental, values: ["X", "L", "H"]),
            MetricDefinition(key: "MAT", name: "Modified Attack Requirements", group: .environmental, values: ["X", "N", "P"]),
            MetricDefinition(key: "MPR", name: "Modified Privileges Required", group: .environmental, values: ["X", "N", "L", "H"]),
            MetricDefinition(key: "MUI", name: "Modified User Interaction", group: .environmental, values: ["X", "N", "P", "A"]),
            MetricDefinition(
                key: "MVC", name: "Modified Vulnerable System Confidentiality", group: .environmental,
                values: ["X", "H", "L", "N"]),
            MetricDefinition(
                key: "MVI", name: "Modified Vulnerable System Integrity", group: .environmental,
                values: ["X", "H", "L", "N"]),
            MetricDefinition(
                key: "MVA", name: "Modified Vulnerable System Availability", group: .environmental,
                values: ["X", "H", "L", "N"]),
            MetricDefinition(
                key: "MSC", name: "Modified Subsequent System Confidentiality", group: .environmental,
                values: ["X", "H", "L", "N"]),
            MetricDefinition(
                key: "MSI", name: "Modified Subsequent System Integrity", group: .environmental,
                values: ["X", "S", "H", "L", "N"]),
            MetricDefinition(
                key: "MSA", name: "Modified Subsequent System Availability", group: .environmental,
                values: ["X", "S", "H", "L", "N"]),
            MetricDefinition(key: "S", name: "Safety", group: .supplemental, values: ["X", "N", "P"]),
            MetricDefinition(key: "AU", name: "Automatable", group: .supplemental, values: ["X", "N", "Y"]),
            MetricDefinition(key: "R", name: "Recovery", group: .supplemental, values: ["X", "A", "U", "I"]),
            MetricDefinition(key: "V", name: "Value Density", group: .supplemental, values: ["X", "D", "C"]),
            MetricDefinition(key: "RE", name: "Vulnerability Response Effort", group: .supplemental, values: ["X", "L", "M", "H"]),
            MetricDefinition(
                key: "U", name: "Provider Urgency", group: .supplemental,
                values: ["X", "Clear", "Green", "Amber", "Red"]),
        ],
        notDefined: "X")
}
