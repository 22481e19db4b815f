public import Archive
import BulwarkModel
import Foundation

/// A collector file held in memory.
public struct CollectorFile: Sendable {
    /// The name used in diagnostics; its ending (`_users.json`) stands in for a missing `meta.type`.
    public var name: String
    public var bytes: [UInt8]

    public init(name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
    }
}

/// Loads a SharpHound (v5, v6) or other BloodHound collector output into an ``IdentityGraph``.
///
/// ```swift
/// let graph = try SharpHoundLoader().load(path: "../shared/fixtures/bloodhound/ad-sample-v6")
/// for d in graph.diagnostics { print(d) }   // 20240305110018_users.json:1:1: warning: meta.count says 49 …
/// ```
///
/// The input is a folder of collector JSON files (`*.json`, `*.json.gz`, and any `*.zip` in it),
/// one such file, or a zip of them. Files are read in name order (zip entries in name order too),
/// in parallel, and merged by `ObjectIdentifier`. Everything the loader reads is bounded:
/// ``Options/archiveLimits`` for zips, ``Options/maxFileBytes`` for each JSON file.
public struct SharpHoundLoader: Sendable {
    public struct Options: Sendable {
        /// Limits for zip archives (entries, sizes, compression ratio).
        public var archiveLimits: ZipArchive.Limits
        /// The largest collector file read, on disk or once inflated.
        public var maxFileBytes: Int
        /// The most collector files read from one input.
        public var maxFiles: Int
        /// What counts as Tier Zero.
        public var tierZero: TierZeroRules
        /// Threads used to read files; nil: `BULWARK_THREADS`, else every core.
        public var threads: Int?

        public init(archiveLimits: ZipArchive.Limits = ZipArchive.Limits(), maxFileBytes: Int = 8 << 30, maxFiles: Int = 10_000,
                    tierZero: TierZeroRules = TierZeroRules(), threads: Int? = nil) {
            self.archiveLimits = archiveLimits
            self.maxFileBytes = maxFileBytes
            self.maxFiles = maxFiles
            self.tierZero = tierZero
            self.threads = threads
        }
    }

    public var options: Options

    public init(options: Options = Options()) {
        self.options = options
    }

    /// Where one collector file comes from.
    private enum Source {
        case disk(path: String, name: String)
        case memory(CollectorFile)
        case zipEntry(ZipArchive, ZipArchive.Entry, name: String)

        var name: String {
            switch self {
            case .disk(_, let name), .zipEntry(_, _, let name): name
            case .memory(let file): file.name
            }
        }

        /// The bytes to read, roughly (for sharing files among threads).
        var size: Int {
            switch self {
            case .disk(let path, _): ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
            case .memory(let file): file.bytes.count
            case .zipEntry(_, let entry, _): entry.uncompressedSize
            }
        }
    }

    /// Loads a folder, a collector JSON file (optionally gzipped) or a zip of them.
    public func load(path: String) throws(IdentityInputError) -> IdentityGraph {
        try load(try sources(at: path))
    }

    /// Loads several of them — the files of one collection given one by one, a folder and a zip —
    /// as one collection.
    public func load(paths: [String]) throws(IdentityInputError) -> IdentityGraph {
        var all: [Source] = []
        for path in paths { all += try sources(at: path) }
        return try load(all)
    }

