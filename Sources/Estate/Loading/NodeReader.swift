import BulwarkModel
import Yams

/// Reads YAML nodes into values, recording every problem as a diagnostic at the node's line and
/// column and going on, so that one pass reports all that is wrong with a manifest.
///
/// Each accessor returns nil after reporting when the node is not what was expected; callers skip
/// the element and carry on. Text values must be YAML strings: `name: no` or `name: 2024` are a
/// boolean and a number to every YAML reader (and to the JSON Schema), so they are reported with
/// the advice to quote them rather than read as text here and differently elsewhere.
struct NodeReader {
    let file: String
    private(set) var diagnostics: [Diagnostic] = []
    /// How many more nodes may be visited. Aliases let a small file denote a huge tree ("billion
    /// laughs"); the budget bounds the work whatever the file says.
    private var budget: Int
    private(set) var exhausted = false
    /// The most diagnostics kept: past a thousand, more of them help nobody, and a small file can
    /// ask for millions through aliases.
    let limit: Int

    init(file: String, budget: Int = 1_000_000, limit: Int = 1000) {
        self.file = file
        self.budget = budget
        self.limit = limit
    }

    // MARK: Reporting

    func location(_ node: Node) -> FileLocation {
        guard let m = node.mark else { return FileLocation(file: file, line: 1) }
        return FileLocation(file: file, line: m.line, column: m.column)
    }

    mutating func error(_ node: Node, _ message: String) { report(.error, location(node), message) }
    mutating func warning(_ node: Node, _ message: String) { report(.warning, location(node), message) }

    mutating func report(_ severity: Diagnostic.Severity, _ location: FileLocation, _ message: String) {
        if severity == .error { hasErrors = true }
        if diagnostics.count < limit {
            diagnostics.append(Diagnostic(severity, location, message))
        } else {
            dropped = (dropped?.location ?? location, max(dropped?.worst ?? severity, severity))
        }
    }

    /// Whether any problem, kept or dropped, was an error.
    private(set) var hasErrors = false
    /// Where the first problem past ``limit`` was, and the worst severity of those dropped.
    private(set) var dropped: (location: FileLocation, worst: Diagnostic.Severity)?

    /// Spends budget for work that is not a node visit (pairs of zones a rule names).
    mutating func spend(_ count: Int, for node: Node) -> Bool { spend(count, at: node) }

    /// Spends budget for `count` nodes; false (reported once) when it is gone.
    private mutating func spend(_ count: Int, at node: Node) -> Bool {
        if exhausted { return false }
        budget -= count
        if budget < 0 {
            exhausted = true
            error(node, "the manifest is too large to read (more than a million entries, counting what aliases repeat)")
            return false
        }
        return true
    }

    // MARK: Collections

    /// The fields of a mapping. Reports a node that is not a mapping, keys that are not text,
    /// unknown keys (with the closest known key) and missing required keys.
    mutating func fields(_ node: Node, _ what: String, required: [String] = [], optional: [String] = []) -> Fields? {
        guard let mapping = node.mapping else {
            error(node, "expected \(what) as a mapping of keys to values (keys: \((required + optional).joined(separator: ", ")))")
            return nil
        }
        guard spend(mapping.count, at: node) else { return nil }
        let known = required + optional
        var values: [String: Node] = [:]
        var keys: [String: Node] = [:]
        for (key, value) in mapping {
            guard let k = key.scalar, key.tagName == .str else {
                error(key, "expected a key of \(what) as text (one of \(known.joined(separator: ", ")))")
                continue
            }
            guard known.contains(k.string) else {
                var message = "unknown key '\(k.string)' in \(what)"
                if let near = Self.closest(to: k.string, among: known) { message += "; did you mean '\(near)'?" }
                error(key, message + " (expected one of \(known.joined(separator: ", ")))")
                continue
            }
            values[k.string] = value
            keys[k.string] = key
        }
        for key in required where values[key] == nil {
            error(node, "\(what) has no '\(key)' key")
        }
        return Fields(node: node, values: values, keys: keys)
    }

    /// The elements of a sequence.
    mutating func sequence(_ node: Node, _ what: String) -> [Node]? {
        guard let s = node.sequence else {
            error(node, "expected \(what) as a list")
            return nil
        }
        guard spend(s.count, at: node) else { return nil }
        return Array(s)
    }

    /// One scalar or a list of them: `from: corp` and `from: [corp, guest]` both read as a list.
    mutating func oneOrMany(_ node: Node, _ what: String) -> [Node]? {
        if node.scalar != nil { return [node] }
        return sequence(node, what)
    }

    // MARK: Scalars

    /// A YAML string.
    mutating func text(_ node: Node, _ what: String) -> String? {
        guard let scalar = node.scalar else {
            error(node, "expected \(what) as text, found a \(node.mapping != nil ? "mapping" : "list")")
            return nil
        }
        guard node.tagName == .str else {
            if node.tagName == .null {
                error(node, "expected \(what), found nothing")
            } else {
                error(node, "expected \(what) as text; '\(scalar.string)' reads as a \(Self.typeName(node)) in YAML, so quote it: \"\(scalar.string)\"")
            }
            return nil
        }
        return scalar.string
    }

