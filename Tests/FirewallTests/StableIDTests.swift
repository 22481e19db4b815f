import BulwarkModel
import Firewall
import Foundation
import Testing

/// Finding ids stay the same when the file changes around the finding: across runs, when lines
/// move, when unrelated rules are added.
@Suite struct StableIDTests {
    static func ids(_ text: String) -> [String: String] {
        let analysis = FirewallAnalyzer(program: TableProgram(ruleset: IPTablesReader().read(text: text, file: "x"))).analyze()
        var out: [String: String] = [:]
        for f in analysis.findings { out["\(f.kind.rawValue) \(f.chain) \(f.ruleText ?? "")"] = f.id }
        return out
    }

    @Test func idsSurviveMovedLinesAndNewRules() throws {
        let text = try String(contentsOfFile: SharedFixtures.projectRoot + "/Examples/acme-edge.iptables-save", encoding: .utf8)
        let before = Self.ids(text)
        #expect(before == Self.ids(text))
        #expect(Set(before.values).count == before.count, "ids are unique")
        // Comments and blank lines above, an unrelated rule added at the top of FORWARD.
        let moved = "# a new header line\n\n# another\n" + text.replacingOccurrences(
            of: "-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
            with: "-A FORWARD -s 192.0.2.99/32 -d 192.0.2.98/32 -j DROP\n-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT")
        let after = Self.ids(moved)
        for (key, id) in before { #expect(after[key] == id, "\(key)") }
    }

    @Test func identicalRulesGetDistinctIds() {
        let ids = Self.ids("*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -p tcp -j ACCEPT\n-A INPUT -p tcp -j ACCEPT\n-A INPUT -p tcp -j ACCEPT\nCOMMIT\n")
        let analysis = FirewallAnalyzer(program: TableProgram(ruleset: IPTablesReader().read(
            text: "*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -p tcp -j ACCEPT\n-A INPUT -p tcp -j ACCEPT\n-A INPUT -p tcp -j ACCEPT\nCOMMIT\n", file: "x"))).analyze()
        let dead = analysis.findings.filter { $0.kind == .dead }
        #expect(dead.count == 2)
        #expect(Set(dead.map(\.id)).count == 2)
        #expect(!ids.isEmpty)
    }
}
