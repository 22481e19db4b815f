import BulwarkModel
import Foundation
import Frameworks
import Identity
public import Inventory

/// `bulwark inventory`: the JSON contract (docs/schema/inventory.md) and the text summary.
public enum InventoryReport {
    public static let schemaVersion = "1.0.0"

    /// The whole inventory as JSON, streamed through `sink` in pieces of about a megabyte (an AD
    /// collection of millions of edges never sits in memory as text).
    public static func writeJSON(_ inv: Inventory, toolVersion: String, sink: ([UInt8]) -> Void) {
        var w = JSONWriter()
        let iso = ISO8601DateFormatter()
        w.object { w in
            ReportJSON.header(&w, schemaVersion: schemaVersion, estate: inv.estate, toolVersion: toolVersion)
            w.key("counts")
            w.object { w in
                w.key("hosts"); w.int(inv.hosts.count)
                w.key("services"); w.int(inv.services.count)
                w.key("vulnerabilities"); w.int(inv.vulnerabilities.count)
                w.key("kev_vulnerabilities"); w.int(inv.vulnerabilities.filter { !$0.kev.isEmpty }.count)
                w.key("identities"); w.int(inv.identity?.principalCount ?? 0)
                w.key("edges"); w.int(inv.identity?.edgeCount ?? 0)
                w.key("tier_zero"); w.int(inv.identity?.tierZero.count ?? 0)
                w.key("warnings"); w.int(inv.warnings.count)
            }
            w.key("sources")
            w.array { w in
                for s in inv.sources {
                    w.object { w in
                        w.key("file"); w.string(s.file)
                        w.key("format"); w.string(s.format)
                        w.key("summary"); w.string(s.summary)
                        w.key("collected"); if let c = s.collected { w.string(iso.string(from: c)) } else { w.null() }
                    }
                }
            }
            w.key("threat_data"); w.array { w in for line in inv.threatData { w.string(line) } }
            w.key("hosts")
            w.array { w in
                for h in inv.hosts {
                    w.object { w in
                        w.key("id"); w.string(h.id)
                        w.key("addresses"); strings(h.addresses, &w)
                        w.key("macs"); strings(h.macs, &w)
                        w.key("fqdns"); strings(h.fqdns, &w)
                        w.key("names"); strings(h.names, &w)
                        w.key("operating_systems"); strings(h.operatingSystems, &w)
                        w.key("object_id"); optional(h.objectID, &w)
                        w.key("manifest_host"); optional(h.manifestName, &w)
                        w.key("zone"); optional(h.zone, &w)
                        w.key("crown_jewel"); w.bool(h.crownJewel)
                        w.key("seen_by"); strings(h.seenBy, &w)
                        w.key("files"); strings(h.files, &w)
                        w.key("last_seen"); if let d = h.lastSeen { w.string(iso.string(from: d)) } else { w.null() }
                    }
                }
            }
            w.drain(into: sink)
            w.key("services")
            w.array { w in
                for s in inv.services {
                    w.object { w in
                        w.key("host"); w.string(s.host)
                        w.key("transport"); w.string(s.transport)
                        w.key("port"); w.int(s.port)
                        w.key("name"); optional(s.name, &w)
                        w.key("product"); optional(s.product, &w)
                        w.key("version"); optional(s.version, &w)
                        w.key("cpes"); strings(s.cpes, &w)
                        w.key("sources"); strings(s.sources, &w)
                    }
                }
            }
            w.drain(into: sink)
            w.key("vulnerabilities")
            w.array { w in
                for v in inv.vulnerabilities {
                    vulnerability(v, &w)
                    w.drain(into: sink)
                }
            }
            w.key("identities")
            w.array { w in
                guard let g = inv.identity else { return }
                for (k, p) in g.principals.enumerated() {
                    w.object { w in
                        w.key("id"); w.string(p.id)
                        w.key("kind"); w.string(p.kind.name)
                        w.key("name"); w.string(p.name)
                        w.key("domain"); optional(p.domain.isEmpty ? nil : p.domain, &w)
                        w.key("enabled"); if let e = p.enabled { w.bool(e) } else { w.null() }
                        w.key("collected"); w.bool(p.collected)
                        w.key("tier_zero"); w.bool(g.isTierZero(Int32(k)))
                        w.key("host"); optional(inv.computerHosts[p.id], &w)
                    }
                    w.drain(into: sink)
                }
            }
            w.key("edges")
            w.array { w in
                guard let g = inv.identity else { return }
                for e in 0..<g.edgeCount {
                    let edge = g.edge(e)
                    w.object { w in
                        w.key("from"); w.string(g[edge.source].id)
                        w.key("to"); w.string(g[edge.target].id)
                        w.key("kind"); w.string(edge.kind.name)
                        w.key("traversable"); w.bool(edge.kind.isTraversable)
                    }
                    w.drain(into: sink)
                }
            }
            w.key("warnings")
            w.array { w in
                for x in inv.warnings {
                    w.object { w in
                        w.key("kind"); w.string(x.kind.rawValue)
                        w.key("subject"); w.string(x.subject)
                        w.key("message"); w.string(x.message)
                    }
                }
            }
            w.key("diagnostics"); ReportJSON.diagnostics(inv.diagnostics, into: &w)
        }
        sink(w.bytes + [0x0A])
    }

