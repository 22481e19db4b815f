import BulwarkModel
import CVSS
import Estate
import Foundation
import Identity
public import Inventory
public import NetworkReach
import PacketSpace

/// How sure each kind of step is, when nothing more specific is known. Every probability a step
/// carries names its source; these are the defaults behind them (docs/attack-graph.md).
public struct StepProbabilities: Sendable, Hashable {
    /// A CVE on CISA's KEV list has been exploited in the wild: a working exploit exists.
    public var knownExploited = 0.9
    /// The scanner reports a public exploit.
    public var exploitAvailable = 0.7
    /// An AD right held (BloodHound's edge): abusing it is assumed to work.
    public var identityRight = 1.0
    /// Reading, changing or encrypting data on a host the attacker controls.
    public var dataAccess = 1.0
    /// An interactive logon (RDP) with stolen credentials to a host behind MFA that is not
    /// phishing-resistant: push fatigue, adversary-in-the-middle. Phishing-resistant MFA stops it.
    public var mfaBypass = 0.1

    public init() {}
}

/// Builds the ``AttackGraph`` of an estate from its inventory (hosts, services, vulnerabilities,
/// the identity graph) and its network model (the reachability engine), by the rules of
/// docs/attack-graph.md.
public struct AttackGraphBuilder {
    public var probabilities = StepProbabilities()
    /// How reports name files (relative to the working folder, for instance).
    public var displayPath: (String) -> String = { $0 }
    let inventory: Inventory
    public let engine: ReachabilityEngine?

    /// `engine` is the estate's reachability engine; nil when the estate has no network model (a
    /// bare folder of exports), in which case every service is taken to be reachable from every
    /// host and the graph says so.
    public init(inventory: Inventory, engine: ReachabilityEngine?) {
        self.inventory = inventory
        self.engine = engine
    }

    /// What answers the graph's conditions (ports reachable from a zone) for searches: the
    /// reachability engine, asked lazily; nil without a network model (every condition holds).
    public func oracle() -> ConditionOracle? {
        guard let engine else { return nil }
        let hosts = inventory.hosts
        // The engine's set algebra is not thread-safe: every oracle made from this one (what-ifs
        // wrap it) comes through here, one question at a time.
        let lock = NSLock()
        return ConditionOracle { zone, condition in
            lock.lock()
            defer { lock.unlock() }
            let h = hosts[Int(condition.host)]
            guard let to = h.zone.flatMap({ engine.network.zone(named: $0) }),
                  let (address, family) = h.addresses.lazy.compactMap({ IPAddress.parse(Substring($0)) }).first else { return (false, true) }
            var exact = true
            for service in condition.services {
                let r = engine.addressReach(from: zone, to: to, service: service, address: address, family: family)
                if r.reachable { return (true, r.exact) }
                exact = exact && r.exact
            }
            return (false, exact)
        }
    }

    /// The steps with, for each one over the network, the firewall rules that let its connection
    /// through (a witness packet traced through every control on the way) as facts.
    public func withDecidingRules(_ steps: [PathStep]) -> [PathStep] {
        guard let engine else { return steps }
        return steps.map { s in
            guard s.fromZone >= 0, s.to.host >= 0, !s.services.isEmpty else { return s }
            let h = inventory.hosts[Int(s.to.host)]
            guard let to = h.zone.flatMap({ engine.network.zone(named: $0) }),
                  let (address, family) = h.addresses.lazy.compactMap({ IPAddress.parse(Substring($0)) }).first else { return s }
            // Witnesses of many targets share their first steps: each connection is traced once.
            let key = "\(s.fromZone) \(s.to.host) \(s.services)"
            let facts = ruleFacts.value(key) {
                let paths = s.services.lazy.map { engine.trace(from: Int(s.fromZone), to: to, service: $0, address: address, family: family) }.first { !$0.isEmpty } ?? []
                guard let path = paths.first(where: \.passes) else { return [] }
                if path.hops.isEmpty { return ["no firewall on the way: \(engine.network.zoneNames[Int(s.fromZone)]) to \(engine.network.zoneNames[to])"] }
                return path.hops.flatMap { hop in
                    hop.deciding.map { r in
                        let at = r.line.map { "\(displayPath(r.file)):\($0)" } ?? displayPath(r.file)
                        return "\(hop.firewall): \(r.action) by \(at) (\(r.place)\(r.rule.map { " rule \($0)" } ?? "")): \(r.text)"
                    }
                }
            }
            var s = s
            s.facts += facts
            return s
        }
    }

