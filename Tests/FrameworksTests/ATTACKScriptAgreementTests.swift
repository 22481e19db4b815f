import BulwarkModel
import Foundation
import Frameworks
import Testing
import TestSupport

/// The Swift reader against its reference, scripts/make-attack-table.py, on random bundles within
/// what the script reads without stopping: odd whitespace in names, Python truth values for
/// `revoked` and `x_mitre_deprecated`, ids that sort differently by UTF-16 and by code point,
/// repeated ids and relationships, mitigations sharing a STIX id with a technique.
@Suite struct ATTACKScriptAgreementTests {
    static var hasPython: Bool { (try? TestSupport.runPython("import json", []))?.status == 0 }

    @Test(.enabled(if: ATTACKScriptAgreementTests.hasPython, "script agreement skipped: needs python3"))
    func randomBundlesGiveTheScriptsTable() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bulwark-attack-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var rng = SplitMix64(seed: 0xA77AC4)
        var paths: [String] = []
        for n in 0..<200 {
            let path = dir.appendingPathComponent("bundle-\(n).json").path
            try JSONSerialization.data(withJSONObject: RandomBundle.make(&rng)).write(to: URL(fileURLWithPath: path))
            paths.append(path)
        }
        let script = TestSupport.projectRoot + "/scripts/make-attack-table.py"
        let driver = """
        import contextlib, io, json, sys
        script = sys.argv[1]
        sys.path.insert(0, script.rsplit('/', 1)[0])
        import swift_table
        tables = []
        swift_table.print_table = lambda type_name, version, lines: tables.append(lines)
        source = compile(open(script).read(), script, 'exec')
        for bundle in sys.argv[2:]:
            sys.argv = [script, bundle, '/dev/null']
            with contextlib.redirect_stdout(io.StringIO()):
                exec(source, {'__name__': '__main__', '__file__': script})
        print(json.dumps(tables))
        """
        let run = try TestSupport.run(URL(fileURLWithPath: "/usr/bin/env"), ["PYTHONUTF8=1", "python3", "-c", driver, script] + paths)
        #expect(run.status == 0, "\(run.stderr)")
        let expected = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String]])
        #expect(expected.count == paths.count)
        var compared = 0
        for (path, theirs) in zip(paths, expected) {
            let bytes = try #require(FileManager.default.contents(atPath: path))
            do {
                let mine = try ATTACK.Table(stixBundle: bytes)
                let same = mine.lines.count == theirs.count && zip(mine.lines, theirs).allSatisfy { $0.utf8.elementsEqual($1.utf8) }
                #expect(same, "\(path): \(mine.lines) is not \(theirs)")
                compared += 1
            } catch {
                // Refused only when the script finds no technique either.
                #expect(error.code == .noTechniques && !theirs.contains { $0.hasPrefix("T\t") }, "\(path): \(error)")
            }
        }
        #expect(compared > 150)
    }
}

