public import BulwarkModel
import Foundation
import Yams

/// Reads an estate's manifest, checks it, and reports every problem with file, line and column.
///
/// ```swift
/// let result = EstateLoader.load("estates/acme")        // the folder, or the manifest itself
/// for d in result.diagnostics { print(d) }               // bulwark.yaml:12:7: error: unknown zone 'dmz2' …
/// guard let estate = result.manifest else { exit(2) }    // nil when any diagnostic is an error
/// ```
///
/// The loader never stops at the first problem: it reads every section, skipping the entries it
/// cannot use, and reports all it found. A manifest with any error — not YAML, no zones, a missing
/// export file, an unknown key, a name that refers to nothing — is unusable: ``Result/manifest``
/// is nil, and the command line exits with status 2. Warnings (a host address outside its zone, a
/// network with host bits set) leave the manifest usable.
public enum EstateLoader {
    public struct Result: Sendable {
        /// The checked manifest; nil when any diagnostic is an error.
        public var manifest: EstateManifest?
        /// Every problem found, in file order.
        public var diagnostics: [Diagnostic]

        public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
        public var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }
    }

    /// The manifest's file name inside an estate folder.
    public static let manifestName = "bulwark.yaml"

    /// The largest manifest read; a manifest describes an organization, not its traffic.
    public static let maximumSize = 16 * 1024 * 1024

    /// Loads the estate at `path`: a folder holding `bulwark.yaml`, or the manifest file itself.
    /// Diagnostics name the manifest as `path` was written (plus `/bulwark.yaml` for a folder).
    public static func load(_ path: String) -> Result {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            return failure(path, "no estate here: expected a folder holding \(manifestName), or the manifest file")
        }
        let file = isFolder.boolValue ? (path.hasSuffix("/") ? path : path + "/") + manifestName : path
        if isFolder.boolValue && !FileManager.default.fileExists(atPath: file) {
            return failure(path, "the folder holds no \(manifestName) (the estate manifest)")
        }
        let absolute = URL(fileURLWithPath: file).standardizedFileURL
        guard let handle = FileHandle(forReadingAtPath: absolute.path) else { return failure(file, "cannot read the manifest") }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: maximumSize + 1) ?? Data() else { return failure(file, "cannot read the manifest") }
        if data.count > maximumSize {
            return failure(file, "the manifest is larger than \(maximumSize / 1024 / 1024) MiB; expected a description of an estate, not data")
        }
        guard let text = String(data: data, encoding: .utf8) else { return failure(file, "the manifest is not UTF-8 text") }
        return decode(text, file: file, directory: absolute.deletingLastPathComponent().path, manifestPath: absolute.path)
    }

    /// Checks manifest text as if it were the file `file` in the estate folder `directory`
    /// (export paths are resolved against `directory`). For tests and for tools that hold the
    /// text already; ``load(_:)`` is the usual entry.
    public static func parse(_ text: String, file: String, directory: String) -> Result {
        let folder = URL(fileURLWithPath: directory).standardizedFileURL
        let manifestPath = folder.appendingPathComponent(URL(fileURLWithPath: file).lastPathComponent).path
        if text.utf8.count > maximumSize { return failure(file, "the manifest is larger than \(maximumSize / 1024 / 1024) MiB") }
        return decode(text, file: file, directory: folder.path, manifestPath: manifestPath)
    }

    private static func decode(_ text: String, file: String, directory: String, manifestPath: String) -> Result {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            return Result(manifest: nil, diagnostics: [yamlDiagnostic(error, file: file)])
        }
        guard let root else {
            return failure(file, "the manifest is empty; expected a mapping with at least 'version' and 'zones'")
        }
        var decoder = ManifestDecoder(file: file, directory: directory, manifestPath: manifestPath)
        decoder.decode(root)
        if !decoder.reader.exhausted { decoder.crossCheck() }
        let manifest = decoder.manifest()
        // File order; the order found keeps problems on one node in the order they were checked.
        let diagnostics = decoder.reader.diagnostics.enumerated().sorted {
            ($0.element.location.line, $0.element.location.column ?? 0, $0.offset) < ($1.element.location.line, $1.element.location.column ?? 0, $1.offset)
        }.map(\.element)
        if let dropped = decoder.reader.dropped {
            let note = Diagnostic(dropped.worst, dropped.location, "too many problems; stopped reporting after \(decoder.reader.limit)")
            return Result(manifest: manifest, diagnostics: diagnostics + [note])
        }
        return Result(manifest: manifest, diagnostics: diagnostics)
    }

    private static func failure(_ file: String, _ message: String) -> Result {
        Result(manifest: nil, diagnostics: [Diagnostic(.error, FileLocation(file: file, line: 1), message)])
    }

    /// A YAML syntax error as a diagnostic at the place libyaml stopped.
    private static func yamlDiagnostic(_ error: any Error, file: String) -> Diagnostic {
        func at(_ mark: Mark, _ message: String) -> Diagnostic {
            Diagnostic(.error, FileLocation(file: file, line: mark.line, column: mark.column), message)
        }
        guard let yaml = error as? YamlError else {
            return Diagnostic(.error, FileLocation(file: file, line: 1), "not YAML: \(error)")
        }
        switch yaml {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            let where_ = context.map { " (\($0.text) at line \($0.mark.line), column \($0.mark.column))" } ?? ""
            return at(mark, "not YAML: \(problem)\(where_)")
        case let .duplicatedKeysInMapping(duplicates, context):
            return at(context.mark, "duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) in one mapping; each key may appear once")
        case let .reader(problem, offset, _, _):
            return Diagnostic(.error, FileLocation(file: file, line: 1), "not YAML text: \(problem)\(offset.map { " at byte \($0)" } ?? "")")
        default:
            return Diagnostic(.error, FileLocation(file: file, line: 1), "not YAML: \(yaml)")
        }
    }
}
