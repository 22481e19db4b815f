import AWS
public import BulwarkModel
import Foundation
import Estate
import Firewall
import PacketSpace

/// Reachability across an estate: which new connections of a service get from each zone to each
/// other zone, through the network firewalls between them, the destination's host firewall and, in
/// the cloud, the security groups and network ACLs.
///
/// Everything is a set of packets in one ``PacketAlgebra``. For each service the engine computes,
/// once per network firewall, what its FORWARD hook accepts between each pair of its interfaces;
/// once per host firewall what its INPUT (OUTPUT) hook accepts for its host; once per VPC what it
/// lets in and out. Without declared routes, the packets that can arrive in each zone are the least
/// fixed point of "a zone's own packets, plus what a firewall lets through from a zone it faces"
/// (the union over every path, each path the intersection of its hops); with routes, each declared
/// route is followed hop by hop and the routes of a pair are united. A cell is then what arrives in
/// the destination zone from the source zone's addresses, less what the endpoints' controls stop.
public final class ReachabilityEngine {
    public let network: EstateNetwork
    let algebra = PacketAlgebra()

    /// A way between two zones: a network firewall's interface pair, or a VPC's gateway.
    struct Link {
        var firewall: Int
        var from: Int
        var to: Int
        /// Interfaces for network firewalls; nil for a cloud gateway (the VPC's own controls apply at
        /// the endpoints).
        var interfaces: (in: String, out: String)?
    }

    let links: [Link]
    /// Per firewall, the zones its interfaces face (network firewalls; empty for others).
    let facedZones: [[Int]]
    /// Per zone, the links leaving it and entering it.
    let outgoing: [[Int]]
    let incoming: [[Int]]
    /// Per zone, its own addresses as a source and as a destination (both families).
    let sourceNode: [UInt32]
    let destinationNode: [UInt32]
    var probes: [Int: AcceptanceProbe] = [:]
    var evaluators: [Int: Evaluator] = [:]
    var cloudInterfaces: [Int: [AWSInterface]] = [:]
    private var cache: [Service: ServiceSets] = [:]
    /// Per destination zone, ``distances(to:)`` once computed (they depend on the links only).
    var distanceCache: [[Int]?]
    var hostNodeCache: [Int: [(String, UInt32)]] = [:]
    /// What arrives from one zone in another, per service (for ``addressReach(from:to:service:address:family:)``).
    var pairStages: [PairKey: Stage] = [:]
    struct PairKey: Hashable {
        var from: Int
        var to: Int
        var service: Service
    }
    /// Notes about the whole estate (paths assumed).
    public let notes: [String]
    /// Wall-clock seconds spent in each phase of the work done so far (for `BULWARK_STATS`).
    public private(set) var timings: [String: Double] = [:]
    /// The size of the set algebra's work so far (for `BULWARK_STATS`).
    public var algebraStatistics: String { "\(algebra.nodeCountTotal) nodes, \(algebra.operationCount) operations" }
    func timed<R>(_ phase: String, _ work: () -> R) -> R {
        let start = ContinuousClock.now
        defer {
            let d = ContinuousClock.now - start
            timings[phase, default: 0] += Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        }
        return work()
    }

