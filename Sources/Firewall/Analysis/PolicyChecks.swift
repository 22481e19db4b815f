import BulwarkModel
import PacketSpace

extension AdministrativeService {
    /// Addresses of the public internet: not private, shared, loopback, link-local, benchmarking,
    /// multicast or reserved. The documentation ranges count as public: they stand for it in examples.
    static func publicAddresses(_ family: AddressFamily) -> IntervalSet {
        if family == .ipv4 {
            let v4 = { (a: UInt32, len: Int) in IPAddress.prefix(IPAddress.v4(a), length: len, family: .ipv4) }
            let special = IntervalSet(ranges: [
                v4(0x0000_0000, 8), v4(0x0A00_0000, 8), v4(0x6440_0000, 10), v4(0x7F00_0000, 8), v4(0xA9FE_0000, 16),
                v4(0xAC10_0000, 12), v4(0xC000_0000, 24), v4(0xC0A8_0000, 16), v4(0xC612_0000, 15), v4(0xE000_0000, 3),
            ])
            return IntervalSet(IPAddress.ipv4Range).subtracting(special)
        }
        return IntervalSet(IPAddress.prefix(0x2000 << 112, length: 3, family: .ipv6))
    }
}

/// Checks about what a ruleset lets in: over-permissive rules and missing default deny.
struct PolicyChecks {
    let analyzer: FirewallAnalyzer
    var program: TableProgram { analyzer.program }

    func findings(statuses: [RuleRef: FirewallAnalyzer.Status]) -> [FirewallFinding] {
        overPermissive(statuses) + defaultDeny(statuses)
    }

    /// Typical new connections a hook sees: common services over TCP, UDP and ICMP, from and to a
    /// few kinds of addresses.
    private func probes(_ hook: Hook) -> [Packet] {
        let base = WitnessSearch.typicalPacket(family: program.family, hook: hook)
        let v4 = program.family == .ipv4
        let addresses: [UInt128] = v4
            ? [0xC633_6407, 0xCB00_7109, 0x0A00_0005, 0xC0A8_0105, 0x0808_0808].map { IPAddress.v4($0) }
            : [0x2001_0DB8 << 96 | 7, 0x2001_0DB8 << 96 | 9, 0xFD00 << 112 | 5, 0x2600 << 112 | 9]
        var out: [Packet] = []
        for (proto, port) in [(UInt128(6), UInt128(80)), (6, 22), (6, 443), (17, 53), (17, 123), (v4 ? 1 : 58, 0)] {
            for (i, src) in addresses.enumerated() {
                var p = base
                p[.protocolNumber] = proto
                p[.sourceAddress] = src
                p[.destinationAddress] = addresses[(i + 1) % addresses.count]
                if proto == 6 || proto == 17 { p[.destinationPort] = port } else { p[.sourcePort] = 0; p[.destinationPort] = 0 }
                if proto != 6 { p[.tcpFlags] = 0 }
                if proto == 1 || proto == 58 { p[.icmpTypeCode] = (v4 ? 8 : 128) << 8 }
                out.append(p)
            }
        }
        return out
    }

    private func witnessPacket(_ hook: Hook, _ p: Packet, _ e: Evaluation) -> WitnessPacket {
        WitnessPacket(hook: hook, packet: p, family: program.family, path: e.matched, verdict: e.verdict)
    }

    /// Live ACCEPT rules that take new connections from most of the internet to administrative services.
    private func overPermissive(_ statuses: [RuleRef: FirewallAnalyzer.Status]) -> [FirewallFinding] {
        let publicSet = AdministrativeService.publicAddresses(program.family)
        let publicCount = publicSet.count
        var out: [FirewallFinding] = []
        for (ref, status) in statuses.sorted(by: { $0.key < $1.key }) {
            if case .dead = status { continue }
            let rule = program[ref]
            guard rule.action == .verdict(.accept) else { continue }
            let hooks = analyzer.callGraph.hooks[ref.chain].filter { $0 == .input || $0 == .forward }
            guard !hooks.isEmpty else { continue }
            var exposed: [AdministrativeService] = []
            var witness: WitnessPacket?
            for cube in rule.certain {
                let sources = (cube.values(.sourceAddress) ?? IntervalSet(0...UInt128.max)).intersection(publicSet)
                guard sources.count >= publicCount / 2 else { continue }
                if let states = cube.values(.connectionState), !states.contains(ConnectionState.new.rawValue) { continue }
                for service in AdministrativeService.standard where !exposed.contains(where: { $0.name == service.name }) {
                    let proto = UInt128(service.protocolNumber), port = UInt128(service.port)
                    guard cube.values(.protocolNumber)?.contains(proto) ?? true,
                          cube.values(.destinationPort)?.contains(port) ?? true else { continue }
                    var target = cube
                    target.restrict(.sourceAddress, to: sources)
                    target.restrict(.protocolNumber, to: proto)
                    target.restrict(.destinationPort, to: port)
                    target.restrict(.connectionState, to: ConnectionState.new.rawValue)
                    target.restrict(.sourceAddressType, to: AddressType.unicast.rawValue)
                    for hook in hooks {
                        // On a hook with several base chains a later one may still refuse what this rule accepts.
                        if let (p, e, _) = analyzer.witnesses.witness(for: ref, hook: hook, within: target), e.verdict == .accept {
                            exposed.append(service)
                            if witness == nil { witness = witnessPacket(hook, p, e) }
                            break
                        }
                    }
                }
            }
            guard !exposed.isEmpty else { continue }
            var severity = exposed.map(\.severity).max() ?? .high
            let names = exposed.map(\.label)
            let shown = names.count > 6 ? names.prefix(6).joined(separator: ", ") + " and \(names.count - 6) more" : names.joined(separator: ", ")
            // Bound to one input interface, the rule is as open as that interface: without knowing
            // which interface faces the internet, say so and rate it one step lower.
            var origin = "anywhere on the internet"
            if let w = witness, w.packet[.inInterface] != QueryPacket.unknownInterface, w.packet[.inInterface] != 0 {
                let name = InterfaceName.name(w.packet[.inInterface])
                origin = "any source address arriving on \(name) (anywhere on the internet, if \(name) faces it)"
                severity = Severity.allCases[max(0, severity.rank - 1)]
            }
            out.append(analyzer.finding(
                .overPermissive, ref, severity: severity,
                message: "\(analyzer.describe(ref)) accepts new connections from \(origin) to \(shown).",
                fix: "Restrict the source to the management network or VPN (for example -s 10.0.0.0/8), or put the service behind a bastion host.",
                witness: witness))
        }
        return out
    }

