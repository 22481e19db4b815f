import BulwarkModel

extension XMLPullReader {
    /// The root element's start tag (the reader throws before this if the input has none).
    func rootElement() throws(ScanError) -> XMLStartElement {
        while let event = try next() {
            if case .startElement(let root) = event { return root }
        }
        throw ScanError(.malformedXML, file: file, line: 1, column: 1, "expected an XML root element")
    }

    /// Reads to the end of the input, so that anything malformed after the root element is
    /// still reported.
    func finish() throws(ScanError) {
        while try next() != nil {}
    }

    func wrongFormat(_ root: XMLStartElement, _ message: String) -> ScanError {
        ScanError(.wrongFormat, file: file, line: root.position.line, column: root.position.column, message)
    }
}

extension String {
    /// Without leading and trailing ASCII whitespace (space, tab, CR, LF, VT, FF); returns the
    /// string itself, without copying, when there is none.
    var trimmed: String {
        let bytes = utf8
        @inline(__always) func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }
        guard let first = bytes.first, let last = bytes.last else { return self }
        if !isSpace(first) && !isSpace(last) { return self }
        guard let start = bytes.firstIndex(where: { !isSpace($0) }) else { return "" }
        let end = bytes.lastIndex(where: { !isSpace($0) })!
        return String(self[start...end])
    }
}

extension Substring {
    var trimmed: String { String(self).trimmed }
}

/// Attribute and text values read with diagnostics: a value that is there but malformed is
/// reported with the element's position and the expected form, and read as nil.
struct ValueReader {
    var log: DiagnosticLog

    init(file: String) { log = DiagnosticLog(file: file) }

    /// A non-empty attribute value (nmap writes `product=""` for "unknown").
    func string(_ e: XMLStartElement, _ attribute: String) -> String? {
        guard let v = e[attribute], !v.isEmpty else { return nil }
        return v
    }

    mutating func int(_ e: XMLStartElement, _ attribute: String, _ range: ClosedRange<Int>? = nil, expected: String) -> Int? {
        guard let raw = e[attribute] else { return nil }
        return int(raw, range, at: e.position, what: "<\(e.name) \(attribute)=\"\(Self.shown(raw))\">", expected: expected)
    }

    mutating func int(_ raw: String, _ range: ClosedRange<Int>? = nil, at position: XMLPosition, what: String, expected: String,
                      severity: Diagnostic.Severity = .warning, consequence: String = "") -> Int? {
        if let v = Int(raw.trimmed), range?.contains(v) ?? true { return v }
        log.add(severity, position, "\(what): expected \(expected)\(consequence)")
        return nil
    }

    mutating func double(_ e: XMLStartElement, _ attribute: String, expected: String) -> Double? {
        guard let raw = e[attribute] else { return nil }
        return double(raw, at: e.position, what: "<\(e.name) \(attribute)=\"\(Self.shown(raw))\">", expected: expected)
    }

    mutating func double(_ raw: String, _ range: ClosedRange<Double>? = nil, at position: XMLPosition, what: String, expected: String) -> Double? {
        if let v = Double(raw.trimmed), v.isFinite, range?.contains(v) ?? true { return v }
        log.add(.warning, position, "\(what): expected \(expected)")
        return nil
    }

    /// A value cut short for a message.
    static func shown(_ raw: String) -> String {
        raw.count <= 60 ? raw : String(raw.prefix(57)) + "..."
    }
}