    private static func vulnerability(_ v: InventoryVulnerability, _ w: inout JSONWriter) {
        w.object { w in
            w.key("host"); w.string(v.host)
            w.key("transport"); optional(v.transport, &w)
            w.key("port"); if let p = v.port { w.int(p) } else { w.null() }
            w.key("plugin_id"); if let p = v.pluginID { w.int(p) } else { w.null() }
            w.key("name"); w.string(v.name)
            w.key("severity"); w.string(v.severity)
            w.key("cves"); strings(v.cves, &w)
            ReportJSON.routing(Routing(.patch, lens: .itSecurity, role: .vulnerabilityManager, domain: .securityOperations), into: &w)
            w.key("cvss")
            w.array { w in
                for r in v.cvss {
                    w.object { w in
                        w.key("version"); w.string(r.version)
                        w.key("vector"); w.string(r.vector)
                        w.key("base_score"); if let s = r.baseScore { w.double(s) } else { w.null() }
                        w.key("severity"); optional(r.severity, &w)
                        if let s = r.reportedScore { w.key("reported_score"); w.double(s) }
                    }
                }
            }
            w.key("kev")
            w.array { w in
                for k in v.kev {
                    w.object { w in
                        w.key("cve"); w.string(k.cve)
                        w.key("date_added"); w.string(k.dateAdded)
                        w.key("due_date"); w.string(k.dueDate)
                        w.key("known_ransomware_use"); w.bool(k.knownRansomwareUse)
                    }
                }
            }
            w.key("epss")
            if let e = v.epss {
                w.object { w in
                    w.key("cve"); w.string(e.cve)
                    w.key("probability"); w.double(e.probability)
                    w.key("percentile"); w.double(e.percentile)
                }
            } else {
                w.null()
            }
            w.key("exploit_available"); if let x = v.exploitAvailable { w.bool(x) } else { w.null() }
            w.key("patch_published"); optional(v.patchPublished, &w)
            w.key("solution"); optional(v.solution, &w)
            ReportJSON.location(v.file, v.location.line, nil, into: &w)
        }
    }

    private static func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }

    private static func strings(_ list: [String], _ w: inout JSONWriter) { w.array { w in for s in list { w.string(s) } } }
    private static func optional(_ s: String?, _ w: inout JSONWriter) { if let s { w.string(s) } else { w.null() } }

    // MARK: Text

    /// Counts, the sources, the threat data's age and the data-quality warnings.
    public static func text(_ inv: Inventory) -> String {
        var out: [String] = []
        out.append("Inventory of \(inv.estate ?? "the estate")")
        let kev = inv.vulnerabilities.filter { !$0.kev.isEmpty }
        let critical = inv.vulnerabilities.filter { $0.severity == "critical" || $0.severity == "high" }
        out.append("  \(inv.hosts.count) hosts, \(inv.services.count) services, \(inv.vulnerabilities.count) vulnerability findings (\(critical.count) high or critical, \(kev.count) on CISA's KEV list)")
        if let g = inv.identity {
            let users = g.count(of: .user), computers = g.count(of: .computer), groups = g.count(of: .group)
            out.append("  \(g.principalCount) AD principals (\(users) users, \(computers) computers, \(groups) groups) in \(plural(g.domains.count, "domain")), \(g.edgeCount) edges, \(g.tierZero.count) Tier Zero")
        }
        out.append("")
        out.append("Sources")
        for s in inv.sources { out.append("  \(s.file) (\(s.format)): \(s.summary)") }
        out.append("")
        out.append("Threat intelligence")
        for line in inv.threatData { out.append("  " + line) }
        if !kev.isEmpty {
            out.append("")
            out.append("Known exploited (KEV) on hosts")
            for v in kev.prefix(20) {
                let epss = v.epss.map { String(format: ", EPSS %.3f", $0.probability) } ?? ""
                out.append("  \(v.host)\(v.port.map { " \(v.transport ?? "tcp")/\($0)" } ?? ""): \(v.kev.map(\.cve).joined(separator: ", ")) — \(v.name)\(epss)")
            }
            if kev.count > 20 { out.append("  … and \(kev.count - 20) more") }
        }
        if !inv.warnings.isEmpty {
            out.append("")
            out.append("Data quality (\(inv.warnings.count))")
            // One line per kind when a kind is frequent: 34 computers without an address read better as one.
            var kinds: [InventoryWarning.Kind] = []
            for x in inv.warnings where !kinds.contains(x.kind) { kinds.append(x.kind) }
            for kind in kinds {
                let list = inv.warnings.filter { $0.kind == kind }
                if list.count <= 5 {
                    for x in list { out.append("  \(kind.rawValue): \(x.message)") }
                } else {
                    let shown = list.prefix(8).map(\.subject).joined(separator: ", ")
                    out.append("  \(kind.rawValue) (\(list.count)): \(shown)\(list.count > 8 ? ", …" : "") (see --format json)")
                }
            }
        }
        let problems = inv.diagnostics.filter { $0.severity != .note }
        if !problems.isEmpty {
            out.append("")
            out.append("Input problems (\(problems.count))")
            for d in problems.prefix(20) { out.append("  \(d)") }
        }
        return out.joined(separator: "\n") + "\n"
    }
}