    private let ruleFacts = Memo<[String]>()

    /// The MFA the manifest states for a host (its own facts and its zone's), when enforced.
    func mfaFacts(host k: Int) -> (enforced: Bool, resistant: Bool)? {
        guard let manifest = inventory.manifest else { return nil }
        let h = inventory.hosts[k]
        var facts = h.manifestName.map { manifest.facts(about: .host($0)) } ?? manifest.facts.filter(\.appliesTo.isEmpty)
        if let z = h.zone { facts += manifest.facts(about: .zone(z)).filter { !$0.appliesTo.isEmpty } }
        var found: (enforced: Bool, resistant: Bool)?
        for f in facts {
            if case .mfa(let enforced, let resistant) = f.detail, enforced {
                found = (true, (found?.resistant ?? false) || resistant == true)
            }
        }
        return found
    }

    /// Whether a vulnerability finding gives code execution over the network, and how likely its
    /// exploit succeeds, with the source of that probability (see ``ExploitRating``).
    public static func exploitRating(_ v: InventoryVulnerability, probabilities: StepProbabilities = StepProbabilities()) -> (probability: Double, source: String)? {
        ExploitRating(v, probabilities: probabilities).map { ($0.probability, $0.source) }
    }

    public func build() -> AttackGraph {
        var b = Assembly(identity: inventory.identity)
        let identity = inventory.identity
        let manifest = inventory.manifest
        let zoneNames = engine?.network.zoneNames ?? []

        // Principals keep their numbers.
        if let g = identity {
            b.nodes.reserveCapacity(g.principalCount + inventory.hosts.count + zoneNames.count + 1)
            for (k, p) in g.principals.enumerated() {
                b.add(AttackGraph.Node(kind: .principal, id: p.id, name: p.name.isEmpty ? p.id : p.name, principal: Int32(k), host: -1, zone: -1))
            }
        }
        // Zones (or one "anywhere" position when there is no network model).
        var zoneNodes: [Int32] = []
        for (z, name) in zoneNames.enumerated() {
            zoneNodes.append(b.add(AttackGraph.Node(kind: .zone, id: "zone:\(name)", name: name, principal: -1, host: -1, zone: Int32(z))))
        }
        let anywhere: Int32? = engine == nil
            ? b.add(AttackGraph.Node(kind: .zone, id: "zone:*", name: "anywhere (no network model)", principal: -1, host: -1, zone: -1))
            : nil
        if anywhere != nil && !inventory.vulnerabilities.isEmpty {
            b.notes.append("no network model (no bulwark.yaml with zones and firewalls): every scanned service is taken to be reachable from every host")
        }

        // Hosts: an AD computer that matches a host is that host's node.
        var hostNodes: [Int32] = []
        var hostAddress: [(UInt128, AddressFamily)?] = []
        var hostZone: [Int?] = []
        var hostByName: [String: Int32] = [:]
        for (k, h) in inventory.hosts.enumerated() {
            let zone = h.zone.flatMap { engine?.network.zone(named: $0) }
            let address = h.addresses.lazy.compactMap { IPAddress.parse(Substring($0)) }.first
            let name = h.displayName
            let node: Int32
            if let sid = h.objectID, let p = identity?.index(of: sid) {
                node = p
                b.nodes[Int(p)].kind = .host
                b.nodes[Int(p)].host = Int32(k)
                b.nodes[Int(p)].zone = zone.map(Int32.init) ?? -1
                b.alias(h.id, node)
            } else {
                node = b.add(AttackGraph.Node(kind: .host, id: h.id, name: name, principal: -1, host: Int32(k), zone: zone.map(Int32.init) ?? -1))
            }
            for alias in [h.manifestName].compactMap({ $0 }) + h.fqdns + h.names + h.addresses { b.alias(alias, node) }
            if let m = h.manifestName { hostByName[m] = node }
            hostNodes.append(node)
            hostAddress.append(address.map { ($0.0, $0.1) })
            hostZone.append(zone)
            // Standing on a host puts the attacker in its zone.
            if let z = zone {
                b.edge(node, zoneNodes[z], b.step(.init(kind: .position, technique: "", probability: 1, probabilitySource: "the attacker on a host sends from its zone", facts: [], traversable: true)))
            } else if let any = anywhere {
                b.edge(node, any, b.step(.init(kind: .position, technique: "", probability: 1, probabilitySource: "no network model", facts: [], traversable: true)))
            } else if engine != nil {
                b.notes.append("\(name): in no zone of the manifest; attacks from or to it over the network are not modelled")
            }
        }

        // AD relationships, with the port check for lateral movement.
        if let g = identity {
            var shared: [EdgeKind: Int32] = [:]
            var unchecked: [Int32: Int32] = [:]  // step -> its variant whose port was not checked
            var behindMFA: [Int32: Int32] = [:]  // step -> its variant behind MFA (not phishing-resistant)
            var stoppedByMFA: [Int32: Int32] = [:]  // step -> its variant behind phishing-resistant MFA
            var conditionIndex: [AttackGraph.Condition: Int32] = [:]
            for e in 0..<g.edgeCount {
                let kind = g.edgeKinds[e]
                var step = shared[kind] ?? {
                    let s = b.step(.init(kind: .identity(kind), technique: Techniques.identity(kind) ?? "", probability: probabilities.identityRight,
                                         probabilitySource: "an AD right held (BloodHound's \(kind.name) edge); its abuse is assumed to succeed",
                                         facts: [], traversable: kind.isTraversable))
                    shared[kind] = s
                    return s
                }()
                let target = g.edgeTargets[e]
                // Interactive logons to a host behind MFA need the second factor.
                if kind == .canRDP || kind == .remoteInteractiveLogonRight, b.nodes[Int(target)].host >= 0,
                   let mfa = mfaFacts(host: Int(b.nodes[Int(target)].host)) {
                    let where_ = inventory.hosts[Int(b.nodes[Int(target)].host)].manifestName ?? b.nodes[Int(target)].name
                    if mfa.resistant {
                        step = stoppedByMFA[step] ?? {
                            var st = b.steps[Int(step)]
                            st.traversable = false
                            st.facts.append("phishing-resistant MFA on \(where_) (manifest): stolen credentials do not log on")
                            let v = b.step(st)
                            stoppedByMFA[step] = v
                            return v
                        }()
                    } else {
                        step = behindMFA[step] ?? {
                            var st = b.steps[Int(step)]
                            st.probability = probabilities.mfaBypass
                            st.probabilitySource = "MFA on \(where_) (manifest), not phishing-resistant: the second factor is bypassed (push fatigue, adversary-in-the-middle) with probability \(probabilities.mfaBypass)"
                            let v = b.step(st)
                            behindMFA[step] = v
                            return v
                        }()
                    }
                }
                guard engine != nil, kind.isTraversable, let services = Techniques.lateralServices(kind) else {
                    b.edge(g.edgeSources[e], target, step)
                    continue
                }
                let k = b.nodes[Int(target)].host
                if k >= 0, hostAddress[Int(k)] != nil, hostZone[Int(k)] != nil {
                    let c = AttackGraph.Condition(services: services, host: k)
                    let ci = conditionIndex[c] ?? {
                        b.conditions.append(c)
                        conditionIndex[c] = Int32(b.conditions.count - 1)
                        return Int32(b.conditions.count - 1)
                    }()
                    b.edge(g.edgeSources[e], target, step, condition: ci)
                } else {
                    let s = unchecked[step] ?? {
                        var st = b.steps[Int(step)]
                        st.inexact = "the computer's address or zone is unknown: whether \(services.map(\.description).joined(separator: ", ")) is reachable was not checked"
                        let s = b.step(st)
                        unchecked[step] = s
                        return s
                    }()
                    b.edge(g.edgeSources[e], target, s)
                }
            }
        }

        // Remote code execution through vulnerable, reachable services: one edge per finding and
        // zone that reaches it (so patching one finding leaves the others), reachability asked once
        // per zone, host and service.
        let hostIndex = Dictionary(inventory.hosts.enumerated().map { ($1.id, $0) }) { a, _ in a }
        // The engine's shared sets are computed once for the services the graph asks about.
        if let engine {
            var services = Set<Service>()
            for v in inventory.vulnerabilities {
                // Only findings that give code execution make exploit steps.
                guard let port = v.port, port > 0, port <= 65535, ExploitRating(v, probabilities: probabilities) != nil else { continue }
                services.insert(Service(protocolNumber: v.transport?.lowercased() == "udp" ? 17 : 6, ports: [UInt16(port)...UInt16(port)]))
            }
            // Lateral movement's ports, asked about lazily by the condition oracle.
            if let g = identity, [EdgeKind.adminTo, .canRDP, .canPSRemote, .executeDCOM].contains(where: { g.edgeCount(of: $0) > 0 }) {
                for kind in [EdgeKind.adminTo, .canRDP, .canPSRemote, .executeDCOM] { services.formUnion(Techniques.lateralServices(kind) ?? []) }
            }
            // (A union of the ports asked about makes far smaller sets than whole protocols.)
            engine.prepare(for: services.sorted { $0.description < $1.description })
        }
        var reachCache: [ReachKey: [AddressReach]] = [:]
        for v in inventory.vulnerabilities {
            guard let k = hostIndex[v.host], let exploit = ExploitRating(v, probabilities: probabilities), let port = v.port, port > 0, port <= 65535 else { continue }
            let proto: UInt8 = v.transport?.lowercased() == "udp" ? 17 : 6
            let service = Service(protocolNumber: proto, ports: [UInt16(port)...UInt16(port)])
            var facts = ["\(v.cves.isEmpty ? v.name : v.cves.joined(separator: ", ")) on \(service) (\(v.file):\(v.location.line))"]
            if !v.kev.isEmpty { facts.append("CISA KEV: \(v.kev.map(\.cve).joined(separator: ", "))") }
            if let e = v.epss { facts.append(String(format: "EPSS %@ %.3f (percentile %.3f)", e.cve, e.probability, e.percentile)) }
            // The CVE that makes the finding dangerous first (KEV-listed, else EPSS-scored): it names the fix.
            let primary = v.kev.first?.cve ?? v.epss?.cve
            let cves = primary.map { p in v.cves.contains(p) ? [p] + v.cves.filter { $0 != p } : v.cves } ?? v.cves
            let sources: [(node: Int32, zone: Int?)] = engine == nil ? anywhere.map { [($0, nil)] } ?? [] : zoneNodes.enumerated().map { ($1, $0) }
            for (from, z) in sources {
                var inexact: String?
                if let engine, let z {
                    guard let (address, family) = hostAddress[k], let to = hostZone[k] else { continue }
                    let key = ReachKey(host: k, service: service)
                    let fromZones = reachCache[key] ?? engine.addressReachFromEveryZone(to: to, service: service, address: address, family: family)
                    reachCache[key] = fromZones
                    let reach = fromZones[z]
                    guard reach.reachable else { continue }
                    if !reach.exact { inexact = "uncertain firewall matches decide whether \(service) on \(inventory.hosts[k].addresses.first ?? "") is reachable from \(zoneNames[z])" }
                }
                let technique = z.map { manifest?.zones[$0].kind == .internet } == true ? Techniques.exploitPublicFacing : Techniques.exploitRemoteService
                let step = AttackGraph.Step(kind: .exploit, technique: technique, probability: exploit.probability, probabilitySource: exploit.source,
                                            facts: facts, traversable: true, inexact: inexact, cves: cves, service: service)
                b.edge(from, hostNodes[k], b.step(step))
            }
        }

        // Data access where information assets live.
        for asset in manifest?.informationAssets ?? [] {
            let holders = asset.hosts.compactMap { hostByName[$0] }
            guard !holders.isEmpty else { continue }
            let facts = (manifest?.facts(about: .informationAsset(asset.name)) ?? []) + asset.hosts.flatMap { manifest?.facts(about: .host($0)) ?? [] }
            let protectedBackup = facts.contains { f in
                if case .backup(let offline, let immutable, let tested) = f.detail { return (offline == true || immutable == true) && tested != nil }
                return false
            }
            for impact in AttackGraph.AssetImpact.allCases {
                if impact == .availability && protectedBackup { continue }
                let node = b.add(AttackGraph.Node(kind: .asset, id: "asset:\(asset.name)/\(impact.rawValue)", name: "\(asset.name) (\(impact.rawValue))", principal: -1, host: -1, zone: -1))
                let step = b.step(.init(kind: .dataAccess(impact), technique: Techniques.dataAccess(impact), probability: probabilities.dataAccess,
                                        probabilitySource: "the attacker controls a host that holds the asset",
                                        facts: ["\(asset.name) is held on \(asset.hosts.joined(separator: ", ")) (\(displayPath(asset.location.file)):\(asset.location.line))"],
                                        traversable: true))
                for h in holders { b.edge(h, node, step) }
            }
            if protectedBackup {
                b.notes.append("\(asset.name): availability is not at risk from ransomware: an offline or immutable backup was restore-tested (manifest facts)")
            }
        }
        let jewels = inventory.hosts.indices.filter { inventory.hosts[$0].crownJewel }.map { hostNodes[$0] }
        return b.finish(zoneNodes: anywhere.map { [$0] } ?? zoneNodes, hostNodes: hostNodes, crownJewels: jewels)
    }
}

