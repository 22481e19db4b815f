import BulwarkModel
import Firewall
import Foundation
import PacketSpace
import TestSupport
import Testing

/// Bulwark's verdicts against the Linux kernel's, through `../shared/tools/netfilter-oracle`: every
/// real ruleset of `../shared/fixtures/iptables/`, INPUT and FORWARD, with interface names the
/// ruleset uses, for packets generated from its own rules and at random. Every exact answer must
/// agree with the kernel on verdict and deciding rule, and at least 90% of answers must be exact.
///
/// Needs root, iproute2, iptables and the shared folder; skipped (by name) otherwise.
@Suite(.enabled(if: KernelOracle.isAvailable, "kernel agreement skipped: needs root, iptables, iproute2 and ../shared/tools/netfilter-oracle"))
struct KernelAgreementTests {
    static let files = [
        "docker-host.iptables-save", "home-user.iptables-save", "medium-company-2016-01-31.iptables-save",
        "openlab.iptables-save", "qubes.iptables-save", "shorewall-sqrl-2014.iptables-save",
        "tum-chair-2016-06-27.iptables-save",
    ]

    /// The project's own rulesets, checked the same way.
    static let ownFiles = ["Examples/acme-edge.iptables-save", "Tests/FirewallTests/Inputs/constructs.iptables-save"]

    static func path(_ file: String) -> String {
        file.contains("/") ? SharedFixtures.projectRoot + "/" + file : SharedFixtures.path("iptables/\(file)")
    }

    /// Per file: packets compared, exact answers, disagreements, and the main reasons for the rest.
    struct Tally {
        var total = 0
        var exact = 0
        var disagreements: [String] = []
        var reasons: [String: Int] = [:]
    }

    @Test func verdictsAgreeWithTheKernel() async throws {
        let tallies = try await KernelAgreement.compare(
            files: (Self.files + Self.ownFiles).map { ($0, Self.path($0)) },
            interfacePairs: OracleCase.interfacePairs,
            // Packets a table before the filter table drops never reach what the oracle loads.
            reachesLoadedTables: { $0.decidedBy?.table == "filter" },
            kernelDecider: KernelOracle.decider)
        KernelAgreement.expectBars(tallies, files: Self.files + Self.ownFiles, realFiles: Self.files)
    }
}

/// The comparison both kernel suites run: packets aimed at each ruleset's rules, sent through the
/// kernel by the oracle and through Bulwark's evaluator, answers compared rule for rule.
enum KernelAgreement {
    static func compare(files: [(name: String, path: String)],
                        interfacePairs: (Ruleset, Hook, inout SplitMix64) -> [(String, String)],
                        reachesLoadedTables: (Evaluation) -> Bool,
                        kernelDecider: (JSONValue?, Ruleset) -> String?) async throws -> [String: KernelAgreementTests.Tally] {
        var cases: [(file: String, path: String, ruleset: Ruleset, evaluator: Evaluator, c: OracleCase)] = []
        for (file, path) in files {
            let ruleset = try RulesetLoader.load(text: String(contentsOfFile: path, encoding: .utf8), file: path)
            let evaluator = Evaluator(program: TableProgram(ruleset: ruleset))
            var rng = SplitMix64(seed: UInt64(file.utf8.reduce(0) { $0 &* 31 &+ UInt64($1) }))
            for hook in [Hook.input, .forward] {
                for (i, o) in interfacePairs(ruleset, hook, &rng) {
                    var packets: [PacketDescription] = []
                    for p in OracleCase.packets(program: evaluator.program, hook: hook, inInterface: i, count: KernelOracle.packetsPerCase * 100, rng: &rng) {
                        var d = p
                        d.inInterface = i
                        d.outInterface = hook == .forward ? o : nil
                        guard let q = try? QueryPacket(d, hook: hook),
                              reachesLoadedTables(evaluator.evaluate(q.packet, unknown: q.unknown, hook: hook)) else { continue }
                        packets.append(p)
                        if packets.count == KernelOracle.packetsPerCase { break }
                    }
                    cases.append((file, path, ruleset, evaluator, OracleCase(hook: hook, inInterface: i, outInterface: o, packets: packets)))
                }
            }
        }
        let answers = try await KernelOracle.ask(rules: cases.map(\.path), cases: cases.map(\.c))
        var tallies: [String: KernelAgreementTests.Tally] = [:]
        for (k, kernel) in zip(cases, answers) {
            var t = tallies[k.file] ?? KernelAgreementTests.Tally()
            for (p, answer) in zip(k.c.packets, kernel) {
                guard let kernelVerdict = answer["verdict"]?.string else { continue }  // dropped before the filter hook
                var d = p
                d.inInterface = k.c.inInterface
                d.outInterface = k.c.hook == .forward ? k.c.outInterface : nil
                let q = try QueryPacket(d, hook: k.c.hook)
                let ours = k.evaluator.evaluate(q.packet, unknown: q.unknown, hook: k.c.hook)
                t.total += 1
                guard ours.isExact else {
                    t.reasons[ours.uncertainties.first ?? "?", default: 0] += 1
                    continue
                }
                t.exact += 1
                let kernelDecider = kernelDecider(answer["decided_by"], k.ruleset)
                let ourDecider = ours.decidedBy.map(Self.name)
                if ours.verdict?.rawValue != kernelVerdict || ourDecider != kernelDecider {
                    t.disagreements.append("\(k.c.hook.rawValue) in=\(k.c.inInterface) out=\(k.c.outInterface) \(p): kernel \(kernelVerdict) by \(kernelDecider ?? "?"), Bulwark \(ours.verdict?.rawValue ?? "-") by \(ourDecider ?? "?")")
                }
            }
            tallies[k.file] = t
        }
        return tallies
    }

