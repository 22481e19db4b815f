/// Why a principal is Tier Zero.
public enum TierZeroReason: Hashable, Sendable, CustomStringConvertible {
    /// A well-known group or account BloodHound CE counts as Tier Zero, by its SID's last part.
    case wellKnown(String)
    /// A domain object.
    case domainObject
    /// A domain controller (`IsDC`).
    case domainController
    /// The AdminSDHolder container, whose ACL is stamped on protected accounts.
    case adminSDHolder
    /// The data marks it: `highvalue`, `isTierZero`, `admintier` 0 or `system_tags` `admin_tier_0`.
    case markedInData
    /// The caller named it (``TierZeroRules/additionalIDs``).
    case addedByCaller
    /// A member (directly or through nested groups) of this Tier Zero group.
    case memberOf(Int32)

    public var description: String {
        switch self {
        case .wellKnown(let name): "well-known: \(name)"
        case .domainObject: "domain object"
        case .domainController: "domain controller"
        case .adminSDHolder: "AdminSDHolder"
        case .markedInData: "marked Tier Zero in the data"
        case .addedByCaller: "named Tier Zero by the caller"
        case .memberOf(let group): "member of Tier Zero group #\(group)"
        }
    }
}

/// Which principals count as Tier Zero. The default follows BloodHound CE: its well-known Tier
/// Zero SIDs, domain objects, domain controllers, AdminSDHolder, and every member of those groups.
public struct TierZeroRules: Sendable, Hashable {
    /// Also count Account Operators (-548), Server Operators (-549) and Print Operators (-550),
    /// which CE ships as Tier Zero selectors that are disabled by default.
    public var includeOperatorGroups: Bool
    /// Further ids (exactly as in the input) to count as Tier Zero, e.g. from an estate manifest.
    public var additionalIDs: [String]
    /// Count every member, direct or nested, of a Tier Zero group as Tier Zero (CE does).
    public var includeGroupMembers: Bool

    public init(includeOperatorGroups: Bool = false, additionalIDs: [String] = [], includeGroupMembers: Bool = true) {
        self.includeOperatorGroups = includeOperatorGroups
        self.additionalIDs = additionalIDs
        self.includeGroupMembers = includeGroupMembers
    }

    /// Well-known SID endings for users and groups, and what they are.
    static let wellKnownSuffixes: [(suffix: String, name: String)] = [
        ("-512", "Domain Admins"), ("-519", "Enterprise Admins"), ("-518", "Schema Admins"),
        ("-544", "Administrators"), ("-516", "Domain Controllers"), ("-S-1-5-9", "Enterprise Domain Controllers"),
        ("-551", "Backup Operators"), ("-526", "Key Admins"), ("-527", "Enterprise Key Admins"),
        ("-500", "Administrator"), ("-502", "krbtgt"),
    ]

    static let operatorSuffixes: [(suffix: String, name: String)] = [
        ("-548", "Account Operators"), ("-549", "Server Operators"), ("-550", "Print Operators"),
    ]
}

extension IdentityGraph {
    /// The same graph with Tier Zero decided by `rules` instead (for ids known only after loading,
    /// such as those an estate manifest names).
    public func applyingTierZero(_ rules: TierZeroRules) -> IdentityGraph {
        var copy = self
        copy.tierZeroReasons = tierZeroReasons(rules)
        return copy
    }

    /// Tier Zero as CE seeds it, then every member of a Tier Zero group (see ``TierZeroRules``).
    func tierZeroReasons(_ rules: TierZeroRules) -> [Int32: TierZeroReason] {
        var reasons: [Int32: TierZeroReason] = [:]
        let suffixes = TierZeroRules.wellKnownSuffixes + (rules.includeOperatorGroups ? TierZeroRules.operatorSuffixes : [])
        for (i, p) in principals.enumerated() {
            let index = Int32(i)
            if p.kind == .user || p.kind == .group, let match = suffixes.first(where: { p.id.hasSuffix($0.suffix) }) {
                reasons[index] = .wellKnown("\(match.name) (\(match.suffix.dropFirst()))")
            } else if p.kind == .domain {
                reasons[index] = .domainObject
            } else if p.kind == .computer && p.flags.contains(.domainController) {
                reasons[index] = .domainController
            } else if p.kind == .container, let dn = p.distinguishedName, dn.uppercased().hasPrefix("CN=ADMINSDHOLDER,CN=SYSTEM,") {
                reasons[index] = .adminSDHolder
            } else if p.flags.contains(.markedTierZero) {
                reasons[index] = .markedInData
            }
        }
        for id in rules.additionalIDs {
            if let p = index(of: id), reasons[p] == nil { reasons[p] = .addedByCaller }
        }
        guard rules.includeGroupMembers else { return reasons }
        // Members of Tier Zero groups, nested: walk MemberOf edges backwards.
        var stack = reasons.keys.sorted()
        while let g = stack.popLast() {
            for e in incoming(g) where edgeKinds[Int(e)] == .memberOf {
                let m = edgeSources[Int(e)]
                if reasons[m] == nil {
                    reasons[m] = .memberOf(g)
                    stack.append(m)
                }
            }
        }
        return reasons
    }
}
