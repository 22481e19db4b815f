/// How serious a finding is, from `info` to `critical`.
public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
    case info, low, medium, high, critical

    public var rank: Int { Severity.allCases.firstIndex(of: self)! }
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// The discipline that looks at a finding: configuration correctness, adversary and business
/// consequence, or the information assets and their CIA.
public enum Lens: String, Sendable, Codable, CaseIterable {
    case itSecurity = "it-security"
    case cybersecurity
    case informationSecurity = "information-security"
}

/// Who acts on a finding.
public enum Role: String, Sendable, Codable, CaseIterable {
    case firewallAdministrator = "firewall-administrator"
    case networkSecurityEngineer = "network-security-engineer"
    case securityArchitect = "security-architect"
    case identityAdministrator = "identity-administrator"
    case vulnerabilityManager = "vulnerability-manager"
    /// Servers and workstations: backups, encryption, endpoint protection.
    case systemAdministrator = "system-administrator"
    case riskOwner = "risk-owner"
    /// The business owner of an information asset: its classification, CIA and loss.
    case assetOwner = "asset-owner"
    /// Governance, risk and compliance: attested controls, the Statement of Applicability.
    case auditor
    case incidentResponder = "incident-responder"
}

/// The eight domains of the (ISC)² CISSP Common Body of Knowledge.
public enum CISSPDomain: Int, Sendable, Codable, CaseIterable, CustomStringConvertible {
    case securityAndRiskManagement = 1
    case assetSecurity
    case securityArchitectureAndEngineering
    case communicationAndNetworkSecurity
    case identityAndAccessManagement
    case securityAssessmentAndTesting
    case securityOperations
    case softwareDevelopmentSecurity

    public var description: String {
        switch self {
        case .securityAndRiskManagement: "Security and Risk Management"
        case .assetSecurity: "Asset Security"
        case .securityArchitectureAndEngineering: "Security Architecture and Engineering"
        case .communicationAndNetworkSecurity: "Communication and Network Security"
        case .identityAndAccessManagement: "Identity and Access Management"
        case .securityAssessmentAndTesting: "Security Assessment and Testing"
        case .securityOperations: "Security Operations"
        case .softwareDevelopmentSecurity: "Software Development Security"
        }
    }
}
