import BulwarkModel
import PacketSpace

/// Walks one parsed export, collecting diagnostics that point at the offending value.
struct ExportReader {
    typealias Node = JSONDocument.Node

    let document: JSONDocument
    let file: String
    var diagnostics: [Diagnostic] = []

    /// Parses `bytes`; a file that is not JSON is unusable.
    init(file: String, bytes: [UInt8]) throws(AWSLoadError) {
        do {
            document = try JSONDocument(bytes: bytes)
        } catch {
            let (line, column) = JSONDocument.lineAndColumn(in: bytes, ofByte: error.offset)
            throw AWSLoadError(code: "not-json", file: file, line: line, column: column, message: "not JSON: \(error.expected) expected")
        }
        self.file = file
    }

    var root: Node { document.rootNode }

    func location(_ node: Node) -> FileLocation {
        let (line, column) = document.position(of: node)
        return FileLocation(file: file, line: line, column: column)
    }

    mutating func diagnose(_ severity: Diagnostic.Severity, _ node: Node, _ message: String) {
        diagnostics.append(Diagnostic(severity, location(node), message))
    }

    /// The top-level array under `key`; a missing key or another shape is unusable input.
    func topLevelArray(_ key: String) throws(AWSLoadError) -> [Node] {
        guard case .object = root.value else {
            let (line, column) = document.position(of: root)
            throw AWSLoadError(code: "wrong-shape", file: file, line: line, column: column,
                               message: "expected a JSON object with a \"\(key)\" array (AWS CLI output)")
        }
        guard let node = document.member(key, of: root) else {
            throw AWSLoadError(code: "missing-key", file: file, line: 1, column: 1, message: "expected a top-level \"\(key)\" key")
        }
        guard case .array = node.value else {
            let (line, column) = document.position(of: node)
            throw AWSLoadError(code: "wrong-shape", file: file, line: line, column: column, message: "expected \"\(key)\" to be an array")
        }
        return document.elements(of: node)
    }

    /// The objects of a top-level array with their `idKey` member; other elements, and objects
    /// without the id, are diagnosed and skipped.
    mutating func records(_ kind: AWSInputKind, what: String, idKey: String) throws(AWSLoadError) -> [(node: Node, id: String)] {
        var out: [(node: Node, id: String)] = []
        for node in try topLevelArray(kind.key) {
            guard case .object = node.value else {
                diagnose(.error, node, "expected \(what) (a JSON object) in \"\(kind.key)\"; skipped")
                continue
            }
            if let id = string(idKey, of: node, required: true, what: "\(what); skipped") { out.append((node, id)) }
        }
        return out
    }

    /// The member `key` of an object node, or nil.
    func member(_ key: String, of node: Node) -> Node? { document.member(key, of: node) }

    /// A string member; a member of another type is diagnosed and read as missing.
    mutating func string(_ key: String, of node: Node, required: Bool = false, what: String = "") -> String? {
        guard let m = member(key, of: node), !m.value.isNull else {
            if required { diagnose(.error, node, "expected \"\(key)\" (a string)\(what.isEmpty ? "" : " in \(what)")") }
            return nil
        }
        if let s = m.value.string { return s }
        // Numbers where strings are usual (`"Protocol": 6`) are read as their text.
        if let n = m.value.int { return String(n) }
        diagnose(.error, m, "expected \"\(key)\" to be a string")
        return nil
    }

    /// An integer member; a number in a string (`"22"`) is accepted.
    mutating func int(_ key: String, of node: Node, required: Bool = false, what: String = "") -> Int? {
        guard let m = member(key, of: node), !m.value.isNull else {
            if required { diagnose(.error, node, "expected \"\(key)\" (an integer)\(what.isEmpty ? "" : " in \(what)")") }
            return nil
        }
        if let n = m.value.int { return n }
        if let s = m.value.string, let n = Int(s) { return n }
        diagnose(.error, m, "expected \"\(key)\" to be an integer")
        return nil
    }

    mutating func bool(_ key: String, of node: Node) -> Bool? {
        guard let m = member(key, of: node), !m.value.isNull else { return nil }
        if let b = m.value.bool { return b }
        if let s = m.value.string?.lowercased(), s == "true" || s == "false" { return s == "true" }
        diagnose(.error, m, "expected \"\(key)\" to be true or false")
        return nil
    }

    /// The elements of an array member; missing is empty, another type is diagnosed.
    mutating func array(_ key: String, of node: Node) -> [Node] {
        guard let m = member(key, of: node), !m.value.isNull else { return [] }
        guard case .array = m.value else {
            diagnose(.error, m, "expected \"\(key)\" to be an array")
            return []
        }
        return document.elements(of: m)
    }

    /// The elements of an array member that are objects; others are diagnosed.
    mutating func objects(_ key: String, of node: Node, what: String) -> [Node] {
        array(key, of: node).filter { element in
            if case .object = element.value { return true }
            diagnose(.error, element, "expected \(what) (a JSON object) in \"\(key)\"")
            return false
        }
    }

    /// The value of the `Name` tag (`Tags` or `TagSet`).
    mutating func nameTag(of node: Node) -> String? {
        for key in ["Tags", "TagSet"] {
            for tag in array(key, of: node) where tag.value["Key"]?.string == "Name" {
                return tag.value["Value"]?.string
            }
        }
        return nil
    }

    /// What a CIDR member held.
    enum CIDRField {
        case absent
        case malformed(String)
        case block(AWSCIDR)
    }

    /// Reads a CIDR member of the given family; a malformed one is diagnosed.
    mutating func cidr(_ key: String, of node: Node, family: AddressFamilyName) -> CIDRField {
        guard let text = string(key, of: node) else { return .absent }
        let at = member(key, of: node) ?? node
        guard let c = AWSCIDR(text, family: family.family) else {
            diagnose(.error, at, "\"\(key)\": '\(text)' is not an \(family.name) CIDR block (expected \(family.example))")
            return .malformed("\(key) '\(text)' is not an \(family.name) CIDR block")
        }
        if c.hasHostBits {
            diagnose(.note, at, "\"\(key)\": '\(text)' has host bits set; read as \(c.canonical), as AWS does")
        }
        return .block(c)
    }
}

/// A family with the words diagnostics use for it.
enum AddressFamilyName {
    case v4, v6
    var family: AddressFamily { self == .v4 ? .ipv4 : .ipv6 }
    var name: String { self == .v4 ? "IPv4" : "IPv6" }
    var example: String { self == .v4 ? "a.b.c.d/n" : "x:x::/n" }
}