    /// Built-in chains whose policy, or a final catch-all rule, accepts new connections nothing else decided.
    private func defaultDeny(_ statuses: [RuleRef: FirewallAnalyzer.Status]) -> [FirewallFinding] {
        var out: [FirewallFinding] = []
        let symbolic = analyzer.symbolic
        let algebra = analyzer.algebra
        for hook in Hook.filterHooks {
            // The last base chain on the hook has the final say (nftables may attach several).
            guard let c = program.stages(for: hook).last(where: { $0.hook == hook })?.chain else { continue }
            let chain = program.chains[c]
            let severity: Severity = hook == .forward ? .high : (hook == .input ? .medium : .low)
            // A catch-all ACCEPT rule: everything else in the chain falls into it.
            for (i, r) in chain.rules.enumerated() where r.action == .verdict(.accept) && r.isExact {
                let ref = RuleRef(chain: c, index: i)
                if case .dead = statuses[ref] { continue }
                guard r.certain.contains(where: { $0.constraints.allSatisfy { $0.dimension == PacketField.family.rawValue } }) else { continue }
                out.append(analyzer.finding(
                    .noDefaultDeny, ref, severity: severity,
                    message: "\(analyzer.describe(ref)) accepts every packet that reaches it: chain \(chain.name) has no default deny after it.",
                    fix: "Replace the catch-all ACCEPT with explicit rules for the services that must be reachable, then DROP the rest."))
            }
            guard chain.policy == .accept else { continue }
            // Typical new connections first: one that surely reaches the policy settles it.
            var witness: WitnessPacket?
            for p in probes(hook) {
                let e = analyzer.witnesses.evaluator.evaluate(analysing: p, hook: hook)
                if e.verdict == .accept && e.decidedBy?.policy != nil && e.isExact && !e.matched.contains(where: { $0.target == "ACCEPT" }) {
                    witness = witnessPacket(hook, p, e)
                    break
                }
            }
            if witness == nil {
                // Otherwise the exact set of new connections left to the policy, within a budget.
                if algebra.nodeCountTotal > 1_000_000 { symbolic.reset() }
                var newOnly = PacketCube()
                newOnly.restrict(.connectionState, to: ConnectionState.new.rawValue)
                let region = algebra.intersection(symbolic.entry(hook), algebra.cube(newOnly))
                var observer = SymbolicEvaluator.Observer()
                let whole = ChainIndex.Bounds(source: 0...UInt128.max, destination: 0...UInt128.max)
                guard let outcome = symbolic.runHook(hook, region: region, bounds: whole, budget: 2_000_000, observer: &observer),
                      outcome.acceptedByPolicyOnly != 0 else { continue }
                if let p = algebra.witness(outcome.acceptedByPolicyOnly, preferring: WitnessSearch.typicalPacket(family: program.family, hook: hook)) {
                    let e = analyzer.witnesses.evaluator.evaluate(analysing: p, hook: hook)
                    if e.verdict == .accept && e.decidedBy?.policy != nil { witness = witnessPacket(hook, p, e) }
                }
            }
            let certain = witness.map { $0.verdict == .accept } ?? false
            out.append(FirewallFinding(
                id: StableID.make("fw", ["no-default-deny"] + chain.qualifiedName), kind: .noDefaultDeny, severity: severity,
                table: chain.table, family: chain.family, chain: chain.name, rule: nil, line: chain.line, file: program.ruleset.file, ruleText: nil,
                exact: certain && witness?.path.allSatisfy(\.certain) == true,
                inexactReasons: certain ? [] : ["only uncertain rules stand between some new connections and the ACCEPT policy"],
                coveredBy: nil, related: nil, hooks: [hook],
                message: "Chain \(chain.name) has policy ACCEPT and some new connections reach it: whatever no rule decides is let through.",
                fix: chain.family == nil
                    ? "Set the policy to DROP (iptables -P \(chain.name) DROP) after adding explicit ACCEPT rules for the traffic that must pass."
                    : "Set the chain's policy to drop (policy drop;) after adding explicit accept rules for the traffic that must pass.",
                witness: witness, lens: .cybersecurity, role: .networkSecurityEngineer, domain: .communicationAndNetworkSecurity))
        }
        return out
    }
}
