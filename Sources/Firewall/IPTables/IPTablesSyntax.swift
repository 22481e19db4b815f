/// The syntax of `iptables-save` output: lines, tokens and the option structure of a rule, before
/// any meaning is given to them.

/// A word of a rule line, with its 1-based column; quoted words never count as options.
struct Token {
    var text: Substring
    var column: Int
    var quoted: Bool

    var isOption: Bool {
        guard !quoted else { return false }
        let u = text.utf8
        guard u.count > 1, u.first == UInt8(ascii: "-") else { return false }
        // "-1" is a number, not an option.
        return !u.dropFirst().allSatisfy { $0 >= 48 && $0 <= 57 }
    }
    var isBang: Bool { !quoted && text.utf8.count == 1 && text.utf8.first == UInt8(ascii: "!") }
}

/// Splits a line (bytes `start..<end` of `bytes`) into words the way `iptables-restore` does:
/// whitespace separates, double or single quotes group, a backslash escapes the next byte inside quotes.
func tokenize(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> (tokens: [Token], error: (column: Int, message: String)?) {
    var tokens: [Token] = []
    tokens.reserveCapacity(16)
    var i = start
    @inline(__always) func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D }
    while i < end {
        let c = bytes[i]
        if isSpace(c) { i += 1; continue }
        let column = i - start + 1
        if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
            var text: [UInt8] = []
            var j = i + 1
            var closed = false
            while j < end {
                let d = bytes[j]
                if d == UInt8(ascii: "\\"), j + 1 < end {
                    text.append(bytes[j + 1])
                    j += 2
                    continue
                }
                if d == c { closed = true; j += 1; break }
                text.append(d)
                j += 1
            }
            if !closed { return (tokens, (column, "a closing \(Character(UnicodeScalar(c))) for the quote opened here")) }
            tokens.append(Token(text: Substring(String(decoding: text, as: UTF8.self)), column: column, quoted: true))
            i = j
            continue
        }
        var j = i
        while j < end, !isSpace(bytes[j]) { j += 1 }
        tokens.append(Token(text: Substring(String(decoding: UnsafeBufferPointer(rebasing: bytes[i..<j]), as: UTF8.self)), column: column, quoted: false))
        i = j
    }
    return (tokens, nil)
}

/// One `--option args…` of a match module or target, with its negation.
struct ModuleOption {
    var name: Substring
    var negated: Bool
    var args: [Token]
    var column: Int
}

/// A `-m NAME` and its options.
struct ParsedModule {
    var name: Substring
    var column: Int
    var options: [ModuleOption]
}

/// A top-level option of a rule (`-s`, `-p`, `-i` …) in canonical short form.
struct TopOption {
    var flag: Character
    var negated: Bool
    var argument: Token?
    var column: Int
}

/// The structure of one `-A` line.
struct ParsedRule {
    var line: Int
    var text: Substring
    var chain: Substring
    var chainColumn: Int
    var options: [TopOption] = []
    var modules: [ParsedModule] = []
    var target: Token?
    var isGoto = false
    var targetOptions: [ModuleOption] = []
    var error: (column: Int, message: String)?
}

/// Long and short names of the top-level options, by canonical flag.
private let topLevelFlags: [Substring: Character] = [
    "-s": "s", "--source": "s", "--src": "s",
    "-d": "d", "--destination": "d", "--dst": "d",
    "-p": "p", "--protocol": "p",
    "-i": "i", "--in-interface": "i",
    "-o": "o", "--out-interface": "o",
    "-f": "f", "--fragment": "f",
    "-m": "m", "--match": "m",
    "-j": "j", "--jump": "j",
    "-g": "g", "--goto": "g",
    "-c": "c", "--set-counters": "c",
    "-4": "4", "--ipv4": "4", "-6": "6", "--ipv6": "6",
]

