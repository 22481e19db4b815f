public import AttackGraph
import Estate
public import Inventory
public import NetworkReach
import BulwarkModel
import Firewall
import Foundation
import PacketSpace
import Risk

/// What a control already in place is worth: the risk register's annualized loss without it minus
/// with it, both simulated on the same random numbers (each scenario's stream is fixed by its
/// identifier), and in closed form.
///
/// Which controls can have value is decided from the graph's structure before anything is rebuilt:
/// - a fact the attack graph uses (MFA on interactive logons, a protected backup for availability):
///   the graph is rebuilt without the fact on the same reachability;
/// - a dropping rule (DROP or REJECT in an `iptables-save` filter table) whose match meets a flow an
///   attack step could use — a host's exploitable vulnerable service or a lateral-movement port of an
///   AD-joined host. Without it those flows may pass, so the network is rebuilt without that rule.
///   Every other rule has no value: no attack step can need the packets it drops. Rules that accept
///   traffic are not valued here (`bulwark why` shows what each lets in);
/// - facts the graph does not use (encryption, EDR, patching practice) and attested controls are
///   listed with no value and the reason (`valued: false`).
public struct InPlaceValue: Sendable {
    /// The control's id as `bulwark controls` names it.
    public var control: String
    public var kind: ControlRecord.Kind
    public var name: String
    public var evidence: [String]
    /// Annualized loss with the control (as the estate is) and without it, on the same random numbers.
    public var lossWith: Double
    public var lossWithout: Double
    /// The closed-form expected annual loss removed by the control.
    public var expectedValue: Double
    public var value: Double { lossWithout - lossWith }

    public struct Result: Sendable {
        public var values: [InPlaceValue]
        /// Controls found but not valued, with why.
        public var notValued: [(control: String, reason: String)]
        /// Dropping rules set aside by the screen: no attack step can use the packets they drop.
        public var rulesScreenedOut: Int
        /// Dropping rules that meet an attack flow but, taken out together with others, change
        /// nothing the register rests on: worth exactly nothing.
        public var rulesWithoutEffect: Int
        /// Rules that may have value but were not valued within the time limit.
        public var rulesNotValued: Int
        /// Rules that accept traffic: what they let in is a cost, shown by `bulwark why` rule by rule.
        public var acceptRules: Int
        /// Jumps and gotos: taking one out can let some packets in and keep others out, so they are
        /// not valued here; the rules of the chains they call are.
        public var jumpRules: Int
        public var lossWith: Double
        /// Every control that can have value was valued.
        public var exact: Bool { rulesNotValued == 0 }
    }

    /// The inputs of the valuation: the estate as analysed, and how to read it again without a rule.
    public struct Inputs {
        public var inventory: Inventory
        public var engine: ReachabilityEngine?
        public var graph: AttackGraph
        public var oracle: ConditionOracle?
        public var displayPath: (String) -> String

        public init(inventory: Inventory, engine: ReachabilityEngine?, graph: AttackGraph, oracle: ConditionOracle?,
                    displayPath: @escaping (String) -> String = { $0 }) {
            self.inventory = inventory
            self.engine = engine
            self.graph = graph
            self.oracle = oracle
            self.displayPath = displayPath
        }
    }

