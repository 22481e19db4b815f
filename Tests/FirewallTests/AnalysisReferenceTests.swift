import BulwarkModel
@testable import Firewall
import PacketSpace
import Testing

/// The analyses checked against a brute-force reference: random rulesets over small pools of
/// addresses, ports and interfaces, and every packet of a grid that holds a representative of
/// each class the pools can tell apart. Dead means no grid packet reaches and matches the rule;
/// redundant means deleting it changes no grid packet's verdict. The reference evaluator below is
/// written independently of the engine's.
@Suite struct AnalysisReferenceTests {
    // MARK: Random rulesets

    static let sources = ["", "-s 10.0.0.0/8", "-s 10.1.0.0/16", "-s 10.1.2.0/24", "-s 10.1.2.3/32", "! -s 10.1.0.0/16"]
    static let destinations = ["", "-d 10.0.0.0/8", "-d 10.1.2.0/24", "-d 10.1.2.3/32", "! -d 10.1.2.0/24"]
    static let protocols = ["", "-p tcp", "-p udp", "-p icmp", "! -p tcp"]
    static let tcpPorts = ["", "-m tcp --dport 22", "-m tcp --dport 80", "-m tcp --dport 1000:2000", "-m multiport --dports 22,80", "-m tcp ! --dport 22"]
    static let states = ["", "-m state --state NEW", "-m conntrack --ctstate RELATED,ESTABLISHED", "-m state --state INVALID", "-m conntrack --ctstate NEW --ctproto 6"]
    static let inputs = ["", "-i eth0", "-i eth+", "! -i eth1", "-i lo"]
    static let outputs = ["", "-o eth1", "-o eth+", "! -o eth0"]

    static let sources6 = ["", "-s 2001:db8::/32", "-s 2001:db8:1::/48", "-s 2001:db8:1:2::/64", "-s 2001:db8:1:2::3/128", "! -s 2001:db8:1::/48"]
    static let destinations6 = ["", "-d 2001:db8::/32", "-d 2001:db8:1:2::/64", "-d 2001:db8:1:2::3/128", "! -d 2001:db8:1:2::/64"]
    static let protocols6 = ["", "-p tcp", "-p udp", "-p ipv6-icmp", "! -p tcp"]