    public init(network: EstateNetwork) {
        self.network = network
        let manifest = network.manifest
        let zoneCount = network.zoneNames.count
        var links: [Link] = []
        var notes: [String] = []
        for (f, fw) in manifest.firewalls.enumerated() {
            guard case .network(let interfaces) = fw.placement else { continue }
            for i in interfaces {
                for o in interfaces where o.name != i.name && o.zone != i.zone {
                    guard let a = network.zone(named: i.zone), let b = network.zone(named: o.zone) else { continue }
                    links.append(Link(firewall: f, from: a, to: b, interfaces: (i.name, o.name)))
                }
            }
        }
        // A cloud zone is reached through its VPC's internet gateway: joined to the internet zones
        // (to every zone when the estate has none), and to the VPC's other zones.
        let internet = manifest.zones.indices.filter { manifest.zones[$0].kind == .internet }
        for (z, f) in network.cloudZones.sorted(by: { $0.key < $1.key }) {
            let peers = (internet.isEmpty ? Array(0..<zoneCount) : internet).filter { $0 != z && network.cloudZones[$0] == nil }
            for p in peers {
                links.append(Link(firewall: f, from: p, to: z, interfaces: nil))
                links.append(Link(firewall: f, from: z, to: p, interfaces: nil))
            }
            // Zones of the same VPC reach each other by its local route.
            for (other, g) in network.cloudZones where g == f && other != z { links.append(Link(firewall: f, from: z, to: other, interfaces: nil)) }
            let names = peers.map { network.zoneNames[$0] }
            notes.append("cloud zone \(network.zoneNames[z]) is reached through \(manifest.firewalls[f].name)'s gateway from \(names.isEmpty ? "no zone" : names.joined(separator: ", ")); route tables and gateways are not modelled")
        }
        if manifest.routes == nil {
            notes.insert("no routes declared: a flow may take any path through the placed firewalls", at: 0)
        }
        self.links = links
        var faced = Array(repeating: [Int](), count: manifest.firewalls.count)
        for l in links where l.interfaces != nil && !faced[l.firewall].contains(l.from) { faced[l.firewall].append(l.from) }
        facedZones = faced
        var out = Array(repeating: [Int](), count: zoneCount)
        var inc = Array(repeating: [Int](), count: zoneCount)
        for (k, l) in links.enumerated() {
            out[l.from].append(k)
            inc[l.to].append(k)
        }
        outgoing = out
        incoming = inc
        distanceCache = Array(repeating: nil, count: zoneCount)
        let a = algebra
        func node(_ field: PacketField, _ z: Int) -> UInt32 {
            var n = PacketAlgebra.emptyNode
            for family in AddressFamily.allCases {
                let set = network.zoneAddresses[z][Int(family.rawValue)]
                if set.isEmpty { continue }
                var c = PacketCube()
                c.restrict(.family, to: family.rawValue)
                c.restrict(field, to: set)
                n = a.union(n, a.cube(c))
            }
            return n
        }
        sourceNode = (0..<zoneCount).map { node(.sourceAddress, $0) }
        destinationNode = (0..<zoneCount).map { node(.destinationAddress, $0) }
        self.notes = notes
        for (f, loaded) in network.firewalls.enumerated() {
            switch loaded {
            case .ruleset(_, let program):
                probes[f] = AcceptanceProbe(program: program, algebra: algebra)
                evaluators[f] = Evaluator(program: program)
            case .cloud(let aws):
                guard case .cloud(let subnets) = manifest.firewalls[f].placement else { continue }
                let mapped = Set(subnets.map(\.subnet))
                cloudInterfaces[f] = aws.interfaces.filter { $0.subnetId.map(mapped.contains) ?? false }
            }
        }
    }

    // MARK: - Per-service sets

    /// What every control lets through, for all services at once: every link's stage, the
    /// endpoints' stage, and (without routes) what can arrive in each zone. A service's answers are
    /// these sets intersected with its packets: every step is an intersection or a union, which
    /// intersection with a fixed set distributes over, so one computation serves every service.
    final class BaseSets {
        /// Every first packet of a connection, well-formed, of both families.
        let region: UInt32
        var linkStages: [Stage] = []
        var linkReasons: [[String]] = []
        /// Host firewalls (INPUT for their host's addresses, OUTPUT for traffic from them) and VPCs.
        var endpoint = Stage.everything
        var endpointReasons: [Int: [String]] = [:]
        /// Without routes: the packets that can arrive in each zone.
        var arrival: [Stage] = []
        /// Per destination zone: what arrives there for it, through the endpoints' controls.
        var arrivalTo: [Int: Stage] = [:]
        /// Per zone pair (routes declared): what the pair's routes let through.
        var routed: [Int: Stage] = [:]

        init(region: UInt32) { self.region = region }
    }

    /// The sets of one service: the shared ``BaseSets`` and the service's packets.
    final class ServiceSets {
        let service: Service
        let base: BaseSets
        /// The service's first packets, well-formed, of both families.
        let region: UInt32
        /// Per source zone: the region from its addresses.
        var regionFrom: [Int: UInt32] = [:]
        /// Per destination zone: what arrives there of the service.
        var arrivingTo: [Int: Stage] = [:]

        var linkStages: [Stage] { base.linkStages }
        var linkReasons: [[String]] { base.linkReasons }
        var endpoint: Stage { base.endpoint }
        var endpointReasons: [Int: [String]] { base.endpointReasons }
        var arrival: [Stage] { base.arrival }

        init(service: Service, base: BaseSets, region: UInt32) {
            self.service = service
            self.base = base
            self.region = region
        }
    }

    private var base: BaseSets?

    /// The services the shared sets are computed for: every packet unless ``prepare(for:)`` narrowed
    /// them before the first question.
    private var scope: [Service] = [.any]

    /// Computes the shared sets for these services only (their union), which is faster than for
    /// every packet when only they will be asked about; later questions about other services
    /// recompute the sets for every packet.
    public func prepare(for services: [Service]) {
        guard base == nil else { return }
        scope = services
    }

