import BulwarkModel
import PacketSpace

/// Reads `nft -j list ruleset` JSON into the rule IR.
///
/// Tables of the ip, ip6 and inet families are analysed; bridge, arp and netdev tables are read and
/// reported as not analysed. A rule's `position` is its 1-based place in its chain as listed; a rule
/// with a verdict map becomes one IR rule per map element (all with that position, told apart by
/// `part`), each matching its element's keys, so the analyses see every branch. What Bulwark does
/// not model (fib lookups, marks, dynamic sets, rate limits …) makes a rule uncertain, never silently
/// exact. Every problem is a diagnostic with line and column.
public struct NFTablesReader {
    public init() {}

    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    struct NamedSet {
        var elements: [JSONValue]
        var isVerdictMap: Bool
        /// Rules add or update elements at run time (or the set has timeouts): its contents change.
        var isDynamic: Bool
    }

    struct TableKey: Hashable { var family: String; var name: String }

    public func read(bytes: [UInt8], file: String) throws(Failure) -> Ruleset {
        let document: JSONDocument
        do { document = try JSONDocument(bytes: bytes) } catch {
            let (line, column) = JSONDocument.lineAndColumn(in: bytes, ofByte: error.offset)
            throw Failure(description: "\(file):\(line):\(column): not JSON: expected \(error.expected)")
        }
        guard let list = document.member("nftables", of: document.rootNode), list.value.array != nil else {
            throw Failure(description: "\(file):1:1: expected nft -j output: an object with an \"nftables\" array")
        }
        var diagnostics: [Diagnostic] = []
        func diagnose(_ line: Int, _ column: Int, _ message: String, _ severity: Diagnostic.Severity = .error) {
            diagnostics.append(Diagnostic(severity, FileLocation(file: file, line: line, column: column), message))
        }
        // Commands as `nft -j -f` takes them ({"add": {"rule": …}}) are read like a listing.
        let items = document.elements(of: list).map { node -> (value: JSONValue, line: Int, column: Int) in
            let (line, column) = document.position(of: node)
            if let o = node.value.object, o.count == 1, ["add", "create", "insert"].contains(o[0].0), o[0].1.object != nil {
                return (o[0].1, line, column)
            }
            return (node.value, line, column)
        }
        var tables: [Table] = []
        var tableIndex: [TableKey: Int] = [:]
        var chainIndex: [TableKey: [String: Int]] = [:]
        var sets: [TableKey: [String: NamedSet]] = [:]
        /// The table an object belongs to (`family` and `table` members), declared on first sight.
        func declare(_ key: TableKey, _ line: Int) -> Int {
            if let t = tableIndex[key] { return t }
            tables.append(Table(name: key.name, line: line, family: key.family))
            tableIndex[key] = tables.count - 1
            return tables.count - 1
        }
        func table(_ o: JSONValue, _ line: Int) -> Int? { Self.tableKey(o).map { declare($0, line) } }
        // First pass: tables, chains and sets; rules may come before the chain in hand-written input.
        for (value, line, column) in items {
            guard let (kind, o) = value.object?.first else {
                diagnose(line, column, "expected an object such as {\"rule\": …}")
                continue
            }
            switch kind {
            case "metainfo": break
            case "table":
                if let family = o["family"]?.string, let name = o["name"]?.string {
                    _ = declare(TableKey(family: family, name: name), line)
                } else {
                    diagnose(line, column, "expected a table with \"family\" and \"name\"")
                }
            case "chain":
                guard let t = table(o, line), let name = o["name"]?.string else {
                    diagnose(line, column, "expected a chain with \"family\", \"table\" and \"name\"")
                    continue
                }
                let key = TableKey(family: tables[t].family ?? "", name: tables[t].name)
                if chainIndex[key]?[name] != nil { continue }
                var chain = Chain(name: name, policy: nil, line: line)
                if let hookName = o["hook"]?.string {
                    chain.type = o["type"]?.string ?? "filter"
                    chain.policy = o["policy"]?.string == "drop" ? .drop : .accept
                    chain.priority = priority(o["prio"])
                    chain.hook = Hook(rawValue: hookName.uppercased())
                    if chain.priority == nil { diagnose(line, column, "expected a numeric or standard priority for base chain \(name)", .warning) }
                    if chain.hook == nil && tables[t].addressFamilies != nil {
                        diagnose(line, column, "base chain \(name) is on the \(hookName) hook, which Bulwark does not analyse", .note)
                    }
                }
                chainIndex[key, default: [:]][name] = tables[t].chains.count
                tables[t].chains.append(chain)
            case "set", "map":
                guard let t = table(o, line), let name = o["name"]?.string else {
                    diagnose(line, column, "expected a \(kind) with \"family\", \"table\" and \"name\"")
                    continue
                }
                let key = TableKey(family: tables[t].family ?? "", name: tables[t].name)
                let flags = Set(o["flags"]?.array?.compactMap(\.string) ?? o["flags"]?.string.map { [$0] } ?? [])
                sets[key, default: [:]][name] = NamedSet(
                    elements: o["elem"]?.array ?? [], isVerdictMap: kind == "map" && o["map"]?.string == "verdict",
                    isDynamic: flags.contains("dynamic") || flags.contains("timeout"))
            case "rule", "element", "flowtable", "counter", "quota", "ct helper", "limit", "ct timeout", "ct expectation", "synproxy", "secmark":
                break
            default:
                diagnose(line, column, "unknown object \"\(kind)\" (expected table, chain, set, map or rule)", .warning)
            }
        }
        // Sets that rules change at run time.
        for (value, _, _) in items {
            guard let r = value["rule"], let key = Self.tableKey(r) else { continue }
            for e in r["expr"]?.array ?? [] {
                if let s = e["set"] ?? e["map"], let name = s["set"]?.string ?? s["map"]?.string, name.hasPrefix("@") {
                    sets[key]?[String(name.dropFirst())]?.isDynamic = true
                }
            }
        }
        // Second pass: rules.
        var positions: [TableKey: [String: Int]] = [:]
        for (value, line, column) in items {
            guard let r = value["rule"] else { continue }
            guard let t = table(r, line), let chainName = r["chain"]?.string else {
                diagnose(line, column, "expected a rule with \"family\", \"table\" and \"chain\"")
                continue
            }
            let key = TableKey(family: tables[t].family ?? "", name: tables[t].name)
            guard let c = chainIndex[key]?[chainName] else {
                diagnose(line, column, "rule of chain \(chainName), which table \(key.family) \(key.name) does not declare")
                continue
            }
            let position = (positions[key]?[chainName] ?? 0) + 1
            positions[key, default: [:]][chainName] = position
            var compiler = NFTRuleCompiler(family: key.family, table: key.name, sets: sets[key] ?? [:])
            let compiled = compiler.compile(r["expr"]?.array ?? [])
            for w in compiler.warnings { diagnose(line, column, "chain \(chainName) rule \(position): \(w)", .warning) }
            for part in compiled {
                var rule = Rule(table: key.name, chain: chainName, position: position, line: line, text: part.text, match: part.match,
                                target: part.target, targetOptions: part.options, comment: r["comment"]?.string, isBroken: part.isBroken,
                                family: key.family, column: column, part: part.part)
                if part.isBroken { rule.match = .unknown(part.brokenReason ?? "the rule could not be read") }
                tables[t].chains[c].rules.append(rule)
            }
        }
        if tables.isEmpty {
            throw Failure(description: "\(file):1:1: no ruleset found (expected nft -j list ruleset output with at least one table)")
        }
        for t in tables where t.addressFamilies == nil {
            diagnose(t.line, 1, "table \(t.family ?? "?") \(t.name) is read but not analysed (only ip, ip6 and inet tables are)", .note)
        }
        let families = Set(tables.compactMap(\.addressFamilies).joined())
        return Ruleset(file: file, family: families == [.ipv6] ? .ipv6 : .ipv4, format: "nftables-json", tables: tables, diagnostics: diagnostics)
    }

    static func tableKey(_ o: JSONValue) -> TableKey? {
        guard let family = o["family"]?.string, let name = o["table"]?.string else { return nil }
        return TableKey(family: family, name: name)
    }

    /// A base chain priority: a number, or a standard name with an optional offset (`filter + 10`).
    func priority(_ v: JSONValue?) -> Int? {
        if let n = v?.int { return n }
        guard let s = v?.string else { return nil }
        let names = ["raw": -300, "mangle": -150, "dstnat": -100, "filter": 0, "security": 50, "srcnat": 100, "out": 100]
        let parts = s.split(separator: " ")
        guard let first = parts.first, let base = names[String(first)] ?? Int(first) else { return nil }
        if parts.count == 3, let n = Int(parts[2]) { return parts[1] == "-" ? base - n : base + n }
        return parts.count == 1 ? base : nil
    }
}
