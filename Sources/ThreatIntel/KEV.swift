public import BulwarkModel
import Foundation

/// CISA's catalog of Known Exploited Vulnerabilities: CVEs attackers are known to exploit.
public struct KEVCatalog: Sendable, Hashable {
    /// One catalog entry.
    public struct Entry: Sendable, Hashable {
        public var cveID: String
        public var vendorProject: String
        public var product: String
        public var vulnerabilityName: String
        /// When CISA added it (YYYY-MM-DD).
        public var dateAdded: String
        /// When US federal agencies must have remediated it (YYYY-MM-DD).
        public var dueDate: String
        /// Whether ransomware campaigns are known to use it (`knownRansomwareCampaignUse` "Known").
        public var knownRansomwareUse: Bool
        /// Present when read from CISA's JSON, not from the compact bundled table.
        public var shortDescription: String?
        public var requiredAction: String?
        public var notes: String?
        public var cwes: [String]

        public init(cveID: String, vendorProject: String, product: String, vulnerabilityName: String, dateAdded: String, dueDate: String,
                    knownRansomwareUse: Bool, shortDescription: String? = nil, requiredAction: String? = nil, notes: String? = nil, cwes: [String] = []) {
            self.cveID = cveID
            self.vendorProject = vendorProject
            self.product = product
            self.vulnerabilityName = vulnerabilityName
            self.dateAdded = dateAdded
            self.dueDate = dueDate
            self.knownRansomwareUse = knownRansomwareUse
            self.shortDescription = shortDescription
            self.requiredAction = requiredAction
            self.notes = notes
            self.cwes = cwes
        }
    }

    /// CISA's catalog version, e.g. "2025.08.25".
    public let catalogVersion: String
    /// When CISA released this version (ISO 8601, as CISA writes it).
    public let dateReleased: String
    /// Entries in CVE order.
    public let entries: [Entry]
    private let byCVE: [String: Int]

    public init(catalogVersion: String, dateReleased: String, entries: [Entry]) {
        self.catalogVersion = catalogVersion
        self.dateReleased = dateReleased
        // One entry per CVE (the first given), in CVE order.
        var index: [String: Int] = [:]
        var unique: [Entry] = []
        for e in entries.sorted(by: { $0.cveID < $1.cveID }) where index[e.cveID.uppercased()] == nil {
            index[e.cveID.uppercased()] = unique.count
            unique.append(e)
        }
        self.entries = unique
        byCVE = index
    }

    /// The entry of a CVE (any letter case), when the catalog lists it.
    public func entry(_ cve: String) -> Entry? { byCVE[cve.uppercased()].map { entries[$0] } }

    /// The day of `dateReleased`, for reports.
    public var releaseDay: String { String(dateReleased.prefix(10)) }