/// Answers kept by key, for a value type that computes them on demand.
final class Memo<Value>: @unchecked Sendable {
    private var values: [String: Value] = [:]
    private let lock = NSLock()

    func value(_ key: String, _ make: () -> Value) -> Value {
        lock.lock()
        defer { lock.unlock() }
        if let v = values[key] { return v }
        let v = make()
        values[key] = v
        return v
    }
}

struct ReachKey: Hashable {
    var host: Int
    var service: Service
}

/// How likely an exploit of a vulnerability finding succeeds, and why; nil when the finding does
/// not give code execution over the network.
struct ExploitRating {
    var probability: Double
    var source: String

    /// Code execution over the network: a CVSS vector with attack vector Network and high integrity
    /// impact (v2: complete), or a CVE on the KEV list when no vector says otherwise. The probability
    /// is the vector's exploitability normalized to 0...1 (v3: AV×AC×PR×UI over its maximum; v2:
    /// the exploitability subscore / 10; v4, which has no subscore: v3.1's weights for AV, AC, PR,
    /// UI, and AT:P weighted as AC:H), raised to the KEV or exploit-available floor.
    init?(_ v: InventoryVulnerability, probabilities: StepProbabilities) {
        var best: (p: Double, text: String, version: CVSSVersion)?
        for rating in v.cvss {
            guard let vector = try? CVSSVector(parsing: rating.vector) else { continue }
            var m: [String: String] = [:]
            for x in vector.metrics { m[x.metric] = x.value }
            guard m["AV"] == "N" else { continue }
            let p: Double
            switch vector.version {
            case .v2_0:
                guard m["I"] == "C" else { continue }
                let av = 1.0, ac = ["H": 0.35, "M": 0.61, "L": 0.71][m["AC"] ?? ""] ?? 0.35, au = ["M": 0.45, "S": 0.56, "N": 0.704][m["Au"] ?? ""] ?? 0.45
                p = min(1, 20 * av * ac * au / 10)
            case .v4_0:
                guard m["VI"] == "H" else { continue }
                let ac = m["AC"] == "L" ? 0.77 : 0.44, at = m["AT"] == "N" ? 1.0 : 0.44 / 0.77
                let pr = ["N": 0.85, "L": 0.62, "H": 0.27][m["PR"] ?? ""] ?? 0.27, ui = m["UI"] == "N" ? 0.85 : 0.62
                p = 0.85 * ac * at * pr * ui / (0.85 * 0.77 * 0.85 * 0.85)
            default:
                guard m["I"] == "H" else { continue }
                let changed = m["S"] == "C"
                let ac = m["AC"] == "L" ? 0.77 : 0.44
                let pr = (changed ? ["N": 0.85, "L": 0.68, "H": 0.5] : ["N": 0.85, "L": 0.62, "H": 0.27])[m["PR"] ?? ""] ?? 0.27
                let ui = m["UI"] == "N" ? 0.85 : 0.62
                p = 0.85 * ac * pr * ui / (0.85 * 0.77 * 0.85 * 0.85)
            }
            let text = "CVSS \(vector.version.rawValue) exploitability of \(rating.vector)"
            // The newest version's vector speaks for the finding.
            if best.map({ $0.version < vector.version }) ?? true { best = (min(1, p), text, vector.version) }
        }
        if best == nil {
            // No vector: code execution is claimed only for known-exploited CVEs.
            guard !v.kev.isEmpty, v.cvss.isEmpty else { return nil }
            best = (probabilities.knownExploited, "on CISA's KEV list (no CVSS vector)", .v2_0)
        }
        guard var (p, text, _) = best else { return nil }
        if !v.kev.isEmpty && p < probabilities.knownExploited {
            p = probabilities.knownExploited
            text = "on CISA's KEV list: exploited in the wild (floor \(probabilities.knownExploited)); \(text)"
        } else if v.exploitAvailable == true && p < probabilities.exploitAvailable {
            p = probabilities.exploitAvailable
            text = "a public exploit is available (floor \(probabilities.exploitAvailable)); \(text)"
        }
        probability = p
        source = text
    }
}

