public import BulwarkModel
public import PacketSpace

/// A rule or a chain policy, as findings name them: chain, and 1-based rule position or policy.
public struct RuleLocator: Hashable, Sendable {
    public var chain: String
    public var rule: Int?
    public var policy: Verdict?

    public init(chain: String, rule: Int? = nil, policy: Verdict? = nil) {
        self.chain = chain
        self.rule = rule
        self.policy = policy
    }
}

/// Kinds of firewall findings. The raw values are the JSON contract.
public enum FirewallFindingKind: String, Sendable, CaseIterable, Codable {
    /// Never fires.
    case dead
    /// Fires, but deleting it changes no packet's verdict.
    case redundant
    /// Al-Shaer & Hamed: a later rule matches a subset of an earlier one with a different action.
    case shadowing
    /// Al-Shaer & Hamed: two rules overlap partially with different actions.
    case correlation
    /// Al-Shaer & Hamed: a later rule matches a superset of an earlier one with a different action.
    case generalization
    /// Al-Shaer & Hamed redundancy: one rule's packets are a subset of another's, same action.
    case pairRedundancy = "pair-redundancy"
    /// Accepts new connections from anywhere to an administrative service.
    case overPermissive = "over-permissive"
    /// A built-in chain lets unmatched new connections through.
    case noDefaultDeny = "no-default-deny"
    /// A user chain no live rule jumps to.
    case unusedChain = "unused-chain"
}

/// A concrete packet that shows a finding.
public struct WitnessPacket: Hashable, Sendable {
    public var hook: Hook
    public var packet: Packet
    public var family: AddressFamily
    public var path: [TraceStep]
    public var verdict: Verdict?
}

/// One finding about a ruleset. A class: findings are large records handed from the analyses to
/// the renderers in their hundreds of thousands, and a reference is cheaper to hand on than a copy.
public final class FirewallFinding: Sendable {
    /// Stable across runs and line moves: derived from the kind, the chain and the rule's text.
    public let id: String
    public let kind: FirewallFindingKind
    public let severity: Severity
    public let table: String
    /// The nftables family of the table (`ip`, `ip6`, `inet`); nil for iptables.
    public let family: String?
    public let chain: String
    /// 1-based rule position; nil for chain-level findings.
    public let rule: Int?
    public let line: Int?
    /// 1-based column, when lines alone do not place the rule (nftables JSON).
    public let column: Int?
    /// Which branch of the rule (an nftables verdict map element), when it has several.
    public let part: String?
    public let file: String
    public let ruleText: String?
    public let exact: Bool
    public let inexactReasons: [String]
    public let coveredBy: [RuleLocator]?
    public let related: [RuleLocator]?
    /// The built-in chains (hooks) the finding concerns.
    public let hooks: [Hook]
    public let message: String
    public let fix: String
    public let witness: WitnessPacket?
    public let lens: Lens
    public let role: Role
    public let domain: CISSPDomain

    public init(id: String, kind: FirewallFindingKind, severity: Severity, table: String, family: String? = nil, chain: String, rule: Int?, line: Int?, column: Int? = nil, part: String? = nil,
                file: String, ruleText: String?, exact: Bool, inexactReasons: [String], coveredBy: [RuleLocator]?,
                related: [RuleLocator]?, hooks: [Hook], message: String, fix: String, witness: WitnessPacket?,
                lens: Lens, role: Role, domain: CISSPDomain) {
        self.id = id
        self.kind = kind
        self.family = family
        self.column = column
        self.part = part
        self.severity = severity
        self.table = table
        self.chain = chain
        self.rule = rule
        self.line = line
        self.file = file
        self.ruleText = ruleText
        self.exact = exact
        self.inexactReasons = inexactReasons
        self.coveredBy = coveredBy
        self.related = related
        self.hooks = hooks
        self.message = message
        self.fix = fix
        self.witness = witness
        self.lens = lens
        self.role = role
        self.domain = domain
    }
}

extension FirewallFindingKind {
    var lens: Lens {
        switch self {
        case .overPermissive, .noDefaultDeny: .cybersecurity
        default: .itSecurity
        }
    }

    var role: Role {
        switch self {
        case .overPermissive, .noDefaultDeny: .networkSecurityEngineer
        default: .firewallAdministrator
        }
    }

    var domain: CISSPDomain {
        switch self {
        case .overPermissive, .noDefaultDeny: .communicationAndNetworkSecurity
        default: .securityOperations
        }
    }
}
