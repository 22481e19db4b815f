#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

extension ATTACK {
    /// Why a STIX bundle or a stored table cannot be used.
    public struct BundleError: Error, Sendable, Hashable, CustomStringConvertible {
        /// What kind of failure this is; stable, for tests and callers that branch on it.
        public enum Code: String, Sendable, Hashable {
            /// Not JSON: empty, cut short, malformed, or nested deeper than JSONDecoder allows.
            case notJSON = "not-json"
            /// JSON, but not an object with `"type": "bundle"` and an `objects` array.
            case notABundle = "not-a-bundle"
            /// A bundle or stored table without a single live technique.
            case noTechniques = "no-techniques"
            /// A stored table that is not what ``ATTACK/Table/stored`` writes.
            case notATable = "not-a-table"
        }

        public let code: Code
        /// A sentence saying what was wrong.
        public let message: String
        public var description: String { message }

        public init(_ code: Code, _ message: String) {
            self.code = code
            self.message = message
        }
    }

    /// ATT&CK as the fact table Bulwark keeps: tab-separated `A`, `T`, `M` and `R` lines in the
    /// order and form scripts/make-attack-table.py writes them into ATTACKTable.swift.
    public struct Table: Sendable, Hashable {
        /// The collection's ATT&CK version (`18.1`), or `unknown`.
        public var version: String
        public var lines: [String]

        /// The table as ``ATTACK`` reads it: the lines joined by newlines.
        public var text: String { lines.joined(separator: "\n") }

        public init(version: String, lines: [String]) {
            self.version = version
            self.lines = lines
        }
    }

    /// ATT&CK Enterprise read from a full STIX 2.x bundle (MITRE's enterprise-attack.json).
    public init(stixBundle: Data) throws(BundleError) {
        self.init(try Table(stixBundle: stixBundle))
    }

    public init(_ table: Table) {
        self.init(table: table.text, version: table.version)
    }
}

// MARK: Reading a STIX bundle

extension ATTACK.Table {
    /// The facts of a STIX bundle, kept and left out as scripts/make-attack-table.py does:
    /// tactics, live techniques and mitigations with a `mitre-attack` id, each kind sorted by id,
    /// then the live `mitigates` relationships between kept objects, sorted and without repeats.
    ///
    /// An object lacking a field its line needs (a tactic's shortname, a name, a STIX id), or
    /// holding one of the wrong type, is left out where the script would stop; so is one whose id,
    /// shortname or tactic has a tab or line break, which would break the table. The version is the
    /// `x-mitre-collection` object's `x_mitre_version`, else `unknown`.
    public init(stixBundle: Data) throws(ATTACK.BundleError) {
        let bundle: STIXBundle
        do {
            bundle = try JSONDecoder().decode(STIXBundle.self, from: stixBundle)
        } catch {
            throw ATTACK.BundleError(.notJSON, "not JSON: \(Self.whyNotJSON(stixBundle))")
        }
        guard bundle.isObject, bundle.type == "bundle", let objects = bundle.objects else {
            throw ATTACK.BundleError(.notABundle, "not a STIX bundle: expected a JSON object with \"type\": \"bundle\" and an \"objects\" array")
        }
        var lines: [String] = []
        for (o, id) in Self.sortedByExternalID(objects.filter { $0.type == "x-mitre-tactic" }) {
            guard let shortname = o.shortname, Self.isToken(shortname), let name = o.name else { continue }
            lines.append(["A", id, shortname, clean(name)].joined(separator: "\t"))
        }
        var ids: [String: String] = [:]
        var techniques = 0
        for (o, id) in Self.sortedByExternalID(objects.filter { $0.type == "attack-pattern" && $0.isLive }) {
            guard let stixID = o.id, let name = o.name, let tactics = o.tactics, tactics.allSatisfy(Self.isToken) else { continue }
            ids[stixID] = id
            techniques += 1
            lines.append(["T", id, clean(name), tactics.joined(separator: ",")].joined(separator: "\t"))
        }
        for (o, id) in Self.sortedByExternalID(objects.filter { $0.type == "course-of-action" && $0.isLive }) {
            guard let stixID = o.id, let name = o.name else { continue }
            ids[stixID] = id
            lines.append(["M", id, clean(name)].joined(separator: "\t"))
        }
        var relations = Set<[String]>()
        for o in objects where o.type == "relationship" && o.relationshipType == "mitigates" && o.isLive {
            guard let source = o.sourceRef.flatMap({ ids[$0] }), let target = o.targetRef.flatMap({ ids[$0] }) else { continue }
            relations.insert([source, target])
        }
        lines += relations.sorted { Self.precedes($0, $1) }.map { "R\t\($0[0])\t\($0[1])" }
        guard techniques > 0 else {
            throw ATTACK.BundleError(.noTechniques, "no ATT&CK techniques: the bundle has no live attack-pattern with a mitre-attack id")
        }
        let version = objects.lazy.filter { $0.type == "x-mitre-collection" }.compactMap(\.version).first.map(clean)
        self.init(version: version.flatMap { $0.isEmpty ? nil : $0 } ?? "unknown", lines: lines)
    }