    /// `progress` hears what is being done (for `BULWARK_STATS`). With `timeLimit` (seconds), the
    /// rules still to rebuild when it has passed are listed as not valued, and the result says so.
    public static func rank(_ estate: Inputs, records: [ControlRecord], trials: Int, seed: UInt64, timeLimit: Double? = nil,
                            progress: (String) -> Void = { _ in }) -> Result {
        let start = Date()
        guard let manifest = estate.inventory.manifest else {
            return Result(values: [], notValued: [], rulesScreenedOut: 0, rulesWithoutEffect: 0, rulesNotValued: 0, acceptRules: 0, jumpRules: 0, lossWith: 0)
        }
        let before = RiskRegister.build(graph: estate.graph, manifest: manifest, oracle: estate.oracle).entries
        let baseline = MonteCarlo.simulate(before.map(\.scenario), trials: trials, seed: seed).total.mean
        let expectedBefore = before.reduce(0) { $0 + $1.scenario.expectedAnnualLoss }
        var values: [InPlaceValue] = []
        var notValued: [(String, String)] = []

        func value(_ record: ControlRecord, graph: AttackGraph, oracle: ConditionOracle?, manifest m: EstateManifest) {
            let after = RiskRegister.build(graph: graph, manifest: m, oracle: oracle).entries
            let without = after.isEmpty ? 0 : MonteCarlo.simulate(after.map(\.scenario), trials: trials, seed: seed).total.mean
            let expectedAfter = after.reduce(0) { $0 + $1.scenario.expectedAnnualLoss }
            values.append(InPlaceValue(control: record.id, kind: record.kind, name: record.name, evidence: record.evidence,
                                       lossWith: baseline, lossWithout: without, expectedValue: expectedAfter - expectedBefore))
        }

        // Facts: the graph without each one, on the same reachability.
        for (index, fact) in manifest.facts.enumerated() {
            guard let record = records.first(where: { $0.id == "fact:\(fact.location.line)" && $0.kind != .attested }) else { continue }
            switch fact.detail {
            case .mfa(true, _), .backup:
                let m = manifest.removingFact(at: index)
                var inventory = estate.inventory
                inventory.manifest = m
                var builder = AttackGraphBuilder(inventory: inventory, engine: estate.engine)
                builder.displayPath = estate.displayPath
                value(record, graph: builder.build(), oracle: builder.oracle(), manifest: m)
            case .mfa:
                notValued.append((record.id, "MFA that is not enforced changes no attack step"))
            case .encryption, .edr, .patching:
                notValued.append((record.id, "the attack graph does not model this control yet (docs/attack-graph.md): its value is not computed"))
            case .control:
                continue
            }
        }
        for r in records where r.kind == .attested {
            notValued.append((r.id, "an attested control: no attack step depends on it in the model"))
        }

        // Dropping rules that meet a flow some attack step could use.
        var screened = 0, unfinished = 0, zeroRules = 0, allowing = 0, jumps = 0
        if let engine = estate.engine {
            let clock = Date()
            let flows = BlockedFlows(estate.inventory, graph: estate.graph, oracle: estate.oracle, network: engine.network)
            progress(String(format: "blocked flows: %d (%.3f s)", flows.count, Date().timeIntervalSince(clock)))
            var candidates: [(fw: EstateManifest.Firewall, rule: Rule, record: ControlRecord)] = []
            let byID = Dictionary(records.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            for (fw, loaded) in zip(manifest.firewalls, engine.network.firewalls) {
                guard case .ruleset(let ruleset, let program) = loaded else {
                    for r in records where r.kind == .permission && r.appliesTo == ["firewall:\(fw.name)"] {
                        notValued.append((r.id, "a security-group permission allows traffic; leaving one out is not modelled yet"))
                    }
                    continue
                }
                guard !ruleset.isNFTables, let filter = ruleset.filter else {
                    notValued.append(("firewall:\(fw.name)", "rules of nftables exports are not valued yet (only iptables-save)"))
                    continue
                }
                let check = RuleDeletionCheck(program: program)
                for chain in filter.chains {
                    for rule in chain.rules {
                        switch rule.target {
                        case .drop, .reject: break
                        case .accept: allowing += 1; continue
                        case .jump, .goto: jumps += 1; continue
                        default: continue
                        }
                        let id = "\(fw.name):\(chain.name):\(rule.position)"
                        let met = flows.met(by: rule.match)
                        guard !met.isEmpty, let record = byID[id], let chainIndex = program.chainIndex[chain.name],
                              check.mayAcceptMore(without: RuleRef(chain: chainIndex, index: rule.position - 1), within: flows.cubes(met, within: rule.match)) else {
                            screened += 1
                            continue
                        }
                        candidates.append((fw, rule, record))
                    }
                }
            }
            progress(String(format: "dropping rules that meet a blocked flow: %d, screened out: %d (%.3f s)", candidates.count, screened, Date().timeIntervalSince(clock)))
            // Group testing: without a set of dropping rules every firewall accepts at least what it
            // does without any subset of them, so the register's probabilities can only rise. When
            // they do not change without the whole set, every rule of it is worth exactly nothing;
            // otherwise the set is halved, down to single rules, which are valued.
            let fingerprint = Self.fingerprint(before)
            var groups: [ArraySlice<(fw: EstateManifest.Firewall, rule: Rule, record: ControlRecord)>] = candidates.isEmpty ? [] : [candidates[...]]
            var rebuilds = 0
            while let group = groups.popLast() {
                if let timeLimit, Date().timeIntervalSince(start) > timeLimit {
                    for g in groups + [group] {
                        for c in g {
                            notValued.append((c.record.id, "not valued within the time limit: without it the firewall lets more of an attack flow through, so it may be worth something"))
                        }
                        unfinished += g.count
                    }
                    break
                }
                let removing = group.map { EstateNetwork.RemovedRule(firewall: $0.fw.name, line: $0.rule.line) }
                guard let network = try? EstateNetwork(manifest: manifest, removingAll: removing, displayPath: estate.displayPath) else {
                    for c in group { notValued.append((c.record.id, "the estate could not be read again without the rule")) }
                    continue
                }
                var builder = AttackGraphBuilder(inventory: estate.inventory, engine: ReachabilityEngine(network: network))
                builder.displayPath = estate.displayPath
                let graph = builder.build(), oracle = builder.oracle()
                rebuilds += 1
                if group.count == 1 {
                    value(group.first!.record, graph: graph, oracle: oracle, manifest: manifest)
                    continue
                }
                let after = RiskRegister.build(graph: graph, manifest: manifest, oracle: oracle).entries
                if Self.fingerprint(after) == fingerprint {
                    zeroRules += group.count
                    continue
                }
                let middle = group.startIndex + group.count / 2
                groups.append(group[middle...])
                groups.append(group[..<middle])
            }
            progress("rules valued by group testing: \(rebuilds) rebuilds of the network")
        }
        values.sort { ($0.value, $1.control) > ($1.value, $0.control) }
        return Result(values: values, notValued: notValued, rulesScreenedOut: screened, rulesWithoutEffect: zeroRules,
                      rulesNotValued: unfinished, acceptRules: allowing, jumpRules: jumps, lossWith: baseline)
    }

    /// What the register's numbers rest on: each scenario's threat events and their probabilities.
    static func fingerprint(_ entries: [RiskRegister.Entry]) -> [String: [String: Double]] {
        Dictionary(entries.map { e in
            (e.scenario.identifier, Dictionary(e.scenario.threatEvents.map { ($0.source, $0.probability) }, uniquingKeysWith: max))
        }, uniquingKeysWith: { a, _ in a })
    }
}

/// The flows attack steps could use but cannot today: for each exploitable service and each
/// lateral-movement port of a host, the source addresses of the zones that do not reach it now.
/// Taking a dropping rule out can only let more packets through, so it can add an attack step only
/// if it matches one of these flows; every other dropping rule is worth exactly nothing.
struct BlockedFlows {
    struct Flow {
        var destinations: IntervalSet
        var protocolNumber: UInt128?
        var ports: IntervalSet?
        /// Source addresses of the zones that do not reach the flow now.
        var sources: IntervalSet
    }
    private var flows: [Flow] = []
    var count: Int { flows.count }
    /// Flows by their lowest destination address, for a rule's destination range.
    private var byAddress: [(address: UInt128, flow: Int)] = []

