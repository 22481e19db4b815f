import Foundation
@testable import Frameworks
import Testing
import TestSupport

/// Reading MITRE ATT&CK Enterprise from a STIX bundle, as `bulwark data import attack` does.
@Suite struct ATTACKImportTests {
    static let fixture = TestSupport.sharedRoot + "/fixtures/attack/enterprise-attack-subset.json"

    /// The bundled table was made by scripts/make-attack-table.py from this fixture: reading it
    /// here must give the same table, line for line and byte for byte.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: ATTACKImportTests.fixture),
                   "ATT&CK fixture import skipped: ../shared/fixtures/attack is absent"))
    func theFixtureBundleGivesTheBundledTable() throws {
        let bytes = try #require(FileManager.default.contents(atPath: Self.fixture))
        let table = try ATTACK.Table(stixBundle: bytes)
        let bundled = ATTACK.bundledTable.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(table.lines.count == bundled.count)
        for (n, (mine, theirs)) in zip(table.lines, bundled).enumerated() where !mine.utf8.elementsEqual(theirs.utf8) {
            Issue.record("line \(n + 1): \(mine.debugDescription) is not \(theirs.debugDescription)")
            break
        }
        #expect(table.text.utf8.elementsEqual(ATTACK.bundledTable.utf8))
        // The subset carries no x-mitre-collection object.
        #expect(table.version == "unknown")
        let a = ATTACK(table)
        #expect(a.techniques.count == 691 && a.mitigations.count == 44 && a.tactics.count == 14)
        #expect(a.mitigations(of: "T1021.002").map(\.id) == ["M1026", "M1027", "M1035", "M1037"])
    }

    /// Tactics sorted by id; live techniques and mitigations with a mitre-attack id; relationships
    /// only between kept objects, live, once each.
    static let sample = #"""
    {"type": "bundle", "id": "bundle--1", "spec_version": "2.0", "objects": [
      {"type": "x-mitre-collection", "id": "x-mitre-collection--1", "name": "Enterprise ATT&CK", "x_mitre_version": " 17.0 "},
      {"type": "x-mitre-tactic", "id": "x-mitre-tactic--8", "name": "Lateral  Movement", "x_mitre_shortname": "lateral-movement",
       "external_references": [{"source_name": "mitre-attack", "external_id": "TA0008"}]},
      {"type": "x-mitre-tactic", "id": "x-mitre-tactic--1", "name": "Initial Access", "x_mitre_shortname": "initial-access",
       "external_references": [{"source_name": "mitre-attack", "external_id": "TA0001"}]},
      {"type": "attack-pattern", "id": "attack-pattern--smb", "name": "SMB/Windows Admin Shares", "x_mitre_is_subtechnique": true,
       "external_references": [{"source_name": "mitre-attack", "external_id": "T1021.002"}],
       "kill_chain_phases": [{"kill_chain_name": "mitre-attack", "phase_name": "lateral-movement"}]},
      {"type": "attack-pattern", "id": "attack-pattern--remote", "name": " Remote\tServices\u00a0\n",
       "external_references": [{"source_name": "capec", "external_id": "CAPEC-555"}, {"source_name": "mitre-attack", "external_id": "T1021"}],
       "kill_chain_phases": [{"kill_chain_name": "mitre-attack", "phase_name": "lateral-movement"}, {"kill_chain_name": "lockheed", "phase_name": "delivery"}]},
      {"type": "attack-pattern", "id": "attack-pattern--exploit", "name": "Exploit Public-Facing Application", "revoked": false, "x_mitre_deprecated": false,
       "external_references": [{"source_name": "mitre-attack", "external_id": "T1190"}],
       "kill_chain_phases": [{"kill_chain_name": "mitre-attack", "phase_name": "initial-access"}]},
      {"type": "attack-pattern", "id": "attack-pattern--old", "name": "Revoked Technique", "revoked": true,
       "external_references": [{"source_name": "mitre-attack", "external_id": "T1099"}],
       "kill_chain_phases": [{"kill_chain_name": "mitre-attack", "phase_name": "initial-access"}]},
      {"type": "attack-pattern", "id": "attack-pattern--nophase", "name": "No Phases",
       "external_references": [{"source_name": "mitre-attack", "external_id": "T1200"}]},
      {"type": "attack-pattern", "id": "attack-pattern--capec", "name": "Not In ATT&CK",
       "external_references": [{"source_name": "capec", "external_id": "CAPEC-1"}]},
      {"type": "course-of-action", "id": "course-of-action--filter", "name": "Filter Network Traffic",
       "external_references": [{"source_name": "mitre-attack", "external_id": "M1037"}]},
      {"type": "course-of-action", "id": "course-of-action--old", "name": "Deprecated Mitigation", "x_mitre_deprecated": true,
       "external_references": [{"source_name": "mitre-attack", "external_id": "M1099"}]},
      {"type": "course-of-action", "id": "course-of-action--pam", "name": "Privileged Account Management",
       "external_references": [{"source_name": "mitre-attack", "external_id": "M1026"}]},
      {"type": "relationship", "id": "relationship--1", "relationship_type": "mitigates", "source_ref": "course-of-action--filter", "target_ref": "attack-pattern--remote"},
      {"type": "relationship", "id": "relationship--2", "relationship_type": "mitigates", "source_ref": "course-of-action--filter", "target_ref": "attack-pattern--remote"},
      {"type": "relationship", "id": "relationship--3", "relationship_type": "mitigates", "source_ref": "course-of-action--pam", "target_ref": "attack-pattern--smb"},
      {"type": "relationship", "id": "relationship--4", "relationship_type": "mitigates", "source_ref": "course-of-action--filter", "target_ref": "attack-pattern--old"},
      {"type": "relationship", "id": "relationship--5", "relationship_type": "mitigates", "source_ref": "course-of-action--old", "target_ref": "attack-pattern--exploit"},
      {"type": "relationship", "id": "relationship--6", "relationship_type": "mitigates", "source_ref": "course-of-action--pam", "target_ref": "attack-pattern--exploit", "revoked": true},
      {"type": "relationship", "id": "relationship--7", "relationship_type": "mitigates", "source_ref": "course-of-action--filter", "target_ref": "attack-pattern--exploit", "x_mitre_deprecated": true},
      {"type": "relationship", "id": "relationship--8", "relationship_type": "uses", "source_ref": "course-of-action--pam", "target_ref": "attack-pattern--exploit"}
    ]}
    """#

    static let sampleLines = [
        "A\tTA0001\tinitial-access\tInitial Access",
        "A\tTA0008\tlateral-movement\tLateral Movement",
        "T\tT1021\tRemote Services\tlateral-movement",
        "T\tT1021.002\tSMB/Windows Admin Shares\tlateral-movement",
        "T\tT1190\tExploit Public-Facing Application\tinitial-access",
        "T\tT1200\tNo Phases\t",
        "M\tM1026\tPrivileged Account Management",
        "M\tM1037\tFilter Network Traffic",
        "R\tM1026\tT1021.002",
        "R\tM1037\tT1021",
    ]

    @Test func revokedAndDeprecatedObjectsAndTheirRelationshipsAreLeftOut() throws {
        let table = try ATTACK.Table(stixBundle: Data(Self.sample.utf8))
        #expect(table.lines == Self.sampleLines)
        #expect(table.version == "17.0")
        let a = try ATTACK(stixBundle: Data(Self.sample.utf8))
        #expect(a.version == "17.0" && a.techniques.count == 4 && a.mitigations.count == 2 && a.tactics.count == 2)
        #expect(a.techniques["T1099"] == nil && a.mitigations["M1099"] == nil)
        #expect(a.techniques["T1021.002"]?.parent == "T1021")
        #expect(a.mitigations(of: "T1021.002").map(\.id) == ["M1026"])
        #expect(a.mitigations(of: "T1190").isEmpty)
        #expect(a.mitigatedBy["T1021"] == ["M1037"])
    }

    /// Objects the script would stop at are left out; the rest of the bundle is read. Truth is
    /// Python's: `"revoked": "false"` is a non-empty string, so revoked; `0` is not.
    @Test func oddObjectsAreLeftOutAndTheRestIsRead() throws {
        let odd = #"""
        {"type": "bundle", "objects": [3, "x", null, [], {}, {"type": 7},
          {"type": "x-mitre-tactic", "name": "No Shortname", "external_references": [{"source_name": "mitre-attack", "external_id": "TA0002"}]},
          {"type": "x-mitre-tactic", "name": "Bad\nShortname", "x_mitre_shortname": "a\tb", "external_references": [{"source_name": "mitre-attack", "external_id": "TA0003"}]},
          {"type": "attack-pattern", "id": "attack-pattern--a", "name": 5, "external_references": [{"source_name": "mitre-attack", "external_id": "T1001"}]},
          {"type": "attack-pattern", "id": "attack-pattern--b", "name": "Phases Not A List", "kill_chain_phases": "mitre-attack",
           "external_references": [{"source_name": "mitre-attack", "external_id": "T1002"}]},
          {"type": "attack-pattern", "id": "attack-pattern--c", "name": "References Not A List", "external_references": {"source_name": "mitre-attack"}},
          {"type": "attack-pattern", "id": "attack-pattern--d", "name": "Revoked As A String", "revoked": "false",
           "external_references": [{"source_name": "mitre-attack", "external_id": "T1004"}]},
          {"type": "attack-pattern", "id": "attack-pattern--e", "name": "Deprecated As Zero", "x_mitre_deprecated": 0,
           "external_references": [7, {"source_name": "mitre-attack", "external_id": ""}, {"source_name": "mitre-attack", "external_id": "T1005"}],
           "kill_chain_phases": [{"kill_chain_name": "mitre-attack", "phase_name": "execution"}, "junk"]},
          {"type": "attack-pattern", "id": "attack-pattern--f", "name": "Numeric Id", "external_references": [{"source_name": "mitre-attack", "external_id": 1006}]},
          {"type": "attack-pattern", "name": "No STIX Id", "external_references": [{"source_name": "mitre-attack", "external_id": "T1007"}]},
          {"type": "attack-pattern", "id": "attack-pattern--h", "name": "Tab In Id", "external_references": [{"source_name": "mitre-attack", "external_id": "T1009\tX"}]},
          {"type": "attack-pattern", "id": "attack-pattern--g", "name": "Phase Without Name", "external_references": [{"source_name": "mitre-attack", "external_id": "T1008"}],
           "kill_chain_phases": [{"kill_chain_name": "mitre-attack"}]},
          {"type": "relationship", "relationship_type": "mitigates", "source_ref": ["course-of-action--x"], "target_ref": "attack-pattern--e"},
          {"type": "relationship", "relationship_type": "mitigates", "target_ref": "attack-pattern--e"}
        ]}
        """#
        let table = try ATTACK.Table(stixBundle: Data(odd.utf8))
        #expect(table.lines == ["T\tT1005\tDeprecated As Zero\texecution"])
        #expect(table.version == "unknown")
    }

    @Test(arguments: [
        ("", ATTACK.BundleError.Code.notJSON, "not JSON: the file is empty"),
        ("this is not JSON", .notJSON, "not JSON: it does not parse"),
        (String(ATTACKImportTests.sample.dropLast(5)), .notJSON, "not JSON: it ends before the JSON does"),
        (#"[{"type": "bundle", "objects": []}]"#, .notABundle, "not a STIX bundle"),
        (#"{"objects": []}"#, .notABundle, "not a STIX bundle"),
        (#"{"type": "bundle", "objects": {"type": "attack-pattern"}}"#, .notABundle, "not a STIX bundle"),
        (#"{"type": "bundle", "objects": []}"#, .noTechniques, "no ATT&CK techniques"),
        (#"{"type": "bundle", "objects": [{"type": "attack-pattern", "id": "attack-pattern--1", "name": "Gone", "revoked": true, "external_references": [{"source_name": "mitre-attack", "external_id": "T1"}]}]}"#,
         .noTechniques, "no ATT&CK techniques"),
    ])
    func aBadBundleIsRefusedWithAReason(input: String, code: ATTACK.BundleError.Code, message: String) {
        #expect { try ATTACK.Table(stixBundle: Data(input.utf8)) } throws: {
            guard let e = $0 as? ATTACK.BundleError else { return false }
            return e.code == code && e.message.hasPrefix(message)
        }
    }

    /// JSONDecoder bounds nesting (512 levels): deeper input is refused, not a stack overflow.
    @Test func deepNestingIsRefusedWithoutCrashing() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        for input in [deep, #"{"type": "bundle", "objects": [{"a": "# + deep + "}]}"] {
            #expect { try ATTACK.Table(stixBundle: Data(input.utf8)) } throws: { ($0 as? ATTACK.BundleError)?.code == .notJSON }
        }
    }

    @Test func theStoredTableReadsBackAndRefusesDamage() throws {
        let table = try ATTACK.Table(stixBundle: Data(Self.sample.utf8))
        #expect(try ATTACK.Table(stored: table.stored) == table)
        #expect(table.stored.hasPrefix("V\t17.0\t10\n"))
        var lines = table.stored.split(separator: "\n").map(String.init)
        for damaged in [String(table.stored.prefix(60)), lines.dropLast().joined(separator: "\n"), "", "V\t1\t0\n",
                        table.stored.replacingOccurrences(of: "T\tT1200\tNo Phases\t", with: "T\tT1200")] {
            #expect(throws: ATTACK.BundleError.self) { try ATTACK.Table(stored: damaged) }
        }
        lines[0] = "V\t17.0\t9"
        lines.remove(at: 3)
        #expect(try ATTACK.Table(stored: lines.joined(separator: "\n")).lines.count == 9)
    }

    @Test func cleaningIsPythons() {
        #expect(clean(" a\t\tb\u{A0}c\u{2028}d\u{1C}e\u{85}f\u{3000} ") == "a b c d e f")
        // Not whitespace to Python: zero-width space, word joiner.
        #expect(clean("a\u{200B}b\u{2060}c") == "a\u{200B}b\u{2060}c")
        // A combining mark after a space stays a mark, the space goes.
        #expect(clean("a \u{301}b").unicodeScalars.map(\.value) == [0x61, 0x20, 0x301, 0x62])
    }
}
