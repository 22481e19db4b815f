import BulwarkModel
public import Firewall
import Frameworks
public import PacketSpace

/// The firewall analysis as JSON (versioned schema, docs/schema/firewall-analysis.md), as text for
/// people, and as SARIF 2.1.0 for code-scanning tools.
public enum FirewallReport {
    /// Version of the JSON output; bumped on any change a consumer could notice.
    public static let schemaVersion = "1.0.0"

    /// Positions of the findings in a stable order: by line, then kind, then id (sorting positions,
    /// not the findings themselves, which are large).
    static func order(_ findings: [FirewallFinding]) -> [Int] {
        let keys = findings.map { ($0.line ?? 0, $0.kind.rawValue, $0.id) }
        return findings.indices.sorted { keys[$0] < keys[$1] }
    }

    // MARK: JSON

    public static func json(_ a: FirewallAnalysis, toolVersion: String, pretty: Bool = false) -> String {
        var out: [UInt8] = []
        writeJSON(a, toolVersion: toolVersion, pretty: pretty) { out += $0 }
        return String(decoding: out, as: UTF8.self)
    }

    /// Streams the JSON document to `sink` in pieces of about a megabyte.
    public static func writeJSON(_ a: FirewallAnalysis, toolVersion: String, pretty: Bool = false, to sink: ([UInt8]) -> Void) {
        var w = JSONWriter(pretty: pretty)
        w.object { w in
            w.key("schema_version"); w.string(schemaVersion)
            w.key("tool"); w.object { w in w.key("name"); w.string("bulwark"); w.key("version"); w.string(toolVersion) }
            w.key("input")
            w.object { w in
                w.key("file"); w.string(a.ruleset.file)
                w.key("format"); w.string(a.ruleset.format)
                w.key("family"); w.string(a.ruleset.family == .ipv4 ? "ipv4" : "ipv6")
                w.key("tables")
                w.array { w in
                    for t in a.ruleset.tables {
                        w.object { w in
                            w.key("name"); w.string(t.name)
                            w.key("rules"); w.int(t.ruleCount)
                            w.key("analysed"); w.bool(t.name == "filter")
                        }
                    }
                }
            }
            w.key("summary")
            w.object { w in
                w.key("rules"); w.int(a.ruleCount)
                w.key("chains"); w.int(a.chainCount)
                w.key("findings"); w.int(a.findings.count)
                w.key("exact_findings"); w.int(a.findings.filter(\.exact).count)
                w.key("by_kind")
                w.object { w in
                    for k in FirewallFindingKind.allCases {
                        let n = a.findings.filter { $0.kind == k }.count
                        if n > 0 { w.key(k.rawValue); w.int(n) }
                    }
                }
                w.key("by_severity")
                w.object { w in
                    for s in Severity.allCases.reversed() {
                        let n = a.findings.filter { $0.severity == s }.count
                        if n > 0 { w.key(s.rawValue); w.int(n) }
                    }
                }
            }
            w.key("not_analysed")
            w.array { w in
                for t in a.notAnalysed {
                    w.object { w in
                        w.key("table"); w.string(t.table)
                        w.key("rules"); w.int(t.rules)
                        w.key("reason"); w.string(a.ruleset.isNFTables
                            ? "only tables of the ip, ip6 and inet families are analysed"
                            : "only the filter table is analysed; its rules that drop or rewrite packets make query answers inexact")
                    }
                }
            }
            w.key("diagnostics")
            w.array { w in for d in a.ruleset.diagnostics { diagnostic(d, into: &w) } }
            w.key("findings")
            w.array { w in
                for i in order(a.findings) {
                    finding(a.findings[i], into: &w)
                    w.drain(into: sink)
                }
            }
        }
        sink(w.bytes + [0x0A])
    }

    static func diagnostic(_ d: Diagnostic, into w: inout JSONWriter) {
        w.object { w in
            w.key("severity"); w.string(d.severity.rawValue)
            w.key("file"); w.string(d.location.file)
            w.key("line"); w.int(d.location.line)
            if let c = d.location.column { w.key("column"); w.int(c) }
            w.key("message"); w.string(d.message)
        }
    }