    /// The objects that have a usable `mitre-attack` id, in the order of their ids (code points,
    /// as Python sorts strings), ties in bundle order.
    static func sortedByExternalID(_ objects: [STIXObject]) -> [(STIXObject, String)] {
        let keyed = objects.enumerated().compactMap { i, o in o.externalID.flatMap { isToken($0) ? (i, o, $0) : nil } }
        return keyed.sorted { a, b in
            a.2.unicodeScalars.elementsEqual(b.2.unicodeScalars) ? a.0 < b.0 : a.2.unicodeScalars.lexicographicallyPrecedes(b.2.unicodeScalars)
        }.map { ($0.1, $0.2) }
    }

    static func precedes(_ a: [String], _ b: [String]) -> Bool {
        a.lexicographicallyPrecedes(b) { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
    }

    /// An id, shortname or tactic that keeps the table's lines and fields apart.
    static func isToken(_ s: String) -> Bool {
        !s.unicodeScalars.contains { $0 == "\t" || $0 == "\n" || $0 == "\r" }
    }

    /// What JSONDecoder does not say: the commonest ways a downloaded bundle goes wrong.
    static func whyNotJSON(_ bytes: Data) -> String {
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        guard let first = bytes.first(where: { !isSpace($0) }), let last = bytes.last(where: { !isSpace($0) }) else {
            return "the file is empty"
        }
        if (first == UInt8(ascii: "{") && last != UInt8(ascii: "}")) || (first == UInt8(ascii: "[") && last != UInt8(ascii: "]")) {
            return "it ends before the JSON does (cut short?)"
        }
        return "it does not parse (or nests deeper than 512 levels)"
    }
}

/// One line of text, as scripts/swift_table.py's `clean()`: runs of whitespace (Python's
/// `str.isspace`) become single spaces, none at either end.
func clean(_ text: String) -> String {
    text.unicodeScalars.split(whereSeparator: isPythonSpace).map { String(String.UnicodeScalarView($0)) }.joined(separator: " ")
}

/// The characters Python's `str.split()` splits on.
func isPythonSpace(_ c: Unicode.Scalar) -> Bool {
    switch c.value {
    case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
    default: false
    }
}

// MARK: The stored table

extension ATTACK.Table {
    /// The table as the data directory keeps it: a `V` line (version, number of fact lines), then
    /// the fact lines.
    public var stored: String {
        (["V\t\(version)\t\(lines.count)"] + lines).joined(separator: "\n") + "\n"
    }

    /// A stored table, checked line by line: a file cut short or edited by hand is refused.
    public init(stored: String) throws(ATTACK.BundleError) {
        var all = stored.split(separator: "\n", omittingEmptySubsequences: false)
        if all.last?.isEmpty == true { all.removeLast() }
        let header = all.first?.split(separator: "\t", omittingEmptySubsequences: false) ?? []
        guard header.count == 3, header[0] == "V", let count = Int(header[2]), count == all.count - 1 else {
            throw ATTACK.BundleError(.notATable, "not a stored ATT&CK table: expected a first line `V, version, number of lines` that matches the file")
        }
        let fields = ["A": 4, "T": 4, "M": 3, "R": 3]
        var techniques = 0
        for (n, line) in all.dropFirst().enumerated() {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard let kind = f.first.map(String.init), fields[kind] == f.count else {
                throw ATTACK.BundleError(.notATable, "not a stored ATT&CK table: line \(n + 2) is not a fact line")
            }
            if kind == "T" { techniques += 1 }
        }
        guard techniques > 0 else { throw ATTACK.BundleError(.noTechniques, "not a stored ATT&CK table: no techniques") }
        self.init(version: String(header[1]), lines: all.dropFirst().map(String.init))
    }
}