    func sets(for service: Service) -> ServiceSets {
        if let s = cache[service] { return s }
        if base != nil, !scope.contains(.any), !scope.contains(service) {
            // Outside the narrowed scope: start again with every packet.
            base = nil
            cache.removeAll()
            scope = [.any]
        }
        let base = baseSets()
        let a = algebra
        var packets = PacketAlgebra.emptyNode
        for c in service.connectionCubes { packets = a.union(packets, a.cube(c)) }
        let sets = ServiceSets(service: service, base: base, region: a.intersection(base.region, packets))
        cache[service] = sets
        return sets
    }

    private func baseSets() -> BaseSets {
        if let base { return base }
        let a = algebra
        var region = PacketAlgebra.emptyNode
        for service in scope { for c in service.connectionCubes { region = a.union(region, a.cube(c)) } }
        var wellFormed = PacketAlgebra.emptyNode
        for family in AddressFamily.allCases {
            for c in WellFormedPackets.cubes(family: family) { wellFormed = a.union(wellFormed, a.cube(c)) }
        }
        // Unicast flows between hosts: addresses that can only be multicast, broadcast or "this
        // network" are no host's; the address types are then settled and drop out of the sets.
        region = a.intersection(region, wellFormed)
        region = a.fixing(region, dimension: PacketField.sourceAddressType.rawValue, to: AddressType.unicast.rawValue)
        region = a.fixing(region, dimension: PacketField.destinationAddressType.rawValue, to: AddressType.unicast.rawValue)
        let sets = BaseSets(region: region)
        let manifest = network.manifest

        // Network firewalls: one run of the FORWARD hook, then each interface pair.
        var forward: [Int: (Stage, [String])] = [:]
        for l in links {
            guard l.interfaces != nil, forward[l.firewall] == nil, let probe = probes[l.firewall] else { continue }
            let stages = FirewallStages(algebra: a, probe: probe, name: manifest.firewalls[l.firewall].name)
            var (stage, reasons) = stages.accepted(.forward, region: region)
            stage = stages.fix(stage, .sourceAddressType, AddressType.unicast.rawValue)
            stage = stages.fix(stage, .destinationAddressType, AddressType.unicast.rawValue)
            forward[l.firewall] = (stage, reasons)
        }
        for l in links {
            guard let (i, o) = l.interfaces, let (stage, reasons) = forward[l.firewall], let probe = probes[l.firewall] else {
                // A cloud gateway: packets from the cloud zone's own addresses out, to them in.
                sets.linkStages.append(Stage(sure: l.interfaces == nil ? gatewayNode(l) : 0, possible: l.interfaces == nil ? gatewayNode(l) : 0))
                sets.linkReasons.append([])
                continue
            }
            let stages = FirewallStages(algebra: a, probe: probe, name: manifest.firewalls[l.firewall].name)
            let (inPinned, r1) = stages.pin(stage, field: .inInterface, interface: i)
            let (pinned, r2) = stages.pin(inPinned, field: .outInterface, interface: o)
            // Connected routes: a packet to a zone the firewall faces leaves by that zone's
            // interface, never by another one.
            let elsewhere = facedZones[l.firewall].filter { $0 != l.to }.reduce(PacketAlgebra.emptyNode) { a.union($0, destinationNode[$1]) }
            sets.linkStages.append(pinned.intersection(a.complement(elsewhere), a))
            sets.linkReasons.append(reasons + r1 + r2)
        }

        // Host firewalls and VPCs at the endpoints.
        for (f, fw) in manifest.firewalls.enumerated() {
            switch fw.placement {
            case .host(let host):
                guard let probe = probes[f] else { continue }
                let stages = FirewallStages(algebra: a, probe: probe, name: fw.name)
                let addresses = network.hostAddresses(host)
                var reasons: [String] = []
                // INPUT for packets to the host.
                var (input, r1) = stages.accepted(.input, region: region)
                input = stages.fix(input, .outInterface, 0)
                input = stages.fix(input, .destinationAddressType, AddressType.local.rawValue)
                input = stages.fix(input, .sourceAddressType, AddressType.unicast.rawValue)
                let inputAll = stages.quantify(input, field: .inInterface, over: FirewallStages.nonLoopbackInterfaces)
                // OUTPUT for packets from it.
                var (output, r2) = stages.accepted(.output, region: region)
                output = stages.fix(output, .inInterface, 0)
                output = stages.fix(output, .sourceAddressType, AddressType.local.rawValue)
                output = stages.fix(output, .destinationAddressType, AddressType.unicast.rawValue)
                let outputAll = stages.quantify(output, field: .outInterface, over: FirewallStages.nonLoopbackInterfaces)
                reasons += r1 + r2
                if inputAll.sure != inputAll.possible && input.sure == input.possible || outputAll.sure != outputAll.possible && output.sure == output.possible {
                    reasons.append("\(fw.name) treats interfaces differently and the manifest does not say which one \(host) uses")
                }
                let families = Set(probe.program.families)
                let toHost = addressNode(addresses, field: .destinationAddress, families: families)
                let fromHost = addressNode(addresses, field: .sourceAddress, families: families)
                let inStage = Stage(sure: a.union(a.complement(toHost), inputAll.sure), possible: a.union(a.complement(toHost), inputAll.possible))
                let outStage = Stage(sure: a.union(a.complement(fromHost), outputAll.sure), possible: a.union(a.complement(fromHost), outputAll.possible))
                sets.endpoint = sets.endpoint.intersection(inStage, a).intersection(outStage, a)
                sets.endpointReasons[f] = reasons
            case .cloud:
                guard case .cloud(let aws) = network.firewalls[f] else { continue }
                let cloud = CloudSets(aws: aws, zoneInterfaces: cloudInterfaces[f] ?? [], algebra: a, firewall: fw.name)
                sets.endpoint = sets.endpoint.intersection(cloud.inbound, a).intersection(cloud.outbound, a)
                sets.endpointReasons[f] = cloud.reasons
            case .network:
                break
            }
        }

        if manifest.routes == nil { sets.arrival = fixedPoint(sets) }
        base = sets
        return sets
    }

