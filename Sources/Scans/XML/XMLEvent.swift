/// Where an XML event starts: 1-based line and 1-based column, counted in bytes from the start of
/// the line (as compilers count them; equal to characters for ASCII lines).
public struct XMLPosition: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (a: XMLPosition, b: XMLPosition) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }

    public var description: String { "\(line):\(column)" }
}

/// One attribute of a start tag, with references decoded and whitespace normalised as XML
/// prescribes (tab, carriage return and newline become spaces; `&#xa;` stays a newline).
public struct XMLAttribute: Hashable, Sendable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// A start tag (or an empty-element tag, which is followed at once by its end event).
public struct XMLStartElement: Hashable, Sendable {
    /// The name as written, prefix included (`cm:compliance`); namespaces are not resolved.
    public var name: String
    public var attributes: [XMLAttribute]
    /// Where the `<` of the tag is.
    public var position: XMLPosition

    public init(name: String, attributes: [XMLAttribute], position: XMLPosition) {
        self.name = name
        self.attributes = attributes
        self.position = position
    }

    /// The value of the attribute `name`, or nil when the tag has none.
    public subscript(name: String) -> String? {
        for a in attributes where a.name == name { return a.value }
        return nil
    }
}

/// What ``XMLPullReader/next()`` reports.
public enum XMLEvent: Hashable, Sendable {
    case startElement(XMLStartElement)
    case endElement(name: String, position: XMLPosition)
    /// Character data with references decoded and line ends normalised to `\n`. A CDATA section
    /// is its own text event; text interrupted by a comment or processing instruction comes as
    /// two events. Whitespace-only text between tags is left out unless
    /// ``XMLPullReader/reportsWhitespaceText`` is set.
    case text(String, position: XMLPosition)
}

/// Bounds that make hostile input fail cleanly instead of exhausting memory or the stack.
///
/// The defaults are generous for real scan files (nmap nests about ten levels, Nessus five; the
/// longest texts in real files are plugin outputs of a few hundred kilobytes).
public struct XMLLimits: Hashable, Sendable {
    /// Deepest element nesting accepted.
    public var maxDepth: Int
    /// Longest element or attribute name, in bytes.
    public var maxNameLength: Int
    /// Most attributes on one tag.
    public var maxAttributes: Int
    /// Longest text node, CDATA section or attribute value, in bytes after decoding.
    public var maxTextLength: Int
    /// Longest single piece of markup (a start tag with its attributes, a comment, a CDATA
    /// section, a processing instruction or a DOCTYPE), in bytes. Streamed reads hold at most
    /// this much (or one chunk, if larger) in their buffer.
    public var maxMarkupLength: Int
    /// How many bytes a streamed read asks its source for at a time.
    public var chunkSize: Int

    public init(
        maxDepth: Int = 512,
        maxNameLength: Int = 1024,
        maxAttributes: Int = 1024,
        maxTextLength: Int = 16 << 20,
        maxMarkupLength: Int = 32 << 20,
        chunkSize: Int = 1 << 20
    ) {
        self.maxDepth = max(1, maxDepth)
        self.maxNameLength = max(1, maxNameLength)
        self.maxAttributes = max(0, maxAttributes)
        self.maxTextLength = max(0, maxTextLength)
        self.maxMarkupLength = max(16, maxMarkupLength)
        self.chunkSize = max(1, chunkSize)
    }
}

/// Where a streamed ``XMLPullReader`` gets its bytes: a file, a decompressor, a test generator.
public protocol XMLByteSource {
    /// Copies up to `buffer.count` next bytes into `buffer` and returns how many; 0 means the end.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}
