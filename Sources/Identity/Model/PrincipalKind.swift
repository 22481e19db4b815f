/// The kind of an object in the identity graph: BloodHound CE's node labels for Active Directory.
public enum PrincipalKind: UInt8, CaseIterable, Sendable, Hashable, Codable, CustomStringConvertible {
    /// An id referenced by some edge whose object no file describes and whose type no reference gave.
    case base
    case user
    case group
    case computer
    case domain
    case ou
    case gpo
    case container
    case certTemplate
    case enterpriseCA
    case rootCA
    case aiaCA
    case ntAuthStore
    case issuancePolicy

    /// The label as BloodHound CE spells it (`User`, `EnterpriseCA`, `Base`, …).
    public var name: String {
        switch self {
        case .base: "Base"
        case .user: "User"
        case .group: "Group"
        case .computer: "Computer"
        case .domain: "Domain"
        case .ou: "OU"
        case .gpo: "GPO"
        case .container: "Container"
        case .certTemplate: "CertTemplate"
        case .enterpriseCA: "EnterpriseCA"
        case .rootCA: "RootCA"
        case .aiaCA: "AIACA"
        case .ntAuthStore: "NTAuthStore"
        case .issuancePolicy: "IssuancePolicy"
        }
    }

    public var description: String { name }

    /// The kind named by a BloodHound label or an `ObjectType`/`PrincipalType` value, any case.
    /// Local groups and local users (which Bulwark does not model as nodes) read as ``base``.
    public init?(label: String) {
        switch label.lowercased() {
        case "base", "entity", "adlocalgroup", "localgroup", "adlocaluser", "localuser": self = .base
        case "user": self = .user
        case "group": self = .group
        case "computer": self = .computer
        case "domain": self = .domain
        case "ou", "organizationalunit": self = .ou
        case "gpo": self = .gpo
        case "container": self = .container
        case "certtemplate": self = .certTemplate
        case "enterpriseca": self = .enterpriseCA
        case "rootca": self = .rootCA
        case "aiaca": self = .aiaCA
        case "ntauthstore": self = .ntAuthStore
        case "issuancepolicy": self = .issuancePolicy
        default: return nil
        }
    }

    /// The kind of the objects in a collector file whose `meta.type` is `type`
    /// (`users`, `computers`, `certtemplates`, …), any case.
    public init?(collectorType type: String) {
        switch type.lowercased() {
        case "users": self = .user
        case "groups": self = .group
        case "computers": self = .computer
        case "domains": self = .domain
        case "ous": self = .ou
        case "gpos": self = .gpo
        case "containers": self = .container
        case "certtemplates": self = .certTemplate
        case "enterprisecas": self = .enterpriseCA
        case "rootcas": self = .rootCA
        case "aiacas": self = .aiaCA
        case "ntauthstores": self = .ntAuthStore
        case "issuancepolicies": self = .issuancePolicy
        default: return nil
        }
    }

    /// The collector file type (`meta.type`) that holds objects of this kind; nil for ``base``.
    public var collectorType: String? {
        switch self {
        case .base: nil
        case .user: "users"
        case .group: "groups"
        case .computer: "computers"
        case .domain: "domains"
        case .ou: "ous"
        case .gpo: "gpos"
        case .container: "containers"
        case .certTemplate: "certtemplates"
        case .enterpriseCA: "enterprisecas"
        case .rootCA: "rootcas"
        case .aiaCA: "aiacas"
        case .ntAuthStore: "ntauthstores"
        case .issuancePolicy: "issuancepolicies"
        }
    }
}
