public import BulwarkModel
public import Foundation
public import Frameworks

/// The threat intelligence an analysis uses, and where it came from.
public struct ThreatData: Sendable {
    /// Where a data set came from.
    public enum Origin: Sendable, Hashable {
        /// The snapshot built into Bulwark.
        case bundled
        /// Imported with `bulwark data import` from `source` at `importedAt`.
        case imported(source: String, importedAt: Date)
        /// Named by the estate itself.
        case estate(path: String)
    }

    public var kev: KEVCatalog
    public var kevOrigin: Origin
    public var epss: EPSSScores?
    public var epssOrigin: Origin?

    public init(kev: KEVCatalog = .bundled, kevOrigin: Origin = .bundled, epss: EPSSScores? = nil, epssOrigin: Origin? = nil) {
        self.kev = kev
        self.kevOrigin = kevOrigin
        self.epss = epss
        self.epssOrigin = epssOrigin
    }

    /// Whole days from `date` (ISO 8601, the day is enough) to `now`; nil when it does not parse.
    public static func days(since date: String, now: Date) -> Int? {
        let day = String(date.prefix(10))
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd"
        guard let d = f.date(from: day) else { return nil }
        return Int((now.timeIntervalSince(d) / 86_400).rounded(.down))
    }

    static func origin(_ o: Origin) -> String {
        switch o {
        case .bundled: "bundled with Bulwark"
        case .imported(let source, _): "imported from \(source)"
        case .estate(let path): "from the estate's \(path)"
        }
    }

    /// One line per data set: what it is, where it came from and how old it is, for reports.
    public func provenance(now: Date) -> [String] {
        let origin = Self.origin
        var lines: [String] = []
        let kevAge = Self.days(since: kev.dateReleased, now: now).map { ", \($0) days old" } ?? ", age unknown"
        lines.append("CISA KEV catalog \(kev.catalogVersion) (\(kev.entries.count) CVEs), released \(kev.releaseDay)\(kevAge), \(origin(kevOrigin))")
        if let epss, let o = epssOrigin {
            let age = epss.scoreDate.flatMap { Self.days(since: $0, now: now) }.map { ", \($0) days old" } ?? ", date unknown"
            lines.append("FIRST EPSS scores \(epss.modelVersion ?? "model unknown") (\(epss.count) CVEs) for \(epss.scoreDate.map { String($0.prefix(10)) } ?? "an unknown day")\(age), \(origin(o))")
        } else {
            lines.append("no EPSS scores: import them with `bulwark data import epss FILE` (https://epss.cyentia.com/epss_scores-current.csv.gz)")
        }
        return lines
    }

    /// Which ATT&CK is used, what it holds and where it came from (an import with its day).
    public static func provenance(of attack: ATTACK, origin: Origin) -> String {
        let version = attack.version == "unknown" ? "(version unknown)" : attack.version
        var from = Self.origin(origin)
        if case .imported(_, let at) = origin, at != .distantPast {
            from += " on " + String(ISO8601DateFormatter().string(from: at).prefix(10))
        }
        return "MITRE ATT&CK Enterprise \(version): \(attack.techniques.count) techniques, \(attack.mitigations.count) mitigations, \(from)"
    }
}

