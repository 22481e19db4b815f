import BulwarkModel
import Foundation
import Frameworks

/// Pieces every JSON report writes the same way: the header, a file location, the diagnostics.
enum ReportJSON {
    static func header(_ w: inout JSONWriter, schemaVersion: String, estate: String?, toolVersion: String) {
        w.key("schema_version"); w.string(schemaVersion)
        w.key("tool"); w.object { w in w.key("name"); w.string("bulwark"); w.key("version"); w.string(toolVersion) }
        w.key("estate"); if let estate { w.string(estate) } else { w.null() }
    }

    static func location(_ file: String, _ line: Int?, _ column: Int?, into w: inout JSONWriter) {
        w.key("file"); w.string(file)
        w.key("line"); if let line { w.int(line) } else { w.null() }
        if let column { w.key("column"); w.int(column) }
    }

    static func diagnostics(_ list: [Diagnostic], into w: inout JSONWriter) {
        w.array { w in
            for d in list {
                w.object { w in
                    w.key("severity"); w.string(d.severity.rawValue)
                    location(d.location.file, d.location.line, d.location.column, into: &w)
                    w.key("message"); w.string(d.message)
                }
            }
        }
    }

    /// The frameworks a kind of change maps to: `mitigations` (ATT&CK id and name), `csf`
    /// (subcategory ids), `annex_a` (ISO/IEC 27001:2022 ids); nothing for an unknown kind.
    static func frameworks(ofChange kind: String, into w: inout JSONWriter) {
        guard let k = ControlKind(change: kind) else { return }
        frameworks(mitigations: k.mitigations, csf: k.csf, annexA: k.annexA, into: &w)
    }

    static func frameworks(mitigations: [String], csf: [String], annexA: [String], into w: inout JSONWriter) {
        w.key("mitigations")
        w.array { w in
            for m in mitigations {
                w.object { w in
                    w.key("id"); w.string(m)
                    w.key("name"); w.string(ATTACK.bundled.mitigations[m]?.name ?? "")
                }
            }
        }
        w.key("csf"); w.array { w in for c in csf { w.string(c) } }
        w.key("annex_a"); w.array { w in for a in annexA { w.string(a) } }
    }

    /// Who a finding or control goes to: `lens`, `role`, `cissp_domain` (the domain's name), and the
    /// framework entries (`mitigations` with names, `csf`, `annex_a`).
    static func routing(_ r: Routing, into w: inout JSONWriter) {
        w.key("lens"); w.string(r.lens.rawValue)
        w.key("role"); w.string(r.role.rawValue)
        w.key("cissp_domain"); w.string(r.domain.description)
        frameworks(mitigations: r.mitigations, csf: r.csf, annexA: r.annexA, into: &w)
    }
}

/// CSV as spreadsheets read it (RFC 4180).
enum ReportCSV {
    /// A field, quoted when it holds a comma, a quote or a line break (quotes doubled).
    static func field(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