/// The graph as it is put together: nodes, steps and unsorted edges.
struct Assembly {
    var nodes: [AttackGraph.Node] = []
    var index: [String: Int32] = [:]
    var steps: [AttackGraph.Step] = []
    var stepIndex: [AttackGraph.Step: Int32] = [:]
    var sources = ContiguousArray<Int32>()
    var targets = ContiguousArray<Int32>()
    var edgeSteps = ContiguousArray<Int32>()
    var edgeConditions = ContiguousArray<Int32>()
    var conditions: [AttackGraph.Condition] = []
    var notes: [String] = []
    let identity: IdentityGraph?

    init(identity: IdentityGraph?) {
        self.identity = identity
        if let g = identity {
            sources.reserveCapacity(g.edgeCount)
            targets.reserveCapacity(g.edgeCount)
            edgeSteps.reserveCapacity(g.edgeCount)
            edgeConditions.reserveCapacity(g.edgeCount)
        }
    }

    @discardableResult
    mutating func add(_ node: AttackGraph.Node) -> Int32 {
        let i = Int32(nodes.count)
        nodes.append(node)
        alias(node.id, i)
        alias(node.name, i)
        return i
    }

    /// Another name the node can be asked for by (names, FQDNs, addresses); the first node to claim
    /// a name keeps it.
    mutating func alias(_ name: String, _ node: Int32) {
        if index[name] == nil { index[name] = node }
        let lower = name.lowercased()
        if index[lower] == nil { index[lower] = node }
    }

