#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
public import BulwarkModel

/// A streaming XML pull reader that reads no DTD: what a scan file says is all it sees.
///
/// It reads UTF-8 bytes from a file chunk by chunk (or from memory) and reports start tags,
/// end tags and text, each with its line and column. Only the five predefined entities (`&lt;`
/// `&gt;` `&amp;` `&apos;` `&quot;`) and numeric character references are decoded. A
/// `<!DOCTYPE name>` (with or without an external identifier, which is never fetched) is accepted
/// and ignored; an internal DTD subset — where entity declarations live — and any other entity
/// reference throw a ``ScanError`` with code ``ScanError/Code/entitiesNotRead``, so XXE and
/// entity-expansion ("billion laughs") inputs fail before anything is expanded or fetched.
///
/// Malformed input (mismatched tags, a truncated file, bad attribute syntax, bytes that are not
/// UTF-8) throws a ``ScanError`` with the line and column and what was expected there; so do
/// inputs over the ``XMLLimits``. The reader never traps on bad input. After a thrown error every
/// further call throws the same error.
///
/// Memory stays bounded for files of any size: a streamed read holds one chunk (1 MiB by
/// default), growing only for a single piece of markup larger than that, up to
/// ``XMLLimits/maxMarkupLength``; text nodes are read across chunks into a buffer bounded by
/// ``XMLLimits/maxTextLength``.
///
/// Namespaces are not resolved (a prefixed name is reported as written); control characters are
/// accepted in text, as some scanners write them.
public final class XMLPullReader {
    /// The input's name, used in every error and position.
    public let file: String
    public let limits: XMLLimits
    /// Whether whitespace-only text between tags is reported (off by default: scan formats have
    /// no mixed content, and indentation is most of the text events in pretty-printed files).
    public var reportsWhitespaceText = false

    private var source: (any XMLByteSource)?
    private var buf: UnsafeMutablePointer<UInt8>
    private var cap: Int
    /// Next unread byte, and the end of the valid bytes, as indices into `buf`.
    private var pos = 0
    private var end = 0
    /// Absolute input offset of `buf[0]`.
    private var base = 0
    private var eof: Bool
    /// Line of `pos`, and the absolute offset where that line starts.
    private var line = 1
    private var lineStart = 0

    private enum Phase { case start, prolog, content, epilog, done }
    private var phase = Phase.start
    private var sawDoctype = false
    /// The absolute offset where an XML declaration may stand (after a byte-order mark, if any).
    private var declarationOffset = 0

    private struct OpenElement {
        var name: String
        var nameOffset: Int
        var nameLength: Int
        var position: XMLPosition
    }

    private var open: [OpenElement] = []
    /// The names of the open elements, back to back; end tags are compared against these bytes.
    private var openNames: [UInt8] = []
    /// The end event of an empty-element tag (`<a/>`), reported right after its start.
    private var pendingEnd: XMLEvent?
    /// False while skipping: no strings are made for names, attributes or text.
    private var materialize = true
    private var failure: ScanError?

    private var text: [UInt8] = []
    private var textActive = false
    private var textPosition = XMLPosition(line: 1, column: 1)
    private var textWhitespaceOnly = true
    private var scratch: [UInt8] = []
    private var attributeNames: [(offset: Int, length: Int)] = []

    /// Reads the file at `path` in chunks of ``XMLLimits/chunkSize`` bytes.
    public convenience init(path: String, limits: XMLLimits = XMLLimits()) throws(ScanError) {
        let source = try FileByteSource(path: path)
        self.init(source: source, file: path, limits: limits)
    }

    /// Reads bytes from `source` as they are needed; `file` names the input in errors.
    public init(source: any XMLByteSource, file: String, limits: XMLLimits = XMLLimits()) {
        self.file = file
        self.limits = limits
        self.source = source
        cap = limits.chunkSize
        buf = .allocate(capacity: cap)
        eof = false
    }

    /// Reads `bytes`, already in memory; `file` names the input in errors.
    public init(bytes: some Collection<UInt8>, file: String, limits: XMLLimits = XMLLimits()) {
        self.file = file
        self.limits = limits
        source = nil
        // Exactly sized, so that a sanitizer catches any read past the input.
        cap = max(1, bytes.count)
        buf = .allocate(capacity: cap)
        let copied = UnsafeMutableBufferPointer(start: buf, count: cap).initialize(fromContentsOf: bytes)
        end = copied
        eof = true
    }

    deinit { buf.deallocate() }

    /// How many input bytes have been consumed so far.
    public var bytesConsumed: Int { base + pos }

    /// Where the next unread byte is.
    public var position: XMLPosition { committedPosition }

    /// How many elements are open (the element whose start was just reported included).
    public var depth: Int { open.count + (pendingEnd == nil ? 0 : 1) }

    /// `position` as a file location, for diagnostics.
    public func location(_ position: XMLPosition) -> FileLocation {
        FileLocation(file: file, line: position.line, column: position.column)
    }

    // MARK: Pulling events

    /// The next event, or nil once the root element has closed and the input has ended.
    public func next() throws(ScanError) -> XMLEvent? {
        try nextEvent()
    }

    /// Skips the rest of the innermost open element (usually the one whose start was just
    /// reported), its end tag included. Skipped content is still checked for well-formedness,
    /// entities and UTF-8, but no strings are made for it.
    public func skipElement() throws(ScanError) {
        if pendingEnd != nil { pendingEnd = nil; return }
        let target = open.count - 1
        guard target >= 0 else { return }
        materialize = false
        defer { materialize = true }
        while open.count > target {
            guard try nextEvent() != nil else { return }
        }
    }

