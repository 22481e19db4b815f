import BulwarkModel

/// Diagnostics collected while reading one file, bounded so that a hostile file with millions of
/// bad values cannot grow memory without end: after `capacity` entries, further ones are counted
/// and summarised in a single closing warning.
struct DiagnosticLog {
    let file: String
    let capacity: Int
    private(set) var entries: [Diagnostic] = []
    private(set) var suppressed = 0
    /// Element names already reported as unknown (one note per name and file).
    private var notedElements: Set<String> = []

    init(file: String, capacity: Int = 1000) {
        self.file = file
        self.capacity = capacity
    }

    mutating func add(_ severity: Diagnostic.Severity, _ position: XMLPosition, _ message: String) {
        guard entries.count < capacity else { suppressed += 1; return }
        entries.append(Diagnostic(severity, FileLocation(file: file, line: position.line, column: position.column), message))
    }

    /// Notes an element the reader does not model, once per element name.
    mutating func unknownElement(_ element: XMLStartElement, in parent: String) {
        guard notedElements.insert(parent + "/" + element.name).inserted else { return }
        add(.note, element.position, "<\(element.name)> in <\(parent)> is not read (skipped; later ones are not reported)")
    }

    /// The diagnostics, with a closing warning when some were dropped.
    func finished(at position: XMLPosition) -> [Diagnostic] {
        guard suppressed > 0 else { return entries }
        return entries + [Diagnostic(.warning, FileLocation(file: file, line: position.line, column: position.column),
                                     "\(suppressed) more diagnostics were not recorded (limit \(capacity) per file)")]
    }
}