    private func gatewayNode(_ l: Link) -> UInt32 {
        // Into a cloud zone: only packets to its addresses; out of it: only packets from them.
        network.cloudZones[l.to] != nil ? destinationNode[l.to] : sourceNode[l.from]
    }

    private func addressNode(_ byFamily: [IntervalSet], field: PacketField, families: Set<AddressFamily>) -> UInt32 {
        var n = PacketAlgebra.emptyNode
        for family in families where !byFamily[Int(family.rawValue)].isEmpty {
            var c = PacketCube()
            c.restrict(.family, to: family.rawValue)
            c.restrict(field, to: byFamily[Int(family.rawValue)])
            n = algebra.union(n, algebra.cube(c))
        }
        return n
    }

    /// What can arrive in each zone: its own packets, and what any link lets through from a zone
    /// where they can arrive; iterated until nothing changes (a least fixed point: sets only grow, and
    /// a walk that revisits a zone adds nothing a simple path does not). Semi-naive: only the packets
    /// newly arrived in a zone are sent on through its links, so late rounds work on small sets.
    private func fixedPoint(_ sets: BaseSets) -> [Stage] {
        let a = algebra
        let n = network.zoneNames.count
        var arrival = (0..<n).map { z in Stage(sure: a.intersection(sets.region, sourceNode[z]), possible: a.intersection(sets.region, sourceNode[z])) }
        var pending = arrival
        var queued = Array(repeating: true, count: n)
        var queue = Array(0..<n)
        var head = 0
        while head < queue.count {
            let z = queue[head]
            head += 1
            queued[z] = false
            let delta = pending[z]
            pending[z] = .nothing
            for k in outgoing[z] {
                let l = links[k]
                let through = delta.intersection(sets.linkStages[k], a)
                let fresh = Stage(sure: a.subtracting(through.sure, arrival[l.to].sure), possible: a.subtracting(through.possible, arrival[l.to].possible))
                if fresh == .nothing { continue }
                arrival[l.to] = arrival[l.to].union(fresh, a)
                pending[l.to] = pending[l.to].union(fresh, a)
                if !queued[l.to] {
                    queued[l.to] = true
                    queue.append(l.to)
                }
            }
            if head > 4096 && head * 2 > queue.count {
                queue.removeFirst(head)
                head = 0
            }
        }
        return arrival
    }

    /// The packets of a declared route: from the source zone, through each firewall of `via` in turn.
    func routeStage(_ route: EstateManifest.Route, from: Int, to: Int, sets: BaseSets) -> Stage {
        let a = algebra
        let manifest = network.manifest
        let start = a.intersection(sets.region, sourceNode[from])
        var at: [Int: Stage] = [from: Stage(sure: start, possible: start)]
        var crossed = false
        for name in route.via {
            guard let f = manifest.firewalls.firstIndex(where: { $0.name == name }) else { continue }
            guard case .network = manifest.firewalls[f].placement else { continue }
            crossed = true
            var next: [Int: Stage] = [:]
            for (k, l) in links.enumerated() where l.firewall == f {
                guard let here = at[l.from] else { continue }
                let through = here.intersection(sets.linkStages[k], a)
                next[l.to] = (next[l.to] ?? .nothing).union(through, a)
            }
            at = next
        }
        return (crossed ? at[to] : at[from]) ?? .nothing
    }

