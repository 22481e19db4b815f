/// MITRE ATT&CK Enterprise as facts: techniques (with their tactics), mitigations, and which
/// mitigation mitigates which technique. A table is bundled (ATT&CK v18.1, made by
/// scripts/make-attack-table.py, with MITRE's licence reproduced in ATTACKTable.swift).
public struct ATTACK: Sendable {
    public struct Technique: Sendable, Hashable {
        /// `T1021` or `T1021.002`.
        public var id: String
        public var name: String
        /// Tactic shortnames (`lateral-movement`).
        public var tactics: [String]
        /// The parent technique of a sub-technique (`T1021` for `T1021.002`).
        public var parent: String? { id.contains(".") ? String(id.prefix { $0 != "." }) : nil }
    }

    public struct Mitigation: Sendable, Hashable {
        /// `M1037`.
        public var id: String
        public var name: String
    }

    public let version: String
    public let techniques: [String: Technique]
    public let mitigations: [String: Mitigation]
    /// Tactic shortname → (id `TA0008`, name `Lateral Movement`).
    public let tactics: [String: (id: String, name: String)]
    /// Mitigation id → the techniques it mitigates.
    public let mitigates: [String: Set<String>]
    /// Technique id → the mitigations that mitigate it.
    public let mitigatedBy: [String: Set<String>]

    /// The bundled table.
    public static let bundled = ATTACK(table: bundledTable, version: bundledVersion)

    init(table: String, version: String) {
        var techniques: [String: Technique] = [:], mitigations: [String: Mitigation] = [:]
        var tactics: [String: (id: String, name: String)] = [:]
        var mitigates: [String: Set<String>] = [:], mitigatedBy: [String: Set<String>] = [:]
        for line in table.split(separator: "\n") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            switch f.first {
            case "T" where f.count >= 4:
                techniques[f[1]] = Technique(id: f[1], name: f[2], tactics: f[3].split(separator: ",").map(String.init))
            case "M" where f.count >= 3: mitigations[f[1]] = Mitigation(id: f[1], name: f[2])
            case "A" where f.count >= 4: tactics[f[2]] = (f[1], f[3])
            case "R" where f.count >= 3:
                mitigates[f[1], default: []].insert(f[2])
                mitigatedBy[f[2], default: []].insert(f[1])
            default: continue
            }
        }
        self.version = version
        self.techniques = techniques
        self.mitigations = mitigations
        self.tactics = tactics
        self.mitigates = mitigates
        self.mitigatedBy = mitigatedBy
    }

    /// The mitigations of a technique; for a sub-technique without its own, its parent's.
    public func mitigations(of technique: String) -> [Mitigation] {
        let ids = mitigatedBy[technique] ?? techniques[technique]?.parent.flatMap { mitigatedBy[$0] } ?? []
        return ids.sorted().compactMap { mitigations[$0] }
    }
}

/// NIST Cybersecurity Framework 2.0: functions, categories and subcategories (outcomes). A table is
/// bundled (made by scripts/make-csf-table.py from NIST's OSCAL catalog; public domain).
public struct CSF: Sendable {
    public struct Entry: Sendable, Hashable {
        /// `PR`, `PR.AA`, `PR.AA-05`.
        public var id: String
        /// The function's or category's title, or the subcategory's outcome.
        public var text: String
    }

    public let version: String
    public let functions: [Entry]
    public let categories: [Entry]
    public let subcategories: [Entry]
    private let byID: [String: Entry]

    public static let bundled = CSF(table: bundledTable, version: bundledVersion)

    init(table: String, version: String) {
        var f: [Entry] = [], c: [Entry] = [], s: [Entry] = []
        for line in table.split(separator: "\n") {
            let p = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard p.count >= 3 else { continue }
            let e = Entry(id: p[1], text: p[2])
            switch p[0] {
            case "F": f.append(e)
            case "C": c.append(e)
            case "S": s.append(e)
            default: continue
            }
        }
        self.version = version
        functions = f
        categories = c
        subcategories = s
        byID = Dictionary((f + c + s).map { ($0.id, $0) }) { a, _ in a }
    }

    public subscript(_ id: String) -> Entry? { byID[id.uppercased()] }
}
