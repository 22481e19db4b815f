/// A JSON syntax error: where, and what was expected there.
struct ScanError: Error {
    var offset: Int
    var expected: String
}

/// The type of the value at the scanner's position, read from its first byte.
enum JSONType: Equatable {
    case object, array, string, number, bool, null, invalid

    var article: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        case .invalid: "something that is not JSON"
        }
    }
}

/// A pull scanner over JSON bytes: the reader walks the document in order and takes or skips each
/// value, so a gigabyte of collector output is read without building a tree of it.
///
/// Every read checks its bounds and throws ``ScanError`` at the first byte that is not what JSON
/// allows there; nesting is bounded, so hostile input can neither trap nor exhaust the stack.
/// Object keys come back as byte ranges; ``Field`` matches them without regard to case.
struct JSONScanner {
    let p: UnsafePointer<UInt8>
    let count: Int
    var i: Int
    /// Nesting allowed below the value being skipped.
    static let maxDepth = 96

    /// `buffer` must outlive the scanner.
    init(_ buffer: UnsafeBufferPointer<UInt8>) {
        // An empty buffer may have no base address; with a count of 0 the pointer is never read.
        p = buffer.baseAddress ?? UnsafePointer(bitPattern: 0x10)!
        count = buffer.count
        i = 0
    }

    var atEnd: Bool { i >= count }

    @inline(__always) mutating func skipSpace() {
        while i < count {
            let c = p[i]
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { i += 1 } else { return }
        }
    }

    /// Skips a UTF-8 byte-order mark at the start.
    mutating func skipByteOrderMark() {
        if count >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF { i = 3 }
    }

    /// The type of the next value (after white space), without consuming it.
    mutating func peekType() -> JSONType {
        skipSpace()
        guard i < count else { return .invalid }
        switch p[i] {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        default: return .invalid
        }
    }

    func error(_ expected: String) -> ScanError { ScanError(offset: min(i, count), expected: expected) }

    // MARK: Objects and arrays

    /// Consumes `{`.
    mutating func enterObject() throws(ScanError) {
        skipSpace()
        guard i < count, p[i] == UInt8(ascii: "{") else { throw error("'{'") }
        i += 1
    }

    /// The next member's key, with the scanner placed at its value; nil after the closing `}`.
    /// `first` must start true for each object.
    mutating func nextKey(_ first: inout Bool) throws(ScanError) -> Key? {
        skipSpace()
        guard i < count else { throw error(first ? "a member name or '}'" : "',' or '}'") }
        if p[i] == UInt8(ascii: "}") { i += 1; return nil }
        if first {
            first = false
        } else {
            guard p[i] == UInt8(ascii: ",") else { throw error("',' or '}'") }
            i += 1
            skipSpace()
        }
        guard i < count, p[i] == UInt8(ascii: "\"") else { throw error("a member name in double quotes") }
        let key = try scanString()
        skipSpace()
        guard i < count, p[i] == UInt8(ascii: ":") else { throw error("':' after a member name") }
        i += 1
        return key
    }

    /// Consumes `[`.
    mutating func enterArray() throws(ScanError) {
        skipSpace()
        guard i < count, p[i] == UInt8(ascii: "[") else { throw error("'['") }
        i += 1
    }

    /// Whether another element follows (the scanner then sits at it); false after the closing `]`.
    mutating func nextElement(_ first: inout Bool) throws(ScanError) -> Bool {
        skipSpace()
        guard i < count else { throw error(first ? "a value or ']'" : "',' or ']'") }
        if p[i] == UInt8(ascii: "]") { i += 1; return false }
        if first {
            first = false
        } else {
            guard p[i] == UInt8(ascii: ",") else { throw error("',' or ']'") }
            i += 1
        }
        return true
    }

    // MARK: Strings

    /// A string's content as a byte range of the input (escapes not yet decoded).
    struct Key {
        var start: Int
        var end: Int
        var escaped: Bool
        var count: Int { end - start }
    }

