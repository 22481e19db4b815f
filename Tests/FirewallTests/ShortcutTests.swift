import BulwarkModel
@testable import Firewall
import Foundation
import Testing

/// The shortcuts (containers, witnesses, lazy redundancy proofs, chain summaries) against the exact
/// set computation alone, on ClassBench-like chains too large for the brute-force grid.
@Suite struct ShortcutTests {
    /// A single chain of rules over nested prefixes, a handful of services and mixed actions, like
    /// `../shared/tools/rulegen` but written here and small enough for the slow path.
    static func classBenchLike(_ rng: inout SplitMix64, rules: Int) -> String {
        func pick<T>(_ a: [T]) -> T { a[Int(rng.next() % UInt64(a.count))] }
        let sites: [UInt32] = [0x0A01_0000, 0x0A02_0000, 0xAC10_0000, 0xC0A8_0000]
        func prefix() -> String? {
            if rng.next() % 6 == 0 { return nil }
            let length = pick([8, 16, 16, 24, 24, 28, 32, 32])
            let address = pick(sites) | UInt32(truncatingIfNeeded: rng.next() & 0x0303)
            let mask: UInt32 = length == 0 ? 0 : ~UInt32(0) << UInt32(32 - length)
            let a = address & mask
            return "\(a >> 24).\((a >> 16) & 255).\((a >> 8) & 255).\(a & 255)/\(length)"
        }
        var lines = ["*filter", ":INPUT ACCEPT [0:0]", ":FORWARD \(pick(["DROP", "ACCEPT"])) [0:0]", ":OUTPUT ACCEPT [0:0]"]
        for _ in 0..<rules {
            var parts = ["-A FORWARD"]
            var s = prefix()
            var d = prefix()
            while s == nil && d == nil { s = prefix(); d = prefix() }
            if let s { parts.append("-s \(s)") }
            if let d { parts.append("-d \(d)") }
            let proto = pick(["tcp", "tcp", "udp", "icmp", ""])
            if !proto.isEmpty { parts.append("-p \(proto)") }
            if proto == "tcp" || proto == "udp", rng.next() % 5 != 0 {
                parts.append("-m \(proto) --dport \(pick(["22", "80", "443", "1000:2000", "1024:65535", "53"]))")
            }
            parts.append("-j \(pick(["ACCEPT", "ACCEPT", "DROP", "REJECT"]))")
            lines.append(parts.joined(separator: " "))
        }
        lines.append("COMMIT")
        return lines.joined(separator: "\n") + "\n"
    }

    static func statuses(_ text: String, setsOnly: Bool) -> Set<String> {
        let ruleset = IPTablesReader().read(text: text, file: "x")
        let analysis = FirewallAnalyzer(program: TableProgram(ruleset: ruleset), options: AnalysisOptions(setsOnly: setsOnly)).analyze()
        return Set(analysis.findings.filter { $0.kind == .dead || $0.kind == .redundant }.map { "\($0.kind.rawValue) \($0.chain) \($0.rule!)" })
    }

    @Test(arguments: 0..<6)
    func shortcutsAgreeWithExactSets(seed: Int) {
        var rng = SplitMix64(seed: UInt64(seed) &* 2_654_435_761 &+ 11)
        let text = Self.classBenchLike(&rng, rules: 150)
        let fast = Self.statuses(text, setsOnly: false)
        let exact = Self.statuses(text, setsOnly: true)
        #expect(fast == exact, "only with shortcuts: \(fast.subtracting(exact).sorted()); only with sets: \(exact.subtracting(fast).sorted())")
        #expect(fast.contains { $0.hasPrefix("dead") })
    }

    /// The same on the real rulesets with user chains, gotos and uncertain matches.
    @Test(.enabled(if: SharedFixtures.isAvailable, "real-ruleset shortcut check skipped: ../shared/fixtures is absent"),
          arguments: ["qubes.iptables-save", "docker-host.iptables-save", "home-user.iptables-save", "shorewall-sqrl-2014.iptables-save"])
    func shortcutsAgreeOnRealRulesets(file: String) throws {
        let text = try String(contentsOfFile: SharedFixtures.path("iptables/\(file)"), encoding: .utf8)
        let fast = Self.statuses(text, setsOnly: false)
        let exact = Self.statuses(text, setsOnly: true)
        #expect(fast == exact, "only with shortcuts: \(fast.subtracting(exact).sorted()); only with sets: \(exact.subtracting(fast).sorted())")
    }
}
