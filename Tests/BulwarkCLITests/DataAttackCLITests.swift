import Foundation
import Testing
import TestSupport

/// `bulwark data import attack FILE` and `bulwark data status` as a script runs them.
@Suite struct DataAttackCLITests {
    static let fixture = TestSupport.sharedRoot + "/fixtures/attack/enterprise-attack-subset.json"

    /// One technique, one mitigation of it, ATT&CK 16.1.
    static let bundle = #"""
    {"type": "bundle", "id": "bundle--c", "objects": [
      {"type": "x-mitre-collection", "id": "x-mitre-collection--c", "name": "Enterprise ATT&CK", "x_mitre_version": "16.1"},
      {"type": "attack-pattern", "id": "attack-pattern--valid", "name": "Valid Accounts",
       "external_references": [{"source_name": "mitre-attack", "external_id": "T1078"}],
       "kill_chain_phases": [{"kill_chain_name": "mitre-attack", "phase_name": "initial-access"}]},
      {"type": "course-of-action", "id": "course-of-action--pam", "name": "Privileged Account Management",
       "external_references": [{"source_name": "mitre-attack", "external_id": "M1026"}]},
      {"type": "relationship", "id": "relationship--v", "relationship_type": "mitigates", "source_ref": "course-of-action--pam", "target_ref": "attack-pattern--valid"}
    ]}
    """#

    @Test func importThenStatusNamesTheImportedATTACK() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("bulwark-cli-data-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: data) }
        var status = try InventoryCLITests.run(["data", "status"], dataDirectory: data)
        #expect(status.stdout.contains("MITRE ATT&CK Enterprise 18.1: 691 techniques, 44 mitigations, bundled with Bulwark"), "\(status.stdout)")

        let file = try TestSupport.temporary("enterprise-attack.json", Self.bundle)
        let ok = try InventoryCLITests.run(["data", "import", "attack", file], dataDirectory: data)
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout == "imported MITRE ATT&CK Enterprise 16.1: 1 techniques, 1 mitigations into \(data)\n")

        let bad = try TestSupport.temporary("enterprise-attack.json", #"{"type": "bundle", "objects": []}"#)
        let refused = try InventoryCLITests.run(["data", "import", "attack", bad], dataDirectory: data)
        #expect(refused.status == 2 && refused.stdout.isEmpty && refused.stderr.contains("no ATT&CK techniques"), "\(refused.stderr)")

        status = try InventoryCLITests.run(["data", "status"], dataDirectory: data)
        #expect(status.status == 0 && status.stderr.isEmpty, "\(status.stderr)")
        let day = String(ISO8601DateFormatter().string(from: Date()).prefix(10))
        #expect(status.stdout.contains("MITRE ATT&CK Enterprise 16.1: 1 techniques, 1 mitigations, imported from \(file) on \(day)\n"), "\(status.stdout)")
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: DataAttackCLITests.fixture), "ATT&CK fixture import skipped: ../shared/fixtures/attack is absent"))
    func theFixtureBundleImports() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("bulwark-cli-data-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: data) }
        let ok = try InventoryCLITests.run(["data", "import", "attack", Self.fixture], dataDirectory: data)
        #expect(ok.status == 0 && ok.stdout.contains("MITRE ATT&CK Enterprise of an unknown version: 691 techniques, 44 mitigations"), "\(ok.stderr)")
        let status = try InventoryCLITests.run(["data", "status"], dataDirectory: data)
        #expect(status.stdout.contains("MITRE ATT&CK Enterprise (version unknown): 691 techniques, 44 mitigations, imported from"), "\(status.stdout)")
    }
}