/// Parses the words after `-A` into options, modules and target. Errors name the column and what
/// was expected there.
func parseRuleStructure(_ tokens: [Token], line: Int, text: Substring) -> ParsedRule {
    // tokens[0] is "-A" (or "--append"), tokens[1] the chain.
    var rule = ParsedRule(line: line, text: text, chain: "", chainColumn: tokens.first?.column ?? 1)
    guard tokens.count >= 2, !tokens[1].isOption else {
        rule.error = (tokens.first.map { $0.column + $0.text.count + 1 } ?? 1, "a chain name after -A")
        return rule
    }
    rule.chain = tokens[1].text
    rule.chainColumn = tokens[1].column

    enum Context { case top, module, target }
    var context = Context.top
    var negate = false
    var negateColumn = 0
    var i = 2

    func fail(_ column: Int, _ message: String) -> ParsedRule {
        var r = rule
        r.error = (column, message)
        return r
    }

    while i < tokens.count {
        let tok = tokens[i]
        if tok.isBang {
            if negate { return fail(tok.column, "an option after '!' (found a second '!')") }
            negate = true
            negateColumn = tok.column
            i += 1
            continue
        }
        if tok.isOption, let flag = topLevelFlags[tok.text] {
            context = .top
            switch flag {
            case "f", "4", "6":
                rule.options.append(TopOption(flag: flag, negated: negate, argument: nil, column: tok.column))
                i += 1
            case "c":
                guard i + 2 < tokens.count else { return fail(tok.column, "packet and byte counts after -c") }
                i += 3
            case "m":
                guard i + 1 < tokens.count, !tokens[i + 1].isOption else { return fail(tok.column, "a match module name after \(tok.text)") }
                if negate { return fail(negateColumn, "'!' before an option, not before -m") }
                rule.modules.append(ParsedModule(name: tokens[i + 1].text, column: tokens[i + 1].column, options: []))
                context = .module
                i += 2
            case "j", "g":
                guard i + 1 < tokens.count, !tokens[i + 1].isOption else { return fail(tok.column, "a target after \(tok.text)") }
                if rule.target != nil { return fail(tok.column, "only one target (-j or -g) per rule") }
                if negate { return fail(negateColumn, "'!' before an option, not before \(tok.text)") }
                rule.target = tokens[i + 1]
                rule.isGoto = flag == "g"
                context = .target
                i += 2
            default:
                // -s -d -p -i -o take one argument; the old syntax put '!' after the option.
                var j = i + 1
                var neg = negate
                if j < tokens.count, tokens[j].isBang {
                    if neg { return fail(tokens[j].column, "a single '!'") }
                    neg = true
                    j += 1
                }
                guard j < tokens.count, !tokens[j].isOption || flag == "p" && tokens[j].text.allSatisfy({ $0.isNumber }) else {
                    return fail(tok.column, "an argument after \(tok.text)")
                }
                rule.options.append(TopOption(flag: flag, negated: neg, argument: tokens[j], column: tok.column))
                i = j + 1
            }
            negate = false
            continue
        }
        if tok.isOption && tok.text.hasPrefix("--") {
            guard context != .top else { return fail(tok.column, "a known option (unknown \(tok.text) outside any -m module or target)") }
            var option = ModuleOption(name: tok.text.dropFirst(2), negated: negate, args: [], column: tok.column)
            negate = false
            var j = i + 1
            while j < tokens.count {
                let a = tokens[j]
                if a.isBang {
                    // "--opt ! value" (old syntax) negates this option; "! --next" belongs to the next one.
                    if j + 1 < tokens.count, !tokens[j + 1].isOption, option.args.isEmpty {
                        option.negated = true
                        j += 1
                        continue
                    }
                    break
                }
                if a.isOption { break }
                option.args.append(a)
                j += 1
            }
            if context == .module {
                rule.modules[rule.modules.count - 1].options.append(option)
            } else {
                rule.targetOptions.append(option)
            }
            i = j
            continue
        }
        return fail(tok.column, "an option such as -s, -p, -m or -j (found '\(tok.text)')")
    }
    if negate { return fail(negateColumn, "an option after '!'") }
    return rule
}
