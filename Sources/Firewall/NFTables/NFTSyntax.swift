import BulwarkModel

/// Renders nftables JSON expressions and statements back into `nft` syntax, for rule texts that
/// people recognise (`ip saddr 10.0.0.0/8 tcp dport { 22, 443 } accept`).
enum NFTSyntax {
    static func render(_ v: JSONValue) -> String {
        switch v {
        case .string(let s): return s
        case .number: return v.int.map(String.init) ?? "\(v.number ?? 0)"
        case .bool(let b): return b ? "true" : "false"
        case .null: return ""
        case .array(let items): return items.map(render).joined(separator: ", ")
        case .object(let members):
            guard let (key, body) = members.first else { return "{}" }
            switch key {
            case "payload":
                return "\(body["protocol"]?.string ?? body["base"]?.string ?? "?") \(body["field"]?.string ?? body["offset"].map(render) ?? "?")"
            case "meta":
                let k = body["key"]?.string ?? "?"
                return ["iif", "iifname", "oif", "oifname"].contains(k) ? k : "meta \(k)"
            case "ct": return "ct \(body["dir"]?.string.map { "\($0) " } ?? "")\(body["key"]?.string ?? "?")"
            case "fib": return "fib \((body["flags"]?.array?.compactMap(\.string) ?? []).joined(separator: " . ")) \(body["result"]?.string ?? "")"
            case "concat": return (body.array ?? []).map(render).joined(separator: " . ")
            case "prefix": return "\(body["addr"].map(render) ?? "?")/\(body["len"].map(render) ?? "?")"
            case "range": return (body.array ?? []).map(render).joined(separator: "-")
            case "set": return "{ \((body.array ?? []).map(render).joined(separator: ", ")) }"
            case "elem": return body["val"].map(render) ?? "?"
            case "|": return (body.array ?? []).map(render).joined(separator: ", ")
            case "&", "^", "<<", ">>":
                return (body.array ?? []).map(render).joined(separator: " \(key) ")
            case "accept", "drop", "return", "continue": return key
            case "jump", "goto": return "\(key) \(body["target"]?.string ?? "?")"
            default: return key
            }
        }
    }

    /// One statement of a rule.
    static func statement(_ name: String, _ body: JSONValue) -> String {
        switch name {
        case "match":
            let op = body["op"]?.string ?? "=="
            let left = body["left"].map(render) ?? "?"
            let right = body["right"].map(render) ?? "?"
            return op == "==" || op == "in" ? "\(left) \(right)" : "\(left) \(op) \(right)"
        case "counter", "notrack", "accept", "drop", "return", "continue", "masquerade": return name
        case "log": return body["prefix"]?.string.map { "log prefix \"\($0)\"" } ?? "log"
        case "limit":
            return "limit rate \(body["inv"]?.bool == true ? "over " : "")\(body["rate"].map(render) ?? "?")/\(body["per"]?.string ?? "second")"
        case "reject":
            guard let type = body["type"]?.string else { return "reject" }
            return body["expr"]?.string.map { "reject with \(type) \($0)" } ?? "reject with \(type)"
        case "jump", "goto": return "\(name) \(body["target"]?.string ?? "?")"
        case "queue": return "queue"
        case "snat", "dnat", "redirect":
            let addr = body["addr"].map { " to \(render($0))" } ?? ""
            let port = body["port"].map { ":\(render($0))" } ?? ""
            return "\(name)\(addr)\(port)"
        case "vmap": return "\(body["key"].map(render) ?? "?") vmap \(body["data"].map(render) ?? "?")"
        case "set", "map":
            return "\(body["op"]?.string ?? "update") \(body["set"]?.string ?? body["map"]?.string ?? "?") { \(body["elem"].map(render) ?? "") }"
        case "mangle": return "\(body["key"].map(render) ?? "?") set \(body["value"].map(render) ?? "?")"
        default: return name
        }
    }
}
