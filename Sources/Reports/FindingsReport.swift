import AttackGraph
import BulwarkModel
import Estate
public import Findings
import Foundation
import Frameworks
import Risk

/// What `bulwark analyze` writes: findings.json (docs/schema/findings.md), findings.sarif,
/// risk-register.csv and report.md.
public enum FindingsReport {
    public static let schemaVersion = "1.0.0"

    public static func json(estate: String, analysis: EstateAnalysis, toolVersion: String) -> [UInt8] {
        var w = JSONWriter()
        let findings = analysis.findings
        w.object { w in
            ReportJSON.header(&w, schemaVersion: schemaVersion, estate: estate, toolVersion: toolVersion)
            w.key("summary")
            w.object { w in
                w.key("findings"); w.int(findings.count)
                w.key("by_severity"); w.object { w in
                    for s in Severity.allCases.reversed() { w.key(s.rawValue); w.int(findings.lazy.filter { $0.severity == s }.count) }
                }
                w.key("by_lens"); w.object { w in
                    for l in Lens.allCases { w.key(l.rawValue); w.int(findings.lazy.filter { $0.routing.lens == l }.count) }
                }
                w.key("by_role"); w.object { w in
                    for r in Role.allCases { w.key(r.rawValue); w.int(findings.lazy.filter { $0.routing.role == r }.count) }
                }
                w.key("annualized_loss"); w.double(analysis.register.isEmpty ? 0 : analysis.simulation.total.mean)
            }
            w.key("findings")
            w.array { w in
                for f in findings {
                    w.object { w in
                        w.key("id"); w.string(f.id)
                        w.key("rule"); w.string(f.rule)
                        w.key("severity"); w.string(f.severity.rawValue)
                        w.key("title"); w.string(f.title)
                        w.key("message"); w.string(f.message)
                        w.key("fix"); w.string(f.fix)
                        w.key("subject"); w.string(f.subject)
                        w.key("locations")
                        w.array { w in
                            for l in f.locations { w.object { w in ReportJSON.location(l.file, l.line, l.column, into: &w) } }
                        }
                        w.key("exact"); w.bool(f.exact)
                        ReportJSON.routing(f.routing, into: &w)
                    }
                }
            }
        }
        return w.bytes + [0x0A]
    }

    /// SARIF 2.1.0: one result per finding at its first location; one reporting rule per kind.
    public static func sarif(_ analysis: EstateAnalysis, toolVersion: String) -> [UInt8] {
        let rules = Array(Set(analysis.findings.map(\.rule))).sorted()
        let index = Dictionary(uniqueKeysWithValues: rules.enumerated().map { ($1, $0) })
        let w = SARIFReport.document(toolVersion: toolVersion, rules: rules.map { ($0, nil, $0) }) { w in
            for f in analysis.findings {
                w.object { w in
                    w.key("ruleId"); w.string(f.rule)
                    w.key("ruleIndex"); w.int(index[f.rule] ?? 0)
                    w.key("level"); w.string(SARIFReport.level(f.severity))
                    w.key("message"); w.object { w in w.key("text"); w.string(f.title + ". " + f.message + " Fix: " + f.fix) }
                    w.key("locations")
                    w.array { w in
                        for l in f.locations.prefix(1) {
                            w.object { w in
                                w.key("physicalLocation"); w.object { w in
                                    w.key("artifactLocation"); w.object { w in w.key("uri"); w.string(SARIFReport.uri(l.file)) }
                                    w.key("region"); w.object { w in
                                        w.key("startLine"); w.int(max(1, l.line))
                                        if let c = l.column { w.key("startColumn"); w.int(c) }
                                    }
                                }
                            }
                        }
                    }
                    w.key("partialFingerprints"); w.object { w in w.key("bulwarkFindingId/v1"); w.string(f.id) }
                    w.key("properties"); w.object { w in
                        w.key("severity"); w.string(f.severity.rawValue)
                        w.key("subject"); w.string(f.subject)
                        ReportJSON.routing(f.routing, into: &w)
                    }
                }
            }
        }
        return w.bytes + [0x0A]
    }

    /// The register as a spreadsheet: one row per scenario (RFC 4180, CRLF).
    public static func riskRegisterCSV(_ analysis: EstateAnalysis) -> String {
        let stats = Dictionary(analysis.simulation.scenarios.map { ($0.scenario.identifier, $0.statistics) }, uniquingKeysWith: { a, _ in a })
        var out = ["identifier,asset,objective,currency,annualized_loss,standard_error,var_95,var_99,expected_annual_loss,threat_sources,treatment,owner,record,review"]
        for e in analysis.register {
            guard let s = stats[e.scenario.identifier] else { continue }
            let sources = e.scenario.threatEvents.map { String(format: "%@ p=%.4g", $0.source, $0.probability) }.joined(separator: "; ")
            let fields = [e.scenario.identifier, e.asset, e.objective.rawValue, e.currency, String(format: "%.2f", s.mean),
                          String(format: "%.2f", s.standardError), String(format: "%.2f", s.valueAtRisk95), String(format: "%.2f", s.valueAtRisk99),
                          String(format: "%.2f", e.scenario.expectedAnnualLoss), sources, e.treatment?.decision.rawValue ?? "open",
                          e.treatment?.owner ?? "", e.treatment?.record ?? "", e.treatment?.review?.description ?? ""]
            out.append(fields.map(ReportCSV.field).joined(separator: ","))
        }
        return out.joined(separator: "\r\n") + "\r\n"
    }

    /// The report in Markdown: the three lenses, most severe first.
    public static func markdown(estate: String, analysis: EstateAnalysis) -> String {
        func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }
        let f = analysis.findings
        var out = ["# Bulwark report — \(estate)", ""]
        let counts = Severity.allCases.reversed().map { s in "\(f.filter { $0.severity == s }.count) \(s.rawValue)" }.joined(separator: ", ")
        out.append("\(f.count) findings: \(counts).")
        if !analysis.register.isEmpty {
            let t = analysis.simulation.total
            out.append(String(format: "Annualized loss %.0f (VaR 95 %.0f, VaR 99 %.0f) over %d scenarios.", t.mean, t.valueAtRisk95, t.valueAtRisk99, analysis.register.count))
        }
        for note in analysis.registerNotes { out.append("- Note: \(note)") }
        out.append("")
        let views: [(String, Lens, String)] = [
            ("Executive — cybersecurity", .cybersecurity, "Attack paths to Tier Zero and the crown jewels, and the risk register."),
            ("Technical — IT security", .itSecurity, "Firewall rules, segmentation, exploitable vulnerabilities: by device and file, with line numbers."),
            ("Compliance — information security", .informationSecurity, "Controls of ISO/IEC 27001:2022 Annex A that are applicable and not (fully) implemented."),
        ]
        for (title, lens, about) in views {
            let mine = f.filter { $0.routing.lens == lens }
            out.append("## \(title)")
            out.append("")
            out.append(about)
            out.append("")
            if mine.isEmpty {
                out.append("Nothing to report.")
                out.append("")
                continue
            }
            out.append("| severity | finding | where | owner | CISSP domain |")
            out.append("|---|---|---|---|---|")
            for x in mine {
                let place = x.locations.first.map { "\($0.file):\($0.line)" } ?? ""
                out.append("| \(x.severity.rawValue) | \(cell(x.title)) | \(cell(place)) | \(x.routing.role.rawValue) | \(x.routing.domain.description) |")
            }
            out.append("")
        }
        return out.joined(separator: "\n") + "\n"
    }
}
