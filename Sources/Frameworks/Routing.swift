public import BulwarkModel

/// Who a finding or a control goes to: the lens it is seen through, the role that owns the work,
/// the CISSP domain it falls in (BulwarkModel's ``Lens``, ``Role``, ``CISSPDomain``), and the
/// framework entries it maps to.
public struct Routing: Sendable, Hashable {
    public var lens: Lens
    public var role: Role
    public var domain: CISSPDomain
    /// ATT&CK mitigation ids (`M1037`).
    public var mitigations: [String]
    /// CSF 2.0 subcategory ids (`PR.IR-01`).
    public var csf: [String]
    /// ISO/IEC 27001:2022 Annex A ids (`8.20`).
    public var annexA: [String]

    public init(lens: Lens, role: Role, domain: CISSPDomain, mitigations: [String], csf: [String], annexA: [String]) {
        self.lens = lens
        self.role = role
        self.domain = domain
        self.mitigations = mitigations
        self.csf = csf
        self.annexA = annexA
    }

    /// A control kind's framework entries with the lens, role and domain of its work.
    public init(_ kind: ControlKind, lens: Lens, role: Role, domain: CISSPDomain) {
        self.init(lens: lens, role: role, domain: domain, mitigations: kind.mitigations, csf: kind.csf, annexA: kind.annexA)
    }
}

extension Routing {
    /// The framework entries of a kind of finding, by its rule id (`firewall/over-permissive`,
    /// `aws/admin-port-open-to-world`, `segmentation/forbidden-flow-open`): the ATT&CK mitigations
    /// that fix it, the CSF 2.0 outcomes and the Annex A controls it falls short of.
    public static func frameworks(ofFinding rule: String) -> (mitigations: [String], csf: [String], annexA: [String]) {
        switch rule {
        // A rule set that does not say what it means: configuration management of the filter.
        case "firewall/dead", "firewall/redundant", "firewall/pair-redundancy", "firewall/unused-chain",
             "firewall/shadowing", "firewall/correlation", "firewall/generalization",
             "aws/subsumed-permission", "aws/unused-group":
            (["M1037"], ["PR.PS-01", "PR.IR-01"], ["8.9", "8.20"])
        // Too much let in.
        case "firewall/over-permissive", "aws/admin-port-open-to-world", "aws/broad-reference":
            (["M1037", "M1030", "M1035"], ["PR.IR-01", "PR.AA-05"], ["8.20", "8.21", "8.22"])
        case "firewall/no-default-deny":
            (["M1037", "M1030"], ["PR.IR-01"], ["8.20", "8.22"])
        case "firewall/policy-violation", "segmentation/forbidden-flow-open":
            (["M1030", "M1037"], ["PR.IR-01", "ID.AM-03"], ["8.22", "8.20"])
        case "segmentation/required-flow-blocked", "segmentation/required-flow-partly-open":
            ([], ["ID.AM-03", "PR.IR-03"], ["8.20", "8.14"])
        default:
            ([], [], [])
        }
    }
}

extension Routing {
    /// The framework entries of an attack path: the ATT&CK mitigations of the techniques on it
    /// (a sub-technique without its own takes its parent's), and the CSF 2.0 subcategories and
    /// Annex A ids of the control kinds that are instances of those mitigations.
    public static func frameworks(ofTechniques techniques: [String], attack: ATTACK = .bundled) -> (mitigations: [String], csf: [String], annexA: [String]) {
        var mitigations = Set<String>()
        for t in techniques { for m in attack.mitigations(of: t) { mitigations.insert(m.id) } }
        var csf: [String] = [], annexA: [String] = []
        for kind in ControlKind.allCases where kind.mitigations.contains(where: mitigations.contains) {
            csf += kind.csf.filter { !csf.contains($0) }
            annexA += kind.annexA.filter { !annexA.contains($0) }
        }
        return (mitigations.sorted(), csf, annexA)
    }
}