    /// The catalog bundled with this build (see `scripts/make-kev-snapshot.py`).
    public static let bundled: KEVCatalog = {
        var entries: [Entry] = []
        for line in snapshotTable.split(separator: "\n") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 7 else { continue }
            entries.append(Entry(cveID: f[0], vendorProject: f[1], product: f[2], vulnerabilityName: f[3], dateAdded: f[4], dueDate: f[5],
                                 knownRansomwareUse: f[6] == "K"))
        }
        return KEVCatalog(catalogVersion: snapshotVersion, dateReleased: snapshotReleased, entries: entries)
    }()

    /// Reads CISA's `known_exploited_vulnerabilities.json`. An entry without a CVE id or with a
    /// field of the wrong type is a diagnostic and left out; a file that is not the catalog throws.
    public static func read(bytes: [UInt8], file: String) throws(ThreatIntelError) -> (KEVCatalog, [Diagnostic]) {
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
        let doc: JSONDocument
        do { doc = try JSONDocument(bytes: body) } catch {
            let (line, column) = JSONDocument.lineAndColumn(in: body, ofByte: error.offset)
            throw ThreatIntelError("\(file):\(line):\(column): not valid JSON: expected \(error.expected)")
        }
        let root = doc.rootNode
        guard root.value.object != nil else { throw ThreatIntelError("\(file):1:1: not the KEV catalog: expected a JSON object") }
        guard let list = doc.member("vulnerabilities", of: root), list.value.array != nil else {
            throw ThreatIntelError("\(file):1:1: not the KEV catalog: expected \"vulnerabilities\" (an array)")
        }
        var diagnostics: [Diagnostic] = []
        func note(_ node: JSONDocument.Node, _ severity: Diagnostic.Severity, _ message: String) {
            let (line, column) = doc.position(of: node)
            diagnostics.append(Diagnostic(severity, FileLocation(file: file, line: line, column: column), message))
        }
        let version = doc.member("catalogVersion", of: root)?.value.string
        let released = doc.member("dateReleased", of: root)?.value.string
        if version == nil { note(root, .warning, "expected \"catalogVersion\" (a string); the catalog's version is unknown") }
        if released == nil { note(root, .warning, "expected \"dateReleased\" (a string); the catalog's age is unknown") }
        var entries: [Entry] = []
        var seen: [String: Int] = [:]
        for item in doc.elements(of: list) {
            guard item.value.object != nil else { note(item, .error, "expected a vulnerability (a JSON object); skipped"); continue }
            /// An optional string field: absent or null is nil; another type is reported and nil.
            func text(_ key: String) -> String? {
                guard let n = doc.member(key, of: item), !n.value.isNull else { return nil }
                guard let s = n.value.string else {
                    note(n, .error, "expected \"\(key)\" to be a string; ignored")
                    return nil
                }
                return s
            }
            guard let idNode = doc.member("cveID", of: item) else {
                note(item, .error, "expected \"cveID\" (a string) in a vulnerability; skipped")
                continue
            }
            guard let cve = idNode.value.string else {
                note(idNode, .error, "expected \"cveID\" to be a string; vulnerability skipped")
                continue
            }
            guard cve.range(of: #"^CVE-\d{4}-\d{4,}$"#, options: [.regularExpression, .caseInsensitive]) != nil else {
                note(idNode, .error, "expected a CVE id like CVE-2024-12345, not '\(cve)'; skipped")
                continue
            }
            let line = doc.position(of: item).line
            if let first = seen[cve.uppercased()] {
                note(item, .warning, "\(cve) is listed twice (first at line \(first)); the first is kept")
                continue
            }
            seen[cve.uppercased()] = line
            var cwes: [String] = []
            if let c = doc.member("cwes", of: item) {
                if let list = c.value.array { cwes = list.compactMap(\.string) } else if !c.value.isNull { note(c, .warning, "expected \"cwes\" to be an array of strings; ignored") }
            }
            let ransomware = text("knownRansomwareCampaignUse") ?? "Unknown"
            let dateAdded = text("dateAdded") ?? ""
            if !dateAdded.isEmpty && dateAdded.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) == nil {
                note(doc.member("dateAdded", of: item)!, .warning, "expected dateAdded as YYYY-MM-DD, not '\(dateAdded)'")
            }
            entries.append(Entry(cveID: cve.uppercased(), vendorProject: text("vendorProject") ?? "", product: text("product") ?? "",
                                 vulnerabilityName: text("vulnerabilityName") ?? "", dateAdded: dateAdded, dueDate: text("dueDate") ?? "",
                                 knownRansomwareUse: ransomware == "Known", shortDescription: text("shortDescription"),
                                 requiredAction: text("requiredAction"), notes: text("notes"), cwes: cwes))
        }
        if let count = doc.member("count", of: root)?.value.int, count != entries.count + diagnostics.filter({ $0.severity == .error }).count {
            note(doc.member("count", of: root)!, .warning, "the catalog says it holds \(count) vulnerabilities but lists \(entries.count); the list is used")
        }
        if entries.isEmpty && !doc.elements(of: list).isEmpty {
            throw ThreatIntelError("\(file): no usable vulnerability in the KEV catalog")
        }
        return (KEVCatalog(catalogVersion: version ?? "unknown", dateReleased: released ?? "", entries: entries), diagnostics)
    }
}

/// A threat-intelligence file that cannot be used at all.
public struct ThreatIntelError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
