import BulwarkModel
import Foundation
import Testing
import TestSupport

/// `bulwark analyze`: every engine on an estate, the reports written to a folder.
@Suite struct AnalyzeCLITests {
    static let lab = "Tests/AttackGraphTests/Inputs/lab"

    func out() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("bulwark-analyze-\(UUID().uuidString)").path
    }

    @Test func theLabIsAnalysedEndToEnd() throws {
        let dir = out()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try CLITests.run(["analyze", Self.lab, "--out", dir, "--trials", "5000"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.isEmpty && r.stderr.isEmpty)  // quiet when not on a terminal
        let json = try JSONParser.parse(try String(contentsOfFile: dir + "/findings.json", encoding: .utf8))
        let findings = try #require(json["findings"]?.array)
        let rules = Set(findings.compactMap { $0["rule"]?.string })
        // Each lens has its findings: the edge firewall's rules, the KEV-listed exploits, the ways
        // to the crown jewel and Tier Zero, the register's open scenarios, the controls not in place.
        #expect(rules.isSuperset(of: ["vulnerability/exploitable", "attack/target-reachable", "risk/scenario", "control/gap"]))
        #expect(findings.contains { $0["rule"]?.string?.hasPrefix("firewall/") == true })
        for f in findings {
            #expect(f["lens"]?.string != nil && f["role"]?.string != nil && f["cissp_domain"]?.string != nil)
            #expect(f["locations"]?.array?.first?["line"]?.int ?? 0 >= 1)
        }
        let severities = findings.compactMap { $0["severity"]?.string }.compactMap(Severity.init(rawValue:))
        #expect(severities == severities.sorted(by: >))  // most severe first
        let web = try #require(findings.first { $0["rule"]?.string == "vulnerability/exploitable" && $0["title"]?.string?.contains("CVE-2021-41773") == true })
        #expect(web["severity"]?.string == "critical" && web["locations"]?.array?.first?["file"]?.string?.hasSuffix("lab.nessus") == true)
        #expect(json["summary"]?["findings"]?.int == findings.count)

        // The register as a spreadsheet: a header and one row per scenario of the findings.
        let csv = try String(contentsOfFile: dir + "/risk-register.csv", encoding: .utf8)
        let rows = csv.split(separator: "\r\n")
        #expect(rows.first?.hasPrefix("identifier,asset,objective,currency,annualized_loss") == true)
        #expect(rows.count - 1 == findings.filter { $0["rule"]?.string == "risk/scenario" }.count && rows.count > 1)
        // The page works offline: its three views and pictures are in it, nothing is fetched.
        let html = try String(contentsOfFile: dir + "/report.html", encoding: .utf8)
        for id in ["executive", "technical", "compliance", "top-risks", "loss-exceedance", "technical-findings", "network-map", "reachability-heat-map", "soa", "csf"] {
            #expect(html.contains("id=\"\(id)\""), "\(id)")
        }
        #expect(html.contains("class=\"attack-path\""))
        #expect(!html.contains("src=\"http") && !html.contains("href=\"http") && !html.contains("@import"))
        let md = try String(contentsOfFile: dir + "/report.md", encoding: .utf8)
        #expect(md.contains("## Executive — cybersecurity") && md.contains("## Technical — IT security") && md.contains("## Compliance — information security"))

        if CLITests.canValidateSARIF {
            let check = try CLITests.runPython("""
                import json, sys, jsonschema
                schema = json.load(open(sys.argv[1])); doc = json.load(open(sys.argv[2]))
                jsonschema.validate(doc, schema)
                print("valid", len(doc["runs"][0]["results"]))
                """, [CLITests.root + "/../shared/fixtures/sarif/sarif-schema-2.1.0.json", dir + "/findings.sarif"])
            #expect(check.status == 0, "\(check.stderr)")
            #expect(check.stdout == "valid \(findings.count)\n")
        }
    }

    /// The Markdown report and findings.json of the lab, against golden files (re-record with
    /// `RECORD_SNAPSHOTS=1 swift test --filter AnalyzeCLITests` after a deliberate change).
    @Test func goldenReports() throws {
        let dir = out()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try CLITests.run(["analyze", Self.lab, "--out", dir, "--trials", "5000", "--seed", "7"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try String(contentsOfFile: dir + "/findings.json", encoding: .utf8)
        // The tool's version is the only thing a release may change without a change of output.
        let stable = json.replacing(#/"tool":\{"name":"bulwark","version":"[^"]*"\}/#, with: #""tool":{"name":"bulwark","version":"test"}"#)
        for (text, name) in [(try String(contentsOfFile: dir + "/report.md", encoding: .utf8), "lab-report.md"), (stable, "lab-findings.json")] {
            if let difference = try TestSupport.goldenDifference(text, "Tests/BulwarkCLITests/Golden/" + name) {
                Issue.record(Comment(rawValue: difference))
            }
        }
    }

    /// Attack paths are laid out by Graphviz's dot when it is on the PATH, by Bulwark otherwise.
    @Test func attackPathsAreDrawnByGraphvizWhenInstalledElseByBulwark() throws {
        let bare = out(), withDot = out()
        defer {
            try? FileManager.default.removeItem(atPath: bare)
            try? FileManager.default.removeItem(atPath: withDot)
        }
        let r = try TestSupport.run(URL(fileURLWithPath: "/usr/bin/env"),
                                    ["PATH=/nonexistent", CLITests.binary.path, "analyze", Self.lab, "--out", bare, "--trials", "2000"], in: CLITests.root)
        #expect(r.status == 0, "\(r.stderr)")
        let own = try String(contentsOfFile: bare + "/report.html", encoding: .utf8)
        #expect(own.contains("<svg class=\"attack-path\"") && !own.contains("data-layout=\"graphviz\""))
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/dot") else { return }
        let g = try CLITests.run(["analyze", Self.lab, "--out", withDot, "--trials", "2000"])
        #expect(g.status == 0, "\(g.stderr)")
        let drawn = try String(contentsOfFile: withDot + "/report.html", encoding: .utf8)
        #expect(drawn.contains("<div class=\"attack-path\" data-layout=\"graphviz\"><svg"))
        #expect(!drawn.contains("<?xml") && !drawn.contains("<!DOCTYPE svg"))
    }

    /// A scan finding with several CVEs is one fix: one patch candidate, not one per CVE with the
    /// same value (Northwind's db01 PostgreSQL finding lists three).
    @Test func oneFixIsOnePatchCandidate() throws {
        let r = try CLITests.run(["risk", "controls", "Examples/northwind", "--trials", "2000", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let patches = try #require(JSONParser.parse(r.stdout)["controls"]?.array).filter { $0["kind"]?.string == "patch" }
        let keys = patches.compactMap { p in p["control"]?.string.map { ($0.components(separatedBy: " on ").last ?? "") + " \(p["value"]?.number ?? 0)" } }
        #expect(!keys.isEmpty && Set(keys).count == keys.count, "\(keys)")
    }

    @Test func failOnAndUnusableEstates() throws {
        let dir = out()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let gate = try CLITests.run(["analyze", Self.lab, "--out", dir, "--trials", "2000", "--fail-on", "critical"])
        #expect(gate.status == 1 && FileManager.default.fileExists(atPath: dir + "/findings.json"))
        let bad = out()
        let broken = try CLITests.run(["analyze", "Tests/AttackGraphTests/Inputs/no-such-estate", "--out", bad])
        #expect(broken.status == 2 && !FileManager.default.fileExists(atPath: bad))
        let badFlag = try CLITests.run(["analyze", Self.lab, "--out", bad, "--fail-on", "severe"])
        #expect(badFlag.status != 0 && !FileManager.default.fileExists(atPath: bad))
    }
}