/// The local data directory: threat intelligence imported once and used by every later run.
///
/// `$BULWARK_DATA_DIR`, else `$XDG_DATA_HOME/bulwark`, else `~/.local/share/bulwark`. Imports are
/// checked before anything is written, and written atomically: a bad file leaves the previous data.
public struct ThreatDataStore: Sendable {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let d = environment["BULWARK_DATA_DIR"], !d.isEmpty { return d }
        if let x = environment["XDG_DATA_HOME"], !x.isEmpty { return x + "/bulwark" }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.local/share/bulwark"
    }

    var kevPath: String { directory + "/kev.json" }
    var epssPath: String { directory + "/epss.csv" }
    var provenancePath: String { directory + "/imports.json" }
    var attackPath: String { directory + "/attack-enterprise.tsv" }

    /// Reads, checks and stores a KEV catalog (CISA's JSON).
    public func importKEV(from path: String) throws(ThreatIntelError) -> (KEVCatalog, [Diagnostic]) {
        let bytes = try Self.read(path)
        let (catalog, diagnostics) = try KEVCatalog.read(bytes: bytes, file: path)
        try write(bytes, to: kevPath, source: path, key: "kev")
        return (catalog, diagnostics)
    }

    /// Reads, checks and stores EPSS scores (FIRST's CSV, plain or gzip; stored decompressed).
    public func importEPSS(from path: String) throws(ThreatIntelError) -> (EPSSScores, [Diagnostic]) {
        let bytes = try Self.decompressed(try Self.read(path), file: path)
        let (scores, diagnostics) = try EPSSScores.read(bytes: bytes, file: path)
        try write(bytes, to: epssPath, source: path, key: "epss")
        return (scores, diagnostics)
    }

    /// Reads and checks MITRE ATT&CK Enterprise from a full STIX 2.x bundle (MITRE's
    /// enterprise-attack.json) and stores its fact table (``ATTACK/Table/stored``), not the bundle.
    public func importATTACK(from path: String) throws(ThreatIntelError) -> ATTACK {
        let bytes = try Self.read(path)
        let table: ATTACK.Table
        do {
            table = try ATTACK.Table(stixBundle: Data(bytes))
        } catch {
            throw ThreatIntelError("\(path): \(error.message)")
        }
        try write(Array(table.stored.utf8), to: attackPath, source: path, key: "attack")
        return ATTACK(table)
    }

    /// The imported ATT&CK, else the bundled one; a stored table that no longer reads is a
    /// diagnostic and the bundled one is used.
    public func loadATTACK() -> (attack: ATTACK, origin: ThreatData.Origin, diagnostics: [Diagnostic]) {
        guard FileManager.default.fileExists(atPath: attackPath) else { return (.bundled, .bundled, []) }
        do {
            guard let text = String(validating: try Self.read(attackPath), as: UTF8.self) else {
                throw ThreatIntelError("not UTF-8")
            }
            let table = try ATTACK.Table(stored: text)
            return (ATTACK(table), readProvenance()["attack"] ?? .imported(source: attackPath, importedAt: .distantPast), [])
        } catch {
            return (.bundled, .bundled, [Diagnostic(.warning, FileLocation(file: attackPath, line: 1), "\(error); the bundled ATT&CK is used")])
        }
    }

    /// What was imported, else the bundled KEV snapshot and no EPSS; a stored file that no longer
    /// reads is a diagnostic and the fallback is used.
    public func load() -> (ThreatData, [Diagnostic]) {
        var data = ThreatData()
        var diagnostics: [Diagnostic] = []
        let imports = readProvenance()
        if FileManager.default.fileExists(atPath: kevPath) {
            do {
                let (kev, _) = try KEVCatalog.read(bytes: try Self.read(kevPath), file: kevPath)
                data.kev = kev
                data.kevOrigin = imports["kev"] ?? .imported(source: kevPath, importedAt: .distantPast)
            } catch {
                diagnostics.append(Diagnostic(.warning, FileLocation(file: kevPath, line: 1), "\(error.description); the bundled KEV snapshot is used"))
            }
        }
        if FileManager.default.fileExists(atPath: epssPath) {
            do {
                let (epss, _) = try EPSSScores.read(bytes: try Self.read(epssPath), file: epssPath)
                data.epss = epss
                data.epssOrigin = imports["epss"] ?? .imported(source: epssPath, importedAt: .distantPast)
            } catch {
                diagnostics.append(Diagnostic(.warning, FileLocation(file: epssPath, line: 1), "\(error.description); EPSS scores are not used"))
            }
        }
        return (data, diagnostics)
    }

    // MARK: Files

    /// The most a threat-intelligence file may hold once decompressed (the full EPSS feed is about
    /// 10 MB, the KEV catalog about 1.5 MB).
    public static let sizeLimit = 512 << 20

    static func read(_ path: String) throws(ThreatIntelError) -> [UInt8] {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if let size = attributes?[.size] as? Int, size > sizeLimit {
            throw ThreatIntelError("\(path): larger than \(sizeLimit >> 20) MiB; not read")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw ThreatIntelError("\(path): cannot be read") }
        return [UInt8](data)
    }

    /// The bytes of a file that may be gzipped (told by its first bytes), decompressed within ``sizeLimit``.
    public static func decompressed(_ bytes: [UInt8], file: String) throws(ThreatIntelError) -> [UInt8] {
        guard bytes.starts(with: [0x1F, 0x8B]) else { return bytes }
        return try gunzip(bytes, file: file)
    }

    private func write(_ bytes: [UInt8], to path: String, source: String, key: String) throws(ThreatIntelError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
            var record = readProvenanceJSON()
            let absolute = URL(fileURLWithPath: source).standardizedFileURL.path
            record[key] = ["source": absolute, "imported_at": ISO8601DateFormatter().string(from: Date())]
            let json = try JSONSerialization.data(withJSONObject: record, options: [.prettyPrinted, .sortedKeys])
            try json.write(to: URL(fileURLWithPath: provenancePath), options: .atomic)
        } catch {
            throw ThreatIntelError("\(directory): cannot store the data: \(error.localizedDescription)")
        }
    }

    private func readProvenanceJSON() -> [String: [String: String]] {
        guard let data = FileManager.default.contents(atPath: provenancePath),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: [String: String]] else { return [:] }
        return object
    }

    private func readProvenance() -> [String: ThreatData.Origin] {
        var out: [String: ThreatData.Origin] = [:]
        for (key, record) in readProvenanceJSON() {
            guard let source = record["source"] else { continue }
            let date = record["imported_at"].flatMap { ISO8601DateFormatter().date(from: $0) } ?? .distantPast
            out[key] = .imported(source: source, importedAt: date)
        }
        return out
    }
}

extension ATTACK {
    /// The ATT&CK Enterprise the analyses use: the one imported into `directory` (the data
    /// directory by default), else the bundled one; a stored table that no longer reads is a
    /// warning and the bundled one is used.
    public static func inUse(directory: String = ThreatDataStore.defaultDirectory()) -> (ATTACK, [Diagnostic]) {
        let (attack, _, diagnostics) = ThreatDataStore(directory: directory).loadATTACK()
        return (attack, diagnostics)
    }
}
