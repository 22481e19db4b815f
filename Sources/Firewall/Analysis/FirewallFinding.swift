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

/// One finding about a ruleset.
public struct FirewallFinding: Sendable {
    /// Stable across runs and line moves: derived from the kind, the chain and the rule's text.
    public var id: String
    public var kind: FirewallFindingKind
    public var severity: Severity
    public var table: String
    public var chain: String
    /// 1-based rule position; nil for chain-level findings.
    public var rule: Int?
    public var line: Int?
    public var file: String
    public var ruleText: String?
    public var exact: Bool
    public var inexactReasons: [String]
    public var coveredBy: [RuleLocator]?
    public var related: [RuleLocator]?
    /// The built-in chains (hooks) the finding concerns.
    public var hooks: [Hook]
    public var message: String
    public var fix: String
    public var witness: WitnessPacket?
    public var lens: Lens
    public var role: Role
    public var domain: CISSPDomain
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
