import BulwarkModel
import Foundation
import Frameworks
import Testing
import TestSupport
import ThreatIntel

/// `bulwark data import attack`: ATT&CK kept in the data directory, a bad bundle changing nothing.
@Suite struct ATTACKStoreTests {
    /// Two techniques (one a sub-technique), one mitigation of each, ATT&CK 17.1.
    static let bundle = #"""
    {"type": "bundle", "id": "bundle--7", "objects": [
      {"type": "x-mitre-collection", "id": "x-mitre-collection--7", "x_mitre_version": "17.1"},
      {"type": "x-mitre-tactic", "id": "x-mitre-tactic--c", "name": "Credential Access", "x_mitre_shortname": "credential-access",
       "external_references": [{"source_name": "mitre-attack", "external_id": "TA0006"}]},
      {"type": "attack-pattern", "id": "attack-pattern--brute", "name": "Brute Force",
       "external_references": [{"source_name": "mitre-attack", "external_id": "T1110"}],
       "kill_chain_phases": [{"kill_chain_name": "mitre-attack", "phase_name": "credential-access"}]},
      {"type": "attack-pattern", "id": "attack-pattern--spray", "name": "Password Spraying",
       "external_references": [{"source_name": "mitre-attack", "external_id": "T1110.003"}],
       "kill_chain_phases": [{"kill_chain_name": "mitre-attack", "phase_name": "credential-access"}]},
      {"type": "course-of-action", "id": "course-of-action--mfa", "name": "Multi-factor Authentication",
       "external_references": [{"source_name": "mitre-attack", "external_id": "M1032"}]},
      {"type": "relationship", "id": "relationship--b", "relationship_type": "mitigates", "source_ref": "course-of-action--mfa", "target_ref": "attack-pattern--brute"}
    ]}
    """#

    static func scratch() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bulwark-attack-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func anImportIsKeptAndABadBundleChangesNothing() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = ThreatDataStore(directory: dir + "/data")
        var (attack, origin, diagnostics) = store.loadATTACK()
        #expect(attack.version == ATTACK.bundled.version && origin == .bundled && diagnostics.isEmpty)

        let good = dir + "/enterprise-attack.json"
        try Self.bundle.write(toFile: good, atomically: true, encoding: .utf8)
        let imported = try store.importATTACK(from: good)
        #expect(imported.version == "17.1" && imported.techniques.count == 2 && imported.mitigations(of: "T1110.003").map(\.id) == ["M1032"])
        let stored = try #require(FileManager.default.contents(atPath: dir + "/data/attack-enterprise.tsv"))

        let bad: [(String, String)] = [
            ("not-json.json", "this is not JSON"),
            ("array.json", #"[{"type": "bundle", "objects": []}]"#),
            ("empty.json", #"{"type": "bundle", "objects": []}"#),
            ("truncated.json", String(Self.bundle.prefix(Self.bundle.count / 2))),
        ]
        for (name, text) in bad {
            let path = dir + "/" + name
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            #expect { try store.importATTACK(from: path) } throws: { ($0 as? ThreatIntelError)?.description.hasPrefix(path + ": ") == true }
        }
        #expect { try store.importATTACK(from: dir + "/missing.json") } throws: { $0 is ThreatIntelError }
        #expect(FileManager.default.contents(atPath: dir + "/data/attack-enterprise.tsv") == stored)

        (attack, origin, diagnostics) = store.loadATTACK()
        #expect(diagnostics.isEmpty && attack.version == "17.1" && attack.techniques["T1110.003"]?.name == "Password Spraying")
        guard case .imported(let source, let at) = origin else { Issue.record("ATT&CK not imported"); return }
        #expect(source == good && abs(at.timeIntervalSinceNow) < 600)
        let (inUse, inUseDiagnostics) = ATTACK.inUse(directory: dir + "/data")
        #expect(inUse.version == "17.1" && inUse.mitigatedBy == imported.mitigatedBy && inUseDiagnostics.isEmpty)
        let day = String(ISO8601DateFormatter().string(from: at).prefix(10))
        #expect(ThreatData.provenance(of: attack, origin: origin) == "MITRE ATT&CK Enterprise 17.1: 2 techniques, 1 mitigations, imported from \(good) on \(day)")
    }

    /// A stored table damaged after its import is a warning, and the bundled ATT&CK is used.
    @Test func aDamagedStoredTableFallsBackToTheBundledOne() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = ThreatDataStore(directory: dir)
        let good = dir + "/enterprise-attack.json"
        try Self.bundle.write(toFile: good, atomically: true, encoding: .utf8)
        _ = try store.importATTACK(from: good)
        let stored = dir + "/attack-enterprise.tsv"
        for damage in [Data("V\t17.1\t5\nT\tT1110\n".utf8), Data([0xFF, 0xFE, 0x00]), Data()] {
            try damage.write(to: URL(fileURLWithPath: stored))
            let (attack, origin, diagnostics) = store.loadATTACK()
            #expect(attack.version == ATTACK.bundled.version && origin == .bundled)
            #expect(diagnostics.count == 1 && diagnostics.first?.severity == .warning)
            #expect(diagnostics.first?.description.contains("the bundled ATT&CK is used") == true, "\(diagnostics)")
            #expect(ATTACK.inUse(directory: dir).1.count == 1)
        }
        #expect(ThreatData.provenance(of: .bundled, origin: .bundled) == "MITRE ATT&CK Enterprise 18.1: 691 techniques, 44 mitigations, bundled with Bulwark")
    }
}
