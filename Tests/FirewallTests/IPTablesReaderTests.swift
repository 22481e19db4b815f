import BulwarkModel
@testable import Firewall
import Foundation
import PacketSpace
import Testing

@Suite struct IPTablesReaderTests {
    static func load(_ name: String) throws -> Ruleset {
        let path = SharedFixtures.input(name)
        return try RulesetLoader.load(text: String(contentsOfFile: path, encoding: .utf8), file: name)
    }

    static func read(_ text: String) -> Ruleset { IPTablesReader().read(text: text, file: "inline") }

    /// The answer for a described packet, as `firewall query` gives it.
    static func ask(_ ruleset: Ruleset, _ hook: Hook, _ d: PacketDescription) throws -> Evaluation {
        let q = try QueryPacket(d, hook: hook)
        return Evaluator(program: TableProgram(ruleset: ruleset)).evaluate(q.packet, unknown: q.unknown, hook: hook)
    }

    static func packet(_ src: String, _ dst: String, _ proto: String = "tcp", dport: Int? = nil, in i: String? = "eth0",
                       out o: String? = nil, mac: String? = "02:00:00:00:00:99", state: String? = nil) -> PacketDescription {
        var d = PacketDescription(source: src, destination: dst, proto: proto)
        d.destinationPort = dport
        d.inInterface = i
        d.outInterface = o
        d.sourceMAC = mac
        d.state = state
        return d
    }

    static func decider(_ e: Evaluation) -> String {
        guard let d = e.decidedBy else { return "none" }
        return d.rule.map { "\(d.chain) \($0)" } ?? "\(d.chain) policy"
    }

    // MARK: Real files

