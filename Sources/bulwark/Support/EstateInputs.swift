import ArgumentParser
import AttackGraph
import BulwarkModel
import Estate
import Foundation
import Identity
import Inventory
import NetworkReach
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

    /// The estate's attack graph: the inventory, and the network model when the estate has a
    /// manifest with zones (every firewall export loaded); exit 2 when an input is unusable.
    /// The estate's attack graph with what built it (for the deciding firewall rules of steps).
    struct Attack {
        var inventory: Inventory
        var graph: AttackGraph
        var oracle: ConditionOracle?
        var builder: AttackGraphBuilder
    }

    static func attack(_ estate: String) throws -> Attack {
        let inventory = try self.inventory(estate)
        let (graph, oracle, builder) = try attackGraph(of: inventory)
        return Attack(inventory: inventory, graph: graph, oracle: oracle, builder: builder)
    }

    /// A path as reports name it: relative to the working folder when inside it.
    static func display(_ path: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        return path.hasPrefix(cwd + "/") ? String(path.dropFirst(cwd.count + 1)) : path
    }

    /// Whether the estate has a network model (a manifest with zones) for the attack graph.
    static func hasNetwork(_ inventory: Inventory) -> Bool { !(inventory.manifest?.zones.isEmpty ?? true) }

    static func attackGraph(of inventory: Inventory) throws -> (AttackGraph, ConditionOracle?, AttackGraphBuilder) {
        var engine: ReachabilityEngine?
        if let manifest = inventory.manifest, hasNetwork(inventory) {
            do {
                let network = try EstateNetwork(manifest: manifest, displayPath: display)
                for d in network.diagnostics where d.severity == .error { IO.error(d.description) }
                engine = ReachabilityEngine(network: network)
            } catch {
                throw unusableInput(error.description)
            }
        }
        let clock = Date()
        var builder = AttackGraphBuilder(inventory: inventory, engine: engine)
        builder.displayPath = display
        let graph = builder.build()
        stat("attack graph built (\(graph.nodeCount) nodes, \(graph.edgeCount) edges)", since: clock)
        if stats, let engine {
            for (phase, seconds) in engine.timings.sorted(by: { $0.key < $1.key }) { IO.error(String(format: "  reachability %@: %.3f s", phase, seconds)) }
            IO.error("  reachability algebra: \(engine.algebraStatistics)")
        }
        return (graph, builder.oracle(), builder)
    }

    /// The nodes a list of names gives (ids, names, host names or addresses, `zone:NAME`);
    /// an unknown name is a clean exit 2 naming it.
    static func nodes(_ names: [String], in graph: AttackGraph, role: String) throws -> [Int32] {
        try names.map { name in
            guard let n = graph.node(named: name) else {
                throw unusableInput("\(role) '\(name)': no principal, host, zone or asset of the estate has that name or id")
            }
            return n
        }
    }

    /// The line of a firewall's rule named as `FIREWALL:LINE` or `FIREWALL:CHAIN:POSITION` (the
    /// POSITION-th `-A CHAIN` line of the filter table of its `iptables-save` export), or nil when
    /// the text names no rule of the manifest's firewalls.
    static func ruleLine(_ spec: String, in manifest: EstateManifest) -> (firewall: String, line: Int)? {
        let parts = spec.split(separator: ":").map(String.init)
        guard parts.count == 2 || parts.count == 3, let fw = manifest.firewall(named: parts[0]), let n = Int(parts[parts.count - 1]), n > 0 else { return nil }
        if parts.count == 2 { return (fw.name, n) }
        guard let path = fw.export(.ruleset)?.path, let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        var table = "", count = 0
        for (k, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.hasPrefix("*") { table = String(line.dropFirst()); continue }
            guard table == "filter", line.hasPrefix("-A \(parts[1]) ") else { continue }
            count += 1
            if count == n { return (fw.name, k + 1) }
        }
        return nil
    }
}
