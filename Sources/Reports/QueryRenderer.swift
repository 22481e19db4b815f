public import BulwarkModel
public import Firewall

/// Renders packet verdicts as JSON objects (one per packet) or aligned text.
public enum QueryRenderer {
    /// A packet's answer as one JSON object: the packet's own members first, then the answer.
    public static func json(_ e: Evaluation, echo: [(String, JSONValue)], into w: inout JSONWriter) {
        w.beginObject()
        for (k, v) in echo where !["verdict", "decided_by", "matched", "exact", "reasons", "caveats"].contains(k) {
            w.key(k)
            w.value(v)
        }
        decision(e, into: &w)
        w.key("matched")
        w.array { w in
            for s in e.matched {
                w.object { w in
                    if let fam = s.family { w.key("family"); w.string(fam) }
                    if s.table != "filter" || s.family != nil { w.key("table"); w.string(s.table) }
                    w.key("chain"); w.string(s.chain)
                    w.key("rule"); w.int(s.rule)
                    w.key("target"); w.string(s.target)
                }
            }
        }
        w.key("exact"); w.bool(e.isExact)
        if !e.isExact {
            w.key("reasons")
            w.array { w in for r in e.uncertainties { w.string(r) } }
        }
        if !e.caveats.isEmpty {
            w.key("caveats")
            w.array { w in for r in e.caveats { w.string(r) } }
        }
        w.endObject()
    }

    /// `verdict` and `decided_by` members: the rule (`{"chain", "rule"}`) or policy (`{"chain",
    /// "policy"}`) that decided, with `"table"` when not the filter table.
    static func decision(_ e: Evaluation, into w: inout JSONWriter) {
        w.key("verdict")
        if let v = e.verdict { w.string(v.rawValue) } else { w.null() }
        w.key("decided_by")
        guard let d = e.decidedBy else { w.null(); return }
        w.object { w in
            if let fam = d.family { w.key("family"); w.string(fam) }
            if d.table != "filter" || d.family != nil { w.key("table"); w.string(d.table) }
            w.key("chain"); w.string(d.chain)
            if let r = d.rule { w.key("rule"); w.int(r) }
            if let p = d.policy { w.key("policy"); w.string(p.rawValue) }
        }
    }

    public static func error(_ message: String, echo: [(String, JSONValue)], into w: inout JSONWriter) {
        w.object { w in
            for (k, v) in echo { w.key(k); w.value(v) }
            w.key("error"); w.string(message)
        }
    }

    /// A packet's answer for people.
    public static func text(_ e: Evaluation, style: TextStyle) -> String {
        var lines: [String] = []
        let verdict = e.verdict?.rawValue ?? "UNDECIDED"
        let colored = style.color(verdict, e.verdict == .accept ? .green : (e.verdict == nil ? .yellow : .red))
        if let d = e.decidedBy {
            let by = d.rule.map { "\(d.place) rule \($0)" } ?? "\(d.place) policy \(d.policy?.rawValue ?? "")"
            lines.append("\(colored)  decided by \(by)")
        } else {
            lines.append(colored)
        }
        if !e.matched.isEmpty {
            lines.append("  path:")
            for s in e.matched {
                lines.append("    \(s.place) rule \(s.rule)" + (s.target.isEmpty ? "" : " → \(s.target)") + (s.certain ? "" : "  (assumed)"))
            }
        }
        if e.isExact {
            lines.append("  exact")
        } else {
            lines.append(style.color("  inexact:", .yellow))
            for r in e.uncertainties { lines.append("    - \(r)") }
        }
        for c in e.caveats { lines.append(style.color("  note: \(c)", .dim)) }
        return lines.joined(separator: "\n")
    }
}

/// Plain or ANSI-coloured text.
public struct TextStyle: Sendable {
    public enum Color: String, Sendable { case red = "31", green = "32", yellow = "33", blue = "34", bold = "1", dim = "2" }
    public var colored: Bool
    public init(colored: Bool) { self.colored = colored }
    public func color(_ s: String, _ c: Color) -> String { colored ? "\u{1B}[\(c.rawValue)m\(s)\u{1B}[0m" : s }
}