    init(_ inventory: Inventory, graph: AttackGraph, oracle: ConditionOracle?, network: EstateNetwork) {
        let zoneCount = network.zoneNames.count
        let zoneSources = (0..<zoneCount).map { z in network.zoneAddresses[z].reduce(IntervalSet()) { $0.union($1) } }
        func addresses(_ host: Int) -> IntervalSet {
            IntervalSet(ranges: inventory.hosts[host].addresses.compactMap { IPAddress.parse(Substring($0)).map { $0.value...$0.value } })
        }
        func flow(host: Int, service: Service, blockedZones: [Int]) {
            let sources = blockedZones.reduce(IntervalSet()) { $0.union(zoneSources[$1]) }
            guard !sources.isEmpty else { return }
            let ports = service.ports.isEmpty ? nil : IntervalSet(ranges: service.ports.map { UInt128($0.lowerBound)...UInt128($0.upperBound) })
            flows.append(Flow(destinations: addresses(host), protocolNumber: service.protocolNumber.map { UInt128($0) }, ports: ports, sources: sources))
        }
        // Exploits: a host's vulnerable service, from the zones without an exploit edge to it.
        var reaching: [Int: [Service: Set<Int>]] = [:]
        for (z, zn) in graph.zoneNodes.enumerated() {
            for e in graph.outgoing(zn) {
                let st = graph.step(ofEdge: e)
                guard case .exploit = st.kind, let service = st.service else { continue }
                let h = Int(graph.nodes[Int(graph.edgeTargets[e])].host)
                if h >= 0 { reaching[h, default: [:]][service, default: []].insert(z) }
            }
        }
        let hostIndex = Dictionary(inventory.hosts.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        var seen = Set<String>()
        for v in inventory.vulnerabilities {
            guard let port = v.port, port > 0, port <= 65535, AttackGraphBuilder.exploitRating(v) != nil, let h = hostIndex[v.host] else { continue }
            let service = v.transport?.lowercased() == "udp" ? Service.udp(UInt16(port)...UInt16(port)) : Service.tcp(UInt16(port)...UInt16(port))
            guard seen.insert("\(h) \(service)").inserted else { continue }
            let now = reaching[h]?[service] ?? []
            flow(host: h, service: service, blockedZones: (0..<zoneCount).filter { !now.contains($0) })
        }
        // Lateral movement: the port conditions, from the zones where they do not hold now.
        for condition in Set(graph.conditions) where condition.host >= 0 {
            let blocked = (0..<zoneCount).filter { z in oracle.map { !$0.holds(zone: z, condition).reachable } ?? false }
            for service in condition.services { flow(host: Int(condition.host), service: service, blockedZones: blocked) }
        }
        for (k, f) in flows.enumerated() { for r in f.destinations.intervals { byAddress.append((r.lowerBound, k)) } }
        byAddress.sort { $0.address < $1.address }
    }

    /// The flows blocked today that some packet the rule may match belongs to.
    func met(by match: RuleMatch) -> [Int] {
        var found = Set<Int>()
        for cube in match.certain + match.assumed + match.possible {
            let destinations = cube.values(.destinationAddress)
            func check(_ k: Int) -> Bool {
                let f = flows[k]
                if let d = destinations, !d.overlaps(f.destinations) { return false }
                if let p = f.protocolNumber, let c = cube.values(.protocolNumber), !c.contains(p) { return false }
                if let ports = f.ports, let c = cube.values(.destinationPort), !c.overlaps(ports) { return false }
                if let s = cube.values(.sourceAddress), !s.overlaps(f.sources) { return false }
                return true
            }
            guard let d = destinations else {
                for k in flows.indices where check(k) { found.insert(k) }
                continue
            }
            // Flows with a destination inside the rule's, by address.
            for r in d.intervals {
                var lo = 0, hi = byAddress.count
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if byAddress[mid].address < r.lowerBound { lo = mid + 1 } else { hi = mid }
                }
                while lo < byAddress.count, byAddress[lo].address <= r.upperBound {
                    if check(byAddress[lo].flow) { found.insert(byAddress[lo].flow) }
                    lo += 1
                }
            }
        }
        return found.sorted()
    }