    /// The collector files at `path`: a folder's `*.json`, `*.json.gz` and zips, a zip's entries,
    /// or the file itself.
    private func sources(at path: String) throws(IdentityInputError) -> [Source] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw IdentityInputError(.notFound, "no such file or folder: \(path); expected a SharpHound collection (a folder of JSON files, a JSON file or a zip)")
        }
        guard isFolder.boolValue else {
            let bytes = try readFile(path)
            return ZipArchive.isZip(bytes) ? try zipSources(bytes, name: path) : [.memory(CollectorFile(name: path, bytes: bytes))]
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
        } catch {
            throw IdentityInputError(.unreadable, "cannot list the folder \(path): \(error.localizedDescription)")
        }
        let folder = path.hasSuffix("/") ? String(path.dropLast()) : path
        var sources: [Source] = []
        for name in names {
            let lower = name.lowercased()
            let full = folder + "/" + name
            if lower.hasSuffix(".json") || lower.hasSuffix(".json.gz") {
                sources.append(.disk(path: full, name: full))
            } else if lower.hasSuffix(".zip") {
                sources.append(contentsOf: try zipSources(try readFile(full), name: full))
            }
        }
        guard !sources.isEmpty else {
            throw IdentityInputError(.noCollectorFiles, "the folder \(path) holds no collector files (*.json, *.json.gz or *.zip)")
        }
        return sources
    }

    /// Loads a zip archive of collector files held in memory; `name` names it in diagnostics.
    public func load(zip bytes: [UInt8], name: String) throws(IdentityInputError) -> IdentityGraph {
        try load(try zipSources(bytes, name: name))
    }

    /// Loads collector files held in memory (each may be gzipped).
    public func load(files: [CollectorFile]) throws(IdentityInputError) -> IdentityGraph {
        guard !files.isEmpty else { throw IdentityInputError(.noCollectorFiles, "no collector files were given") }
        return try load(files.map { .memory($0) })
    }

    // MARK: - Reading

    /// A file's bytes, memory-mapped (a collector file is read once, front to back).
    private func mapFile(_ path: String) throws(IdentityInputError) -> Data {
        let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
        if size > max(options.maxFileBytes, options.archiveLimits.maxTotalUncompressedBytes) {
            throw IdentityInputError(.tooLarge, "\(path) is \(size) bytes, more than the limit of \(options.maxFileBytes)")
        }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw IdentityInputError(.unreadable, "cannot read \(path): \(error.localizedDescription)")
        }
    }

    private func readFile(_ path: String) throws(IdentityInputError) -> [UInt8] {
        try mapFile(path).withUnsafeBytes { Array($0.bindMemory(to: UInt8.self)) }
    }

    private func zipSources(_ bytes: [UInt8], name: String) throws(IdentityInputError) -> [Source] {
        let zip: ZipArchive
        do {
            zip = try ZipArchive(bytes: bytes, limits: options.archiveLimits)
        } catch {
            throw IdentityInputError(.archive, "\(name): \(error.message)", archiveError: error)
        }
        let entries = zip.entries.filter { !$0.isDirectory && ($0.name.lowercased().hasSuffix(".json") || $0.name.lowercased().hasSuffix(".json.gz")) }
            .sorted { $0.name < $1.name }
        guard !entries.isEmpty else {
            throw IdentityInputError(.noCollectorFiles, "\(name) holds no collector files (*.json entries)")
        }
        guard entries.count <= options.maxFiles else {
            throw IdentityInputError(.tooLarge, "\(name) holds \(entries.count) collector files, more than the limit of \(options.maxFiles)")
        }
        return entries.map { .zipEntry(zip, $0, name: name + "/" + $0.name) }
    }

    /// One source's bytes: a mapped file, or bytes in memory (inflated when gzipped).
    private enum Payload {
        case mapped(Data)
        case bytes([UInt8])

        func withBuffer<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
            switch self {
            case .mapped(let data): data.withUnsafeBytes { body($0.bindMemory(to: UInt8.self)) }
            case .bytes(let bytes): bytes.withUnsafeBufferPointer(body)
            }
        }

        var count: Int {
            switch self {
            case .mapped(let data): data.count
            case .bytes(let bytes): bytes.count
            }
        }

        var isGzip: Bool { withBuffer { Gzip.isGzip($0) } }
    }

    /// The bytes of one source, inflated if gzipped, or why they cannot be had.
    private func payload(of source: Source) -> Result<Payload, IdentityInputError> {
        var payload: Payload
        switch source {
        case .disk(let path, _):
            do { payload = .mapped(try mapFile(path)) } catch { return .failure(error) }
        case .memory(let file):
            payload = .bytes(file.bytes)
        case .zipEntry(let zip, let entry, _):
            do { payload = .bytes(try zip.contents(of: entry)) } catch {
                return .failure(IdentityInputError(.archive, "\(source.name): \(error.message)", archiveError: error))
            }
        }
        if payload.isGzip {
            let compressed = payload.withBuffer { Array($0) }
            do { payload = .bytes(try Gzip.decompress(compressed, maxOutputBytes: options.maxFileBytes, name: source.name)) } catch {
                return .failure(IdentityInputError(.archive, "\(source.name): \(error.message)", archiveError: error))
            }
        }
        if payload.count > options.maxFileBytes {
            return .failure(IdentityInputError(.tooLarge, "\(source.name) is \(payload.count) bytes, more than the limit of \(options.maxFileBytes)"))
        }
        return .success(payload)
    }

    private func load(_ sources: [Source]) throws(IdentityInputError) -> IdentityGraph {
        guard sources.count <= options.maxFiles else {
            throw IdentityInputError(.tooLarge, "\(sources.count) collector files, more than the limit of \(options.maxFiles)")
        }
        var timings: [PhaseTiming] = []
        var clock = Date()
        let workers = options.threads ?? Parallel.workers
        // Largest first: a collection is a few big files and many small ones.
        let sizes = sources.map(\.size)
        let order = sources.indices.sorted { sizes[$0] > sizes[$1] }
        let parsed: [FileResult] = Parallel.map(order, workers: workers) { index in
            let source = sources[index]
            switch payload(of: source) {
            case .success(let payload):
                return payload.withBuffer { CollectorFileReader.read($0, name: source.name) }
            case .failure(let error):
                var r = FileResult(name: source.name)
                r.rejected = true
                r.diagnostics = [Diagnostic(.error, FileLocation(file: source.name, line: 1), error.message)]
                return r
            }
        }
        // Back to name order, which the merge follows.
        var placed = [FileResult?](repeating: nil, count: sources.count)
        for (k, i) in order.enumerated() { placed[i] = parsed[k] }
        let results = placed.compactMap { $0 }
        timings.append(PhaseTiming(phase: "read and parse", seconds: Date().timeIntervalSince(clock)))
        clock = Date()

        guard results.contains(where: { !$0.rejected }) else {
            let all = results.flatMap(\.diagnostics)
            let first = all.first { $0.severity == .error } ?? all.first
            let detail = first.map { ": \($0)" } ?? ""
            throw IdentityInputError(.nothingReadable, "no collector file could be read\(detail)", diagnostics: all)
        }
        var builder = GraphBuilder()
        builder.packed.reserveCapacity(results.reduce(0) { $0 + $1.edgeFrom.count } + 1024)
        builder.properties.bytes.reserveCapacity(results.reduce(0) { $0 + $1.propertyBytes.count })
        for result in results { try builder.add(result) }
        timings.append(PhaseTiming(phase: "merge", seconds: Date().timeIntervalSince(clock)))
        return builder.finish(rules: options.tierZero, timings: &timings)
    }
}
