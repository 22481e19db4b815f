/// A small, fast JSON reader and writer for Bulwark's own line formats and reports.
///
/// Foundation's `JSONSerialization` costs microseconds per object, which matters when a command
/// answers a hundred thousand packet lines; these helpers work on bytes and never trap on bad input.
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case let (.bool(x), .bool(y)): x == y
        case let (.number(x), .number(y)): x == y
        case let (.string(x), .string(y)): x == y
        case let (.array(x), .array(y)): x == y
        case let (.object(x), .object(y)): x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let b): hasher.combine(b)
        case .number(let n): hasher.combine(n)
        case .string(let s): hasher.combine(s)
        case .array(let a): hasher.combine(a)
        case .object(let o): for (k, v) in o { hasher.combine(k); hasher.combine(v) }
        }
    }

    /// The member of an object, or nil.
    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members.first { $0.0 == key }?.1 }
        return nil
    }

    public var string: String? { if case .string(let s) = self { return s }; return nil }
    public var number: Double? { if case .number(let n) = self { return n }; return nil }
    public var int: Int? { number.flatMap { $0.rounded() == $0 && abs($0) < 1e15 ? Int($0) : nil } }
    public var bool: Bool? { if case .bool(let b) = self { return b }; return nil }
    public var array: [JSONValue]? { if case .array(let a) = self { return a }; return nil }
    public var object: [(String, JSONValue)]? { if case .object(let o) = self { return o }; return nil }
    public var isNull: Bool { self == .null }
}

/// A JSON syntax error: the byte offset and what was expected there.
public struct JSONError: Error, Sendable, CustomStringConvertible {
    public var offset: Int
    public var expected: String
    public var description: String { "at byte \(offset + 1): expected \(expected)" }
}

/// Parses JSON text. Nesting is bounded, so hostile input cannot exhaust the stack.
public struct JSONParser {
    private let bytes: [UInt8]
    private var i = 0
    private let maxDepth: Int
    /// When set, the byte offset where each value starts, in document order (preorder).
    var valueOffsets: [Int]?

    public init(_ bytes: [UInt8], maxDepth: Int = 512) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    public static func parse(_ text: String, maxDepth: Int = 512) throws(JSONError) -> JSONValue {
        var p = JSONParser(Array(text.utf8), maxDepth: maxDepth)
        return try p.parseDocument()
    }

    public static func parse(_ bytes: [UInt8], maxDepth: Int = 512) throws(JSONError) -> JSONValue {
        var p = JSONParser(bytes, maxDepth: maxDepth)
        return try p.parseDocument()
    }

    public mutating func parseDocument() throws(JSONError) -> JSONValue {
        // A byte-order mark is tolerated.
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { i = 3 }
        let v = try value(depth: 0)
        skipSpace()
        guard i == bytes.count else { throw JSONError(offset: i, expected: "the end of the document") }
        return v
    }

