import BulwarkModel
import Estate
public import Foundation
import CVSS
import Identity
import PacketSpace
import Scans
public import ThreatIntel

/// An estate that cannot be inventoried at all: no estate, a broken manifest, an unusable export.
public struct InventoryError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

public struct InventoryOptions: Sendable {
    /// A scan older than this many days is a data-quality warning.
    public var maxScanAgeDays: Int
    /// "Now", for ages.
    public var now: Date
    /// The threat intelligence to use where the estate carries none of its own.
    public var threatData: ThreatData

    public init(maxScanAgeDays: Int = 90, now: Date = Date(), threatData: ThreatData = ThreatData()) {
        self.maxScanAgeDays = maxScanAgeDays
        self.now = now
        self.threatData = threatData
    }
}

/// Reads an estate's inventory exports and merges them into one ``Inventory``.
public enum InventoryBuilder {
    /// `path` is an estate folder (with or without `bulwark.yaml`) or a manifest file. Exports are
    /// those the manifest's `inventory:` names, else every file of the folder whose content is a
    /// scan, an AD collection or threat intelligence.
    public static func build(_ path: String, options: InventoryOptions = InventoryOptions(),
                             displayPath: @escaping (String) -> String = { $0 }) throws(InventoryError) -> Inventory {
        var state = State(options: options, displayPath: displayPath)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw InventoryError("\(path): no estate here: expected a folder of exports, or a folder or manifest file with bulwark.yaml")
        }
        let folder = isFolder.boolValue ? URL(fileURLWithPath: path).standardizedFileURL.path : URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL.path
        let manifestFile = isFolder.boolValue ? folder + "/" + EstateLoader.manifestName : path
        var exports: [EstateManifest.InventoryExport]
        if FileManager.default.fileExists(atPath: manifestFile) {
            let loaded = EstateLoader.load(manifestFile)
            guard let manifest = loaded.manifest, loaded.errors.isEmpty else {
                let text = loaded.errors.map { "\(displayPath($0.location.file)):\($0.location.line)\($0.location.column.map { ":\($0)" } ?? ""): \($0.message)" }
                throw InventoryError("the estate cannot be inventoried:\n" + text.joined(separator: "\n"))
            }
            state.manifest = manifest
            state.diagnostics += loaded.diagnostics
            let excluded = Set(manifest.firewalls.flatMap { $0.exports.map(\.path) } + [manifest.manifestPath])
            exports = manifest.inventory ?? InventoryProbe.find(in: folder, excluding: excluded)
        } else {
            guard isFolder.boolValue else { throw InventoryError("\(path): not an estate manifest") }
            exports = InventoryProbe.find(in: folder)
            if exports.isEmpty {
                throw InventoryError("\(displayPath(folder)): no inventory exports here: expected nmap XML, .nessus, SharpHound JSON or zip, a KEV catalog or EPSS scores")
            }
        }
        state.estate = state.manifest?.name ?? URL(fileURLWithPath: folder).lastPathComponent
        // Threat intelligence first: the scans are enriched with it.
        for e in exports where e.format == .kev || e.format == .epss { try state.readThreatData(e) }
        // One identity graph for every collector file, folder and zip of the estate.
        let collections = exports.filter { $0.format == .sharphound }
        if !collections.isEmpty { try state.readIdentity(collections) }
        for e in exports {
            switch e.format {
            case .nmap: try state.readNmap(e)
            case .nessus: try state.readNessus(e)
            case .sharphound, .kev, .epss: break
            }
        }
        return state.finish()
    }
}