    /// The text of the innermost open element up to its end tag (which is consumed), whitespace
    /// included. Text of child elements is skipped; adjacent text and CDATA sections are joined.
    public func readText() throws(ScanError) -> String {
        if pendingEnd != nil { pendingEnd = nil; return "" }
        let depth = open.count
        guard depth > 0 else { return "" }
        let reportedWhitespace = reportsWhitespaceText
        reportsWhitespaceText = true
        defer { reportsWhitespaceText = reportedWhitespace }
        var result = ""
        while true {
            guard let event = try nextEvent() else { return result }
            switch event {
            case .text(let s, let position):
                if result.isEmpty {
                    result = s
                } else {
                    guard result.utf8.count + s.utf8.count <= limits.maxTextLength else {
                        throw ScanError(.limitExceeded, file: file, line: position.line, column: position.column,
                                        "text longer than \(limits.maxTextLength) bytes (limit maxTextLength)")
                    }
                    result += s
                }
            case .startElement:
                try skipElement()
            case .endElement:
                if open.count < depth { return result }
            }
        }
    }

    /// Calls `body` for each child element of the innermost open element, then consumes that
    /// element's end tag. `body` may read the child with any of the reader's calls; whatever it
    /// leaves of the child is skipped.
    public func forEachChild(_ body: (XMLStartElement) throws(ScanError) -> Void) throws(ScanError) {
        if pendingEnd != nil { pendingEnd = nil; return }
        let parentDepth = open.count
        guard parentDepth > 0 else { return }
        while true {
            guard let event = try nextEvent() else { return }
            switch event {
            case .startElement(let child):
                try body(child)
                if open.count < parentDepth { return }
                while pendingEnd != nil || open.count > parentDepth { try skipElement() }
            case .endElement:
                if open.count < parentDepth { return }
            case .text:
                continue
            }
        }
    }

    // MARK: Driver

    private enum Step {
        case event(XMLEvent)
        case nothing
        case endOfDocument
    }

    private enum Interrupt: Error {
        /// The token at `pos` runs past the buffered bytes: refill and try again.
        case needMore
        case failed(ScanError)
    }

    private func nextEvent() throws(ScanError) -> XMLEvent? {
        if let failure { throw failure }
        if let e = pendingEnd { pendingEnd = nil; return e }
        while true {
            let result: Step
            do throws(Interrupt) {
                result = try step()
            } catch {
                switch error {
                case .needMore:
                    do throws(ScanError) { try refill() } catch { failure = error; throw error }
                    continue
                case .failed(let e):
                    failure = e
                    throw e
                }
            }
            switch result {
            case .event(let e): return e
            case .nothing: continue
            case .endOfDocument: return nil
            }
        }
    }

    private func refill() throws(ScanError) {
        guard !eof, source != nil else { eof = true; return }
        if pos > 0 {
            let kept = end - pos
            if kept > 0 { memmove(buf, buf + pos, kept) }
            base += pos
            end = kept
            pos = 0
        }
        if end == cap {
            let ceiling = max(limits.maxMarkupLength, limits.chunkSize)
            guard cap < ceiling else {
                throw error(.limitExceeded, line, base + pos - lineStart + 1,
                            "a single piece of markup (a tag, comment, CDATA section, processing instruction or DOCTYPE) is longer than \(ceiling) bytes (limit maxMarkupLength)")
            }
            let grown = min(ceiling, cap * 2)
            let newBuffer = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
            newBuffer.update(from: buf, count: end)
            buf.deallocate()
            buf = newBuffer
            cap = grown
        }
        // Fill the buffer (sources may return short reads), so that a token is rescanned at most
        // once per buffer's worth of input.
        while end < cap {
            let room = UnsafeMutableRawBufferPointer(start: buf + end, count: cap - end)
            let n: Int
            do {
                n = try source!.read(into: room)
            } catch {
                if let e = error as? ScanError { throw e }
                throw ScanError(.unreadable, file: file, line: nil, column: nil, "cannot read: \(error)")
            }
            guard n > 0 else { eof = true; break }
            end += min(n, cap - end)
        }
    }

    private func step() throws(Interrupt) -> Step {
        if textActive { return try continueText() }
        if phase == .start { try startDocument() }
        guard pos < end else {
            if !eof { throw .needMore }
            return try endOfInput()
        }
        if buf[pos] == 0x3C { return try markup() }
        if phase == .content {
            textActive = true
            text.removeAll(keepingCapacity: true)
            textPosition = XMLPosition(line: line, column: base + pos - lineStart + 1)
            textWhitespaceOnly = true
            return try continueText()
        }
        return try spaceOutsideRoot()
    }

    // MARK: Positions and errors

    /// A scanning position: local copies of the hot state, committed when a token is complete.
    private struct Cursor {
        let p: UnsafeMutablePointer<UInt8>
        var i: Int
        let end: Int
        let base: Int
        var line: Int
        var lineStart: Int

        var column: Int { base + i - lineStart + 1 }
        var position: XMLPosition { XMLPosition(line: line, column: column) }

        /// Steps over the newline at `i`.
        @inline(__always) mutating func newline() {
            line += 1
            i += 1
            lineStart = base + i
        }
    }

    @inline(__always) private func cursor(at i: Int) -> Cursor {
        Cursor(p: buf, i: i, end: end, base: base, line: line, lineStart: lineStart)
    }

    @inline(__always) private func commit(_ c: Cursor) {
        pos = c.i
        line = c.line
        lineStart = c.lineStart
    }

    private var committedPosition: XMLPosition {
        XMLPosition(line: line, column: base + pos - lineStart + 1)
    }

    private func error(_ code: ScanError.Code, _ line: Int, _ column: Int, _ message: String) -> ScanError {
        ScanError(code, file: file, line: line, column: column, message)
    }

    private func fail(_ code: ScanError.Code, _ at: XMLPosition, _ message: String) -> Interrupt {
        .failed(error(code, at.line, at.column, message))
    }

    private func fail(_ at: XMLPosition, _ message: String) -> Interrupt {
        .failed(error(.malformedXML, at.line, at.column, message))
    }