    /// A deciding rule or policy as the comparison names it: `[family table ]chain rule N` or `… policy`.
    static func name(_ d: Decider) -> String {
        d.rule.map { "\(d.place) rule \($0)" } ?? "\(d.place) policy"
    }

    /// Every exact answer agrees; each ruleset has enough exact answers; 90% are exact over `realFiles`.
    static func expectBars(_ tallies: [String: KernelAgreementTests.Tally], files: [String], realFiles: [String], minimumPackets: Int = KernelOracle.packetsPerCase) {
        var total = 0
        var exact = 0
        for file in files {
            let t = tallies[file] ?? KernelAgreementTests.Tally()
            if realFiles.contains(file) {  // the bar is about the real rulesets
                total += t.total
                exact += t.exact
            }
            #expect(t.total >= minimumPackets, "\(file): only \(t.total) packets reached the filter hooks")
            #expect(t.disagreements.isEmpty, "\(file): \(t.disagreements.count) exact answers disagree with the kernel:\n\(t.disagreements.prefix(20).joined(separator: "\n"))")
            // Each ruleset on its own: inexactness comes only from state no export shows (rate limits,
            // recent lists, censored MAC addresses), never from a construct left unmodelled.
            #expect(Double(t.exact) >= 0.5 * Double(t.total), "\(file): only \(t.exact) of \(t.total) answers are exact")
            print("kernel agreement: \(file): \(t.total) packets, \(t.exact) exact, \(t.disagreements.count) disagreements")
            for (r, n) in t.reasons.sorted(by: { $0.value > $1.value }).prefix(4) { print("  inexact ×\(n): \(r)") }
        }
        print("kernel agreement: all real rulesets: \(total) packets, \(exact) exact (\(100 * exact / max(total, 1))%)")
        #expect(Double(exact) >= 0.9 * Double(total), "only \(exact) of \(total) answers are exact over the real rulesets")
    }
}

/// One run of the oracle: a chain, an interface pair and the packets to send.
struct OracleCase {
    var hook: Hook
    var inInterface: String
    var outInterface: String
    var packets: [PacketDescription]