    static func locators(_ list: [RuleLocator], into w: inout JSONWriter) {
        w.array { w in
            for l in list {
                w.object { w in
                    w.key("chain"); w.string(l.chain)
                    if let r = l.rule { w.key("rule"); w.int(r) }
                    if let p = l.policy { w.key("policy"); w.string(p.rawValue) }
                    if l.rule == nil && l.policy == nil { w.key("end"); w.bool(true) }
                }
            }
        }
    }

    static func finding(_ f: FirewallFinding, into w: inout JSONWriter) {
        w.object { w in
            w.key("id"); w.string(f.id)
            w.key("kind"); w.string(f.kind.rawValue)
            w.key("severity"); w.string(f.severity.rawValue)
            if let fam = f.family { w.key("family"); w.string(fam) }
            w.key("table"); w.string(f.table)
            w.key("chain"); w.string(f.chain)
            w.key("rule"); if let r = f.rule { w.int(r) } else { w.null() }
            if let p = f.part { w.key("part"); w.string(p) }
            w.key("line"); if let l = f.line { w.int(l) } else { w.null() }
            if let c = f.column { w.key("column"); w.int(c) }
            w.key("file"); w.string(f.file)
            if let t = f.ruleText { w.key("rule_text"); w.string(t) }
            w.key("exact"); w.bool(f.exact)
            if !f.inexactReasons.isEmpty {
                w.key("inexact_reasons")
                w.array { w in for r in f.inexactReasons { w.string(r) } }
            }
            if let c = f.coveredBy { w.key("covered_by"); locators(c, into: &w) }
            if let r = f.related { w.key("related"); locators(r, into: &w) }
            w.key("hooks"); w.array { w in for h in f.hooks { w.string(h.rawValue) } }
            w.key("message"); w.string(f.message)
            w.key("fix"); w.string(f.fix)
            w.key("lens"); w.string(f.lens.rawValue)
            w.key("role"); w.string(f.role.rawValue)
            w.key("cissp_domain"); w.string(f.domain.description)
            let entries = Routing.frameworks(ofFinding: "firewall/\(f.kind.rawValue)")
            ReportJSON.frameworks(mitigations: entries.mitigations, csf: entries.csf, annexA: entries.annexA, into: &w)
            if let wp = f.witness {
                w.key("witness")
                w.object { w in
                    w.key("chain"); w.string(wp.hook.rawValue)
                    w.key("packet"); packet(wp.packet, family: wp.family, into: &w)
                    w.key("verdict"); if let v = wp.verdict { w.string(v.rawValue) } else { w.null() }
                    w.key("path")
                    w.array { w in
                        for s in wp.path {
                            w.object { w in
                                if let fam = s.family { w.key("family"); w.string(fam); w.key("table"); w.string(s.table) }
                                w.key("chain"); w.string(s.chain)
                                w.key("rule"); w.int(s.rule)
                                w.key("target"); w.string(s.target)
                            }
                        }
                    }
                }
            }
        }
    }

    /// A packet's fields in people's terms.
    public static func packetFields(_ p: Packet, family: AddressFamily) -> [(String, String)] {
        var out: [(String, String)] = []
        out.append(("src", IPAddress.format(p[.sourceAddress], family: family)))
        out.append(("dst", IPAddress.format(p[.destinationAddress], family: family)))
        let proto = p[.protocolNumber]
        out.append(("proto", protocolName(proto)))
        if [6, 17, 33, 132, 136].contains(proto) && p[.fragment] == 0 {
            out.append(("sport", "\(p[.sourcePort])"))
            out.append(("dport", "\(p[.destinationPort])"))
        }
        if (proto == 1 && family == .ipv4) || (proto == 58 && family == .ipv6) {
            out.append(("icmp_type", "\(p[.icmpTypeCode] >> 8)"))
            out.append(("icmp_code", "\(p[.icmpTypeCode] & 0xFF)"))
        }
        if proto == 6 { out.append(("tcp_flags", TCPFlags(rawValue: UInt8(truncatingIfNeeded: p[.tcpFlags])).names)) }
        out.append(("state", ConnectionState(rawValue: p[.connectionState])?.description ?? "?"))
        if p[.inInterface] != 0 { out.append(("in", interfaceName(p[.inInterface]))) }
        if p[.outInterface] != 0 { out.append(("out", interfaceName(p[.outInterface]))) }
        if p[.fragment] == 1 { out.append(("fragment", "later")) }
        return out
    }

