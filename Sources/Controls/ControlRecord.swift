import BulwarkModel
public import Estate
public import Frameworks

/// One control of the estate: a technical control found in the exports (a firewall rule, a
/// security-group permission, a patch or its absence, an MFA, backup, encryption or EDR fact, an AD
/// right on a Tier Zero object) or a control the manifest attests (a policy, training, an incident
/// plan, physical access), with its status, owner and evidence.
public struct ControlRecord: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// An iptables or nftables rule of a filtering chain.
        case rule
        /// An AWS security-group permission (an allow-list entry).
        case permission
        /// A missing patch (a CVE found on a host) or a stated patching practice.
        case patch
        case mfa, backup, encryption, edr
        /// An AD right or ACE on a Tier Zero object held by a principal outside Tier Zero.
        case right
        /// A control the manifest attests (`kind: control` facts).
        case attested
    }

    /// How `bulwark why` and `bulwark controls` name it: `edge:FORWARD:12`, `sg-0a1:ingress:3`,
    /// `patch CVE-2021-44228 on web01`, `fact:88` (the manifest line of a fact), `iso27001:A.6.3`.
    public var id: String
    public var kind: Kind
    /// What it is, in words: the rule as written, the fact, the control's name.
    public var name: String
    public var status: EstateManifest.ControlStatus
    /// Who answers for it, when the manifest says.
    public var owner: String?
    /// Where it can be checked: `file:line` of the export or the manifest, and the evidence a fact names.
    public var evidence: [String]
    /// What it protects or applies to.
    public var appliesTo: [String]
    public var routing: Routing
    /// Why the status is what it is, when it is not plainly implemented.
    public var notes: [String]

    public init(id: String, kind: Kind, name: String, status: EstateManifest.ControlStatus, owner: String? = nil, evidence: [String],
                appliesTo: [String] = [], routing: Routing, notes: [String] = []) {
        self.id = id
        self.kind = kind
        self.name = name
        self.status = status
        self.owner = owner
        self.evidence = evidence
        self.appliesTo = appliesTo
        self.routing = routing
        self.notes = notes
    }
}