    /// The buffer ended inside a token: more bytes if there are any, else a truncation error.
    private func short(_ c: Cursor, _ message: String) -> Interrupt {
        if !eof { return .needMore }
        return fail(c.position, "unexpected end of file \(message)")
    }

    private static func describe(_ b: UInt8) -> String {
        if b >= 0x21 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        return "byte 0x" + String(b, radix: 16, uppercase: true)
    }

    private func string(_ p: UnsafePointer<UInt8>, _ count: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: p, count: count), as: UTF8.self)
    }

    private func openName(_ e: OpenElement) -> String {
        if !e.name.isEmpty { return e.name }
        return String(decoding: openNames[e.nameOffset..<(e.nameOffset + e.nameLength)], as: UTF8.self)
    }

    // MARK: Document structure

    private func startDocument() throws(Interrupt) {
        let n = end - pos
        if n < 3 && !eof { throw .needMore }
        if n >= 3 && buf[pos] == 0xEF && buf[pos + 1] == 0xBB && buf[pos + 2] == 0xBF {
            pos += 3
            lineStart = 3
            declarationOffset = 3
        } else if n >= 2 && ((buf[pos] == 0xFE && buf[pos + 1] == 0xFF) || (buf[pos] == 0xFF && buf[pos + 1] == 0xFE)) {
            throw fail(.invalidEncoding, XMLPosition(line: 1, column: 1), "a UTF-16 byte-order mark: expected UTF-8, the only encoding read")
        }
        phase = .prolog
    }

    private func endOfInput() throws(Interrupt) -> Step {
        switch phase {
        case .start, .prolog:
            if base + pos == 0 || (declarationOffset == 3 && base + pos == 3) {
                throw fail(committedPosition, "empty file: expected an XML document")
            }
            throw fail(committedPosition, "unexpected end of file: expected the root element of an XML document")
        case .content:
            let top = open[open.count - 1]
            throw fail(committedPosition, "unexpected end of file: expected </\(openName(top))> to close the element opened at \(top.position)")
        case .epilog, .done:
            phase = .done
            return .endOfDocument
        }
    }

    /// Whitespace before or after the root element; anything else there is an error.
    private func spaceOutsideRoot() throws(Interrupt) -> Step {
        var c = cursor(at: pos)
        while c.i < c.end {
            let b = c.p[c.i]
            if b == 0x20 || b == 0x09 || b == 0x0D {
                c.i += 1
            } else if b == 0x0A {
                c.newline()
            } else if b == 0x3C {
                break
            } else if phase == .epilog {
                throw fail(c.position, "text after the root element: expected only comments or processing instructions")
            } else if sawDoctype || base + c.i > declarationOffset {
                throw fail(c.position, "text before the root element: expected '<' and the root element, found \(Self.describe(b))")
            } else {
                throw fail(c.position, "expected '<' to begin an XML document, found \(Self.describe(b))")
            }
        }
        commit(c)
        return .nothing
    }

    // MARK: Text

    private func appendText(_ p: UnsafePointer<UInt8>, _ count: Int) throws(Interrupt) {
        guard count > 0 else { return }
        guard text.count + count <= limits.maxTextLength else { throw textTooLong() }
        text.append(contentsOf: UnsafeBufferPointer(start: p, count: count))
    }

    private func textTooLong() -> Interrupt {
        fail(.limitExceeded, textPosition, "text longer than \(limits.maxTextLength) bytes (limit maxTextLength)")
    }

    private func appendScalar(_ v: UInt32, to bytes: inout [UInt8]) {
        if v < 0x80 {
            bytes.append(UInt8(v))
        } else if v < 0x800 {
            bytes.append(UInt8(0xC0 | (v >> 6)))
            bytes.append(UInt8(0x80 | (v & 0x3F)))
        } else if v < 0x10000 {
            bytes.append(UInt8(0xE0 | (v >> 12)))
            bytes.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            bytes.append(UInt8(0x80 | (v & 0x3F)))
        } else {
            bytes.append(UInt8(0xF0 | (v >> 18)))
            bytes.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            bytes.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            bytes.append(UInt8(0x80 | (v & 0x3F)))
        }
    }

    /// Character data from `pos` up to the next `<`, across buffer refills. Progress is committed
    /// before every `needMore`, so a refill never rescans text.
    private func continueText() throws(Interrupt) -> Step {
        let keep = materialize
        var c = cursor(at: pos)
        let p = c.p
        let e = c.end
        var run = c.i
        var wsOnly = textWhitespaceOnly

        @inline(__always) func suspend() throws(Interrupt) -> Never {
            if keep { try appendText(p + run, c.i - run) }
            commit(c)
            textWhitespaceOnly = wsOnly
            throw .needMore
        }

        while c.i < e {
            let b = p[c.i]
            if (b > 0x3C && b < 0x80) || (b > 0x26 && b < 0x3C) || (b > 0x20 && b < 0x26) {
                wsOnly = false
                c.i += 1
                continue
            }
            if b >= 0x80 {
                let n = try utf8Length(c)
                if n == 0 { try suspend() }
                wsOnly = false
                c.i += n
                continue
            }
            switch b {
            case 0x3C:
                return try finishText(c, run: run, whitespaceOnly: wsOnly)
            case 0x0A:
                c.newline()
            case 0x20, 0x09:
                c.i += 1
            case 0x26:
                if keep { try appendText(p + run, c.i - run) }
                run = c.i
                guard let (scalar, length) = try reference(c) else { try suspend() }
                if keep {
                    let width = scalar < 0x80 ? 1 : scalar < 0x800 ? 2 : scalar < 0x10000 ? 3 : 4
                    guard text.count + width <= limits.maxTextLength else { throw textTooLong() }
                    appendScalar(scalar, to: &text)
                }
                wsOnly = false
                c.i += length
                run = c.i
            case 0x0D:
                // Line ends are normalised: CR LF and a lone CR become LF.
                if c.i + 1 >= e && !eof { try suspend() }
                if keep { try appendText(p + run, c.i - run) }
                if c.i + 1 < e && p[c.i + 1] == 0x0A {
                    c.i += 1
                    run = c.i
                } else {
                    if keep { try appendText([0x0A], 1) }
                    c.i += 1
                    run = c.i
                }
            default:
                wsOnly = false
                c.i += 1
            }
        }
        if eof { return try finishText(c, run: run, whitespaceOnly: wsOnly) }
        try suspend()
    }

    private func finishText(_ c: Cursor, run: Int, whitespaceOnly: Bool) throws(Interrupt) -> Step {
        textActive = false
        commit(c)
        guard materialize, !whitespaceOnly || reportsWhitespaceText else { return .nothing }
        let s: String
        if text.isEmpty {
            guard c.i - run <= limits.maxTextLength else { throw textTooLong() }
            s = string(c.p + run, c.i - run)
        } else {
            try appendText(c.p + run, c.i - run)
            s = String(decoding: text, as: UTF8.self)
        }
        return .event(.text(s, position: textPosition))
    }

    /// Validates the UTF-8 sequence starting at `c.i` (whose first byte is 0x80 or more) and
    /// returns its length, or 0 when the buffer ends inside it and more input may follow.
    private func utf8Length(_ c: Cursor) throws(Interrupt) -> Int {
        let p = c.p
        let i = c.i
        let b0 = p[i]
        var n = 0
        var lo: UInt8 = 0x80
        var hi: UInt8 = 0xBF
        switch b0 {
        case 0xC2...0xDF: n = 2
        case 0xE0: n = 3; lo = 0xA0
        case 0xE1...0xEC, 0xEE, 0xEF: n = 3
        case 0xED: n = 3; hi = 0x9F
        case 0xF0: n = 4; lo = 0x90
        case 0xF1...0xF3: n = 4
        case 0xF4: n = 4; hi = 0x8F
        default: throw invalidUTF8(c, b0)
        }
        let available = c.end - i
        for k in 1..<n {
            guard k < available else {
                if !eof { return 0 }
                throw invalidUTF8(c, b0)
            }
            let b = p[i + k]
            if k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF) { throw invalidUTF8(c, b0) }
        }
        return n
    }

    private func invalidUTF8(_ c: Cursor, _ b: UInt8) -> Interrupt {
        fail(.invalidEncoding, c.position, "invalid UTF-8 (a sequence starting with byte 0x\(String(b, radix: 16, uppercase: true))): expected UTF-8 text, the only encoding read")
    }

    /// Decodes the reference at `c.i` (an `&`): the code point and how many bytes it spans, or
    /// nil when the buffer ends inside it and more input may follow.
    private func reference(_ c: Cursor) throws(Interrupt) -> (UInt32, Int)? {
        let p = c.p
        let longest = 40
        var j = c.i + 1
        guard j < c.end else {
            if !eof { return nil }
            throw fail(c.position, "unexpected end of file after '&': expected an entity or character reference")
        }
        if p[j] == 0x23 {
            j += 1
            var hex = false
            if j < c.end && p[j] == 0x78 { hex = true; j += 1 }
            var value: UInt32 = 0
            var digits = 0
            while true {
                guard j < c.end else {
                    if !eof { return nil }
                    throw fail(c.position, "unexpected end of file in a character reference: expected ';'")
                }
                let d = p[j]
                if d == 0x3B { break }
                let digit: UInt32
                switch d {
                case 0x30...0x39: digit = UInt32(d - 0x30)
                case 0x61...0x66 where hex: digit = UInt32(d - 0x61 + 10)
                case 0x41...0x46 where hex: digit = UInt32(d - 0x41 + 10)
                default:
                    throw fail(c.position, "malformed character reference: expected \(hex ? "hexadecimal " : "")digits and ';' after '&#\(hex ? "x" : "")'")
                }
                value = min(value * (hex ? 16 : 10) + digit, 0x11_0000)
                digits += 1
                j += 1
                if j - c.i > longest { throw fail(c.position, "character reference too long: expected ';'") }
            }
            guard digits > 0 else {
                throw fail(c.position, "malformed character reference: expected digits between '&#\(hex ? "x" : "")' and ';'")
            }
            guard value != 0, value <= 0x10FFFF, !(0xD800...0xDFFF).contains(value) else {
                throw fail(c.position, "character reference \(string(p + c.i, j + 1 - c.i)) is not a Unicode character")
            }
            return (value, j + 1 - c.i)
        }
        while true {
            guard j < c.end else {
                if !eof { return nil }
                throw fail(c.position, "unexpected end of file in an entity reference: expected ';'")
            }
            let d = p[j]
            if d == 0x3B { break }
            let letter = (d | 0x20) >= 0x61 && (d | 0x20) <= 0x7A
            guard letter || d >= 0x80 || (d >= 0x30 && d <= 0x39) || d == 0x5F || d == 0x2D || d == 0x2E || d == 0x3A else {
                throw fail(c.position, "a bare '&': expected an entity reference such as &amp; (write a literal '&' as &amp;)")
            }
            j += 1
            if j - c.i > longest { throw fail(c.position, "a bare '&' or an over-long entity name: expected ';' (write a literal '&' as &amp;)") }
        }
        let n = j - c.i - 1
        let s = p + c.i + 1
        switch n {
        case 2 where s[1] == 0x74 && s[0] == 0x6C: return (0x3C, 4)  // lt
        case 2 where s[1] == 0x74 && s[0] == 0x67: return (0x3E, 4)  // gt
        case 3 where s[0] == 0x61 && s[1] == 0x6D && s[2] == 0x70: return (0x26, 5)  // amp
        case 4 where s[0] == 0x61 && s[1] == 0x70 && s[2] == 0x6F && s[3] == 0x73: return (0x27, 6)  // apos
        case 4 where s[0] == 0x71 && s[1] == 0x75 && s[2] == 0x6F && s[3] == 0x74: return (0x22, 6)  // quot
        case 0: throw fail(c.position, "empty entity reference '&;': expected a name (write a literal '&' as &amp;)")
        default:
            throw fail(.entitiesNotRead, c.position,
                       "undefined entity &\(string(s, n)); — DTD entities are not read: only &lt; &gt; &amp; &apos; &quot; and numeric character references are decoded")
        }
    }

    // MARK: Markup

    /// Whether the bytes at `pos` start with `prefix`; nil when too few are buffered to tell.
    private func hasPrefix(_ prefix: StaticString) -> Bool? {
        let n = prefix.utf8CodeUnitCount
        let s = prefix.utf8Start
        let available = end - pos
        let m = min(n, available)
        for k in 0..<m where buf[pos + k] != s[k] { return false }
        if m < n { return eof ? false : nil }
        return true
    }

    private func markup() throws(Interrupt) -> Step {
        guard end - pos >= 2 else { throw short(cursor(at: end), "after '<': expected a tag") }
        switch buf[pos + 1] {
        case 0x2F:
            return try endTag()
        case 0x3F:
            return try processingInstruction()
        case 0x21:
            guard let comment = hasPrefix("<!--") else { throw .needMore }
            if comment { return try self.comment() }
            guard let cdata = hasPrefix("<![CDATA[") else { throw .needMore }
            if cdata { return try self.cdata() }
            guard let doctype = hasPrefix("<!DOCTYPE") else { throw .needMore }
            if doctype { return try self.doctype() }
            throw fail(committedPosition, "expected a comment '<!--', a CDATA section '<![CDATA[' or '<!DOCTYPE' after '<!'")
        default:
            return try startTag()
        }
    }

    /// Scans a name at `c.i` and returns its length in bytes (0 when no name starts there).
    private func scanName(_ c: inout Cursor) throws(Interrupt) -> Int {
        let start = c.i
        while c.i < c.end {
            let b = c.p[c.i]
            if b >= 0x80 {
                let n = try utf8Length(c)
                if n == 0 { throw .needMore }
                c.i += n
            } else {
                let nameStart = ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A) || b == 0x5F || b == 0x3A
                let nameChar = nameStart || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x2E
                guard c.i == start ? nameStart : nameChar else { break }
                c.i += 1
            }
            if c.i - start > limits.maxNameLength {
                throw fail(.limitExceeded, XMLPosition(line: c.line, column: start + c.base - c.lineStart + 1),
                           "a name longer than \(limits.maxNameLength) bytes (limit maxNameLength)")
            }
        }
        if c.i == c.end && !eof { throw .needMore }
        return c.i - start
    }

    /// Skips XML whitespace; tells whether there was any.
    @discardableResult
    private func skipSpace(_ c: inout Cursor) -> Bool {
        let start = c.i
        while c.i < c.end {
            let b = c.p[c.i]
            if b == 0x20 || b == 0x09 || b == 0x0D {
                c.i += 1
            } else if b == 0x0A {
                c.newline()
            } else {
                break
            }
        }
        return c.i > start
    }

    private func startTag() throws(Interrupt) -> Step {
        let keep = materialize
        let at = committedPosition
        var c = cursor(at: pos + 1)
        let p = c.p
        let nameStart = c.i
        let nameLength = try scanName(&c)
        guard nameLength > 0 else {
            throw fail(at, "expected an element name after '<', found \(c.i < c.end ? Self.describe(p[c.i]) : "the end of the file") (write a literal '<' as &lt;)")
        }
        if phase == .epilog {
            throw fail(at, "a second root element <\(string(p + nameStart, nameLength))>: expected only comments or processing instructions after the root element")
        }
        var attributes: [XMLAttribute] = []
        attributeNames.removeAll(keepingCapacity: true)
        var names: Set<String> = []
        var empty = false
        while true {
            let spaced = skipSpace(&c)
            guard c.i < c.end else { throw short(c, "in the start tag of <\(string(p + nameStart, nameLength))>: expected '>'") }
            let b = p[c.i]
            if b == 0x3E { c.i += 1; break }
            if b == 0x2F {
                guard c.i + 1 < c.end else { throw short(c, "in the start tag of <\(string(p + nameStart, nameLength))>: expected '/>'") }
                guard p[c.i + 1] == 0x3E else { throw fail(c.position, "expected '>' after '/' in the start tag of <\(string(p + nameStart, nameLength))>") }
                c.i += 2
                empty = true
                break
            }
            guard spaced else {
                throw fail(c.position, "expected whitespace, '>' or '/>' in the start tag of <\(string(p + nameStart, nameLength))>, found \(Self.describe(b))")
            }
            let attributeAt = c.position
            let attributeStart = c.i
            let attributeLength = try scanName(&c)
            guard attributeLength > 0 else {
                throw fail(c.position, "expected an attribute name, '>' or '/>' in the start tag of <\(string(p + nameStart, nameLength))>, found \(Self.describe(b))")
            }
            skipSpace(&c)
            guard c.i < c.end else { throw short(c, "after attribute \(string(p + attributeStart, attributeLength)): expected '='") }
            guard p[c.i] == 0x3D else {
                throw fail(c.position, "expected '=' after attribute name \(string(p + attributeStart, attributeLength)), found \(Self.describe(p[c.i]))")
            }
            c.i += 1
            skipSpace(&c)
            guard c.i < c.end else { throw short(c, "after \(string(p + attributeStart, attributeLength))=: expected a quoted value") }
            let quote = p[c.i]
            guard quote == 0x22 || quote == 0x27 else {
                throw fail(c.position, "expected a quoted value after \(string(p + attributeStart, attributeLength))=, found \(Self.describe(quote))")
            }
            c.i += 1
            let value = try attributeValue(&c, quote: quote, keep: keep, at: attributeAt)
            guard attributeNames.count < limits.maxAttributes else {
                throw fail(.limitExceeded, attributeAt, "more than \(limits.maxAttributes) attributes on <\(string(p + nameStart, nameLength))> (limit maxAttributes)")
            }
            // Duplicate names are an error; past a handful of attributes the check uses a set.
            if attributeNames.count < 16 {
                for (offset, length) in attributeNames where length == attributeLength && memcmp(p + offset, p + attributeStart, length) == 0 {
                    throw fail(attributeAt, "attribute \(string(p + attributeStart, attributeLength)) appears twice in <\(string(p + nameStart, nameLength))>")
                }
            } else {
                if names.isEmpty { for (offset, length) in attributeNames { names.insert(string(p + offset, length)) } }
                guard names.insert(string(p + attributeStart, attributeLength)).inserted else {
                    throw fail(attributeAt, "attribute \(string(p + attributeStart, attributeLength)) appears twice in <\(string(p + nameStart, nameLength))>")
                }
            }
            attributeNames.append((attributeStart, attributeLength))
            if keep { attributes.append(XMLAttribute(name: string(p + attributeStart, attributeLength), value: value)) }
        }
        guard open.count < limits.maxDepth else {
            throw fail(.limitExceeded, at, "elements nested deeper than \(limits.maxDepth) levels (limit maxDepth)")
        }
        commit(c)
        let name = keep ? string(p + nameStart, nameLength) : ""
        if phase == .prolog { phase = .content }
        if empty {
            pendingEnd = .endElement(name: name, position: at)
            if open.isEmpty { phase = .epilog }
        } else {
            openNames.append(contentsOf: UnsafeBufferPointer(start: p + nameStart, count: nameLength))
            open.append(OpenElement(name: name, nameOffset: openNames.count - nameLength, nameLength: nameLength, position: at))
        }
        return .event(.startElement(XMLStartElement(name: name, attributes: attributes, position: at)))
    }

    /// An attribute value after its opening quote, up to and over the closing one.
    private func attributeValue(_ c: inout Cursor, quote: UInt8, keep: Bool, at: XMLPosition) throws(Interrupt) -> String {
        let p = c.p
        let start = c.i
        var run = start
        var decoded = false
        scratch.removeAll(keepingCapacity: true)
        while true {
            guard c.i < c.end else { throw short(c, "inside an attribute value: expected the closing quote") }
            let b = p[c.i]
            if b == quote { break }
            if b >= 0x80 {
                let n = try utf8Length(c)
                if n == 0 { throw .needMore }
                c.i += n
                continue
            }
            switch b {
            case 0x3C:
                throw fail(c.position, "'<' in an attribute value: expected the closing quote (write a literal '<' as &lt;)")
            case 0x26:
                guard let (scalar, length) = try reference(c) else { throw .needMore }
                if keep {
                    scratch.append(contentsOf: UnsafeBufferPointer(start: p + run, count: c.i - run))
                    appendScalar(scalar, to: &scratch)
                    decoded = true
                }
                c.i += length
                run = c.i
            case 0x0A, 0x09, 0x0D:
                // Attribute-value normalisation: each of these becomes a space (CR LF one space).
                if b == 0x0D && c.i + 1 >= c.end && !eof { throw .needMore }
                if keep {
                    scratch.append(contentsOf: UnsafeBufferPointer(start: p + run, count: c.i - run))
                    if !(b == 0x0D && c.i + 1 < c.end && p[c.i + 1] == 0x0A) { scratch.append(0x20) }
                    decoded = true
                }
                if b == 0x0A { c.newline() } else { c.i += 1 }
                run = c.i
            default:
                c.i += 1
            }
        }
        let valueEnd = c.i
        c.i += 1
        guard valueEnd - start <= limits.maxTextLength else {
            throw fail(.limitExceeded, at, "an attribute value longer than \(limits.maxTextLength) bytes (limit maxTextLength)")
        }
        guard keep else { return "" }
        if decoded {
            scratch.append(contentsOf: UnsafeBufferPointer(start: p + run, count: valueEnd - run))
            return String(decoding: scratch, as: UTF8.self)
        }
        return string(p + start, valueEnd - start)
    }

    private func endTag() throws(Interrupt) -> Step {
        let at = committedPosition
        var c = cursor(at: pos + 2)
        let p = c.p
        let nameStart = c.i
        let nameLength = try scanName(&c)
        guard nameLength > 0 else {
            guard c.i < c.end else { throw short(c, "in an end tag: expected an element name") }
            throw fail(c.position, "expected an element name after '</', found \(Self.describe(p[c.i]))")
        }
        skipSpace(&c)
        guard c.i < c.end else { throw short(c, "in the end tag </\(string(p + nameStart, nameLength))>: expected '>'") }
        guard p[c.i] == 0x3E else {
            throw fail(c.position, "expected '>' to end the end tag </\(string(p + nameStart, nameLength))>, found \(Self.describe(p[c.i]))")
        }
        c.i += 1
        guard let top = open.last else {
            throw fail(at, "end tag </\(string(p + nameStart, nameLength))> without a matching start tag")
        }
        let matches = top.nameLength == nameLength && openNames.withUnsafeBufferPointer { names in
            memcmp(names.baseAddress! + top.nameOffset, p + nameStart, nameLength) == 0
        }
        guard matches else {
            throw fail(at, "mismatched end tag: expected </\(openName(top))> to close the element opened at \(top.position), found </\(string(p + nameStart, nameLength))>")
        }
        commit(c)
        open.removeLast()
        openNames.removeLast(nameLength)
        if open.isEmpty { phase = .epilog }
        return .event(.endElement(name: top.name, position: at))
    }

    private func comment() throws(Interrupt) -> Step {
        let at = committedPosition
        var c = cursor(at: pos + 4)
        let p = c.p
        while c.i < c.end {
            let b = p[c.i]
            if b == 0x2D {
                guard c.i + 2 < c.end else { break }
                if p[c.i + 1] == 0x2D && p[c.i + 2] == 0x3E {
                    c.i += 3
                    commit(c)
                    return .nothing
                }
                c.i += 1
            } else if b == 0x0A {
                c.newline()
            } else if b >= 0x80 {
                let n = try utf8Length(c)
                if n == 0 { break }
                c.i += n
            } else {
                c.i += 1
            }
        }
        throw short(cursor(at: end), "inside the comment opened at \(at): expected '-->'")
    }

    private func cdata() throws(Interrupt) -> Step {
        let at = committedPosition
        guard phase == .content else { throw fail(at, "a CDATA section outside the root element") }
        var c = cursor(at: pos + 9)
        let p = c.p
        let start = c.i
        var carriageReturns = false
        while c.i < c.end {
            let b = p[c.i]
            if b == 0x5D {
                guard c.i + 2 < c.end else { break }
                if p[c.i + 1] == 0x5D && p[c.i + 2] == 0x3E {
                    let contentEnd = c.i
                    c.i += 3
                    commit(c)
                    guard materialize else { return .nothing }
                    guard contentEnd - start <= limits.maxTextLength else {
                        throw fail(.limitExceeded, at, "a CDATA section longer than \(limits.maxTextLength) bytes (limit maxTextLength)")
                    }
                    guard carriageReturns else { return .event(.text(string(p + start, contentEnd - start), position: at)) }
                    scratch.removeAll(keepingCapacity: true)
                    var k = start
                    while k < contentEnd {
                        if p[k] == 0x0D {
                            if k + 1 >= contentEnd || p[k + 1] != 0x0A { scratch.append(0x0A) }
                        } else {
                            scratch.append(p[k])
                        }
                        k += 1
                    }
                    return .event(.text(String(decoding: scratch, as: UTF8.self), position: at))
                }
                c.i += 1
            } else if b == 0x0A {
                c.newline()
            } else if b >= 0x80 {
                let n = try utf8Length(c)
                if n == 0 { break }
                c.i += n
            } else {
                if b == 0x0D { carriageReturns = true }
                c.i += 1
            }
        }
        throw short(cursor(at: end), "inside the CDATA section opened at \(at): expected ']]>'")
    }

    private func processingInstruction() throws(Interrupt) -> Step {
        let at = committedPosition
        var c = cursor(at: pos + 2)
        let p = c.p
        let targetStart = c.i
        let targetLength = try scanName(&c)
        guard targetLength > 0 else {
            guard c.i < c.end else { throw short(c, "after '<?': expected a processing-instruction target") }
            throw fail(c.position, "expected a processing-instruction target after '<?', found \(Self.describe(p[c.i]))")
        }
        let isDeclaration = targetLength == 3 && (p[targetStart] | 0x20) == 0x78 && (p[targetStart + 1] | 0x20) == 0x6D && (p[targetStart + 2] | 0x20) == 0x6C
        if isDeclaration && (base + pos != declarationOffset || phase != .prolog) {
            throw fail(at, "an XML declaration '<?xml …?>' that is not at the very start of the file")
        }
        let contentStart = c.i
        while c.i < c.end {
            let b = p[c.i]
            if b == 0x3F {
                guard c.i + 1 < c.end else { break }
                if p[c.i + 1] == 0x3E {
                    let contentEnd = c.i
                    c.i += 2
                    if isDeclaration { try checkDeclaration(p + contentStart, contentEnd - contentStart, at) }
                    commit(c)
                    return .nothing
                }
                c.i += 1
            } else if b == 0x0A {
                c.newline()
            } else if b >= 0x80 {
                let n = try utf8Length(c)
                if n == 0 { break }
                c.i += n
            } else {
                c.i += 1
            }
        }
        throw short(cursor(at: end), "inside the processing instruction opened at \(at): expected '?>'")
    }

    /// Reads the `encoding` pseudo-attribute of the XML declaration: only UTF-8 (and its ASCII
    /// subset) is read.
    private func checkDeclaration(_ p: UnsafePointer<UInt8>, _ count: Int, _ at: XMLPosition) throws(Interrupt) {
        let content = Array(UnsafeBufferPointer(start: p, count: count))
        let key = Array("encoding".utf8)
        guard count >= key.count else { return }
        var k = 0
        while k + key.count <= count {
            if Array(content[k..<(k + key.count)]) == key {
                var j = k + key.count
                while j < count && (content[j] == 0x20 || content[j] == 0x09 || content[j] == 0x0A || content[j] == 0x0D) { j += 1 }
                guard j < count, content[j] == 0x3D else { break }
                j += 1
                while j < count && (content[j] == 0x20 || content[j] == 0x09 || content[j] == 0x0A || content[j] == 0x0D) { j += 1 }
                guard j < count, content[j] == 0x22 || content[j] == 0x27 else { break }
                let quote = content[j]
                j += 1
                let valueStart = j
                while j < count && content[j] != quote { j += 1 }
                let value = String(decoding: content[valueStart..<j], as: UTF8.self)
                switch value.lowercased() {
                case "utf-8", "utf8", "us-ascii", "ascii":
                    return
                default:
                    throw fail(.invalidEncoding, at, "the XML declaration names encoding \"\(value)\": expected UTF-8, the only encoding read")
                }
            }
            k += 1
        }
    }

    private func doctype() throws(Interrupt) -> Step {
        let at = committedPosition
        guard phase == .prolog, !sawDoctype else {
            throw fail(at, sawDoctype && phase == .prolog ? "a second <!DOCTYPE>: only one is allowed" : "a <!DOCTYPE> after the root element started: it is only allowed before the root element")
        }
        var c = cursor(at: pos + 9)
        let p = c.p
        guard skipSpace(&c) else {
            guard c.i < c.end else { throw short(c, "in <!DOCTYPE: expected a name") }
            throw fail(c.position, "expected whitespace and a name after <!DOCTYPE, found \(Self.describe(p[c.i]))")
        }
        let nameStart = c.i
        let nameLength = try scanName(&c)
        guard nameLength > 0 else {
            guard c.i < c.end else { throw short(c, "in <!DOCTYPE: expected a name") }
            throw fail(c.position, "expected a name after <!DOCTYPE, found \(Self.describe(p[c.i]))")
        }
        let name = string(p + nameStart, nameLength)
        let spaced = skipSpace(&c)
        guard c.i < c.end else { throw short(c, "in <!DOCTYPE \(name): expected '>'") }
        if spaced && (p[c.i] == 0x53 || p[c.i] == 0x50) {
            // An external identifier (SYSTEM "uri" or PUBLIC "id" "uri"): never fetched.
            guard c.i + 6 <= c.end else { throw short(c, "in <!DOCTYPE \(name): expected '>'") }
            let word = string(p + c.i, 6)
            guard word == "SYSTEM" || word == "PUBLIC" else {
                throw fail(c.position, "expected SYSTEM, PUBLIC, '[' or '>' in <!DOCTYPE \(name)>")
            }
            c.i += 6
            for _ in 0..<(word == "PUBLIC" ? 2 : 1) {
                guard skipSpace(&c) else {
                    guard c.i < c.end else { throw short(c, "in <!DOCTYPE \(name) \(word): expected a quoted literal") }
                    throw fail(c.position, "expected whitespace and a quoted literal after \(word) in <!DOCTYPE \(name)>")
                }
                guard c.i < c.end else { throw short(c, "in <!DOCTYPE \(name) \(word): expected a quoted literal") }
                let quote = p[c.i]
                guard quote == 0x22 || quote == 0x27 else {
                    throw fail(c.position, "expected a quoted literal after \(word) in <!DOCTYPE \(name)>, found \(Self.describe(quote))")
                }
                c.i += 1
                while c.i < c.end && p[c.i] != quote {
                    if p[c.i] == 0x0A { c.newline() } else { c.i += 1 }
                }
                guard c.i < c.end else { throw short(c, "inside a literal in <!DOCTYPE \(name)>: expected the closing quote") }
                c.i += 1
            }
            skipSpace(&c)
            guard c.i < c.end else { throw short(c, "in <!DOCTYPE \(name): expected '>'") }
        }
        if p[c.i] == 0x5B { throw internalSubset(c, name) }
        guard p[c.i] == 0x3E else {
            throw fail(c.position, "expected '>' to end <!DOCTYPE \(name)>, found \(Self.describe(p[c.i]))")
        }
        c.i += 1
        commit(c)
        sawDoctype = true
        return .nothing
    }

    /// The error for a DOCTYPE with an internal subset (at `c.i`, its `[`). It names the first
    /// entity declaration, so it asks for more input (up to 64 KiB of subset) until it has seen
    /// one or the end of the subset: the message must not depend on where a chunk ended.
    private func internalSubset(_ c: Cursor, _ doctypeName: String) -> Interrupt {
        var k = c
        let p = c.p
        let marker = Array("<!ENTITY".utf8)
        while k.i < k.end {
            if p[k.i] == 0x0A { k.newline(); continue }
            if p[k.i] == 0x5D {
                var j = k.i + 1
                while j < k.end && (p[j] == 0x20 || p[j] == 0x09 || p[j] == 0x0A || p[j] == 0x0D) { j += 1 }
                if j < k.end && p[j] == 0x3E { break }
            }
            if p[k.i] == 0x3C && k.i + marker.count > k.end && !eof && k.end - pos < 64 << 10 { return .needMore }
            if p[k.i] == 0x3C && k.i + marker.count <= k.end && memcmp(p + k.i, marker, marker.count) == 0 {
                var j = k.i + marker.count
                while j < k.end && (p[j] == 0x20 || p[j] == 0x09 || p[j] == 0x0A || p[j] == 0x0D) { j += 1 }
                let parameter = j < k.end && p[j] == 0x25
                if parameter {
                    j += 1
                    while j < k.end && (p[j] == 0x20 || p[j] == 0x09 || p[j] == 0x0A || p[j] == 0x0D) { j += 1 }
                }
                let entityStart = j
                while j < k.end && p[j] != 0x20 && p[j] != 0x09 && p[j] != 0x0A && p[j] != 0x0D && p[j] != 0x3E && j - entityStart < 64 { j += 1 }
                var declarationEnd = j
                while declarationEnd < k.end && p[declarationEnd] != 0x3E && declarationEnd - j < 4096 { declarationEnd += 1 }
                if declarationEnd == k.end && !eof && k.end - pos < 64 << 10 { return .needMore }
                let entityName = string(p + entityStart, j - entityStart)
                let declaration = string(p + j, declarationEnd - j)
                let external = declaration.contains("SYSTEM") || declaration.contains("PUBLIC")
                let kind = (external ? "an external " : "an ") + (parameter ? "parameter entity %" : "entity ") + entityName
                return fail(.entitiesNotRead, k.position,
                            "DTD entities are not read: <!DOCTYPE \(doctypeName) [...]> declares \(kind) in an internal DTD subset")
            }
            k.i += 1
        }
        if k.i == k.end && !eof && k.end - pos < 64 << 10 { return .needMore }
        return fail(.entitiesNotRead, c.position,
                    "DTD entities are not read: <!DOCTYPE \(doctypeName)> has an internal DTD subset ('['), which is not read")
    }
}
