/// The kind of a relationship in the identity graph, named and directed as BloodHound CE does:
/// an edge goes from the principal that holds a right or a foothold to the object it gains.
///
/// ``isTraversable`` is CE's `PathfindingRelationships` (packages/cue/bh/ad/ad.cue and the
/// generated packages/go/graphschema/ad/ad.go of SpecterOps/BloodHound): attack paths walk only
/// those kinds. The others describe the directory (a CA publishing a template, a trust that
/// filters SIDs) or are a half of an attack that post-processing completes (GetChanges and
/// GetChangesAll together become DCSync).
public enum EdgeKind: UInt8, CaseIterable, Sendable, Hashable, Codable, CustomStringConvertible {
    // Membership, sessions and local rights
    case memberOf
    case hasSession
    case adminTo
    case canRDP
    case executeDCOM
    case canPSRemote
    case remoteInteractiveLogonRight
    // Structure
    case contains
    case gpLink
    // Delegation and identity
    case allowedToDelegate
    case allowedToAct
    case hasSIDHistory
    case dumpSMSAPassword
    case coerceToTGT
    case dcFor
    case sqlAdmin
    // Trusts
    case sameForestTrust
    case crossForestTrust
    case spoofSIDHistory
    case abuseTGTDelegation
    // Rights from access control entries
    case genericAll
    case genericWrite
    case writeDacl
    case writeOwner
    case owns
    case forceChangePassword
    case addMember
    case addSelf
    case allExtendedRights
    case addKeyCredentialLink
    case readLAPSPassword
    case readGMSAPassword
    case writeSPN
    case addAllowedToAct
    case writeAccountRestrictions
    case writeGPLink
    case syncLAPSPassword
    case getChanges
    case getChangesAll
    case getChangesInFilteredSet
    case dcSync
    case manageCA
    case manageCertificates
    case enroll
    case writePKIEnrollmentFlag
    case writePKINameFlag
    // Certificate services structure
    case publishedTo
    case hostsCAService
    case rootCAFor
    case ntAuthStoreFor
    case trustedForNTAuth
    case enterpriseCAFor
    case issuedSignedBy
    case goldenCert
    case oidGroupLink

    /// The relationship type as BloodHound CE spells it (`MemberOf`, `WriteDacl`, `DCSync`, …).
    public var name: String {
        switch self {
        case .memberOf: "MemberOf"
        case .hasSession: "HasSession"
        case .adminTo: "AdminTo"
        case .canRDP: "CanRDP"
        case .executeDCOM: "ExecuteDCOM"
        case .canPSRemote: "CanPSRemote"
        case .remoteInteractiveLogonRight: "RemoteInteractiveLogonRight"
        case .contains: "Contains"
        case .gpLink: "GPLink"
        case .allowedToDelegate: "AllowedToDelegate"
        case .allowedToAct: "AllowedToAct"
        case .hasSIDHistory: "HasSIDHistory"
        case .dumpSMSAPassword: "DumpSMSAPassword"
        case .coerceToTGT: "CoerceToTGT"
        case .dcFor: "DCFor"
        case .sqlAdmin: "SQLAdmin"
        case .sameForestTrust: "SameForestTrust"
        case .crossForestTrust: "CrossForestTrust"
        case .spoofSIDHistory: "SpoofSIDHistory"
        case .abuseTGTDelegation: "AbuseTGTDelegation"
        case .genericAll: "GenericAll"
        case .genericWrite: "GenericWrite"
        case .writeDacl: "WriteDacl"
        case .writeOwner: "WriteOwner"
        case .owns: "Owns"
        case .forceChangePassword: "ForceChangePassword"
        case .addMember: "AddMember"
        case .addSelf: "AddSelf"
        case .allExtendedRights: "AllExtendedRights"
        case .addKeyCredentialLink: "AddKeyCredentialLink"
        case .readLAPSPassword: "ReadLAPSPassword"
        case .readGMSAPassword: "ReadGMSAPassword"
        case .writeSPN: "WriteSPN"
        case .addAllowedToAct: "AddAllowedToAct"
        case .writeAccountRestrictions: "WriteAccountRestrictions"
        case .writeGPLink: "WriteGPLink"
        case .syncLAPSPassword: "SyncLAPSPassword"
        case .getChanges: "GetChanges"
        case .getChangesAll: "GetChangesAll"
        case .getChangesInFilteredSet: "GetChangesInFilteredSet"
        case .dcSync: "DCSync"
        case .manageCA: "ManageCA"
        case .manageCertificates: "ManageCertificates"
        case .enroll: "Enroll"
        case .writePKIEnrollmentFlag: "WritePKIEnrollmentFlag"
        case .writePKINameFlag: "WritePKINameFlag"
        case .publishedTo: "PublishedTo"
        case .hostsCAService: "HostsCAService"
        case .rootCAFor: "RootCAFor"
        case .ntAuthStoreFor: "NTAuthStoreFor"
        case .trustedForNTAuth: "TrustedForNTAuth"
        case .enterpriseCAFor: "EnterpriseCAFor"
        case .issuedSignedBy: "IssuedSignedBy"
        case .goldenCert: "GoldenCert"
        case .oidGroupLink: "OIDGroupLink"
        }
    }

    public var description: String { name }

    /// Whether attack paths may walk this edge: membership in CE's `PathfindingRelationships`.
    public var isTraversable: Bool {
        switch self {
        case .remoteInteractiveLogonRight, .crossForestTrust,
             .getChanges, .getChangesAll, .getChangesInFilteredSet,
             .enroll, .writePKIEnrollmentFlag, .writePKINameFlag,
             .publishedTo, .hostsCAService, .rootCAFor, .ntAuthStoreFor, .trustedForNTAuth,
             .enterpriseCAFor, .issuedSignedBy, .oidGroupLink:
            false
        default:
            true
        }
    }

    /// Whether the kind comes from an access control entry (CE's `ACLRelationships`).
    public var isACL: Bool {
        switch self {
        case .genericAll, .genericWrite, .writeDacl, .writeOwner, .owns, .forceChangePassword, .addMember, .addSelf,
             .allExtendedRights, .addKeyCredentialLink, .readLAPSPassword, .readGMSAPassword, .writeSPN, .addAllowedToAct,
             .writeAccountRestrictions, .writeGPLink, .syncLAPSPassword, .getChanges, .getChangesAll,
             .getChangesInFilteredSet, .dcSync, .manageCA, .manageCertificates, .enroll, .writePKIEnrollmentFlag,
             .writePKINameFlag:
            true
        default:
            false
        }
    }

    /// The kind named `name` (CE's spelling, any case), or nil.
    public init?(name: String) {
        guard let kind = EdgeKind.byLowercaseName[name.lowercased()] else { return nil }
        self = kind
    }

    static let byLowercaseName: [String: EdgeKind] = {
        var table: [String: EdgeKind] = [:]
        for kind in EdgeKind.allCases { table[kind.name.lowercased()] = kind }
        return table
    }()

    /// Right names an access control entry may carry and the edge each becomes. `OwnsRaw` and
    /// `WriteOwnerRaw` (newer collectors) are read as `Owns` and `WriteOwner`.
    static func aceRight(_ lowercasedName: String) -> EdgeKind? {
        switch lowercasedName {
        case "ownsraw": return .owns
        case "writeownerraw": return .writeOwner
        default:
            guard let kind = byLowercaseName[lowercasedName], kind.isACL else { return nil }
            return kind
        }
    }
}
