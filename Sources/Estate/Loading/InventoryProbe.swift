import Foundation

/// Tells the format of inventory exports from their content, and finds them in a folder: an estate
/// may be a bare folder of exports with no manifest, or a manifest that names none.
public enum InventoryProbe {
    public typealias Format = EstateManifest.InventoryFormat

    /// The most files a folder search looks at, so a wrong path (a home folder) ends quickly.
    public static let fileLimit = 10_000

    /// The format of a file, or of a folder holding a SharpHound collection; nil when neither.
    public static func detect(path: String) -> Format? {
        switch ExportProbe.state(of: path) {
        case .folder: return holdsCollection(folder: path) ? .sharphound : nil
        case .file: return ExportProbe.headBytes(path).flatMap(detect(head:))
        case .missing, .unreadable: return nil
        }
    }

    /// The format from the first bytes of a file.
    public static func detect(head bytes: [UInt8]) -> Format? {
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) || bytes.starts(with: [0x50, 0x4B, 0x05, 0x06]) { return .sharphound }   // zip
        if bytes.starts(with: [0x1F, 0x8B]) { return .epss }   // gzip: EPSS is published gzipped
        let text = String(decoding: bytes, as: UTF8.self).drop { $0 == "\u{FEFF}" || $0.isWhitespace }
        if text.hasPrefix("<") {
            if text.contains("<nmaprun") { return .nmap }
            if text.contains("<NessusClientData_v2") { return .nessus }
            return nil
        }
        if text.hasPrefix("{") {
            if text.contains("\"catalogVersion\"") || text.contains("\"cveID\"") { return .kev }
            if text.contains("\"data\"") && (text.contains("\"ObjectIdentifier\"") || text.contains("\"meta\"")) { return .sharphound }
            return nil
        }
        let firstLine = text.prefix { $0 != "\n" && $0 != "\r" }
        if firstLine.hasPrefix("#model_version") || firstLine.hasPrefix("cve,epss") { return .epss }
        return nil
    }

    /// Whether a folder holds collector JSON files (a SharpHound collection unpacked).
    public static func holdsCollection(folder: String) -> Bool {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return false }
        return names.contains { name in
            name.lowercased().hasSuffix(".json") && detect(path: folder + "/" + name) == .sharphound
        }
    }

    /// The inventory exports under `folder`, in path order: files whose content tells their
    /// format, and folders that hold a SharpHound collection (counted as one export). Paths in
    /// `excluded` (absolute; the firewall exports of a manifest) and hidden files are skipped.
    public static func find(in folder: String, excluding excluded: Set<String> = []) -> [EstateManifest.InventoryExport] {
        var found: [EstateManifest.InventoryExport] = []
        var looked = 0
        func visit(_ relative: String) {
            let path = relative.isEmpty ? folder : folder + "/" + relative
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
            for name in names.sorted() where !name.hasPrefix(".") {
                looked += 1
                if looked > fileLimit { return }
                let child = relative.isEmpty ? name : relative + "/" + name
                let full = folder + "/" + child
                if excluded.contains(full) { continue }
                switch ExportProbe.state(of: full) {
                case .folder:
                    if holdsCollection(folder: full) {
                        found.append(.init(format: .sharphound, relativePath: child, path: full, isFolder: true, location: nil))
                    } else {
                        visit(child)
                    }
                case .file:
                    if let format = ExportProbe.headBytes(full).flatMap(detect(head:)) {
                        found.append(.init(format: format, relativePath: child, path: full, isFolder: false, location: nil))
                    }
                case .missing, .unreadable:
                    continue
                }
            }
        }
        visit("")
        return found
    }
}
