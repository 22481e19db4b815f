import BulwarkModel
public import PacketSpace

/// Reads `iptables-save` and `ip6tables-save` output into the rule IR.
///
/// Every line is accounted for: rules are compiled to exact packet sets where the kernel's meaning
/// is known, uncertain ones say why, and lines that cannot be read become diagnostics (the rule
/// still counts in its chain's numbering). Text around a dump (a pasted shell session, notes) is
/// skipped with one note per block.
public struct IPTablesReader: Sendable {
    public init() {}

    /// Reads a whole file. `family` is detected from the content when not given.
    public func read(text: String, file: String, family: AddressFamily? = nil) -> Ruleset {
        var text = text
        return text.withUTF8 { read(bytes: $0, file: file, family: family) }
    }

    /// Reads a whole file given as UTF-8 bytes.
    public func read(bytes: UnsafeBufferPointer<UInt8>, file: String, family: AddressFamily? = nil) -> Ruleset {
        // Line boundaries, without terminators.
        var lines: [(Int, Int)] = []
        var start = 0
        for (i, b) in bytes.enumerated() where b == 0x0A {
            lines.append((start, i))
            start = i + 1
        }
        if start < bytes.count { lines.append((start, bytes.count)) }
        let family = family ?? IPTablesReader.detectFamily(bytes, lines)
        var diagnostics: [Diagnostic] = []
        func diag(_ s: Diagnostic.Severity, _ line: Int, _ column: Int?, _ message: String) {
            diagnostics.append(Diagnostic(s, FileLocation(file: file, line: line, column: column), message))
        }
        func string(_ a: Int, _ b: Int) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[a..<b]), as: UTF8.self) }

        // Pass 1: structure. Tables, chains and the option structure of each rule.
        struct PendingTable {
            var name: String
            var line: Int
            var chains: [(name: String, policy: Verdict?, line: Int?)] = []
            var rules: [ParsedRule] = []
            var committed = false
        }
        var tables: [PendingTable] = []
        var current: Int?
        var strayStart: Int?
        var strayEnd = 0
        func flushStray() {
            if let s = strayStart {
                diag(.note, s, nil, s == strayEnd ? "text outside any table ignored" : "lines \(s)-\(strayEnd): text outside any table ignored")
                strayStart = nil
            }
        }

        for (index, range) in lines.enumerated() {
            let number = index + 1
            var (a, b) = range
            while b > a, bytes[b - 1] == 0x20 || bytes[b - 1] == 0x09 || bytes[b - 1] == 0x0D { b -= 1 }
            while a < b, bytes[a] == 0x20 || bytes[a] == 0x09 { a += 1 }
            if a == b { continue }
            let first = bytes[a]
            if first == UInt8(ascii: "#") { continue }
            if first == UInt8(ascii: "*") {
                flushStray()
                if let c = current, !tables[c].committed {
                    diag(.error, number, 1, "COMMIT before a new table (table '\(tables[c].name)' was not committed; iptables-restore would refuse it)")
                }
                let name = string(a + 1, b)
                if let existing = tables.firstIndex(where: { $0.name == name }) {
                    diag(.warning, number, 1, "table '\(name)' appears twice; its rules are read as one table")
                    current = existing
                    tables[existing].committed = false
                } else {
                    tables.append(PendingTable(name: name, line: number))
                    current = tables.count - 1
                }
                continue
            }
            guard let t = current, !tables[t].committed else {
                if strayStart == nil { strayStart = number }
                strayEnd = number
                continue
            }
            flushStray()
            if b - a == 6 && string(a, b) == "COMMIT" {
                tables[t].committed = true
                continue
            }
            if first == UInt8(ascii: ":") {
                let parts = string(a + 1, b).split(separator: " ", omittingEmptySubsequences: true)
                guard let name = parts.first, parts.count >= 2 else {
                    diag(.error, number, 1, "a chain declaration ':NAME POLICY [packets:bytes]'")
                    continue
                }
                var policy: Verdict?
                switch parts[1] {
                case "-": policy = nil
                case "ACCEPT": policy = .accept
                case "DROP": policy = .drop
                default:
                    diag(.error, number, name.count + 3, "a policy ACCEPT, DROP or '-' (found '\(parts[1])'); treated as ACCEPT")
                    policy = .accept
                }
                if tables[t].chains.contains(where: { $0.name == name }) {
                    diag(.warning, number, 2, "chain '\(name)' declared twice")
                } else {
                    tables[t].chains.append((String(name), policy, number))
                }
                continue
            }
            // A rule, possibly with a leading [packets:bytes] counter.
            var bodyStart = a
            if first == UInt8(ascii: "[") {
                var k = a
                while k < b, bytes[k] != UInt8(ascii: "]") { k += 1 }
                if k < b {
                    bodyStart = k + 1
                    while bodyStart < b, bytes[bodyStart] == 0x20 { bodyStart += 1 }
                }
            }
            let offset = bodyStart - a
            let (tokens, tokenError) = tokenize(bytes, bodyStart, b)
            let body = Substring(string(bodyStart, b))
            guard let firstToken = tokens.first, firstToken.text == "-A" || firstToken.text == "--append" else {
                diag(.error, number, 1, "a rule (-A CHAIN …), a chain declaration (:NAME POLICY) or COMMIT")
                continue
            }
            var parsed: ParsedRule
            if let tokenError {
                parsed = ParsedRule(line: number, text: body, chain: tokens.count > 1 ? tokens[1].text : "", chainColumn: 4)
                parsed.error = tokenError
            } else {
                parsed = parseRuleStructure(tokens, line: number, text: body)
            }
            if offset > 0 {
                parsed.error = parsed.error.map { ($0.column + offset, $0.message) }
            }
            parsed.text = body
            if parsed.chain.isEmpty {
                diag(.error, number, parsed.error?.column, "a chain name after -A; the line is not counted in any chain")
                continue
            }
            tables[t].rules.append(parsed)
        }
        flushStray()
        if let c = current, !tables[c].committed {
            diag(.error, lines.count, nil, "COMMIT at the end of table '\(tables[c].name)' (iptables-restore would refuse the table)")
        }

        // Facts the matches depend on.
        var recentSet: Set<String> = []
        var natRewrites = false
        for table in tables {
            for rule in table.rules {
                for m in rule.modules where m.name == "recent" && m.options.contains(where: { $0.name == "set" && !$0.negated }) {
                    recentSet.insert(m.options.first { $0.name == "name" }?.args.first.map { String($0.text) } ?? "DEFAULT")
                }
                if table.name == "nat", let target = rule.target?.text, ["DNAT", "REDIRECT", "NETMAP"].contains(target),
                   rule.chain == "PREROUTING" || rule.chain == "OUTPUT" || !["INPUT", "POSTROUTING"].contains(rule.chain) {
                    natRewrites = true
                }
            }
        }
        let context = CompileContext(family: family, recentListsSet: recentSet, natRewritesDestination: natRewrites)

        // Pass 2: meaning.
        var out: [Table] = []
        for pending in tables {
            var chains: [Chain] = pending.chains.map { Chain(name: $0.name, policy: $0.policy, line: $0.line) }
            var index: [String: Int] = [:]
            for (i, c) in chains.enumerated() { index[c.name] = i }
            for parsed in pending.rules {
                let chainName = String(parsed.chain)
                if index[chainName] == nil {
                    diag(.error, parsed.line, parsed.chainColumn, "a declared chain: '\(chainName)' has no ':\(chainName)' line (iptables-restore would refuse it)")
                    index[chainName] = chains.count
                    chains.append(Chain(name: chainName, policy: IPTablesReader.builtinChains.contains(chainName) ? .accept : nil, line: nil))
                }
                let ci = index[chainName]!
                let position = chains[ci].rules.count + 1
                let rule = compile(parsed, table: pending.name, position: position, chainNames: Set(index.keys),
                                   context: context, file: file, diagnostics: &diagnostics)
                chains[ci].rules.append(rule)
            }
            out.append(Table(name: pending.name, line: pending.line, chains: chains))
        }
        return Ruleset(file: file, family: family, format: family == .ipv4 ? "iptables-save" : "ip6tables-save",
                       tables: out, diagnostics: diagnostics)
    }

    static let builtinChains: Set<String> = ["INPUT", "FORWARD", "OUTPUT", "PREROUTING", "POSTROUTING"]

    private func compile(_ parsed: ParsedRule, table: String, position: Int, chainNames: Set<String>,
                         context: CompileContext, file: String, diagnostics: inout [Diagnostic]) -> Rule {
        let text = String(parsed.text)
        func broken(_ column: Int, _ message: String) -> Rule {
            diagnostics.append(Diagnostic(.error, FileLocation(file: file, line: parsed.line, column: column),
                                          "expected \(message); rule \(parsed.chain) #\(position) is not analysed and its chain's results are inexact"))
            return Rule(table: table, chain: String(parsed.chain), position: position, line: parsed.line, text: text,
                        match: .unknown("line \(parsed.line) could not be read"), target: .unknown("?"), isBroken: true)
        }
        if let error = parsed.error { return broken(error.column, error.message) }

        var builder = MatchBuilder()
        builder.base.restrict(.family, to: context.family.rawValue)
        var comment: String?
        do throws(CompileError) {
            for option in parsed.options {
                switch option.flag {
                case "s", "d":
                    let set = context.negated(try context.addresses(option.argument!), option.negated, within: context.addressRange)
                    builder.base.restrict(option.flag == "s" ? .sourceAddress : .destinationAddress, to: set)
                case "p":
                    let t = option.argument!
                    guard let p = NetfilterNames.protocolNumber(t.text) else {
                        throw CompileError(column: t.column, message: "a protocol name or number such as tcp, udp, icmp or 47 (found '\(t.text)')")
                    }
                    if p == 0 {
                        if option.negated { builder.base.restrict(.protocolNumber, to: IntervalSet()) }
                    } else {
                        builder.base.restrict(.protocolNumber, to: context.negated(IntervalSet(value: UInt128(p)), option.negated, within: 0...255))
                    }
                case "i", "o":
                    let t = option.argument!
                    guard let set = InterfaceName.iptablesPattern(t.text) else {
                        throw CompileError(column: t.column, message: "an interface name of at most 15 characters, '+' for a prefix (found '\(t.text)')")
                    }
                    builder.base.restrict(option.flag == "i" ? .inInterface : .outInterface,
                                          to: context.negated(set, option.negated, within: 0...UInt128.max))
                case "f":
                    builder.base.restrict(.fragment, to: option.negated ? 0 : 1)
                case "4":
                    if context.family != .ipv4 { builder.base.restrict(.family, to: IntervalSet()) }
                case "6":
                    if context.family != .ipv6 { builder.base.restrict(.family, to: IntervalSet()) }
                default:
                    break
                }
            }
            for module in parsed.modules {
                let meaning = try context.compile(module)
                for w in meaning.warnings {
                    diagnostics.append(Diagnostic(.warning, FileLocation(file: file, line: parsed.line, column: w.column), w.message))
                }
                for term in meaning.terms { builder.add(term) }
                if let c = meaning.comment { comment = c }
            }
        } catch {
            return broken(error.column, error.message)
        }

        var target = Target.none
        if let t = parsed.target {
            let name = String(t.text)
            if parsed.isGoto {
                if chainNames.contains(name) && !IPTablesReader.builtinChains.contains(name) {
                    target = .goto(name)
                } else {
                    return broken(t.column, "a user chain after -g (found '\(name)')")
                }
            } else if chainNames.contains(name) && !IPTablesReader.builtinChains.contains(name) {
                target = .jump(name)
            } else {
                target = IPTablesReader.target(named: name, options: parsed.targetOptions)
                if case .unknown = target {
                    diagnostics.append(Diagnostic(.warning, FileLocation(file: file, line: parsed.line, column: t.column),
                                                  "unknown target '\(name)' (not a chain of table '\(table)' nor a target Bulwark knows): packets it matches are treated as undecided"))
                }
            }
        }
        let targetOptions = parsed.targetOptions.flatMap { o in ["--" + String(o.name)] + o.args.map { String($0.text) } }
        return Rule(table: table, chain: String(parsed.chain), position: position, line: parsed.line, text: text,
                    match: builder.build(), target: target, targetOptions: targetOptions, comment: comment)
    }

    /// Targets after which the packet goes on.
    static let continuingTargets: Set<String> = [
        "LOG", "NFLOG", "ULOG", "MARK", "CONNMARK", "CLASSIFY", "TCPMSS", "TOS", "DSCP", "TTL", "HL", "ECN", "CHECKSUM",
        "AUDIT", "TRACE", "SET", "CT", "NOTRACK", "IDLETIMER", "LED", "SECMARK", "CONNSECMARK", "HMARK", "TEE", "RATEEST",
        "SNAT", "DNAT", "MASQUERADE", "REDIRECT", "NETMAP", "TPROXY", "TCPOPTSTRIP", "SAME", "CLUSTERIP",
    ]

    static func target(named name: String, options: [ModuleOption]) -> Target {
        switch name {
        case "ACCEPT": return .accept
        case "DROP": return .drop
        case "REJECT": return .reject(options.first { $0.name == "reject-with" }?.args.first.map { String($0.text) })
        case "RETURN": return .returnFromChain
        case "QUEUE", "NFQUEUE": return .queue(name)
        default:
            if continuingTargets.contains(name) { return .continuing(name) }
            return .unknown(name)
        }
    }

    /// IPv6 when the dump says it came from ip6tables-save or its first address is IPv6.
    static func detectFamily(_ bytes: UnsafeBufferPointer<UInt8>, _ lines: [(Int, Int)]) -> AddressFamily {
        func text(_ r: (Int, Int)) -> Substring { Substring(String(decoding: UnsafeBufferPointer(rebasing: bytes[r.0..<r.1]), as: UTF8.self)) }
        for r in lines.prefix(5) where text(r).contains("ip6tables-save") { return .ipv6 }
        for r in lines where r.1 > r.0 && (bytes[r.0] == UInt8(ascii: "-") || bytes[r.0] == UInt8(ascii: "[")) {
            let line = text(r)
            let words = line.split(separator: " ")
            for (i, w) in words.enumerated() where (w == "-s" || w == "-d") && i + 1 < words.count {
                return words[i + 1].contains(":") ? .ipv6 : .ipv4
            }
            if line.contains("icmpv6") || line.contains("ipv6-icmp") || line.contains("icmp6") { return .ipv6 }
        }
        return .ipv4
    }

}
