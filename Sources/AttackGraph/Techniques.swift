import Identity

/// The MITRE ATT&CK (Enterprise) technique each kind of step is an instance of.
enum Techniques {
    /// Exploitation of a public-facing application (from the internet) or of a remote service.
    static let exploitPublicFacing = "T1190"
    static let exploitRemoteService = "T1210"
    /// Data from Local System; Stored Data Manipulation; Data Encrypted for Impact.
    static func dataAccess(_ impact: AttackGraph.AssetImpact) -> String {
        switch impact {
        case .confidentiality: "T1005"
        case .integrity: "T1565.001"
        case .availability: "T1486"
        }
    }

    /// The technique of an AD relationship, where ATT&CK has one (membership and containment are
    /// structure, not techniques).
    static func identity(_ kind: EdgeKind) -> String? {
        switch kind {
        case .hasSession: "T1003.001"                       // OS Credential Dumping: LSASS Memory
        case .adminTo: "T1021.002"                          // Remote Services: SMB/Windows Admin Shares
        case .canRDP, .remoteInteractiveLogonRight: "T1021.001" // Remote Services: Remote Desktop Protocol
        case .canPSRemote: "T1021.006"                      // Remote Services: Windows Remote Management
        case .executeDCOM: "T1021.003"                      // Remote Services: Distributed Component Object Model
        case .sqlAdmin: "T1505.001"                         // Server Software Component: SQL Stored Procedures
        case .dcSync, .getChanges, .getChangesAll, .getChangesInFilteredSet: "T1003.006" // OS Credential Dumping: DCSync
        case .forceChangePassword, .addMember, .addSelf, .genericWrite, .genericAll, .allExtendedRights: "T1098" // Account Manipulation
        case .writeDacl, .writeOwner, .owns: "T1222.001"    // Permissions Modification: Windows
        case .addKeyCredentialLink: "T1556"                 // Modify Authentication Process (shadow credentials)
        case .readLAPSPassword, .syncLAPSPassword, .readGMSAPassword, .dumpSMSAPassword: "T1555" // Credentials from Password Stores
        case .writeSPN: "T1558.003"                         // Kerberoasting
        case .allowedToDelegate, .allowedToAct, .addAllowedToAct, .writeAccountRestrictions, .coerceToTGT, .abuseTGTDelegation: "T1558" // Steal or Forge Kerberos Tickets
        case .hasSIDHistory, .spoofSIDHistory: "T1134.005"  // SID-History Injection
        case .gpLink, .writeGPLink: "T1484.001"             // Group Policy Modification
        case .sameForestTrust, .crossForestTrust: "T1484.002" // Trust Modification
        case .manageCA, .manageCertificates, .enroll, .writePKIEnrollmentFlag, .writePKINameFlag, .goldenCert, .oidGroupLink: "T1649" // Steal or Forge Authentication Certificates
        default: nil
        }
    }

    /// The services lateral movement with an AD right uses, for the port check.
    static func lateralServices(_ kind: EdgeKind) -> [Service]? {
        switch kind {
        case .adminTo: [.tcp(445...445)]                    // SMB (PsExec, admin shares, remote service creation)
        case .canRDP: [.tcp(3389...3389)]
        case .canPSRemote: [.tcp(5985...5986)]              // WinRM over HTTP and HTTPS
        case .executeDCOM: [.tcp(135...135)]                // the RPC endpoint mapper DCOM starts from
        default: nil
        }
    }
}

import BulwarkModel