    /// Scans a string starting at `"`, checking its escapes; the scanner ends after the closing quote.
    mutating func scanString() throws(ScanError) -> Key {
        i += 1
        let start = i
        var escaped = false
        while i < count {
            // Eight bytes at a time while none is a quote, a backslash or a control character.
            while i + 8 <= count {
                let v = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                if JSONScanner.hasSpecialByte(v) { break }
                i += 8
            }
            guard i < count else { break }
            let c = p[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                return Key(start: start, end: i - 1, escaped: escaped)
            }
            if c == UInt8(ascii: "\\") {
                escaped = true
                i += 1
                guard i < count else { break }
                switch p[i] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                     UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    i += 1
                case UInt8(ascii: "u"):
                    guard i + 4 < count, (1...4).allSatisfy({ isHex(p[i + $0]) }) else { throw error("four hex digits after \\u") }
                    i += 5
                default:
                    throw error("a valid escape after '\\'")
                }
                continue
            }
            if c < 0x20 { throw error("an escaped control character in a string") }
            i += 1
        }
        throw ScanError(offset: count, expected: "a closing '\"'")
    }

    /// Whether any byte of `v` is `"`, `\\` or below 0x20 (SWAR: a byte is zero after the xor, or
    /// below 0x20, exactly when its high bit survives the subtraction and not the original value).
    @inline(__always) static func hasSpecialByte(_ v: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        func zeroByte(_ x: UInt64) -> UInt64 { (x &- ones) & ~x & highs }
        let quote = zeroByte(v ^ (ones &* 0x22))
        let backslash = zeroByte(v ^ (ones &* 0x5C))
        let control = (v &- (ones &* 0x20)) & ~v & highs
        return (quote | backslash | control) != 0
    }

    /// The text of a scanned string, escapes decoded (invalid UTF-8 becomes U+FFFD).
    func text(_ k: Key) -> String {
        let raw = UnsafeBufferPointer(start: p + k.start, count: k.count)
        if !k.escaped { return String(decoding: raw, as: UTF8.self) }
        return String(decoding: JSONScanner.unescape(raw), as: UTF8.self)
    }

    static func unescape(_ raw: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var j = 0
        func hex4(_ at: Int) -> UInt32? {
            guard at + 4 <= raw.count else { return nil }
            var v: UInt32 = 0
            for k in at..<(at + 4) {
                let c = raw[k]
                let d: UInt8
                switch c {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): d = c - 48
                case UInt8(ascii: "a")...UInt8(ascii: "f"): d = c - 87
                case UInt8(ascii: "A")...UInt8(ascii: "F"): d = c - 55
                default: return nil
                }
                v = v << 4 | UInt32(d)
            }
            return v
        }
        while j < raw.count {
            let c = raw[j]
            guard c == UInt8(ascii: "\\"), j + 1 < raw.count else { out.append(c); j += 1; continue }
            let e = raw[j + 1]
            j += 2
            switch e {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                guard var code = hex4(j) else { out.append(contentsOf: Array("\u{FFFD}".utf8)); continue }
                j += 4
                if (0xD800..<0xDC00).contains(code), j + 6 <= raw.count, raw[j] == UInt8(ascii: "\\"), raw[j + 1] == UInt8(ascii: "u"),
                   let low = hex4(j + 2), (0xDC00..<0xE000).contains(low) {
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    j += 6
                }
                let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            default: out.append(e)
            }
        }
        return out
    }

    // MARK: Scalars

    mutating func readString() throws(ScanError) -> String {
        guard peekType() == .string else { throw error("a string") }
        return text(try scanString())
    }

    mutating func readBool() throws(ScanError) -> Bool {
        skipSpace()
        if i < count && p[i] == UInt8(ascii: "t") { try literal("true"); return true }
        try literal("false")
        return false
    }

    mutating func literal(_ word: StaticString) throws(ScanError) {
        let n = word.utf8CodeUnitCount
        guard i + n <= count else { throw error("'\(word)'") }
        let w = word.utf8Start
        for k in 0..<n where p[i + k] != w[k] { throw error("'\(word)'") }
        i += n
    }

    /// A number: its value as an integer when it is one (and fits), else as a double.
    mutating func readNumber() throws(ScanError) -> (integer: Int64?, value: Double) {
        skipSpace()
        let start = i
        var negative = false
        if i < count && p[i] == UInt8(ascii: "-") { negative = true; i += 1 }
        var digits = 0
        var integer: Int64 = 0
        var exact = true
        while i < count, p[i] >= 48, p[i] <= 57 {
            if digits < 18 { integer = integer &* 10 &+ Int64(p[i] - 48) } else { exact = false }
            digits += 1
            i += 1
        }
        guard digits > 0 else { i = start; throw error("a value") }
        if i < count, p[i] == UInt8(ascii: ".") {
            exact = false
            i += 1
            var fraction = 0
            while i < count, p[i] >= 48, p[i] <= 57 { i += 1; fraction += 1 }
            guard fraction > 0 else { throw error("digits after '.'") }
        }
        if i < count, p[i] == UInt8(ascii: "e") || p[i] == UInt8(ascii: "E") {
            exact = false
            i += 1
            if i < count, p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") { i += 1 }
            var exponent = 0
            while i < count, p[i] >= 48, p[i] <= 57 { i += 1; exponent += 1 }
            guard exponent > 0 else { throw error("digits in the exponent") }
        }
        if exact {
            let v = negative ? -integer : integer
            return (v, Double(v))
        }
        let text = String(decoding: UnsafeBufferPointer(start: p + start, count: i - start), as: UTF8.self)
        let value = Double(text) ?? .nan
        if value.isFinite, value.rounded() == value, abs(value) < 9.0e18 { return (Int64(value), value) }
        return (nil, value)
    }

    /// Skips one value of any type, checking its syntax.
    mutating func skipValue(depth: Int = 0) throws(ScanError) {
        guard depth < JSONScanner.maxDepth else { throw error("less deeply nested values (limit \(JSONScanner.maxDepth))") }
        switch peekType() {
        case .object:
            i += 1
            var first = true
            while try nextKey(&first) != nil { try skipValue(depth: depth + 1) }
        case .array:
            i += 1
            var first = true
            while try nextElement(&first) { try skipValue(depth: depth + 1) }
        case .string:
            _ = try scanString()
        case .number:
            _ = try readNumber()
        case .bool:
            _ = try readBool()
        case .null:
            try literal("null")
        case .invalid:
            throw error("a value")
        }
    }

    /// Appends the JSON text between byte offsets `start` and `end` (already scanned) to `out`.
    func copy(from start: Int, to end: Int, into out: inout [UInt8]) {
        guard start < end, end <= count else { return }
        out.append(contentsOf: UnsafeBufferPointer(start: p + start, count: end - start))
    }
}

@inline(__always) private func isHex(_ c: UInt8) -> Bool {
    (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102)
}