    private mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
    }

    private mutating func value(depth: Int) throws(JSONError) -> JSONValue {
        guard depth < maxDepth else { throw JSONError(offset: i, expected: "less deeply nested values (limit \(maxDepth))") }
        skipSpace()
        guard i < bytes.count else { throw JSONError(offset: i, expected: "a value") }
        valueOffsets?.append(i)
        switch bytes[i] {
        case UInt8(ascii: "{"):
            i += 1
            var members: [(String, JSONValue)] = []
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
            while true {
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw JSONError(offset: i, expected: "a member name in double quotes") }
                let key = try string()
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw JSONError(offset: i, expected: "':' after a member name") }
                i += 1
                members.append((key, try value(depth: depth + 1)))
                skipSpace()
                guard i < bytes.count else { throw JSONError(offset: i, expected: "',' or '}'") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
                throw JSONError(offset: i, expected: "',' or '}'")
            }
        case UInt8(ascii: "["):
            i += 1
            var items: [JSONValue] = []
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
            while true {
                items.append(try value(depth: depth + 1))
                skipSpace()
                guard i < bytes.count else { throw JSONError(offset: i, expected: "',' or ']'") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                throw JSONError(offset: i, expected: "',' or ']'")
            }
        case UInt8(ascii: "\""):
            return .string(try string())
        case UInt8(ascii: "t"):
            try literal("true"); return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false"); return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null"); return .null
        default:
            return .number(try number())
        }
    }

    private mutating func literal(_ word: String) throws(JSONError) {
        let w = Array(word.utf8)
        guard i + w.count <= bytes.count, Array(bytes[i..<(i + w.count)]) == w else { throw JSONError(offset: i, expected: word) }
        i += w.count
    }

    private mutating func number() throws(JSONError) -> Double {
        let start = i
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
        var integer: Int64 = 0
        var simple = true
        var digits = 0
        while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 {
            if digits < 18 { integer = integer * 10 + Int64(bytes[i] - 48) } else { simple = false }
            digits += 1
            i += 1
        }
        guard digits > 0 else { throw JSONError(offset: start, expected: "a value") }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") || bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            simple = false
            i += 1
            while i < bytes.count, (bytes[i] >= 48 && bytes[i] <= 57) || bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")
                    || bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: ".") { i += 1 }
        }
        if simple { return bytes[start] == UInt8(ascii: "-") ? -Double(integer) : Double(integer) }
        guard let d = Double(String(decoding: bytes[start..<i], as: UTF8.self)) else { throw JSONError(offset: start, expected: "a number") }
        return d
    }

    private mutating func string() throws(JSONError) -> String {
        i += 1
        let start = i
        // Fast path: no escapes.
        while i < bytes.count, bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: "\\"), bytes[i] >= 0x20 { i += 1 }
        if i < bytes.count, bytes[i] == UInt8(ascii: "\"") {
            defer { i += 1 }
            return String(decoding: bytes[start..<i], as: UTF8.self)
        }
        var out = Array(bytes[start..<i])
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") { i += 1; return String(decoding: out, as: UTF8.self) }
            if c < 0x20 { throw JSONError(offset: i, expected: "an escaped control character") }
            if c == UInt8(ascii: "\\") {
                i += 1
                guard i < bytes.count else { break }
                switch bytes[i] {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    guard i + 4 < bytes.count, let code = UInt32(String(decoding: bytes[(i + 1)...(i + 4)], as: UTF8.self), radix: 16) else {
                        throw JSONError(offset: i, expected: "four hex digits after \\u")
                    }
                    i += 4
                    var scalarValue = code
                    if (0xD800..<0xDC00).contains(code), i + 6 < bytes.count, bytes[i + 1] == UInt8(ascii: "\\"), bytes[i + 2] == UInt8(ascii: "u"),
                       let low = UInt32(String(decoding: bytes[(i + 3)...(i + 6)], as: UTF8.self), radix: 16), (0xDC00..<0xE000).contains(low) {
                        scalarValue = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    }
                    let scalar = Unicode.Scalar(scalarValue) ?? "\u{FFFD}"
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                case let other: out.append(other)
                }
                i += 1
                continue
            }
            out.append(c)
            i += 1
        }
        throw JSONError(offset: i, expected: "a closing '\"'")
    }
}

extension JSONValue {
    /// Values in this one's subtree, itself included.
    public var valueCount: Int {
        switch self {
        case .array(let a): a.reduce(1) { $0 + $1.valueCount }
        case .object(let o): o.reduce(1) { $0 + $1.1.valueCount }
        default: 1
        }
    }
}

/// A parsed JSON document that can say where its values are: line and column of any element of
/// an array, for diagnostics and findings that point into the file.
public struct JSONDocument: Sendable {
    public let root: JSONValue
    let offsets: [Int]
    private let lineStarts: [Int]

    /// A step from a value to one inside it.
    public enum Step: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    public init(bytes: [UInt8], maxDepth: Int = 512) throws(JSONError) {
        var p = JSONParser(bytes, maxDepth: maxDepth)
        p.valueOffsets = []
        p.valueOffsets?.reserveCapacity(bytes.count / 8)
        root = try p.parseDocument()
        offsets = p.valueOffsets ?? []
        var starts = [0]
        for (k, b) in bytes.enumerated() where b == 0x0A { starts.append(k + 1) }
        lineStarts = starts
    }

    /// 1-based line and column of a byte offset.
    public func lineAndColumn(ofByte offset: Int) -> (line: Int, column: Int) {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return (lo + 1, offset - lineStarts[lo] + 1)
    }

    /// The value at `path` with its preorder index, or nil when the path leads nowhere.
    private func find(_ path: [Step]) -> (value: JSONValue, index: Int)? {
        var value = root
        var index = 0
        for step in path {
            switch (step, value) {
            case (.key(let k), .object(let members)):
                index += 1
                var found: JSONValue?
                for (name, v) in members {
                    if name == k { found = v; break }
                    index += v.valueCount
                }
                guard let f = found else { return nil }
                value = f
            case (.index(let n), .array(let items)):
                guard n >= 0, n < items.count else { return nil }
                index += 1
                for v in items[..<n] { index += v.valueCount }
                value = items[n]
            default:
                return nil
            }
        }
        return (value, index)
    }

    /// Where the value at `path` starts.
    public func location(of path: [Step]) -> (line: Int, column: Int)? {
        guard let (_, index) = find(path), index < offsets.count else { return nil }
        return lineAndColumn(ofByte: offsets[index])
    }

