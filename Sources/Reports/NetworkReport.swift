public import BulwarkModel
import Frameworks
public import NetworkReach
import PacketSpace

/// The estate's reachability matrix, segmentation check and paths as JSON, text, HTML and SARIF.
///
/// The JSON contract is described in `docs/schema/network.md`.
public enum NetworkReport {
    public static let schemaVersion = "1.0.0"

    // MARK: JSON

    /// The matrix as JSON, cells written as `cells` produces them (a large matrix streams out in
    /// pieces of about a megabyte through `sink`). `cells` gets the renderer of one cell, which it may
    /// run on any thread, and hands each rendered cell, in order, to the second closure.
    public static func matrixJSON(estate: String?, services: [Service], zones: [String], notes: [String], diagnostics: [Diagnostic],
                                  toolVersion: String, cells: (_ render: (ReachCell) -> [UInt8], _ emit: ([UInt8]) -> Void) -> Void,
                                  sink: @escaping ([UInt8]) -> Void) {
        var w = JSONWriter()
        w.object { w in
            ReportJSON.header(&w, schemaVersion: schemaVersion, estate: estate, toolVersion: toolVersion)
            w.key("services"); w.array { w in for s in services { w.string(s.description) } }
            w.key("zones"); w.array { w in for z in zones { w.string(z) } }
            w.key("notes"); w.array { w in for n in notes { w.string(n) } }
            w.key("cells")
            w.array { w in
                cells({ c in
                    var one = JSONWriter()
                    cell(c, into: &one)
                    return one.bytes
                }, { rendered in
                    w.raw(rendered)
                    w.drain(into: sink)
                })
            }
            w.key("diagnostics"); ReportJSON.diagnostics(diagnostics, into: &w)
        }
        sink(w.bytes + [0x0A])
    }

    public static func pathJSON(_ c: ReachCell, notes: [String], estate: String?, diagnostics: [Diagnostic], toolVersion: String) -> String {
        var w = JSONWriter()
        w.object { w in
            ReportJSON.header(&w, schemaVersion: schemaVersion, estate: estate, toolVersion: toolVersion)
            w.key("notes"); w.array { w in for n in notes { w.string(n) } }
            w.key("answer"); cell(c, into: &w)
            w.key("diagnostics"); ReportJSON.diagnostics(diagnostics, into: &w)
        }
        return w.text + "\n"
    }

    public static func checkJSON(_ r: SegmentationReport, diagnostics: [Diagnostic], toolVersion: String) -> String {
        var w = JSONWriter()
        w.object { w in
            ReportJSON.header(&w, schemaVersion: schemaVersion, estate: r.estate, toolVersion: toolVersion)
            w.key("passed"); w.bool(!r.failed)
            w.key("pairs_checked"); w.int(r.pairsChecked)
            w.key("required_flows_checked"); w.int(r.requiredFlowsChecked)
            w.key("notes"); w.array { w in for n in r.notes { w.string(n) } }
            w.key("violations")
            w.array { w in
                for v in r.violations {
                    w.object { w in
                        w.key("id"); w.string(v.id)
                        w.key("kind"); w.string(v.kind.rawValue)
                        w.key("severity"); w.string(v.severity.rawValue)
                        w.key("fails_check"); w.bool(v.kind.failsCheck)
                        w.key("from"); w.string(v.from)
                        w.key("to"); w.string(v.to)
                        w.key("services"); w.array { w in for s in v.services { w.string(s) } }
                        w.key("message"); w.string(v.message)
                        w.key("fix"); w.string(v.fix)
                        let entries = Routing.frameworks(ofFinding: "segmentation/\(v.kind.rawValue)")
                        ReportJSON.routing(Routing(lens: .itSecurity, role: .networkSecurityEngineer, domain: .communicationAndNetworkSecurity,
                                                   mitigations: entries.mitigations, csf: entries.csf, annexA: entries.annexA), into: &w)
                        w.key("exact"); w.bool(v.exact)
                        if !v.reasons.isEmpty { w.key("reasons"); w.array { w in for r in v.reasons { w.string(r) } } }
                        w.key("policy")
                        if let l = v.policyLocation {
                            w.object { w in
                                ReportJSON.location(l.file, l.line, l.column, into: &w)
                                if let r = v.policyReason { w.key("reason"); w.string(r) }
                            }
                        } else { w.null() }
                        if !v.unreachableHosts.isEmpty { w.key("unreachable_hosts"); w.array { w in for h in v.unreachableHosts { w.string(h) } } }
                        w.key("witness"); witness(v.witness, into: &w)
                        w.key("paths"); paths(v.paths, into: &w)
                    }
                }
            }
            w.key("diagnostics"); ReportJSON.diagnostics(diagnostics, into: &w)
        }
        return w.text + "\n"
    }