    /// The first packets of the flows' connections, from their blocked sources to their hosts, that
    /// the rule may match (deleting a rule changes the fate of those packets only). Flows of the
    /// same service are merged into one cube (all their sources to all their hosts): more packets
    /// than the flows hold, which only makes the screen keep more rules.
    func cubes(_ indices: [Int], within match: RuleMatch) -> [PacketCube] {
        let ruleCubes = match.certain + match.assumed + match.possible
        var merged: [Service: (destinations: IntervalSet, sources: IntervalSet)] = [:]
        for k in indices {
            let f = flows[k]
            let service = Service(protocolNumber: f.protocolNumber.map { UInt8($0) },
                                  ports: f.ports?.intervals.map { UInt16($0.lowerBound)...UInt16($0.upperBound) } ?? [])
            let old = merged[service] ?? (IntervalSet(), IntervalSet())
            merged[service] = (old.destinations.union(f.destinations), old.sources.union(f.sources))
        }
        var out: [PacketCube] = []
        let v4 = IntervalSet(IPAddress.ipv4Range)
        let v6 = v4.complement(maximum: PacketField.destinationAddress.maximum)
        for (service, m) in merged {
            for (family, part) in [(AddressFamily.ipv4, v4), (.ipv6, v6)] {
                let destinations = m.destinations.intersection(part), sources = m.sources.intersection(part)
                guard !destinations.isEmpty, !sources.isEmpty else { continue }
                for var c in service.connectionCubes {
                    c.restrict(.family, to: family.rawValue)
                    c.restrict(.sourceAddress, to: sources)
                    c.restrict(.destinationAddress, to: destinations)
                    for r in ruleCubes {
                        let both = c.intersection(r)
                        if !both.isEmpty { out.append(both) }
                    }
                }
            }
        }
        return out
    }
}