    // MARK: - Cells

    /// The packets of the pair that get through, within the pair's region.
    func arrivals(from: Int, to: Int, sets: ServiceSets) -> Stage {
        let a = algebra
        let base = sets.base
        let reached: Stage
        if network.manifest.routes != nil {
            let key = from * network.zoneNames.count + to
            if let r = base.routed[key] {
                reached = r
            } else {
                var r = Stage.nothing
                for route in network.manifest.routes(from: network.zoneNames[from], to: network.zoneNames[to]) ?? [] {
                    r = r.union(routeStage(route, from: from, to: to, sets: base), a)
                }
                r = r.intersection(destinationNode[to], a).intersection(base.endpoint, a)
                base.routed[key] = r
                reached = r
            }
        } else if let r = base.arrivalTo[to] {
            reached = r
        } else {
            let r = base.arrival[to].intersection(destinationNode[to], a).intersection(base.endpoint, a)
            base.arrivalTo[to] = r
            reached = r
        }
        return reached.intersection(pairRegion(from: from, to: to, sets: sets), a)
    }

    /// The pair's packets of the service: every source address of one zone to every destination of
    /// the other. TCP and UDP clients use ephemeral ports (1024–65535) when a VPC is an endpoint,
    /// as AWS's network ACL guidance assumes.
    func pairRegion(from: Int, to: Int, sets: ServiceSets) -> UInt32 {
        let a = algebra
        var r = a.intersection(regionFrom(from, sets: sets), destinationNode[to])
        if involvesCloud(from, to) { r = a.intersection(r, ephemeralClients) }
        return r
    }

    /// TCP and UDP packets from client ports 1024–65535, and packets of other protocols.
    private lazy var ephemeralClients: UInt32 = {
        var c = PacketCube()
        c.restrict(.sourcePort, to: 1024...65535)
        var others = PacketCube()
        others.restrict(.protocolNumber, to: IntervalSet(0...255).subtracting(IntervalSet(ranges: [6...6, 17...17])))
        return algebra.union(algebra.cube(c), algebra.cube(others))
    }()

    func involvesCloud(_ from: Int, _ to: Int) -> Bool { network.cloudZones[from] != nil || network.cloudZones[to] != nil }

    /// The answer for one zone pair and service, with the witness traced hop by hop.
    public func cell(from: String, to: String, service: Service) -> ReachCell? {
        guard let f = network.zone(named: from), let t = network.zone(named: to) else { return nil }
        return cell(from: f, to: t, sets: sets(for: service))
    }

    /// ``cell(from:to:service:)`` with every way between the zones traced for the witness, not
    /// only the one it takes (up to ``pathLimit``; a note says when there are more).
    public func path(from: String, to: String, service: Service) -> ReachCell? {
        guard let f = network.zone(named: from), let t = network.zone(named: to) else { return nil }
        prepare(for: [service])
        var c = cell(from: f, to: t, sets: sets(for: service))
        guard let w = c.witness else { return c }
        let (paths, more) = allPaths(w, from: f, to: t)
        c.paths = paths
        if more { c.notes.append("more than \(Self.pathLimit) paths join the zones; the \(Self.pathLimit) shortest are shown") }
        for r in paths.flatMap({ $0.hops.flatMap(\.reasons) }) where !c.reasons.contains(r) {
            c.reasons.append(r)
            c.exact = false
        }
        return c
    }

    func cell(from: Int, to: Int, sets: ServiceSets) -> ReachCell {
        finish(classified(from: from, to: to, sets: sets), sets: sets)
    }

    /// A cell's answer before its witness is traced: everything that builds sets in the algebra.
    struct Classified {
        var from: Int
        var to: Int
        var reach: Reach
        var got: Got
        var witness: Packet?
        var reachableHosts: [String] = []
        var unreachableHosts: [String] = []
    }

    func classified(from: Int, to: Int, sets: ServiceSets) -> Classified {
        let (reach, got, witness) = classify(from: from, to: to, sets: sets)
        var c = Classified(from: from, to: to, reach: reach, got: got, witness: witness)
        if reach == .some {
            for (name, node) in hostNodes(to) {
                if !algebra.isDisjoint(got.stage.possible, node) { c.reachableHosts.append(name) } else { c.unreachableHosts.append(name) }
            }
        }
        return c
    }

