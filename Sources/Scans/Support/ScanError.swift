public import BulwarkModel

/// An input that cannot be read at all: not XML, not well-formed, hostile (DTD entities), over a
/// limit, unreadable, or XML of another format.
///
/// Problems inside an otherwise readable file (a bad port number, an unknown severity) are not
/// thrown; the readers report them as ``BulwarkModel/Diagnostic``s and go on.
public struct ScanError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure this is; stable, for tests and callers that branch on it.
    public enum Code: String, Hashable, Sendable {
        /// Not well-formed XML: bad syntax, a mismatched or missing end tag, a truncated file.
        case malformedXML = "malformed-xml"
        /// A DTD internal subset, an entity declaration or a reference to an entity that is not
        /// one of the five predefined ones. DTD entities are never read.
        case entitiesNotRead = "entities-not-read"
        /// Bytes that are not UTF-8, or a declared encoding other than UTF-8.
        case invalidEncoding = "invalid-encoding"
        /// Nesting, a name, an attribute count, a text node or a piece of markup over its bound.
        case limitExceeded = "limit-exceeded"
        /// Well-formed XML that is not the expected format (another root element).
        case wrongFormat = "wrong-format"
        /// The file could not be opened or read.
        case unreadable
    }

    public var code: Code
    /// The input's name as the caller gave it (a path, or a label for in-memory bytes).
    public var file: String
    /// 1-based line of the problem, when it has a place in the text.
    public var line: Int?
    /// 1-based column (in bytes from the start of the line), when known.
    public var column: Int?
    /// What was wrong and what was expected there.
    public var message: String

    public init(_ code: Code, file: String, line: Int?, column: Int?, _ message: String) {
        self.code = code
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// The place of the problem, if it has one.
    public var location: FileLocation? {
        line.map { FileLocation(file: file, line: $0, column: column) }
    }

    public var description: String {
        if let location { return "\(location): \(message)" }
        return "\(file): \(message)"
    }
}
