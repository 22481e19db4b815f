import BulwarkModel
import Firewall
import Foundation
import Reports
import Testing
import TestSupport

/// Rendered output against golden files. Re-record with `RECORD_SNAPSHOTS=1 swift test --filter GoldenTests`
/// after a deliberate change, and read the diff before committing it.
@Suite struct GoldenTests {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static func analysis() throws -> FirewallAnalysis {
        let file = "Examples/acme-edge.iptables-save"
        let text = try String(contentsOfFile: root + "/" + file, encoding: .utf8)
        let ruleset = try RulesetLoader.load(text: text, file: file)
        return FirewallAnalyzer(program: TableProgram(ruleset: ruleset)).analyze()
    }

    static func assertGolden(_ actual: String, _ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        if let difference = try TestSupport.goldenDifference(actual, "Tests/ReportsTests/Golden/" + name) {
            Issue.record(Comment(rawValue: difference), sourceLocation: sourceLocation)
        }
    }

    @Test func jsonReport() throws {
        try Self.assertGolden(FirewallReport.json(Self.analysis(), toolVersion: "test", pretty: true), "acme-edge.json")
    }

    @Test func textReport() throws {
        try Self.assertGolden(FirewallReport.text(Self.analysis(), style: TextStyle(colored: false)), "acme-edge.txt")
    }

    @Test func sarifReport() throws {
        try Self.assertGolden(SARIFReport.firewall(Self.analysis(), toolVersion: "test"), "acme-edge.sarif")
    }

    /// The JSON is valid JSON with the contract's fields on every finding.
    @Test func jsonContract() throws {
        let json = try JSONParser.parse(FirewallReport.json(Self.analysis(), toolVersion: "test"))
        #expect(json["schema_version"]?.string == FirewallReport.schemaVersion)
        let findings = try #require(json["findings"]?.array)
        #expect(!findings.isEmpty)
        for f in findings {
            for key in ["id", "kind", "severity", "chain", "rule", "line", "exact", "message", "fix", "lens", "role", "cissp_domain"] {
                #expect(f[key] != nil, "\(key) missing in \(f)")
            }
            if ["dead", "redundant"].contains(f["kind"]?.string) { #expect(f["covered_by"]?.array != nil) }
            if ["shadowing", "correlation", "generalization", "pair-redundancy"].contains(f["kind"]?.string) { #expect(f["related"]?.array?.isEmpty == false) }
        }
    }
}
