public import Firewall
import BulwarkModel
import Frameworks

/// SARIF 2.1.0 output: one result per finding, located at the rule's line in the input file, so
/// code-scanning tools show findings inline in firewall-as-code repositories.
public enum SARIFReport {
    public static func firewall(_ a: FirewallAnalysis, toolVersion: String) -> String {
        let kinds = FirewallFindingKind.allCases
        let w = SARIFReport.document(toolVersion: toolVersion, rules: kinds.map { ("firewall/\($0.rawValue)", ruleName($0), shortDescription($0)) }) { w in
            for f in FirewallReport.order(a.findings).map({ a.findings[$0] }) {
                w.object { w in
                    w.key("ruleId"); w.string("firewall/\(f.kind.rawValue)")
                    w.key("ruleIndex"); w.int(kinds.firstIndex(of: f.kind)!)
                    w.key("level"); w.string(level(f.severity))
                    w.key("message"); w.object { w in w.key("text"); w.string(f.message + " Fix: " + f.fix) }
                    w.key("locations")
                    w.array { w in
                        w.object { w in
                            w.key("physicalLocation")
                            w.object { w in
                                w.key("artifactLocation"); w.object { w in w.key("uri"); w.string(uri(f.file)) }
                                w.key("region"); w.object { w in
                                    w.key("startLine"); w.int(max(1, f.line ?? 1))
                                    if let c = f.column { w.key("startColumn"); w.int(c) }
                                }
                            }
                            w.key("logicalLocations")
                            w.array { w in
                                w.object { w in
                                    w.key("name"); w.string(f.rule.map { "\(f.chain):\($0)" } ?? f.chain)
                                    w.key("kind"); w.string("member")
                                }
                            }
                        }
                    }
                    w.key("partialFingerprints"); w.object { w in w.key("bulwarkFindingId/v1"); w.string(f.id) }
                    w.key("properties")
                    w.object { w in
                        w.key("severity"); w.string(f.severity.rawValue)
                        w.key("exact"); w.bool(f.exact)
                        if let fam = f.family { w.key("family"); w.string(fam) }
                        w.key("table"); w.string(f.table)
                        w.key("chain"); w.string(f.chain)
                        if let r = f.rule { w.key("rule"); w.int(r) }
                        if let p = f.part { w.key("part"); w.string(p) }
                        w.key("lens"); w.string(f.lens.rawValue)
                        w.key("role"); w.string(f.role.rawValue)
                        w.key("cissp_domain"); w.string(f.domain.description)
                        let entries = Routing.frameworks(ofFinding: "firewall/\(f.kind.rawValue)")
                        ReportJSON.frameworks(mitigations: entries.mitigations, csf: entries.csf, annexA: entries.annexA, into: &w)
                    }
                }
            }
        }
        return w.text + "\n"
    }

    /// A SARIF 2.1.0 document with one run of Bulwark: its reporting rules (id, name when it has
    /// one, short description), then the results `results` writes into the `results` array.
    static func document(toolVersion: String, rules: [(id: String, name: String?, description: String)], columnKind: Bool = true,
                         results: (inout JSONWriter) -> Void) -> JSONWriter {
        var w = JSONWriter()
        w.object { w in
            w.key("$schema"); w.string("https://json.schemastore.org/sarif-2.1.0.json")
            w.key("version"); w.string("2.1.0")
            w.key("runs")
            w.array { w in
                w.object { w in
                    w.key("tool")
                    w.object { w in
                        w.key("driver")
                        w.object { w in
                            w.key("name"); w.string("bulwark")
                            w.key("version"); w.string(toolVersion)
                            w.key("rules")
                            w.array { w in
                                for r in rules {
                                    w.object { w in
                                        w.key("id"); w.string(r.id)
                                        if let n = r.name { w.key("name"); w.string(n) }
                                        w.key("shortDescription"); w.object { w in w.key("text"); w.string(r.description) }
                                    }
                                }
                            }
                        }
                    }
                    if columnKind { w.key("columnKind"); w.string("unicodeCodePoints") }
                    w.key("results")
                    w.array { w in results(&w) }
                }
            }
        }
        return w
    }

    static func level(_ s: Severity) -> String {
        switch s {
        case .critical, .high: "error"
        case .medium: "warning"
        case .low, .info: "note"
        }
    }

    /// A relative path stays relative (resolved against the repository root by scanners).
    static func uri(_ path: String) -> String {
        var p = path
        while p.hasPrefix("./") { p.removeFirst(2) }
        return p.split(separator: "/", omittingEmptySubsequences: false).map { seg in
            String(seg).unicodeScalars.map { c -> String in
                let ok = (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || "-._~".unicodeScalars.contains(c)
                return ok ? String(c) : String(c).utf8.map { "%" + String($0, radix: 16, uppercase: true) }.joined()
            }.joined()
        }.joined(separator: "/")
    }

    static func ruleName(_ k: FirewallFindingKind) -> String {
        k.rawValue.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    static func shortDescription(_ k: FirewallFindingKind) -> String {
        switch k {
        case .dead: "A rule that never fires."
        case .redundant: "A rule whose deletion changes no packet's verdict."
        case .shadowing: "A rule matching only packets an earlier rule decides differently."
        case .correlation: "Two rules overlapping partially with different actions."
        case .generalization: "A rule matching a superset of an earlier rule with a different action."
        case .pairRedundancy: "Two rules, one inside the other, with the same action."
        case .overPermissive: "New connections from anywhere to an administrative service."
        case .noDefaultDeny: "A built-in chain that lets unmatched new connections through."
        case .unusedChain: "A user chain that is never entered."
        }
    }
}