    static func randomRuleset(_ rng: inout SplitMix64, rulesPerChain: ClosedRange<Int> = 2...7, family: AddressFamily = .ipv4) -> String {
        func pick(_ a: [String]) -> String { a[Int(rng.next() % UInt64(a.count))] }
        let sources = family == .ipv4 ? Self.sources : Self.sources6
        let destinations = family == .ipv4 ? Self.destinations : Self.destinations6
        let protocols = family == .ipv4 ? Self.protocols : Self.protocols6
        let userChains = Int(rng.next() % 3)
        var lines = ["*filter", ":INPUT \(pick(["ACCEPT", "DROP"])) [0:0]", ":FORWARD \(pick(["ACCEPT", "DROP"])) [0:0]", ":OUTPUT ACCEPT [0:0]"]
        for u in 0..<userChains { lines.append(":U\(u) - [0:0]") }
        func rule(_ chain: String, forward: Bool, level: Int) -> String {
            var parts = ["-A \(chain)"]
            for p in [pick(sources), pick(destinations)] where !p.isEmpty { parts.append(p) }
            let proto = pick(protocols)
            if !proto.isEmpty { parts.append(proto) }
            if proto == "-p tcp" || proto == "-p udp" {
                let port = pick(tcpPorts).replacingTCP(with: proto == "-p udp" ? "udp" : "tcp")
                if !port.isEmpty { parts.append(port) }
            }
            for p in [pick(states), pick(inputs)] where !p.isEmpty { parts.append(p) }
            if forward { let o = pick(outputs); if !o.isEmpty { parts.append(o) } }
            var targets = ["-j ACCEPT", "-j DROP", "-j REJECT", "-j LOG", "-j RETURN"]
            for u in level..<userChains { targets += ["-j U\(u)", "-g U\(u)"] }
            parts.append(pick(targets))
            return parts.joined(separator: " ")
        }
        for chain in ["INPUT", "FORWARD"] {
            let n = rulesPerChain.lowerBound + Int(rng.next() % UInt64(rulesPerChain.count))
            for _ in 0..<n { lines.append(rule(chain, forward: chain == "FORWARD", level: 0)) }
        }
        for u in 0..<userChains {
            for _ in 0..<(1 + Int(rng.next() % 4)) { lines.append(rule("U\(u)", forward: true, level: u + 1)) }
        }
        lines.append("COMMIT")
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: The grid

    static func grid(_ hook: Hook, family: AddressFamily = .ipv4) -> [Packet] {
        let addresses: [UInt128] = family == .ipv4
            ? [0x0A01_0203, 0x0A01_0204, 0x0A01_0301, 0x0A02_0001, 0x0808_0808, 0x7F00_0001, 0xE000_0001].map { IPAddress.v4($0) }
            : ["2001:db8:1:2::3", "2001:db8:1:2::4", "2001:db8:1:3::1", "2001:db8:2::1", "2001:4860::8888", "::1", "ff02::1"].map { IPAddress.parseV6($0[...])! }
        let interfaces = ["eth0", "eth1", "eth2", "wlan0", "lo"].map { InterfaceName.value($0[...])! }
        struct Transport { var proto: UInt128; var dport: UInt128; var fragment: UInt128 }
        // Every port class of the pools: 22, 80, inside 1000:2000, elsewhere; and no ports at all.
        var transports: [Transport] = []
        for proto: UInt128 in [6, 17] { for port: UInt128 in [22, 80, 1500, 3000] { transports.append(Transport(proto: proto, dport: port, fragment: 0)) } }
        let icmp: UInt128 = family == .ipv4 ? 1 : 58
        transports += [Transport(proto: icmp, dport: 0, fragment: 0), Transport(proto: 47, dport: 0, fragment: 0),
                       Transport(proto: 6, dport: 0, fragment: 1), Transport(proto: 17, dport: 0, fragment: 1)]
        // Membership in the hook's well-formed packets, through the engine's own set algebra.
        let algebra = PacketAlgebra()
        var entry = PacketAlgebra.emptyNode
        for c in WellFormedPackets.cubes(family: family) { entry = algebra.union(entry, algebra.cube(c)) }
        var context = PacketAlgebra.emptyNode
        for c in hook.context { context = algebra.union(context, algebra.cube(c)) }
        entry = algebra.intersection(entry, context)
        var out: [Packet] = []
        let ins: [UInt128] = hook == .output ? [0] : interfaces
        let outs: [UInt128] = hook == .input ? [0] : interfaces.dropLast()
        for s in addresses { for d in addresses { for t in transports { for state in ConnectionState.allCases { for i in ins { for o in outs {
            var p = WitnessSearch.typicalPacket(family: family, hook: hook)
            p[.sourceAddress] = s
            p[.destinationAddress] = d
            p[.protocolNumber] = t.proto
            p[.fragment] = t.fragment
            p[.destinationPort] = t.dport
            p[.sourcePort] = t.proto == 6 || t.proto == 17 ? (t.fragment == 0 ? 40000 : 0) : 0
            p[.tcpFlags] = t.proto == 6 && t.fragment == 0 ? UInt128(TCPFlags.syn.rawValue) : 0
            p[.icmpTypeCode] = t.proto == icmp ? (family == .ipv4 ? 0x800 : 0x8000) : 0
            p[.connectionState] = state.rawValue
            p[.inInterface] = i
            p[.outInterface] = o
            // Rules never test address types here: one valid combination stands for all.
            let local = i == interfaces[4]
            p[.sourceAddressType] = QueryPacket.addressType(s, family: family, fallback: local ? .local : .unicast).rawValue
            p[.destinationAddressType] = QueryPacket.addressType(d, family: family, fallback: hook == .input ? .local : .unicast).rawValue
            if algebra.contains(entry, p) { out.append(p) }
        } } } } } }
        return out
    }

    // MARK: Reference evaluation, straight from the kernel's definition

    enum RefVerdict: Equatable { case accept, drop, reject }

    struct Reference {
        let table: Table
        func chain(_ name: String) -> Chain { table.chain(named: name)! }

        /// The verdict and the rules that matched on the way (chain, 0-based index).
        func evaluate(_ p: Packet, hook: Hook, deleted: (String, Int)? = nil) -> (RefVerdict, [(String, Int)]) {
            var visited: [(String, Int)] = []
            enum Exit { case verdict(RefVerdict), returned }
            func run(_ name: String) -> Exit {
                for (i, r) in chain(name).rules.enumerated() {
                    if let d = deleted, d.0 == name, d.1 == i { continue }
                    guard r.match.certain.contains(where: { $0.contains(p) }) else { continue }
                    visited.append((name, i))
                    switch r.target {
                    case .accept: return .verdict(.accept)
                    case .drop: return .verdict(.drop)
                    case .reject: return .verdict(.reject)
                    case .returnFromChain: return .returned
                    case .jump(let c):
                        if case .verdict(let v) = run(c) { return .verdict(v) }
                    case .goto(let c):
                        return run(c)
                    default:
                        continue
                    }
                }
                return .returned
            }
            switch run(hook.rawValue) {
            case .verdict(let v): return (v, visited)
            case .returned: return (chain(hook.rawValue).policy == .accept ? .accept : .drop, visited)
            }
        }
    }

    @Test(arguments: 0..<40)
    func analysisAgreesWithBruteForce(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) &* 7919 &+ 1)
        try check(Self.randomRuleset(&rng), seed: seed)
    }

    /// Longer chains: the index, the lazy redundancy proof and the exact fallbacks all get work.
    @Test(arguments: 0..<12)
    func longerChainsAgreeWithBruteForce(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) &* 104_729 &+ 3)
        try check(Self.randomRuleset(&rng, rulesPerChain: 18...30), seed: seed + 1000)
    }

    /// IPv6 (`ip6tables-save`), checked the same way: the kernel oracle sends IPv4 only.
    @Test(arguments: 0..<16)
    func ipv6AgreesWithBruteForce(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) &* 15_485_863 &+ 5)
        try check(Self.randomRuleset(&rng, rulesPerChain: 2...12, family: .ipv6), seed: seed + 2000, family: .ipv6)
    }

    func check(_ text: String, seed: Int, family: AddressFamily = .ipv4) throws {
        let ruleset = IPTablesReader().read(text: text, file: "random-\(seed)")
        #expect(ruleset.family == family)
        #expect(ruleset.diagnostics.filter { $0.severity == .error }.isEmpty, "\(ruleset.diagnostics)")
        let filter = try #require(ruleset.filter)
        let reference = Reference(table: filter)
        let analysis = FirewallAnalyzer(program: TableProgram(ruleset: ruleset)).analyze()
        let dead = Set(analysis.findings.filter { $0.kind == .dead }.map { "\($0.chain) \($0.rule!)" })
        let redundant = Set(analysis.findings.filter { $0.kind == .redundant }.map { "\($0.chain) \($0.rule!)" })

        var fired: Set<String> = []
        // Per rule, the packets that reach and match it: only they can change if it is deleted.
        var reaching: [String: [(Hook, Packet, RefVerdict)]] = [:]
        let evaluator = Evaluator(program: TableProgram(ruleset: ruleset))
        var evaluatorDisagreements = 0
        for hook in [Hook.input, .forward] {
            for p in Self.grid(hook, family: family) {
                let (v, visited) = reference.evaluate(p, hook: hook)
                // The evaluator (index, jumps, gotos, returns) against the reference, packet by packet.
                let e = evaluator.evaluate(p, hook: hook)
                let ours = e.matched.map { "\($0.chain) \($0.rule)" }
                let theirs = visited.map { "\($0.0) \($0.1 + 1)" }
                let verdict: RefVerdict? = switch e.verdict { case .accept: .accept; case .drop: .drop; case .reject: .reject; default: nil }
                if !e.isExact || verdict != v || ours != theirs {
                    evaluatorDisagreements += 1
                    if evaluatorDisagreements <= 3 { Issue.record("seed \(seed): \(hook.rawValue) \(p.values): evaluator \(e.verdict as Any) \(ours), reference \(v) \(theirs)") }
                }
                for (c, i) in visited {
                    let key = "\(c) \(i + 1)"
                    fired.insert(key)
                    reaching[key, default: []].append((hook, p, v))
                }
            }
        }
        for chain in filter.chains where chain.name != "OUTPUT" {
            for (i, rule) in chain.rules.enumerated() {
                let key = "\(chain.name) \(i + 1)"
                let isDead = !fired.contains(key)
                #expect(dead.contains(key) == isDead, "seed \(seed): \(key) \(rule.text) dead=\(isDead)\n\(text)")
                guard !isDead else { continue }
                let changes = (reaching[key] ?? []).contains { hook, p, v in reference.evaluate(p, hook: hook, deleted: (chain.name, i)).0 != v }
                let canBeRedundant: Bool = switch rule.target {
                case .accept, .drop, .reject, .returnFromChain, .jump, .goto: true
                default: false
                }
                #expect(redundant.contains(key) == (canBeRedundant && !changes), "seed \(seed): \(key) \(rule.text) redundant=\(!changes)\n\(text)")
            }
        }
    }
}

private extension String {
    func replacingTCP(with proto: String) -> String {
        proto == "tcp" ? self : split(separator: " ").map { $0 == "tcp" ? Substring(proto) : $0 }.joined(separator: " ")
    }
}
