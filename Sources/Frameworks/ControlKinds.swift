/// What each kind of technical control maps to in the frameworks: the ATT&CK mitigations it is an
/// instance of, the CSF 2.0 subcategories whose outcome it serves, and the ISO/IEC 27001:2022
/// Annex A controls it implements (ids only; the standard's text is not reproduced).
public enum ControlKind: String, Sendable, Hashable, CaseIterable {
    /// A firewall rule, security-group permission or network ACL that drops traffic.
    case filter
    /// A patch: the absence of a vulnerability.
    case patch
    /// Taking an AD right, ACE or local group right away.
    case right
    /// Taking a group membership away.
    case membership
    /// Stopping a privileged account from logging on to a host (its session).
    case session
    case mfa
    case backup
    case encryption
    case edr

    public var mitigations: [String] {
        switch self {
        case .filter: ["M1037", "M1030"]        // Filter Network Traffic; Network Segmentation
        case .patch: ["M1051"]                  // Update Software
        case .right: ["M1026", "M1018"]         // Privileged Account Management; User Account Management
        case .membership: ["M1026", "M1018"]
        case .session: ["M1026", "M1043"]       // …; Credential Access Protection
        case .mfa: ["M1032"]                    // Multi-factor Authentication
        case .backup: ["M1053"]                 // Data Backup
        case .encryption: ["M1041"]             // Encrypt Sensitive Information
        case .edr: ["M1040", "M1049"]           // Behavior Prevention on Endpoint; Antivirus/Antimalware
        }
    }

    public var csf: [String] {
        switch self {
        case .filter: ["PR.IR-01"]                          // networks protected from unauthorized access
        case .patch: ["ID.RA-01", "PR.PS-02"]               // vulnerabilities identified; software maintained
        case .right, .membership: ["PR.AA-05"]              // access permissions managed, least privilege
        case .session: ["PR.AA-05", "PR.AA-01"]
        case .mfa: ["PR.AA-03"]                             // users, services and hardware authenticated
        case .backup: ["PR.DS-11"]                          // backups created, protected, maintained, tested
        case .encryption: ["PR.DS-01", "PR.DS-02"]          // data at rest, data in transit
        case .edr: ["DE.CM-09"]                             // computing hardware and software monitored
        }
    }

    /// ISO/IEC 27001:2022 Annex A control ids.
    public var annexA: [String] {
        switch self {
        case .filter: ["8.20", "8.22"]          // network security; segregation of networks
        case .patch: ["8.8"]                    // technical vulnerabilities
        case .right, .membership: ["5.15", "5.18", "8.2"]  // access control; access rights; privileged access
        case .session: ["8.2", "8.5"]
        case .mfa: ["8.5"]                      // secure authentication
        case .backup: ["8.13"]                  // information backup
        case .encryption: ["8.24"]              // use of cryptography
        case .edr: ["8.7"]                      // protection against malware
        }
    }

    /// The kind of a change as `bulwark remediate` and `bulwark risk controls` name it.
    public init?(change kind: String) {
        switch kind {
        case "block": self = .filter
        default: self.init(rawValue: kind)
        }
    }
}
