import ArgumentParser
import BulwarkModel
import Foundation
import Identity
import Inventory
import ThreatIntel

/// Reading an estate's inventory the same way for every command that needs it.
enum EstateInputs {
    static let stats = ProcessInfo.processInfo.environment["BULWARK_STATS"] != nil

    /// The estate's inventory (scans, AD, threat intelligence), with the local threat data; an
    /// unusable estate is a clean exit 2.
    static func inventory(_ estate: String, maxScanAgeDays: Int = 90) throws -> Inventory {
        let store = ThreatDataStore(directory: ThreatDataStore.defaultDirectory())
        let (threatData, dataDiagnostics) = store.load()
        for d in dataDiagnostics { IO.error(d.description) }
        let cwd = FileManager.default.currentDirectoryPath
        let clock = Date()
        do {
            let inventory = try InventoryBuilder.build(estate, options: InventoryOptions(maxScanAgeDays: maxScanAgeDays, threatData: threatData)) { path in
                path.hasPrefix(cwd + "/") ? String(path.dropFirst(cwd.count + 1)) : path
            }
            if stats {
                for t in inventory.identity?.timings ?? [] { IO.error(String(format: "identity %@: %.3f s", t.phase, t.seconds)) }
                stat("inventory built", since: clock)
            }
            return inventory
        } catch {
            throw unusableInput(error.description)
        }
    }

    /// With `BULWARK_STATS` set, how long a phase took, on standard error.
    static func stat(_ phase: String, since clock: Date) {
        if stats { IO.error(String(format: "%@: %.3f s", phase, Date().timeIntervalSince(clock))) }
    }
}