    static func interfaceName(_ v: UInt128) -> String {
        v == QueryPacket.unknownInterface ? "any-other" : InterfaceName.name(v)
    }

    static func protocolName(_ n: UInt128) -> String {
        switch n {
        case 1: "icmp"
        case 6: "tcp"
        case 17: "udp"
        case 58: "ipv6-icmp"
        case 132: "sctp"
        default: "\(n)"
        }
    }

    static func packet(_ p: Packet, family: AddressFamily, into w: inout JSONWriter) {
        w.object { w in
            for (k, v) in packetFields(p, family: family) {
                w.key(k)
                if ["sport", "dport", "icmp_type", "icmp_code"].contains(k), let n = Int(v) { w.int(n) } else { w.string(v) }
            }
        }
    }

    // MARK: Text

    public static func text(_ a: FirewallAnalysis, style: TextStyle) -> String {
        var lines: [String] = []
        let tables = a.ruleset.tables.map { "\($0.family.map { $0 + " " } ?? "")\($0.name) \($0.ruleCount)" }.joined(separator: ", ")
        lines.append(style.color("\(a.ruleset.file)", .bold) + "  \(a.ruleset.format), rules by table: \(tables)")
        for d in a.ruleset.diagnostics where d.severity != .note {
            lines.append(style.color("  \(d.severity.rawValue): ", d.severity == .error ? .red : .yellow) + "line \(d.location.line)\(d.location.column.map { ":\($0)" } ?? ""): \(d.message)")
        }
        if !a.notAnalysed.isEmpty {
            lines.append(style.color("  not analysed: " + a.notAnalysed.map { "\($0.table) (\($0.rules) rules)" }.joined(separator: ", "), .dim))
        }
        lines.append("")
        let sorted = order(a.findings).map { a.findings[$0] }.sorted { $0.severity > $1.severity }
        if sorted.isEmpty { lines.append("No findings.") }
        let width = sorted.map { $0.severity.rawValue.count }.max() ?? 0
        for f in sorted {
            let color: TextStyle.Color = f.severity >= .high ? .red : (f.severity == .medium ? .yellow : .dim)
            let sev = style.color(f.severity.rawValue.padding(toLength: width, withPad: " ", startingAt: 0), color)
            let place = "line \(f.line.map(String.init) ?? "-")" + (f.column.map { ":\($0)" } ?? "")
            lines.append("\(sev)  \(f.kind.rawValue)  \(place)  \(f.message)" + (f.exact ? "" : style.color("  [inexact]", .yellow)))
            if let t = f.ruleText { lines.append(String(repeating: " ", count: width + 2) + style.color(t, .dim)) }
            if let wp = f.witness {
                let fields = packetFields(wp.packet, family: wp.family).map { "\($0.0)=\($0.1)" }.joined(separator: " ")
                lines.append(String(repeating: " ", count: width + 2) + "e.g. \(wp.hook.rawValue): \(fields)")
            }
            lines.append(String(repeating: " ", count: width + 2) + "fix: \(f.fix)")
            for r in f.inexactReasons { lines.append(String(repeating: " ", count: width + 2) + style.color("inexact: \(r)", .yellow)) }
        }
        lines.append("")
        var counts: [String] = []
        for s in Severity.allCases.reversed() {
            let n = a.findings.filter { $0.severity == s }.count
            if n > 0 { counts.append("\(n) \(s.rawValue)") }
        }
        lines.append("\(a.findings.count) findings" + (counts.isEmpty ? "" : " (" + counts.joined(separator: ", ") + ")") + " in \(a.ruleCount) filter rules, \(a.chainCount) chains.")
        return lines.joined(separator: "\n") + "\n"
    }
}

extension String {
    func padding(toLength n: Int, withPad pad: String, startingAt: Int) -> String {
        count >= n ? self : self + String(repeating: pad, count: n - count)
    }
}
