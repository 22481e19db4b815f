import BulwarkModel
import Firewall
import Foundation
import PacketSpace
import Testing

/// The real IPv6 ruleset (the oracle sends IPv4 only): Bulwark's exact answers checked against the
/// independent reference evaluator of `AnalysisReferenceTests`, for packets aimed at its rules.
@Suite(.enabled(if: SharedFixtures.isAvailable, "real-ruleset IPv6 check skipped: ../shared/fixtures is absent"))
struct IPv6RulesetTests {
    @Test func tumIPv6AnswersAgreeWithTheReference() throws {
        let path = SharedFixtures.path("iptables/tum-chair-2016-06-27.ip6tables-save")
        let ruleset = try RulesetLoader.load(text: String(contentsOfFile: path, encoding: .utf8), file: path)
        #expect(ruleset.family == .ipv6)
        #expect(ruleset.diagnostics.filter { $0.severity == .error }.isEmpty)
        let filter = try #require(ruleset.filter)
        let reference = AnalysisReferenceTests.Reference(table: filter)
        let evaluator = Evaluator(program: TableProgram(ruleset: ruleset))
        var rng = SplitMix64(seed: 6)
        let cubes = filter.chains.flatMap { $0.rules.flatMap { $0.match.certain.prefix(1) } }
        let interfaces = Set(filter.chains.flatMap { c in c.rules.compactMap { r -> String? in
            let w = r.text.split(separator: " ")
            guard let i = w.firstIndex(of: "-i"), i + 1 < w.count else { return nil }
            return String(w[i + 1])
        } }).sorted()
        var total = 0
        var exact = 0
        for _ in 0..<3000 {
            let cube = cubes.randomElement(using: &rng)!
            let hook: Hook = rng.next() % 2 == 0 ? .input : .forward
            func value(_ f: PacketField, _ fallback: UInt128) -> UInt128 {
                guard let set = cube.values(f), let r = set.intervals.randomElement(using: &rng) else { return fallback }
                let span = r.upperBound - r.lowerBound
                return span == 0 ? r.lowerBound : r.lowerBound + UInt128(rng.next()) % (span &+ 1 == 0 ? UInt128(UInt64.max) : span + 1)
            }
            let src = value(.sourceAddress, 0x2001_0DB8 << 96 | UInt128(rng.next() & 0xFFFF))
            let dst = value(.destinationAddress, 0x2001_0DB8 << 96 | UInt128(rng.next() & 0xFFFF))
            let proto = value(.protocolNumber, [6, 17, 58][Int(rng.next() % 3)])
            guard [6, 17, 58].contains(proto) else { continue }
            var d = PacketDescription(source: IPAddress.format(src, family: .ipv6), destination: IPAddress.format(dst, family: .ipv6),
                                      proto: proto == 58 ? "ipv6-icmp" : (proto == 6 ? "tcp" : "udp"))
            if proto != 58 { d.destinationPort = Int(value(.destinationPort, 443) & 0xFFFF) }
            d.inInterface = interfaces.randomElement(using: &rng).map { $0.hasSuffix("+") ? String($0.dropLast()) + "9" : $0 } ?? "eth0"
            if hook == .forward { d.outInterface = interfaces.randomElement(using: &rng).map { $0.hasSuffix("+") ? String($0.dropLast()) + "9" : $0 } ?? "eth1" }
            guard let q = try? QueryPacket(d, hook: hook) else { continue }
            let ours = evaluator.evaluate(q.packet, unknown: q.unknown, hook: hook)
            total += 1
            guard ours.isExact else { continue }
            exact += 1
            let (verdict, visited) = reference.evaluate(q.packet, hook: hook)
            let theirs: Verdict = switch verdict { case .accept: .accept; case .drop: .drop; case .reject: .reject }
            #expect(ours.verdict == theirs, "\(hook.rawValue) \(d)")
            #expect(ours.matched.filter(\.certain).map { "\($0.chain) \($0.rule)" } == visited.map { "\($0.0) \($0.1 + 1)" }, "\(hook.rawValue) \(d)")
        }
        #expect(total > 2000)
        #expect(Double(exact) >= 0.8 * Double(total), "\(exact) of \(total) exact")
        print("IPv6 reference: \(total) packets, \(exact) exact")
    }
}