    /// The manifest hosts of a zone with their addresses as destinations (kept per zone).
    func hostNodes(_ zone: Int) -> [(String, UInt32)] {
        if let h = hostNodeCache[zone] { return h }
        let h = network.manifest.hosts(inZone: network.zoneNames[zone]).filter { !$0.addresses.isEmpty }.map {
            ($0.name, addressNode(hostSets($0), field: .destinationAddress, families: Set(AddressFamily.allCases)))
        }
        hostNodeCache[zone] = h
        return h
    }

    /// The witness traced hop by hop, reasons and notes: reads the algebra and the evaluators only,
    /// so cells can be finished on several threads once ``classified(from:to:sets:)`` and the
    /// distance tables are done.
    func finish(_ c: Classified, sets: ServiceSets) -> ReachCell {
        let (from, to, got, witness) = (c.from, c.to, c.got, c.witness)
        var notes = network.zoneNotes[from] + network.zoneNotes[to]
        if involvesCloud(from, to) && sets.service.protocolNumber.map({ $0 == 6 || $0 == 17 }) ?? true {
            notes.append("clients use ephemeral ports 1024-65535, which the network ACLs must let replies reach")
        }
        if witness == nil {
            notes.append("\(network.zoneNames[from]) and \(network.zoneNames[to]) have no addresses of one family")
        }
        var reasons: [String] = []
        var paths: [PathTrace] = []
        if let w = witness {
            paths = trace(w, from: from, to: to, sets: sets)
            for p in paths { for h in p.hops { for r in h.reasons where !reasons.contains(r) { reasons.append(r) } } }
        }
        if witness != nil && paths.isEmpty {
            notes.append(noPathNote(from: from, to: to))
        }
        let exact = got.isExact && reasons.isEmpty
        if !got.isExact {
            let touched = Set(paths.flatMap { $0.hops.map(\.firewall) })
            for (k, l) in links.enumerated() where touched.contains(network.manifest.firewalls[l.firewall].name) {
                for r in sets.linkReasons[k] where !reasons.contains(r) { reasons.append(r) }
            }
            for (f, rs) in sets.endpointReasons where touched.contains(network.manifest.firewalls[f].name) {
                for r in rs where !reasons.contains(r) { reasons.append(r) }
            }
            if reasons.isEmpty { reasons.append("uncertain matches (rate limits, ipsets, unknown targets, missing exports) decide some of these packets") }
        }
        return ReachCell(from: network.zoneNames[from], to: network.zoneNames[to], service: sets.service, reach: c.reach, exact: exact,
                         reasons: reasons, notes: notes, witness: witness, paths: paths, reachableHosts: c.reachableHosts, unreachableHosts: c.unreachableHosts)
    }

    /// What a cell's packets come to: `all` and `none` decided by tests that build no sets (the
    /// common case in a large matrix), `some` with the sets themselves.
    struct Got {
        var stage: Stage
        var isExact: Bool
    }

    func classify(from: Int, to: Int, sets: ServiceSets) -> (Reach, Got, Packet?) {
        let a = algebra
        // Routes, and the client ports of cloud pairs, need the pair's own sets.
        guard network.manifest.routes == nil, !involvesCloud(from, to) else {
            let region = pairRegion(from: from, to: to, sets: sets)
            let got = arrivals(from: from, to: to, sets: sets)
            let reach: Reach = got.possible == 0 ? .none : (got.sure == region ? .all : .some)
            let pick = got.sure != 0 ? got.sure : (got.possible != 0 ? got.possible : region)
            return (reach, Got(stage: got, isExact: got.sure == got.possible), witness(in: pick, from: from, to: to, service: sets.service))
        }
        let target = arrivingFor(to, sets: sets)
        let fromHere = regionFrom(from, sets: sets)
        if a.isDisjoint(target.possible, sourceNode[from]) {
            return (.none, Got(stage: .nothing, isExact: true), typicalWitness(from: from, to: to, sets: sets) { a.witness(a.intersection(fromHere, self.destinationNode[to]), preferring: $0) })
        }
        if a.isSubset(intersectionOf: fromHere, destinationNode[to], of: target.sure) {
            return (.all, Got(stage: .everything, isExact: true), typicalWitness(from: from, to: to, sets: sets) { a.witness(a.intersection(fromHere, self.destinationNode[to]), preferring: $0) })
        }
        let got = target.intersection(sourceNode[from], a)
        let pick = got.sure != 0 ? got.sure : got.possible
        return (.some, Got(stage: got, isExact: got.sure == got.possible), witness(in: pick, from: from, to: to, service: sets.service))
    }