    /// Interface names the ruleset's filter table tests (wildcards made concrete), paired.
    static func interfacePairs(_ ruleset: Ruleset, hook: Hook, rng: inout SplitMix64) -> [(String, String)] {
        var ins: [String: Int] = [:]
        var outs: [String: Int] = [:]
        for chain in ruleset.filter?.chains ?? [] {
            for rule in chain.rules {
                let words = rule.text.split(separator: " ").map(String.init)
                for (i, w) in words.enumerated() where i + 1 < words.count && (w == "-i" || w == "-o") {
                    var name = words[i + 1]
                    if name.hasSuffix("+") { name = String(name.dropLast()) + "9" }
                    guard name != "lo", name.count <= 15, !name.isEmpty else { continue }
                    if w == "-i" { ins[name, default: 0] += 1 } else { outs[name, default: 0] += 1 }
                }
            }
        }
        let inNames = ins.sorted { ($0.value, $0.key) > ($1.value, $1.key) }.map(\.key)
        let outNames = outs.sorted { ($0.value, $0.key) > ($1.value, $1.key) }.map(\.key)
        var pairs: [(String, String)] = []
        let firstIn = inNames.first ?? "eth0"
        let secondIn = inNames.dropFirst().randomElement(using: &rng) ?? "eth0"
        let firstOut = outNames.first(where: { $0 != firstIn }) ?? (firstIn == "eth1" ? "eth2" : "eth1")
        let secondOut = outNames.filter { $0 != secondIn }.randomElement(using: &rng) ?? (secondIn == "eth1" ? "eth2" : "eth1")
        pairs.append((firstIn, firstOut))
        if secondIn != firstIn || secondOut != firstOut { pairs.append((secondIn, secondOut)) }
        return hook == .input ? pairs.map { ($0.0, $0.0 == "eth1" ? "eth2" : "eth1") } : pairs
    }

    /// Addresses the kernel treats specially or the oracle itself uses; packets avoid them.
    static func isOrdinary(_ a: UInt32) -> Bool {
        let top = a >> 24
        if top == 0 || top == 127 || top >= 224 { return false }
        if a >> 8 == 0xC0_0002 || a >> 8 == 0xC6_3364 { return false }  // 192.0.2.0/24, 198.51.100.0/24 (the lab)
        return true
    }

    static func randomAddress(in set: IntervalSet?, rng: inout SplitMix64) -> UInt32? {
        let ranges = (set ?? IntervalSet(IPAddress.ipv4Range)).intersection(IntervalSet(IPAddress.ipv4Range)).intervals
        for _ in 0..<20 {
            guard let r = ranges.randomElement(using: &rng) else { return nil }
            let lo = UInt32(truncatingIfNeeded: r.lowerBound)
            let hi = UInt32(truncatingIfNeeded: r.upperBound)
            let a = lo &+ UInt32(truncatingIfNeeded: rng.next() % (UInt64(hi - lo) + 1))
            if isOrdinary(a) { return a }
        }
        return nil
    }

    /// Packets aimed at the rules of chains the hook reaches, and some at random.
    static func packets(program: TableProgram, hook: Hook, inInterface: String, count: Int, rng: inout SplitMix64) -> [PacketDescription] {
        // Cubes of every table's rules: filter rules to hit, raw and mangle rules to get past.
        var cubes: [PacketCube] = []
        for table in program.ruleset.tables where table.name != "nat" {
            for chain in table.chains { for r in chain.rules { cubes += r.match.certain.prefix(1) } }
        }
        // Rules about the input interface tell which sources it carries (anti-spoofing chains).
        let iface = InterfaceName.value(inInterface[...]) ?? 0
        let local = cubes.filter { $0.values(.inInterface)?.contains(iface) ?? false }
        func pickAddress(_ f: PacketField) -> IntervalSet? {
            if f == .sourceAddress, !local.isEmpty, rng.next() % 2 == 0 { return local.randomElement(using: &rng)?.values(f) }
            return rng.next() % 3 == 0 ? nil : cubes.randomElement(using: &rng)?.values(f)
        }
        var out: [PacketDescription] = []
        func text(_ a: UInt32) -> String { IPAddress.format(IPAddress.v4(a), family: .ipv4) }
        var attempts = 0
        while out.count < count && attempts < count * 20 {
            attempts += 1
            // Mostly packets aimed at one rule; some with fields from anywhere.
            let cube: PacketCube? = (rng.next() % 8 == 0 || cubes.isEmpty) ? nil : cubes.randomElement(using: &rng)
            guard let s = randomAddress(in: cube?.values(.sourceAddress) ?? pickAddress(.sourceAddress), rng: &rng),
                  let d = randomAddress(in: cube?.values(.destinationAddress) ?? pickAddress(.destinationAddress), rng: &rng) else { continue }
            let protos = (cube?.values(.protocolNumber) ?? IntervalSet(0...255)).intersection(IntervalSet(ranges: [1...1, 6...6, 17...17]))
            guard let proto = protos.intervals.randomElement(using: &rng)?.lowerBound else { continue }
            var p = PacketDescription(source: text(s), destination: text(d), proto: proto == 1 ? "icmp" : (proto == 6 ? "tcp" : "udp"))
            if proto != 1 {
                let ports = (cube?.values(.destinationPort) ?? IntervalSet(1...65535)).intersection(IntervalSet(1...65535))
                let candidates: [UInt128] = ports.intervals.flatMap { [$0.lowerBound, $0.upperBound] } + [22, 80, 443, 53]
                let port = candidates.filter { ports.contains($0) }.randomElement(using: &rng) ?? 80
                p.destinationPort = Int(port)
                p.sourcePort = 40000
            }
            out.append(p)
        }
        return out
    }
}