/// A small random ATT&CK bundle as JSON objects.
enum RandomBundle {
    static let tacticIDs = ["TA0001", "TA0002", "TA0010", "TA01"]
    static let shortnames = ["initial-access", "execution", "exfiltration", "lateral-movement"]
    // "T1😀" sorts after "T1～" by code point but before it by UTF-16 code unit.
    static let techniqueIDs = ["T1001", "T1001.001", "T1001.002", "T1010", "T100", "T1ä", "T1😀", "T1\u{FF5E}", "T1Z", "T1a"]
    static let mitigationIDs = ["M1001", "M1010", "M100", "T1001"]
    static let words = ["Remote", "Services", #"a\b"#, #""""q"#, "Ünïcode", "x", "😀"]
    static let spaces = [" ", "  ", "\t", "\n", "\u{A0}", "\u{2028}", "\u{1C}", "\u{200B}", "\u{3000}", "\u{85}", ""]
    /// Absent (nil) or a JSON value, some false to Python and some true.
    static var truths: [Any?] { [nil, nil, nil, true, false, NSNull(), 0, 1, "", "no", [Any](), [1], [String: Any](), ["a": 1], 0.0] }

    static func make(_ rng: inout SplitMix64) -> [String: Any] {
        var objects: [Any] = []
        if Bool.random(using: &rng) {
            objects.append(["type": "x-mitre-collection", "id": "x-mitre-collection--1", "x_mitre_version": [" 16.1\n", "17.0", ""].randomElement(using: &rng)!])
        }
        for _ in 0..<Int.random(in: 0...4, using: &rng) {
            // Tactics are kept revoked or not, as the script keeps them.
            var t: [String: Any] = ["type": "x-mitre-tactic", "id": "x-mitre-tactic--\(Int.random(in: 0..<4, using: &rng))",
                                    "x_mitre_shortname": shortnames.randomElement(using: &rng)!, "name": name(&rng),
                                    "external_references": references(tacticIDs.randomElement(using: &rng)!, &rng)]
            live(&t, &rng)
            objects.append(t)
        }
        for _ in 0..<Int.random(in: 0...9, using: &rng) {
            var o = object("attack-pattern", "attack-pattern--\(Int.random(in: 0..<8, using: &rng))", techniqueIDs, &rng)
            o["kill_chain_phases"] = (0..<Int.random(in: 0...3, using: &rng)).map { _ in
                ["kill_chain_name": Int.random(in: 0..<4, using: &rng) == 0 ? "lockheed" : "mitre-attack", "phase_name": shortnames.randomElement(using: &rng)!]
            }
            objects.append(o)
        }
        for _ in 0..<Int.random(in: 0...5, using: &rng) {
            let stix = Int.random(in: 0..<6, using: &rng) == 0 ? "attack-pattern--1" : "course-of-action--\(Int.random(in: 0..<5, using: &rng))"
            objects.append(object("course-of-action", stix, mitigationIDs, &rng))
        }
        let refs = (0..<8).map { "attack-pattern--\($0)" } + (0..<5).map { "course-of-action--\($0)" } + ["intrusion-set--1"]
        for n in 0..<Int.random(in: 0...30, using: &rng) {
            var o: [String: Any] = ["type": "relationship", "id": "relationship--\(n)", "source_ref": refs.randomElement(using: &rng)!,
                                    "target_ref": refs.randomElement(using: &rng)!,
                                    "relationship_type": Int.random(in: 0..<5, using: &rng) == 0 ? "uses" : "mitigates"]
            live(&o, &rng)
            objects.append(o)
        }
        objects.shuffle(using: &rng)
        return ["type": "bundle", "id": "bundle--1", "objects": objects]
    }

    static func object(_ type: String, _ stix: String, _ ids: [String], _ rng: inout SplitMix64) -> [String: Any] {
        var o: [String: Any] = ["type": type, "id": stix, "name": name(&rng)]
        if Int.random(in: 0..<8, using: &rng) != 0 { o["external_references"] = references(ids.randomElement(using: &rng)!, &rng) }
        live(&o, &rng)
        return o
    }

    static func live(_ o: inout [String: Any], _ rng: inout SplitMix64) {
        if let t = truths.randomElement(using: &rng)!, Int.random(in: 0..<3, using: &rng) == 0 { o["revoked"] = t }
        if let t = truths.randomElement(using: &rng)!, Int.random(in: 0..<3, using: &rng) == 0 { o["x_mitre_deprecated"] = t }
    }

    static func references(_ id: String, _ rng: inout SplitMix64) -> [[String: Any]] {
        var refs: [[String: Any]] = [["source_name": "mitre-attack", "external_id": id]]
        if Bool.random(using: &rng) { refs.insert(["source_name": "capec", "external_id": "CAPEC-\(Int.random(in: 1...9, using: &rng))"], at: 0) }
        if Int.random(in: 0..<4, using: &rng) == 0 { refs.insert(["source_name": "mitre-attack", "external_id": ""], at: 0) }
        return refs
    }

    static func name(_ rng: inout SplitMix64) -> String {
        var s = spaces.randomElement(using: &rng)!
        for _ in 0..<Int.random(in: 1...3, using: &rng) { s += words.randomElement(using: &rng)! + spaces.randomElement(using: &rng)! }
        return s
    }
}