    /// A name other entries can refer to: ASCII letters, digits, `.`, `_` and `-`, starting with a
    /// letter or digit. `:` is kept out because `applies-to` writes qualified references as `host:db01`.
    mutating func name(_ node: Node, _ what: String) -> String? {
        guard let s = text(node, what) else { return nil }
        guard Self.isName(s) else {
            error(node, "expected \(what): letters, digits, '.', '_' and '-', starting with a letter or digit (not '\(s)')")
            return nil
        }
        return s
    }

    /// ASCII only: names end up in file names, URLs, SARIF ids and command lines, and the JSON
    /// Schema's pattern says the same in every regular-expression dialect.
    static func isName(_ s: String) -> Bool {
        func alphanumeric(_ c: UInt8) -> Bool { (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) }
        guard let first = s.utf8.first, alphanumeric(first) else { return false }
        return s.utf8.allSatisfy { alphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    mutating func bool(_ node: Node, _ what: String) -> Bool? {
        guard node.scalar != nil, node.tagName == .bool, let b = node.bool else {
            error(node, "expected true or false for \(what)")
            return nil
        }
        return b
    }

    /// An integer within `range`.
    mutating func integer(_ node: Node, _ what: String, in range: ClosedRange<Int>) -> Int? {
        guard node.scalar != nil, node.tagName == .int, let n = node.int, range.contains(n) else {
            error(node, "expected \(what) as a whole number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return n
    }

    /// A finite number, zero or more.
    mutating func amount(_ node: Node, _ what: String) -> Double? {
        guard node.scalar != nil, node.tagName == .int || node.tagName == .float, let x = node.float, x.isFinite, x >= 0 else {
            error(node, "expected \(what) as a number, zero or more")
            return nil
        }
        return x
    }

    /// One of an enumeration's text values.
    mutating func choice<T: RawRepresentable & CaseIterable>(_ node: Node, _ what: String) -> T? where T.RawValue == String {
        let options = T.allCases.map(\.rawValue)
        // Not through text(): `no`/`off` are booleans to YAML, but the list of choices says more.
        guard let s = node.scalar?.string, node.tagName == .str, let value = T(rawValue: s) else {
            var message = "expected \(what): one of \(options.joined(separator: ", "))"
            if let s = node.scalar?.string {
                message += " (not '\(s)')"
                if let near = Self.closest(to: s, among: options) { message += "; did you mean '\(near)'?" }
            }
            error(node, message)
            return nil
        }
        return value
    }

    /// A day, `YYYY-MM-DD`; YAML reads it as a timestamp, JSON as a string, and either is fine.
    mutating func date(_ node: Node, _ what: String) -> CalendarDate? {
        guard let s = node.scalar?.string, node.tagName == .str || node.tagName == .timestamp, let d = CalendarDate(s) else {
            error(node, "expected \(what) as a date YYYY-MM-DD that exists (like 2026-10-01)")
            return nil
        }
        return d
    }

    /// A service (`tcp/443`, `ssh`, `any` …).
    mutating func service(_ node: Node, _ what: String) -> Service? {
        guard let s = text(node, what) else { return nil }
        do {
            return try Service(parsing: s)
        } catch {
            self.error(node, "\(what) '\(s)': \(error.message)")
            return nil
        }
    }

    // MARK: Helpers

    private static func typeName(_ node: Node) -> String {
        switch node.tagName {
        case .bool: "boolean"
        case .int: "number"
        case .float: "number"
        case .timestamp: "date"
        default: "non-text value"
        }
    }

    /// The known word nearest to a misspelling, when it is near enough to be a likely typo.
    static func closest(to word: String, among candidates: [String]) -> String? {
        let w = Array(word.lowercased().unicodeScalars)
        var best: (String, Int)?
        for c in candidates {
            let d = editDistance(w, Array(c.unicodeScalars))
            if d <= max(1, min(w.count, c.count) / 3), d < (best?.1 ?? .max) { best = (c, d) }
        }
        return best?.0
    }

    private static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

/// Remembers the line where each key was first seen, to report repeats by the first's line in
/// constant time (aliases can repeat an entry a million times).
struct FirstSeen<Key: Hashable> {
    private var lines: [Key: Int] = [:]

    /// Records `key` at `line`; returns the line it was first seen at when it was seen before.
    mutating func repeated(_ key: Key, line: Int) -> Int? {
        if let first = lines[key] { return first }
        lines[key] = line
        return nil
    }

    func contains(_ key: Key) -> Bool { lines[key] != nil }
}

/// The known keys of one mapping, with their key and value nodes.
struct Fields {
    let node: Node
    private let values: [String: Node]
    private let keys: [String: Node]

    init(node: Node, values: [String: Node], keys: [String: Node]) {
        self.node = node
        self.values = values
        self.keys = keys
    }

    subscript(key: String) -> Node? { values[key] }

    /// The key node itself, for problems about the key rather than its value.
    func keyNode(_ key: String) -> Node? { keys[key] }
}

extension Node {
    /// The resolved YAML type of the node (`str`, `int`, `bool` …); Yams keeps `Tag.name` internal.
    var tagName: Tag.Name { Tag.Name(rawValue: tag.description) }
}