/// Running `../shared/tools/netfilter-oracle`.
enum KernelOracle {
    static var path: String { SharedFixtures.root + "/tools/netfilter-oracle" }

    static let isAvailable: Bool = {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: path) else { return false }
        let tools = ["/usr/sbin/iptables-restore", "/sbin/iptables-restore", "/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip"]
        let have = tools.filter { FileManager.default.isExecutableFile(atPath: $0) }
        return have.contains { $0.hasSuffix("iptables-restore") } && have.contains { $0.hasSuffix("/ip") }
    }()

    /// Packets per oracle run (BULWARK_ORACLE_PACKETS overrides; about 0.2 s a packet).
    static var packetsPerCase: Int { ProcessInfo.processInfo.environment["BULWARK_ORACLE_PACKETS"].flatMap(Int.init) ?? 40 }

    /// The oracle's answers for each case, in order; runs are concurrent (each has its own namespaces).
    /// Oracle runs at once; each has its own namespaces, and most of a run is waiting.
    static let parallelRuns = 6

    static func ask(rules: [String], cases: [OracleCase]) async throws -> [[JSONValue]] {
        try await withThrowingTaskGroup(of: (Int, [JSONValue]).self) { group in
            var next = 0
            func start() {
                guard next < cases.count else { return }
                let i = next
                next += 1
                group.addTask { (i, try run(rules: rules[i], cases[i])) }
            }
            for _ in 0..<parallelRuns { start() }
            var out = [[JSONValue]](repeating: [], count: cases.count)
            while let (i, answers) = try await group.next() {
                out[i] = answers
                start()
            }
            return out
        }
    }

    static func run(rules: String, _ c: OracleCase) throws -> [JSONValue] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bulwark-oracle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let packets = dir.appendingPathComponent("packets.jsonl")
        var lines = ""
        for p in c.packets {
            var w = JSONWriter()
            w.object { w in
                w.key("src"); w.string(p.source)
                w.key("dst"); w.string(p.destination)
                w.key("proto"); w.string(p.proto)
                if let s = p.sourcePort { w.key("sport"); w.int(s) }
                if let d = p.destinationPort { w.key("dport"); w.int(d) }
            }
            lines += w.text + "\n"
        }
        try lines.write(to: packets, atomically: true, encoding: .utf8)
        // The test runner's threads block most signals, and a child inherits that mask: the oracle
        // could then never stop its `nft monitor trace` with SIGTERM and would wait for it forever.
        // A small launcher clears the mask before it becomes the oracle.
        let launcher = "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); os.execv(sys.argv[1], sys.argv[1:])"
        let run = try TestSupport.runPython(launcher, [path, rules, packets.path, "--chain", c.hook.rawValue, "--in", c.inInterface, "--out", c.outInterface])
        let answers = run.stdout.split(separator: "\n").compactMap { try? JSONParser.parse(String($0)) }
        guard answers.count == c.packets.count else {
            throw OracleFailure(message: "oracle answered \(answers.count) of \(c.packets.count) packets for \(c.hook.rawValue) \(c.inInterface)/\(c.outInterface)")
        }
        return answers
    }

    struct OracleFailure: Error { var message: String }

    /// The oracle's deciding rule in Bulwark's numbering. The oracle counts only rules with
    /// something after the chain name (its pattern misses empty `-A CHAIN` lines), so its rule N is
    /// the N-th non-empty rule of the chain.
    static func decider(_ v: JSONValue?, ruleset: Ruleset) -> String? {
        guard let v, let chain = v["chain"]?.string else { return nil }
        if v["policy"] != nil { return "\(chain) policy" }
        guard let n = v["rule"]?.int, let c = ruleset.filter?.chain(named: chain) else { return nil }
        let nonEmpty = c.rules.filter { $0.text.split(separator: " ").count > 2 }
        guard n >= 1, n <= nonEmpty.count else { return nil }
        return "\(chain) rule \(nonEmpty[n - 1].position)"
    }
}