    mutating func step(_ s: AttackGraph.Step) -> Int32 {
        if let i = stepIndex[s] { return i }
        steps.append(s)
        stepIndex[s] = Int32(steps.count - 1)
        return Int32(steps.count - 1)
    }

    mutating func edge(_ from: Int32, _ to: Int32, _ step: Int32, condition: Int32 = -1) {
        sources.append(from)
        targets.append(to)
        edgeSteps.append(step)
        edgeConditions.append(condition)
    }

    /// Sorts the edges by source (stably) and builds both adjacency indexes.
    func finish(zoneNodes: [Int32], hostNodes: [Int32], crownJewels: [Int32]) -> AttackGraph {
        let order = Adjacency.sortedBySource(sources, nodeCount: nodes.count)
        let s = ContiguousArray(order.lazy.map { self.sources[Int($0)] })
        let t = ContiguousArray(order.lazy.map { self.targets[Int($0)] })
        let st = ContiguousArray(order.lazy.map { self.edgeSteps[Int($0)] })
        let c = ContiguousArray(order.lazy.map { self.edgeConditions[Int($0)] })
        let adjacency = Adjacency(sources: s, targets: t, nodeCount: nodes.count)
        return AttackGraph(nodes: nodes, edgeSources: s, edgeTargets: t, edgeSteps: st, steps: steps, edgeConditions: c, conditions: conditions,
                           outStart: adjacency.outStart, inStart: adjacency.inStart, inEdges: adjacency.inEdges, identity: identity, zoneNodes: zoneNodes, hostNodes: hostNodes,
                           crownJewels: crownJewels, assetNodes: nodes.indices.filter { nodes[$0].kind == .asset }.map(Int32.init),
                           notes: notes, nodeIndex: index)
    }
}