    /// ``classified(from:to:sets:)`` for the cells whose tests build no sets (nil for the others):
    /// all or nothing of the pair arrives, and the preferred packet is one of the pair's. Reads only,
    /// once ``arrivingFor(_:sets:)`` and ``regionFrom(_:sets:)`` are built for both zones.
    func quickClassified(from: Int, to: Int, sets: ServiceSets) -> Classified? {
        guard network.manifest.routes == nil, !involvesCloud(from, to),
              let target = sets.arrivingTo[to], let fromHere = sets.regionFrom[from] else { return nil }
        let a = algebra
        let reach: Reach
        if a.isDisjoint(target.possible, sourceNode[from]) {
            reach = .none
        } else if a.isSubset(intersectionOf: fromHere, destinationNode[to], of: target.sure) {
            reach = .all
        } else {
            return nil
        }
        guard let witness = typicalWitness(from: from, to: to, sets: sets, fallback: { _ in nil }) else { return nil }
        return Classified(from: from, to: to, reach: reach, got: Got(stage: reach == .none ? .nothing : .everything, isExact: true), witness: witness)
    }

    /// What arrives in `to` of the service, through the endpoints' controls (kept per zone).
    func arrivingFor(_ to: Int, sets: ServiceSets) -> Stage {
        if let s = sets.arrivingTo[to] { return s }
        let base = sets.base
        let a = algebra
        let all: Stage
        if let r = base.arrivalTo[to] {
            all = r
        } else {
            all = base.arrival[to].intersection(destinationNode[to], a).intersection(base.endpoint, a)
            base.arrivalTo[to] = all
        }
        let s = all.intersection(sets.region, a)
        sets.arrivingTo[to] = s
        return s
    }

    func regionFrom(_ from: Int, sets: ServiceSets) -> UInt32 {
        if let r = sets.regionFrom[from] { return r }
        let r = algebra.intersection(sets.region, sourceNode[from])
        sets.regionFrom[from] = r
        return r
    }

    /// The preferred packet of the pair when it is one of the pair's packets (checked without
    /// building sets), else what `fallback` finds.
    private func typicalWitness(from: Int, to: Int, sets: ServiceSets, fallback: (Packet) -> Packet?) -> Packet? {
        for family in AddressFamily.allCases {
            let k = Int(family.rawValue)
            guard !network.zoneAddresses[from][k].isEmpty, !network.zoneAddresses[to][k].isEmpty else { continue }
            let p = preferredPacket(from: from, to: to, service: sets.service, family: family)
            if network.zoneAddresses[from][k].contains(p[.sourceAddress]) && network.zoneAddresses[to][k].contains(p[.destinationAddress])
                && algebra.contains(sets.region, p) {
                return p
            }
            return fallback(p)
        }
        return nil
    }

    func noPathNote(from: Int, to: Int) -> String {
        network.manifest.routes == nil
            ? "no path joins \(network.zoneNames[from]) to \(network.zoneNames[to]) through the placed firewalls"
            : "no declared route from \(network.zoneNames[from]) to \(network.zoneNames[to])"
    }

    func hostSets(_ host: EstateManifest.Host) -> [IntervalSet] {
        var out = [IntervalSet(), IntervalSet()]
        for addr in host.addresses { out[Int(addr.family.rawValue)] = out[Int(addr.family.rawValue)].union(IntervalSet(value: addr.value)) }
        return out
    }

    /// A packet of `node` a person would pick: IPv4 when there is one, a manifest host of each zone
    /// where there is one, else a documentation address or one near the start of the zone; a client
    /// port of 40000; TCP SYN; `port` as destination port where the set allows.
    func witness(in node: UInt32, from: Int, to: Int, service: Service, port: UInt16? = nil) -> Packet? {
        for family in AddressFamily.allCases {
            var c = PacketCube()
            c.restrict(.family, to: family.rawValue)
            let part = algebra.intersection(node, algebra.cube(c))
            if part == PacketAlgebra.emptyNode { continue }
            var preferred = preferredPacket(from: from, to: to, service: service, family: family)
            if let port { preferred[.destinationPort] = UInt128(port) }
            return algebra.witness(part, preferring: preferred)
        }
        return nil
    }