    static func cell(_ c: ReachCell, into w: inout JSONWriter) {
        w.object { w in
            w.key("service"); w.string(c.service.description)
            w.key("from"); w.string(c.from)
            w.key("to"); w.string(c.to)
            w.key("reach"); w.string(c.reach.rawValue)
            w.key("exact"); w.bool(c.exact)
            if !c.reasons.isEmpty { w.key("reasons"); w.array { w in for r in c.reasons { w.string(r) } } }
            if !c.notes.isEmpty { w.key("notes"); w.array { w in for r in c.notes { w.string(r) } } }
            if c.reach == .some {
                w.key("reachable_hosts"); w.array { w in for h in c.reachableHosts { w.string(h) } }
                w.key("unreachable_hosts"); w.array { w in for h in c.unreachableHosts { w.string(h) } }
            }
            w.key("witness"); witness(c.witness, into: &w)
            w.key("paths"); paths(c.paths, into: &w)
        }
    }

    private static func witness(_ p: Packet?, into w: inout JSONWriter) {
        guard let p else { w.null(); return }
        FirewallReport.packet(p, family: p[.family] == 0 ? .ipv4 : .ipv6, into: &w)
    }

    private static func paths(_ list: [PathTrace], into w: inout JSONWriter) {
        w.array { w in
            for p in list {
                w.object { w in
                    w.key("zones"); w.array { w in for z in p.zones { w.string(z) } }
                    w.key("via"); w.array { w in for v in p.via { w.string(v) } }
                    w.key("declared"); w.bool(p.declared)
                    w.key("passes"); w.bool(p.passes)
                    w.key("hops")
                    w.array { w in
                        for h in p.hops {
                            w.object { w in
                                w.key("firewall"); w.string(h.firewall)
                                w.key("kind"); w.string(h.kind.rawValue)
                                w.key("detail"); w.string(h.detail)
                                w.key("passes"); if let b = h.passes { w.bool(b) } else { w.null() }
                                w.key("decided_by")
                                w.array { w in
                                    for d in h.deciding {
                                        w.object { w in
                                            ReportJSON.location(d.file, d.line, d.column, into: &w)
                                            w.key("place"); w.string(d.place)
                                            if let r = d.rule { w.key("rule"); w.int(r) }
                                            if let p = d.policy { w.key("policy"); w.string(p) }
                                            w.key("action"); w.string(d.action)
                                            w.key("text"); w.string(d.text)
                                        }
                                    }
                                }
                                if !h.reasons.isEmpty { w.key("reasons"); w.array { w in for r in h.reasons { w.string(r) } } }
                                if let r = h.routing { w.key("not_routed"); w.string(r) }
                            }
                        }
                    }
                }
            }
        }
    }

    // MARK: Text

