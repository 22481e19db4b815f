import BulwarkModel
import Firewall
import Foundation
import PacketSpace
import Testing

/// The nftables reader and the hook pipeline on the project's own ruleset (`Inputs/constructs.nft`,
/// dumped by the real nft; its answers agree with the kernel in NFTablesKernelAgreementTests), and on
/// broken input. Runs without ../shared.
@Suite struct NFTablesReaderTests {
    static func constructs() throws -> Ruleset {
        let path = SharedFixtures.input("constructs.nft.json")
        return try RulesetLoader.load(text: String(contentsOfFile: path, encoding: .utf8), file: "constructs.nft.json")
    }

    static func answer(_ ruleset: Ruleset, _ hook: Hook, src: String, dst: String, dport: Int, in iface: String = "eth5", out: String? = nil) throws -> Evaluation {
        var d = PacketDescription(source: src, destination: dst)
        d.destinationPort = dport
        d.inInterface = iface
        d.outInterface = out
        let q = try QueryPacket(d, hook: hook)
        return Evaluator(program: TableProgram(ruleset: ruleset)).evaluate(q.packet, unknown: q.unknown, hook: hook)
    }

    @Test func readsTablesChainsAndVerdictMaps() throws {
        let r = try Self.constructs()
        #expect(r.isNFTables && r.diagnostics.filter { $0.severity != .note }.isEmpty, "\(r.diagnostics)")
        #expect(r.tables.map { "\($0.family ?? "?") \($0.name)" } == ["inet edge", "ip legacy"])
        let edge = try #require(r.tables.first)
        let inMain = try #require(edge.chain(named: "in_main"))
        #expect(inMain.hook == .input && inMain.priority == 0 && inMain.policy == .drop)
        #expect(edge.chain(named: "in_first")?.priority == -10 && edge.chain(named: "pre")?.hook == .prerouting)
        #expect(edge.chain(named: "ssh_in")?.policy == nil)
        // `tcp dport vmap @svc` is rule 3 of in_main: one IR rule per map element, all at position 3.
        let vmap = inMain.rules.filter { $0.position == 3 }
        #expect(vmap.count == 4)
        #expect(Set(vmap.compactMap(\.part)).count == 4)
        #expect(vmap.contains { $0.target == .jump("ssh_in") } && vmap.contains { $0.target == .drop })
        // Rules point at the JSON object that holds them.
        #expect(vmap.allSatisfy { $0.line == vmap[0].line && $0.column == 3 })
    }

    @Test func basePipelineRunsByPriorityAcrossTables() throws {
        let program = TableProgram(ruleset: try Self.constructs())
        let names = program.stages(for: .input).map { program.chains[$0.chain].qualifiedName.joined(separator: " ") }
        #expect(names == ["inet edge pre", "inet edge in_first", "inet edge in_main", "ip legacy input"])
        #expect(program.stages(for: .output).isEmpty)
    }

    @Test func acceptGoesOnDropIsFinalAndTheLastAcceptDecides() throws {
        let r = try Self.constructs()
        // in_first accepts 3306, but in_main has no rule for it: its drop policy decides.
        let mysql = try Self.answer(r, .input, src: "198.51.100.7", dst: "10.1.1.1", dport: 3306)
        #expect(mysql.verdict == .drop && mysql.decidedBy?.chain == "in_main" && mysql.decidedBy?.policy == .drop && mysql.isExact)
        // Accepted by the map in in_main, then by the legacy table's policy: the last accept is credited.
        let web = try Self.answer(r, .input, src: "198.51.100.7", dst: "10.1.1.1", dport: 80)
        #expect(web.verdict == .accept && web.decidedBy?.family == "ip" && web.decidedBy?.table == "legacy" && web.decidedBy?.policy == .accept)
        // A concatenated set hit in the first chain rejects.
        let blocked = try Self.answer(r, .input, src: "203.0.113.66", dst: "10.1.1.1", dport: 22)
        #expect(blocked.verdict == .reject && blocked.decidedBy?.chain == "in_first" && blocked.decidedBy?.rule == 4)
        // ssh through the map: admin addresses accepted in ssh_in, others return and fall to the policy.
        let admin = try Self.answer(r, .input, src: "10.10.3.3", dst: "10.1.1.1", dport: 22)
        #expect(admin.verdict == .accept && admin.matched.contains { $0.chain == "ssh_in" && $0.rule == 1 })
        let other = try Self.answer(r, .input, src: "10.99.3.3", dst: "10.1.1.1", dport: 22)
        #expect(other.verdict == .drop && other.decidedBy?.policy == .drop)
        // A drop on prerouting decides an INPUT query.
        let spoofed = try Self.answer(r, .input, src: "198.18.0.9", dst: "10.1.1.1", dport: 443)
        #expect(spoofed.verdict == .drop && spoofed.decidedBy?.chain == "pre" && spoofed.decidedBy?.rule == 1)
    }

    @Test func anAcceptThatALaterBaseChainDropsIsNoHole() throws {
        let findings = FirewallAnalyzer(program: TableProgram(ruleset: try Self.constructs())).analyze().findings
        // in_first rule 5 accepts tcp/3306 from anywhere, but in_main drops it: not over-permissive.
        #expect(!findings.contains { $0.kind == .overPermissive && $0.chain == "in_first" })
        #expect(findings.contains { $0.kind == .overPermissive && $0.chain == "forward_main" && $0.rule == 2 && $0.family == "inet" })
        // in_main drops what no rule accepts: the hook has a default deny although legacy's policy accepts.
        #expect(!findings.contains { $0.kind == .noDefaultDeny })
    }

    @Test func brokenInputIsDiagnosedOrRefused() throws {
        // Not JSON: refused with line and column.
        #expect(throws: RulesetLoader.Failure.self) { try RulesetLoader.load(text: "{\"nftables\": [\n  {\"table\": }\n]}", file: "bad.json") }
        do {
            _ = try RulesetLoader.load(text: "{\"nftables\": [\n  {\"table\": }\n]}", file: "bad.json")
        } catch {
            #expect(error.description.hasPrefix("bad.json:2:13:"), "\(error.description)")
        }
        // A usable file with a bad element: a diagnostic at that element, the rest read.
        let text = """
            {"nftables": [
              {"table": {"family": "inet", "name": "t"}},
              {"chain": {"family": "inet", "table": "t", "name": "in", "type": "filter", "hook": "input", "prio": 0, "policy": "drop"}},
              {"rule": {"family": "inet", "table": "t", "chain": "nope", "expr": [{"accept": null}]}},
              {"rule": {"family": "inet", "table": "t", "chain": "in", "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": "not-a-port"}}, {"accept": null}]}}
            ]}
            """
        let r = try RulesetLoader.load(text: text, file: "t.json")
        #expect(r.diagnostics.contains { $0.location.line == 4 && $0.location.column == 3 && $0.message.contains("does not declare") })
        #expect(r.diagnostics.contains { $0.location.line == 5 && $0.message.contains("not of the kind") })
        let rule = try #require(r.tables.first?.chain(named: "in")?.rules.first)
        #expect(!rule.match.isExact)
    }
}