    /// The packet ``witness(in:from:to:service:port:)`` prefers, for one family.
    func preferredPacket(from: Int, to: Int, service: Service, family: AddressFamily) -> Packet {
        var v = [UInt128](repeating: 0, count: PacketField.allCases.count)
        func set(_ f: PacketField, _ x: UInt128) { v[f.rawValue] = x }
        set(.family, family.rawValue)
        set(.connectionState, ConnectionState.new.rawValue)
        set(.protocolNumber, UInt128(service.protocolNumber ?? 6))
        func address(_ z: Int) -> UInt128 {
            let zone = network.zoneNames[z]
            let owned = network.zoneAddresses[z][Int(family.rawValue)]
            if let h = network.manifest.hosts(inZone: zone).flatMap(\.addresses).first(where: { $0.family == family && owned.contains($0.value) }) {
                return h.value
            }
            // Documentation addresses read as "somewhere out there" where the zone owns them.
            let sample = family == .ipv4 ? IPAddress.v4(0xCB00_7109) : (0x2001_0DB8 << 96 | 9)   // 203.0.113.9, 2001:db8::9
            if owned.contains(sample) { return sample }
            guard let low = owned.intervals.first(where: { family == .ipv4 || $0.lowerBound >> 96 != 0 })?.lowerBound ?? owned.min else { return 0 }
            return owned.contains(low + 10) ? low + 10 : low
        }
        set(.sourceAddress, address(from))
        set(.destinationAddress, address(to))
        let proto = service.protocolNumber ?? 6
        if Service.portProtocols.contains(proto) {
            set(.sourcePort, 40000)
            set(.destinationPort, UInt128(service.ports.first?.lowerBound ?? 443))
        }
        if proto == 6 { set(.tcpFlags, UInt128(TCPFlags.syn.rawValue)) }
        if Service.icmpProtocols.contains(proto) { set(.icmpTypeCode, UInt128(service.icmpType ?? 8) << 8) }
        if proto == 1 && family == .ipv6 || proto == 58 && family == .ipv4 { set(.protocolNumber, family == .ipv4 ? 1 : 58) }
        set(.sourceAddressType, AddressType.unicast.rawValue)
        set(.destinationAddressType, AddressType.unicast.rawValue)
        return Packet(values: v)
    }

    // MARK: - Matrix

    /// Every ordered pair of distinct zones for every service, in order (services, then rows, then
    /// columns), handed to `body` one at a time so that a large matrix streams out.
    public func forEachCell(services: [Service], _ body: (ReachCell) -> Void) {
        forEachCell(services: services, transform: { $0 }, body)
    }

    /// ``forEachCell(services:_:)`` with `transform` applied to each cell on the thread that traced it
    /// (a renderer turning cells into bytes runs on every core too); `body` still sees the results in
    /// order, on the calling thread.
    public func forEachCell<T>(services: [Service], transform: (ReachCell) -> T, _ body: (T) -> Void) {
        prepare(for: services)
        let n = network.zoneNames.count
        for service in services {
            let s = timed("shared sets") { sets(for: service) }
            // First everything that builds sets (one thread: the algebra is not shared), then the
            // traces, which only read, row by row on every core.
            let classified = timed("classification") { classifyAll(sets: s) }
            let rowsAtOnce = 8
            var row = 0
            while row < n {
                let rows = min(rowsAtOnce, n - row)
                let chunk = Array(classified[(row * (n - 1))..<((row + rows) * (n - 1))])
                let done = timed("traces") { finishConcurrently(chunk, sets: s, transform: transform) }
                timed("output") { for c in done { body(c) } }
                row += rows
            }
        }
    }

    /// ``finish(_:sets:)`` then `transform` for each cell, spread over the machine's cores, in order.
    private func finishConcurrently<T>(_ cells: [Classified], sets: ServiceSets, transform: (ReachCell) -> T) -> [T] {
        Parallel.map(cells) { transform(self.finish($0, sets: sets)) }
    }

    /// Every cell of the service classified. The sets the tests read are built first (one thread:
    /// the algebra is not shared); the tests, which build nothing for most cells, then run on every
    /// core; the cells they leave open are done on this thread.
    private func classifyAll(sets s: ServiceSets) -> [Classified] {
        let n = network.zoneNames.count
        timed("classification: sets") {
            for z in 0..<n {
                _ = distances(to: z)
                _ = arrivingFor(z, sets: s)
                _ = regionFrom(z, sets: s)
            }
        }
        var pairs: [(Int, Int)] = []
        pairs.reserveCapacity(n * (n - 1))
        for f in 0..<n { for t in 0..<n where f != t { pairs.append((f, t)) } }
        let quick = timed("classification: tests") { Parallel.map(pairs) { quickClassified(from: $0.0, to: $0.1, sets: s) } }
        return zip(pairs, quick).map { pair, q in q ?? classified(from: pair.0, to: pair.1, sets: s) }
    }

    /// Every ordered pair of distinct zones for every service.
    public func matrix(services: [Service]) -> ReachMatrix {
        var cells: [ReachCell] = []
        forEachCell(services: services) { cells.append($0) }
        return ReachMatrix(estate: network.manifest.name, services: services, zones: network.zoneNames, cells: cells, notes: notes)
    }
}

