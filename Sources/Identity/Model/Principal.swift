/// Yes/no facts about a principal, from its `Properties` and the collector's own fields.
public struct PrincipalFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `admincount`: protected by AdminSDHolder at some point.
    public static let adminCount = PrincipalFlags(rawValue: 1 << 0)
    /// `highvalue` (legacy BloodHound's marker).
    public static let highValue = PrincipalFlags(rawValue: 1 << 1)
    /// The data marks the object Tier Zero: `highvalue`, `isTierZero`, `admintier` 0, or
    /// `system_tags` holding `admin_tier_0`.
    public static let markedTierZero = PrincipalFlags(rawValue: 1 << 2)
    /// `hasspn`: a user with a service principal name (kerberoastable).
    public static let hasSPN = PrincipalFlags(rawValue: 1 << 3)
    /// `dontreqpreauth`: AS-REP roastable.
    public static let dontRequirePreAuth = PrincipalFlags(rawValue: 1 << 4)
    /// `unconstraineddelegation`.
    public static let unconstrainedDelegation = PrincipalFlags(rawValue: 1 << 5)
    /// `trustedtoauth`: constrained delegation with protocol transition.
    public static let trustedToAuth = PrincipalFlags(rawValue: 1 << 6)
    /// `sensitive`: cannot be delegated.
    public static let sensitive = PrincipalFlags(rawValue: 1 << 7)
    /// `passwordnotreqd`.
    public static let passwordNotRequired = PrincipalFlags(rawValue: 1 << 8)
    /// `pwdneverexpires`.
    public static let passwordNeverExpires = PrincipalFlags(rawValue: 1 << 9)
    /// `haslaps`.
    public static let hasLAPS = PrincipalFlags(rawValue: 1 << 10)
    /// A domain controller (`IsDC`, or `isdc` among the properties).
    public static let domainController = PrincipalFlags(rawValue: 1 << 11)
    /// `IsDeleted`: a tombstoned object the collector still saw.
    public static let deleted = PrincipalFlags(rawValue: 1 << 12)
    /// `IsACLProtected`: ACL inheritance is blocked.
    public static let aclProtected = PrincipalFlags(rawValue: 1 << 13)
    /// `blocksinheritance`: an OU that blocks GPO inheritance.
    public static let blocksInheritance = PrincipalFlags(rawValue: 1 << 14)
    /// A gMSA or sMSA account (`gmsa`, `msa`).
    public static let managedServiceAccount = PrincipalFlags(rawValue: 1 << 15)
}

/// One object of the identity graph: a user, group, computer, domain, container, GPO, ADCS object,
/// or an id that edges reference but no file describes.
///
/// The fields are those later engines need; every other property stays available, unparsed, through
/// ``IdentityGraph/properties(of:)``. When several files describe the same object (same
/// `ObjectIdentifier`), the later file's values win field by field, as a BloodHound upsert does;
/// files are read in name order.
public struct Principal: Sendable, Hashable {
    /// The `ObjectIdentifier` exactly as the input spells it: a SID, a domain-prefixed well-known SID
    /// (`CORP.LOCAL-S-1-5-32-544`) or a GUID.
    public var id: String
    public var kind: PrincipalKind
    /// `name` (`ALICE@CORP.LOCAL`); for an object only referenced, the best name known, else empty.
    public var name: String
    /// The domain's DNS name, upper-cased (`domain`; for referenced ids, inferred from a domain
    /// prefix or a known domain SID). Empty when unknown.
    public var domain: String
    /// `domainsid` (or the collector's `DomainSID` field), if given.
    public var domainSID: String?
    /// True when a collector file describes the object; false for ids only referenced by edges.
    public var collected: Bool
    /// `enabled`, where given.
    public var enabled: Bool?
    public var flags: PrincipalFlags
    /// `lastlogontimestamp` (seconds since 1970; 0 or -1 mean never), where given.
    public var lastLogonTimestamp: Int64?
    /// `lastlogon`, where given.
    public var lastLogon: Int64?
    /// `pwdlastset`, where given.
    public var passwordLastSet: Int64?
    /// `whencreated`, where given.
    public var whenCreated: Int64?
    public var operatingSystem: String?
    public var samAccountName: String?
    public var distinguishedName: String?
    /// Which flags the input stated (true or false), so a later file can clear one.
    var statedFlags: PrincipalFlags

    public init(id: String, kind: PrincipalKind, name: String = "", domain: String = "", collected: Bool = false) {
        self.id = id
        self.kind = kind
        self.name = name
        self.domain = domain
        self.domainSID = nil
        self.collected = collected
        self.enabled = nil
        self.flags = []
        self.statedFlags = []
        self.lastLogonTimestamp = nil
        self.lastLogon = nil
        self.passwordLastSet = nil
        self.whenCreated = nil
        self.operatingSystem = nil
        self.samAccountName = nil
        self.distinguishedName = nil
    }

    /// Records a stated flag.
    mutating func set(_ flag: PrincipalFlags, _ value: Bool) {
        statedFlags.insert(flag)
        if value { flags.insert(flag) } else { flags.remove(flag) }
    }

    /// Takes the fields `later` states over this one's (a second description of the same object).
    mutating func merge(_ later: Principal) {
        if !later.name.isEmpty { name = later.name }
        if !later.domain.isEmpty { domain = later.domain }
        if let v = later.domainSID { domainSID = v }
        if let v = later.enabled { enabled = v }
        flags = flags.subtracting(later.statedFlags).union(later.flags)
        statedFlags.formUnion(later.statedFlags)
        if let v = later.lastLogonTimestamp { lastLogonTimestamp = v }
        if let v = later.lastLogon { lastLogon = v }
        if let v = later.passwordLastSet { passwordLastSet = v }
        if let v = later.whenCreated { whenCreated = v }
        if let v = later.operatingSystem { operatingSystem = v }
        if let v = later.samAccountName { samAccountName = v }
        if let v = later.distinguishedName { distinguishedName = v }
    }
}