    /// 1-based line and column of a byte offset in text that may not parse (for a `JSONError`).
    public static func lineAndColumn(in bytes: [UInt8], ofByte offset: Int) -> (line: Int, column: Int) {
        var line = 1
        var start = 0
        for k in 0..<min(offset, bytes.count) where bytes[k] == 0x0A {
            line += 1
            start = k + 1
        }
        return (line, offset - start + 1)
    }
}

/// Writes compact JSON into a byte buffer.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    private var needsComma: [Bool] = []
    private var afterKey = false
    /// Indent nested values by two spaces per level, one member per line.
    public let pretty: Bool

    public init(pretty: Bool = false) {
        self.pretty = pretty
        bytes.reserveCapacity(256)
    }

    /// Hands the bytes written so far to `sink` and forgets them, when there are at least `threshold`:
    /// large documents stream out instead of growing in memory.
    public mutating func drain(ifAtLeast threshold: Int = 1 << 20, into sink: ([UInt8]) -> Void) {
        guard bytes.count >= threshold else { return }
        sink(bytes)
        bytes.removeAll(keepingCapacity: true)
    }

    private mutating func newline(_ depth: Int) {
        bytes.append(0x0A)
        bytes.append(contentsOf: repeatElement(0x20, count: 2 * depth))
    }

    private mutating func separator() {
        if afterKey { afterKey = false; return }
        if let last = needsComma.last {
            if last { bytes.append(UInt8(ascii: ",")) }
            needsComma[needsComma.count - 1] = true
            if pretty { newline(needsComma.count) }
        }
    }

    private mutating func close(_ c: UInt8) {
        let hadMembers = needsComma.removeLast()
        if pretty && hadMembers { newline(needsComma.count) }
        bytes.append(c)
    }

    public mutating func beginObject() { separator(); bytes.append(UInt8(ascii: "{")); needsComma.append(false) }
    public mutating func endObject() { close(UInt8(ascii: "}")) }
    public mutating func beginArray() { separator(); bytes.append(UInt8(ascii: "[")); needsComma.append(false) }
    public mutating func endArray() { close(UInt8(ascii: "]")) }

    /// Writes a member name; the next value written is its value.
    public mutating func key(_ k: String) {
        separator()
        appendString(k)
        bytes.append(UInt8(ascii: ":"))
        if pretty { bytes.append(0x20) }
        afterKey = true
    }

    public mutating func string(_ s: String) { separator(); appendString(s) }
    public mutating func int(_ n: Int) { separator(); bytes.append(contentsOf: String(n).utf8) }
    public mutating func double(_ d: Double) {
        separator()
        if d.isFinite { bytes.append(contentsOf: (d.rounded() == d && abs(d) < 1e15 ? String(Int(d)) : "\(d)").utf8) } else { bytes.append(contentsOf: "null".utf8) }
    }
    public mutating func bool(_ b: Bool) { separator(); bytes.append(contentsOf: (b ? "true" : "false").utf8) }
    public mutating func null() { separator(); bytes.append(contentsOf: "null".utf8) }

    public mutating func object(_ body: (inout JSONWriter) -> Void) { beginObject(); body(&self); endObject() }
    public mutating func array(_ body: (inout JSONWriter) -> Void) { beginArray(); body(&self); endArray() }

    /// Writes a whole value tree.
    public mutating func value(_ v: JSONValue) {
        switch v {
        case .null: null()
        case .bool(let b): bool(b)
        case .number(let n): double(n)
        case .string(let s): string(s)
        case .array(let items): array { w in for item in items { w.value(item) } }
        case .object(let members): object { w in for (k, item) in members { w.key(k); w.value(item) } }
        }
    }

    /// Appends raw, already valid JSON.
    public mutating func raw(_ json: String) { separator(); bytes.append(contentsOf: json.utf8) }
    /// Appends raw, already valid JSON given as UTF-8 bytes.
    public mutating func raw(_ json: [UInt8]) { separator(); bytes.append(contentsOf: json) }

    private mutating func appendString(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { utf8 in
            // Copy runs of bytes that need no escaping in one go.
            var runStart = 0
            for (i, b) in utf8.enumerated() where b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") {
                if i > runStart { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i])) }
                runStart = i + 1
                switch b {
                case UInt8(ascii: "\""): bytes.append(contentsOf: [0x5C, 0x22])
                case UInt8(ascii: "\\"): bytes.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
                case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
                case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 15)]])
                }
            }
            if utf8.count > runStart { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count])) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    public var text: String { String(decoding: bytes, as: UTF8.self) }
}
