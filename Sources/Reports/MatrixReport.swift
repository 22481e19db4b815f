import BulwarkModel
public import Firewall
public import PacketSpace

/// The service matrix as JSON or as a table for people.
public enum MatrixReport {
    public static func json(_ m: ServiceMatrix, family: AddressFamily, toolVersion: String) -> String {
        var w = JSONWriter()
        w.object { w in
            w.key("schema_version"); w.string(FirewallReport.schemaVersion)
            w.key("tool"); w.object { w in w.key("name"); w.string("bulwark"); w.key("version"); w.string(toolVersion) }
            w.key("service")
            w.object { w in
                w.key("text"); w.string(m.service.description)
                if let proto = m.service.protocolNumber { w.key("protocol"); w.string(FirewallReport.protocolName(UInt128(proto))) }
                if m.service.ports.count == 1, m.service.ports[0].count == 1 { w.key("port"); w.int(Int(m.service.ports[0].lowerBound)) }
            }
            w.key("zones"); w.array { w in for z in m.zones { w.string(z.name) } }
            w.key("cells")
            w.array { w in
                for c in m.cells {
                    w.object { w in
                        w.key("from"); w.string(c.from)
                        w.key("to"); w.string(c.to)
                        w.key("chain"); w.string(c.hook.rawValue)
                        w.key("reach"); w.string(c.reach.rawValue)
                        w.key("exact"); w.bool(c.exact)
                        if !c.reasons.isEmpty { w.key("reasons"); w.array { w in for r in c.reasons { w.string(r) } } }
                        if !c.notes.isEmpty { w.key("notes"); w.array { w in for r in c.notes { w.string(r) } } }
                        if let p = c.witness, let e = c.evaluation {
                            w.key("witness")
                            w.object { w in
                                w.key("packet"); FirewallReport.packet(p, family: family, into: &w)
                                QueryRenderer.decision(e, into: &w)
                            }
                        }
                    }
                }
            }
        }
        return w.text + "\n"
    }

    public static func text(_ m: ServiceMatrix, family: AddressFamily, style: TextStyle) -> String {
        let names = m.zones.map(\.name)
        let width = max(4, (names.map(\.count).max() ?? 4)) + 2
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
        let service = m.service.description
        var lines = ["New \(service) connections, from (rows) to (columns):", ""]
        lines.append(pad("", width) + names.map { pad($0, width) }.joined())
        for from in names {
            var row = pad(from, width)
            for to in names {
                guard let c = m.cells.first(where: { $0.from == from && $0.to == to }) else { row += pad("·", width); continue }
                let mark = c.reach == .all ? "all" : (c.reach == .some ? "some" : "none")
                let colored = style.color(mark + (c.exact ? "" : "?"), c.reach == .none ? .green : (c.reach == .all ? .red : .yellow))
                row += colored + String(repeating: " ", count: max(1, width - mark.count - (c.exact ? 0 : 1)))
            }
            lines.append(row)
        }
        lines.append("")
        for c in m.cells where c.reach != .none {
            var line = "\(c.from) → \(c.to): \(c.reach.rawValue)"
            if let p = c.witness, let e = c.evaluation, let d = e.decidedBy {
                let fields = FirewallReport.packetFields(p, family: family).filter { ["src", "dst", "in", "out"].contains($0.0) }.map { "\($0.0)=\($0.1)" }
                let by = d.rule.map { "\(d.chain) rule \($0)" } ?? "\(d.chain) policy"
                line += ", e.g. \(fields.joined(separator: " ")) accepted by \(by)"
            }
            lines.append(line)
            for r in c.reasons { lines.append(style.color("    inexact: \(r)", .yellow)) }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