    /// Rule counts per table as the fixtures' README gives them; no line of any real file is an error.
    @Test(.enabled(if: SharedFixtures.isAvailable, "real rulesets skipped: ../shared/fixtures is absent"),
          arguments: [
              ("docker-host.iptables-save", ["filter": 30, "nat": 6]),
              ("home-user.iptables-save", ["raw": 116, "filter": 88, "nat": 8, "mangle": 6]),
              ("medium-company-2016-01-31.iptables-save", ["filter": 595, "nat": 2, "raw": 1]),
              ("openlab.iptables-save", ["filter": 308, "mangle": 34, "nat": 23]),
              ("qubes.iptables-save", ["filter": 15, "nat": 9, "raw": 1]),
              ("shorewall-sqrl-2014.iptables-save", ["filter": 373, "raw": 22, "mangle": 7, "nat": 2]),
              ("tum-chair-2016-06-27.iptables-save", ["filter": 5529, "raw": 24, "nat": 3]),
              ("tum-chair-2016-06-27.ip6tables-save", ["filter": 6203]),
          ])
    func realRulesetsReadCompletely(file: String, counts: [String: Int]) throws {
        let path = SharedFixtures.path("iptables/\(file)")
        let ruleset = try RulesetLoader.load(text: String(contentsOfFile: path, encoding: .utf8), file: path)
        #expect(ruleset.diagnostics.filter { $0.severity == .error }.isEmpty, "\(ruleset.diagnostics.filter { $0.severity == .error })")
        for (table, n) in counts { #expect(ruleset.table(named: table)?.ruleCount == n, "\(file) \(table)") }
        #expect(ruleset.family == (file.contains("ip6") ? .ipv6 : .ipv4))
        // Nothing in the real files is a construct Bulwark does not know.
        #expect(!ruleset.diagnostics.contains { $0.message.contains("unknown") }, "\(ruleset.diagnostics)")
    }

    // MARK: Constructs and their meaning

    @Test func constructsMeanWhatTheKernelMeans() throws {
        let r = try Self.load("constructs.iptables-save")
        #expect(r.diagnostics.filter { $0.severity >= .warning }.isEmpty, "\(r.diagnostics)")
        #expect(r.table(named: "mangle")?.ruleCount == 1)
        let filter = try #require(r.filter)
        #expect(filter.chain(named: "INPUT")?.policy == .drop)
        #expect(filter.chain(named: "SERVICES")?.policy == nil)
        #expect(filter.chain(named: "INPUT")?.rules.first?.text == "-A INPUT -i lo -j ACCEPT")  // counters dropped
        let comment = filter.chain(named: "INPUT")?.rules[4].comment
        #expect(comment == "web \"front\" ends")

        func check(_ hook: Hook, _ d: PacketDescription, _ verdict: Verdict, _ by: String, exact: Bool = true,
                   sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
            let e = try Self.ask(r, hook, d)
            #expect(e.verdict == verdict, "\(d)", sourceLocation: sourceLocation)
            #expect(Self.decider(e) == by, "\(d)", sourceLocation: sourceLocation)
            #expect(e.isExact == exact, "\(d): \(e.uncertainties)", sourceLocation: sourceLocation)
        }
        // Negated interface, port range, TCP flags (a query packet is SYN only).
        try check(.input, Self.packet("192.0.2.5", "192.0.2.1", dport: 22), .accept, "INPUT 3")
        try check(.input, Self.packet("192.0.2.5", "192.0.2.1", dport: 22, in: "eth1"), .reject, "INPUT 15")
        // Negated source.
        try check(.input, Self.packet("198.51.100.7", "192.0.2.1", "udp", dport: 53), .reject, "INPUT 15")
        try check(.input, Self.packet("8.8.8.8", "192.0.2.1", "udp", dport: 53), .accept, "INPUT 4")
        // Multiport with a range, a jump, RETURN back to the caller.
        try check(.input, Self.packet("8.8.8.8", "192.0.2.1", dport: 443), .accept, "SERVICES 2")
        try check(.input, Self.packet("8.8.8.8", "192.0.2.80", dport: 80), .accept, "SERVICES 1")
        try check(.input, Self.packet("8.8.8.8", "192.0.2.1", dport: 8050), .reject, "INPUT 15")
        // ICMP type/code; the rate limit makes the answer inexact.
        var unreachable = Self.packet("8.8.8.8", "192.0.2.1", "icmp")
        unreachable.icmpType = 3
        unreachable.icmpCode = 4
        try check(.input, unreachable, .accept, "INPUT 6")
        try check(.input, Self.packet("8.8.8.8", "192.0.2.1", "icmp"), .accept, "INPUT 7", exact: false)
        // Address range into a user chain.
        try check(.input, Self.packet("203.0.113.15", "192.0.2.1", dport: 3306), .accept, "TRUSTED 1")
        try check(.input, Self.packet("203.0.113.21", "192.0.2.1", dport: 3306), .reject, "INPUT 15")
        // MAC: exact when the query gives it, inexact otherwise.
        try check(.input, Self.packet("203.0.113.99", "192.0.2.1", "udp", dport: 9, mac: "00:11:22:33:44:55"), .accept, "INPUT 9")
        try check(.input, Self.packet("203.0.113.99", "192.0.2.1", "udp", dport: 9, mac: "00:11:22:33:44:66"), .reject, "INPUT 15")
        // Multicast destinations have that address type.
        try check(.input, Self.packet("203.0.113.99", "224.0.0.5", "udp", dport: 9, mac: "00:11:22:33:44:66"), .drop, "INPUT 10")
        // Connection tracking: an established packet; a new connection's original port.
        try check(.input, Self.packet("203.0.113.99", "192.0.2.1", dport: 9999, state: "ESTABLISHED"), .accept, "INPUT 2")
        try check(.input, Self.packet("203.0.113.99", "192.0.2.1", dport: 25, mac: "00:11:22:33:44:66"), .reject, "INPUT 13")
        // FORWARD: goto, then RETURN from the chain entered by goto goes back past GATE's caller.
        try check(.forward, Self.packet("10.1.1.1", "192.0.2.7", dport: 443, out: "eth1"), .accept, "SERVICES 2")
        try check(.forward, Self.packet("10.1.1.1", "192.0.2.7", dport: 8050, out: "eth1"), .drop, "FORWARD policy")
        try check(.forward, Self.packet("172.16.0.1", "192.0.2.7", dport: 22, out: "eth1"), .accept, "GATE 2")
        // Bridged and IPsec packets are not what a query describes; protocol numbers; negated protocol.
        try check(.forward, Self.packet("172.16.0.1", "192.0.2.7", "47", in: "br0", out: "eth2"), .accept, "FORWARD 4")
        try check(.forward, Self.packet("172.16.0.1", "192.0.2.7", "udp", dport: 1, in: "br0", out: "eth2"), .drop, "FORWARD 5")
        // OUTPUT: the socket's owner is not part of a packet.
        try check(.output, Self.packet("192.0.2.1", "8.8.8.8", dport: 443, in: nil, out: "eth0"), .accept, "OUTPUT policy", exact: false)
    }

    @Test func optionSpellingsAndNegations() throws {
        let r = Self.read("""
            *filter
            :INPUT ACCEPT [0:0]
            :FORWARD ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            -A INPUT -s ! 10.0.0.0/8 -p tcp -m tcp --dport ! 22 -j DROP
            -A INPUT --source 10.1.0.0/255.255.0.0 --protocol udp -m udp --destination-port 53 --jump REJECT
            -A INPUT -p tcp -m tcp --syn -m set --match-set friends src -j ACCEPT
            -A INPUT -p tcp -m tcp ! --syn -j DROP
            COMMIT
            """)
        #expect(r.diagnostics.filter { $0.severity >= .warning }.isEmpty, "\(r.diagnostics)")
        try #expect(Self.decider(Self.ask(r, .input, Self.packet("8.8.8.8", "192.0.2.1", dport: 80))) == "INPUT 1")
        try #expect(Self.decider(Self.ask(r, .input, Self.packet("8.8.8.8", "192.0.2.1", dport: 22))) != "INPUT 1")
        try #expect(Self.decider(Self.ask(r, .input, Self.packet("10.1.2.3", "192.0.2.1", "udp", dport: 53))) == "INPUT 2")
        // The ipset's members are unknown: inexact, assumed not a member.
        let e = try Self.ask(r, .input, Self.packet("10.9.9.9", "192.0.2.1", dport: 22))
        #expect(!e.isExact && e.uncertainties.contains { $0.contains("ipset") })
        var ack = Self.packet("10.9.9.9", "192.0.2.1", dport: 22)
        ack.tcpFlags = "ACK"
        try #expect(Self.decider(Self.ask(r, .input, ack)) == "INPUT 4")
    }

    // MARK: Bad input

    @Test func badLinesAreDiagnosedAndCounted() throws {
        let r = try Self.load("broken.iptables-save")
        func diagnostic(line: Int) -> Diagnostic? { r.diagnostics.first { $0.location.line == line && $0.severity >= .warning } }
        #expect(diagnostic(line: 9)?.message.contains("IPv4 address") == true)
        #expect(diagnostic(line: 9)?.location.column == 13)
        #expect(diagnostic(line: 10)?.message.contains("port") == true)
        #expect(diagnostic(line: 11)?.severity == .warning)  // unknown module: read, but uncertain
        #expect(diagnostic(line: 12)?.message.contains("--dport") == true)
        #expect(diagnostic(line: 13)?.message.contains("NOSUCHTARGET") == true)
        #expect(diagnostic(line: 14)?.message.contains("closing") == true)
        #expect(diagnostic(line: 15)?.message.contains("NOCHAIN") == true)
        #expect(diagnostic(line: 16)?.message.contains("a rule (-A CHAIN") == true)
        #expect(r.diagnostics.contains { $0.severity == .note && $0.location.line == 1 })
        #expect(r.diagnostics.contains { $0.severity == .note && $0.location.line == 21 })
        #expect(r.diagnostics.allSatisfy { $0.location.file == "broken.iptables-save" })
        // Broken lines still count: the UDP rule on line 17 is INPUT rule 8.
        let input = try #require(r.filter?.chain(named: "INPUT"))
        #expect(input.rules.count == 9)
        #expect(input.rules[7].line == 17 && input.rules[7].position == 8)
        #expect(input.rules[1].isBroken && input.rules[2].isBroken && input.rules[4].isBroken && input.rules[6].isBroken)
        #expect(!input.rules[3].isBroken && !input.rules[3].match.isExact)
        // Results touching the chain are inexact and say why; the rest of the file is analysed.
        let analysis = FirewallAnalyzer(program: TableProgram(ruleset: r)).analyze()
        let dead = try #require(analysis.findings.first { $0.kind == .dead && $0.chain == "INPUT" && $0.rule == 9 })
        #expect(!dead.exact)
        #expect(dead.inexactReasons.contains { $0.contains("could not read") })
        #expect(dead.coveredBy == [RuleLocator(chain: "INPUT", rule: 1)])
        let unused = try #require(analysis.findings.first { $0.kind == .unusedChain && $0.chain == "EXTRA" })
        #expect(unused.exact)
    }

    @Test(arguments: ["", "hello world\n", "# only a comment\n", "{\"nftables\": []}", "\u{0}\u{1}\u{2}"])
    func noRulesetIsAFailure(text: String) {
        #expect(throws: RulesetLoader.Failure.self) { try RulesetLoader.load(text: text, file: "x") }
    }

    @Test func structuralProblems() {
        let r = Self.read("""
            *filter
            :INPUT BOGUS [0:0]
            :INPUT ACCEPT [0:0]
            -A INPUT -j ACCEPT
            *nat
            :PREROUTING ACCEPT [0:0]
            COMMIT
            """)
        #expect(r.diagnostics.contains { $0.location.line == 2 && $0.message.contains("policy") })
        #expect(r.diagnostics.contains { $0.location.line == 3 && $0.message.contains("twice") })
        #expect(r.diagnostics.contains { $0.location.line == 5 && $0.message.contains("COMMIT") })
        #expect(r.filter?.ruleCount == 1)
    }

    @Test func ipv6RulesetsAreReadAsIPv6() throws {
        let r = try Self.load("v6.ip6tables-save")
        #expect(r.family == .ipv6)
        #expect(r.format == "ip6tables-save")
        #expect(r.diagnostics.filter { $0.severity >= .warning }.isEmpty, "\(r.diagnostics)")
        var ns = Self.packet("fe80::1", "2001:db8:10::1", "ipv6-icmp")
        ns.icmpType = 136
        try #expect(Self.decider(Self.ask(r, .input, ns)) == "INPUT 4")
        try #expect(Self.decider(Self.ask(r, .input, Self.packet("2001:db8:10:1::5", "2001:db8:10::1", dport: 22))) == "INPUT 5")
        let analysis = FirewallAnalyzer(program: TableProgram(ruleset: r)).analyze()
        #expect(analysis.findings.contains { $0.kind == .dead && $0.rule == 6 && $0.coveredBy == [RuleLocator(chain: "INPUT", rule: 5)] })
    }
}