    public static func matrixText(_ m: ReachMatrix, style: TextStyle) -> String {
        var lines: [String] = []
        let width = max(5, (m.zones.map(\.count).max() ?? 4)) + 2
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
        for service in m.services {
            let cells = m.cells.filter { $0.service == service }
            var byPair: [String: ReachCell] = [:]
            for c in cells { byPair[c.from + "\u{0}" + c.to] = c }
            lines.append(style.color("New \(service) connections, from (rows) to (columns):", .bold))
            lines.append(pad("", width) + m.zones.map { pad($0, width) }.joined())
            for from in m.zones {
                var row = pad(from, width)
                for to in m.zones {
                    guard let c = byPair[from + "\u{0}" + to] else { row += pad("·", width); continue }
                    let mark = c.reach.rawValue + (c.exact ? "" : "?")
                    row += style.color(mark, c.reach == .none ? .green : (c.reach == .all ? .red : .yellow)) + String(repeating: " ", count: max(1, width - mark.count))
                }
                lines.append(row)
            }
            lines.append("")
            for c in cells where c.reach != .none {
                lines.append("\(c.from) → \(c.to): \(c.reach.rawValue)" + (c.exact ? "" : style.color(" [inexact]", .yellow))
                             + (c.reach == .some && !c.unreachableHosts.isEmpty ? " (not to \(c.unreachableHosts.joined(separator: ", ")))" : ""))
                lines += pathLines(c, style: style, indent: "    ")
            }
            lines.append("")
        }
        for n in m.notes { lines.append(style.color("note: \(n)", .dim)) }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func pathText(_ c: ReachCell, notes: [String], style: TextStyle) -> String {
        var lines = [style.color("\(c.from) → \(c.to), \(c.service): \(c.reach.rawValue)", .bold) + (c.exact ? "" : style.color(" [inexact]", .yellow))]
        if c.reach == .some {
            if !c.reachableHosts.isEmpty { lines.append("  reachable hosts: \(c.reachableHosts.joined(separator: ", "))") }
            if !c.unreachableHosts.isEmpty { lines.append("  unreachable hosts: \(c.unreachableHosts.joined(separator: ", "))") }
        }
        lines += pathLines(c, style: style, indent: "  ")
        if c.paths.isEmpty { lines.append("  no path between the zones through the placed firewalls") }
        for r in c.reasons { lines.append(style.color("  inexact: \(r)", .yellow)) }
        for n in c.notes + notes { lines.append(style.color("  note: \(n)", .dim)) }
        return lines.joined(separator: "\n") + "\n"
    }

    static func witnessText(_ p: Packet) -> String {
        FirewallReport.packetFields(p, family: p[.family] == 0 ? .ipv4 : .ipv6)
            .filter { ["src", "dst", "proto", "sport", "dport", "icmp_type"].contains($0.0) }
            .map { "\($0.0)=\($0.1)" }.joined(separator: " ")
    }

    /// `outside -[edge]-> dmz -[core]-> vault`.
    static func route(_ p: PathTrace) -> String {
        var out = p.zones.first ?? ""
        for (k, z) in p.zones.dropFirst().enumerated() { out += " -[\(k < p.via.count ? p.via[k] : "?")]-> \(z)" }
        return out
    }

    static func pathLines(_ c: ReachCell, style: TextStyle, indent: String) -> [String] {
        var lines: [String] = []
        if let w = c.witness { lines.append(indent + "e.g. " + witnessText(w)) }
        for p in c.paths {
            let verdict = p.passes ? style.color("passes", .red) : style.color("stopped", .green)
            lines.append(indent + "\(p.declared ? "route" : "path") \(route(p)): \(verdict)")
            for h in p.hops {
                let v = h.routing.map { "not routed: \($0)" } ?? (h.passes.map { $0 ? "accept" : "stop" } ?? "undecided")
                lines.append(indent + "  \(h.firewall) \(h.detail): \(v)")
                for d in h.deciding {
                    lines.append(indent + "    " + style.color("\(d.file):\(d.line.map(String.init) ?? "-")", .dim) + " \(d.place)\(d.rule.map { " rule \($0)" } ?? ""): \(d.text)")
                }
                for r in h.reasons { lines.append(indent + "    " + style.color("inexact: \(r)", .yellow)) }
            }
        }
        return lines
    }

    public static func checkText(_ r: SegmentationReport, style: TextStyle) -> String {
        var lines: [String] = []
        for v in r.violations {
            let color: TextStyle.Color = v.severity >= .high ? .red : (v.severity == .medium ? .yellow : .dim)
            lines.append(style.color(v.severity.rawValue, color) + "  \(v.kind.rawValue)  \(v.message)" + (v.exact ? "" : style.color("  [inexact]", .yellow)))
            if let l = v.policyLocation {
                lines.append("    policy: \(l)" + (v.policyReason.map { " (\($0))" } ?? ""))
            }
            if let w = v.witness { lines.append("    e.g. " + witnessText(w)) }
            for p in v.paths {
                lines.append("    \(p.declared ? "route" : "path") \(route(p)): \(p.passes ? "passes" : "stopped")")
                for h in p.hops {
                    for d in h.deciding { lines.append("      \(h.firewall): \(d.file):\(d.line.map(String.init) ?? "-") \(d.place)\(d.rule.map { " rule \($0)" } ?? ""): \(d.text)") }
                }
            }
            lines.append("    fix: \(v.fix)")
            for reason in v.reasons { lines.append(style.color("    inexact: \(reason)", .yellow)) }
        }
        if !r.violations.isEmpty { lines.append("") }
        let failing = r.violations.filter(\.kind.failsCheck).count
        lines.append((r.failed ? style.color("FAILED", .red) : style.color("passed", .green))
                     + ": \(failing) violation(s) in \(r.pairsChecked) zone pairs and \(r.requiredFlowsChecked) required flows"
                     + (r.violations.count > failing ? ", \(r.violations.count - failing) partly open required flow(s)" : "") + ".")
        for n in r.notes { lines.append(style.color("note: \(n)", .dim)) }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: HTML

    /// A self-contained page: one heat-map per service (red all, amber some, green none; a dashed
    /// border marks an inexact answer), each cell's witness and path in its tooltip.
    public static func matrixHTML(_ m: ReachMatrix) -> String {
        let esc = HTMLText.escape
        var h = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(esc(m.estate ?? "Estate")): reachability</title>
        <style>
        body{font-family:system-ui,sans-serif;margin:2em;color:#222}
        table{border-collapse:collapse;margin-bottom:2em}
        th,td{border:1px solid #ccc;padding:.3em .5em;font-size:.85em;text-align:center}
        th.row{text-align:right}
        th.col{writing-mode:vertical-rl;transform:rotate(180deg)}
        td.all{background:#d73027;color:#fff}td.some{background:#fdae61}td.none{background:#a6d96a}
        td.self{background:#eee}td.inexact{outline:2px dashed #333;outline-offset:-3px}
        .legend span{display:inline-block;padding:.2em .6em;margin-right:.5em}
        </style></head><body>
        <h1>\(esc(m.estate ?? "Estate")): who can open what on whom</h1>
        <p class="legend"><span class="k" style="background:#d73027;color:#fff">all</span><span style="background:#fdae61">some</span><span style="background:#a6d96a">none</span><span style="outline:2px dashed #333">inexact</span> rows: from, columns: to. Hover a cell for a witness packet and the rules on its path.</p>

        """
        for service in m.services {
            var byPair: [String: ReachCell] = [:]
            for c in m.cells where c.service == service { byPair[c.from + "\u{0}" + c.to] = c }
            h += "<h2>\(esc(service.description))</h2>\n<table><tr><th></th>"
            for z in m.zones { h += "<th class=\"col\">\(esc(z))</th>" }
            h += "</tr>\n"
            for from in m.zones {
                h += "<tr><th class=\"row\">\(esc(from))</th>"
                for to in m.zones {
                    guard let c = byPair[from + "\u{0}" + to] else { h += "<td class=\"self\"></td>"; continue }
                    var tip = "\(c.from) → \(c.to): \(c.reach.rawValue)"
                    tip += "\n" + pathLines(c, style: TextStyle(colored: false), indent: "").joined(separator: "\n")
                    for r in c.reasons { tip += "\ninexact: \(r)" }
                    h += "<td class=\"\(c.reach.rawValue)\(c.exact ? "" : " inexact")\" title=\"\(esc(tip))\">\(c.reach.rawValue)\(c.exact ? "" : "?")</td>"
                }
                h += "</tr>\n"
            }
            h += "</table>\n"
        }
        if !m.notes.isEmpty { h += "<ul>" + m.notes.map { "<li>\(esc($0))</li>" }.joined() + "</ul>\n" }
        h += "</body></html>\n"
        return h
    }

    // MARK: SARIF

    /// One result per violation, located at the rules that let a forbidden flow through or stop a
    /// required one, with the policy entry of the manifest as a related location.
    public static func checkSARIF(_ r: SegmentationReport, toolVersion: String) -> String {
        let kinds = SegmentationViolation.Kind.allCases
        let w = SARIFReport.document(toolVersion: toolVersion, rules: kinds.map { ("network/\($0.rawValue)", nil, description($0)) }, columnKind: false) { w in
            for v in r.violations {
                w.object { w in
                    w.key("ruleId"); w.string("network/\(v.kind.rawValue)")
                    w.key("ruleIndex"); w.int(kinds.firstIndex(of: v.kind)!)
                    w.key("level"); w.string(v.kind.failsCheck ? SARIFReport.level(v.severity) : "note")
                    w.key("message"); w.object { w in w.key("text"); w.string(v.message + " Fix: " + v.fix) }
                    // The rules responsible: accepting hops of a forbidden flow, stopping hops of a required one.
                    let wanted = v.kind == .forbiddenFlowOpen
                    let responsible = v.paths.flatMap { $0.hops.filter { $0.passes == wanted || ($0.passes == nil && !wanted) } }.flatMap(\.deciding)
                    var seen = Set<String>()
                    let places = responsible.filter { !$0.file.isEmpty && seen.insert("\($0.file):\($0.line ?? 0)").inserted }
                    w.key("locations")
                    w.array { w in
                        for d in places { sarifLocation(d.file, d.line, d.column, name: d.place + (d.rule.map { ":\($0)" } ?? ""), into: &w) }
                        if places.isEmpty, let l = v.policyLocation { sarifLocation(l.file, l.line, l.column, name: "policy", into: &w) }
                    }
                    if let l = v.policyLocation, !places.isEmpty {
                        w.key("relatedLocations")
                        w.array { w in sarifLocation(l.file, l.line, l.column, name: "policy", into: &w) }
                    }
                    w.key("partialFingerprints"); w.object { w in w.key("bulwarkFindingId/v1"); w.string(v.id) }
                    w.key("properties")
                    w.object { w in
                        w.key("severity"); w.string(v.severity.rawValue)
                        w.key("exact"); w.bool(v.exact)
                        w.key("from"); w.string(v.from)
                        w.key("to"); w.string(v.to)
                        w.key("services"); w.array { w in for s in v.services { w.string(s) } }
                    }
                }
            }
        }
        return w.text + "\n"
    }

    private static func sarifLocation(_ file: String, _ line: Int?, _ column: Int?, name: String, into w: inout JSONWriter) {
        w.object { w in
            w.key("physicalLocation")
            w.object { w in
                w.key("artifactLocation"); w.object { w in w.key("uri"); w.string(SARIFReport.uri(file)) }
                w.key("region"); w.object { w in
                    w.key("startLine"); w.int(max(1, line ?? 1))
                    if let column { w.key("startColumn"); w.int(column) }
                }
            }
            w.key("logicalLocations"); w.array { w in w.object { w in w.key("name"); w.string(name) } }
        }
    }

    static func description(_ k: SegmentationViolation.Kind) -> String {
        switch k {
        case .forbiddenFlowOpen: "New connections the intended segmentation forbids get through."
        case .requiredFlowBlocked: "A flow the business requires is blocked."
        case .requiredFlowPartlyOpen: "A required flow is open for some address pairs only."
        }
    }
}
