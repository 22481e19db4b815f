import AWS
import BulwarkModel
import Estate
import Foundation
import Firewall
@testable import NetworkReach
import PacketSpace
import Testing
import TestSupport

/// The estate engine against references that share none of its set machinery: each sampled packet is
/// walked by hand through the manifest's placement, every simple path between the zones (or the
/// declared routes), with the firewall evaluator deciding each hop and `AWSEstate.decide` each cloud
/// flow. The engine's sets must hold exactly the packets the walk lets through.
@Suite struct NetworkReachTests {
    static let inputs = TestSupport.projectRoot + "/Tests/NetworkReachTests/Inputs"

    static func engine(_ path: String) throws -> ReachabilityEngine {
        let result = EstateLoader.load(inputs + "/" + path)
        #expect(result.errors.isEmpty, "\(result.errors)")
        let manifest = try #require(result.manifest)
        return ReachabilityEngine(network: try EstateNetwork(manifest: manifest))
    }

    static let services: [Service] = ["tcp/5432", "tcp/22", "tcp/443", "tcp/3389", "tcp/8080", "tcp/80", "udp/53", "icmp/8"].map { Service($0)! }

    // MARK: - The reference walk

    /// Whether `packet` gets from zone `from` to zone `to`: some way (declared route, or simple path
    /// through the network firewalls; cloud zones joined to the internet zones and to each other)
    /// whose every hop accepts it, then the endpoints' host firewalls and VPCs.
    static func walk(_ engine: ReachabilityEngine, _ packet: Packet, from: String, to: String) -> Bool {
        let manifest = engine.network.manifest
        var evaluators: [String: (Evaluator, TableProgram)] = [:]
        for (f, fw) in manifest.firewalls.enumerated() {
            if case .ruleset(_, let program) = engine.network.firewalls[f] { evaluators[fw.name] = (Evaluator(program: program), program) }
        }
        let family: AddressFamily = packet[.family] == 0 ? .ipv4 : .ipv6
        func accepts(_ name: String, hook: Hook, _ p: Packet) -> Bool {
            guard let (e, program) = evaluators[name], program.families.contains(family) else { return true }
            return e.evaluate(p, hook: hook).verdict == .accept
        }
        func concrete(_ interface: String) -> UInt128 {
            InterfaceName.value(interface.hasSuffix("+") ? interface.dropLast() + "7" : interface[...])!
        }
        // Connected routes: a firewall facing the destination's zone sends the packet there only.
        func routed(_ fw: String, toward zone: String) -> Bool {
            guard case .network(let interfaces)? = manifest.firewall(named: fw)?.placement else { return true }
            let k = Int(family.rawValue)
            return !interfaces.contains { i in
                i.zone != zone && engine.network.zone(named: i.zone).map { engine.network.zoneAddresses[$0][k].contains(packet[.destinationAddress]) } == true
            }
        }
        func hop(_ fw: String, _ i: String, _ o: String) -> Bool {
            guard let zone = manifest.firewall(named: fw).flatMap({ f -> String? in
                if case .network(let interfaces) = f.placement { return interfaces.first { $0.name == o }?.zone }
                return nil
            }), routed(fw, toward: zone) else { return false }
            var p = packet
            p[.inInterface] = concrete(i)
            p[.outInterface] = concrete(o)
            p[.sourceAddressType] = AddressType.unicast.rawValue
            p[.destinationAddressType] = AddressType.unicast.rawValue
            return accepts(fw, hook: .forward, p)
        }
        // Network firewall hops between zones, as (firewall, in, out, next zone).
        var edges: [String: [(String, String, String, String)]] = [:]
        for fw in manifest.firewalls {
            guard case .network(let interfaces) = fw.placement else { continue }
            for i in interfaces { for o in interfaces where o.zone != i.zone { edges[i.zone, default: []].append((fw.name, i.name, o.name, o.zone)) } }
        }
        let cloudZones = Set(engine.network.cloudZones.keys.map { engine.network.zoneNames[$0] })
        let internet = Set(manifest.zones.filter { $0.kind == .internet }.map(\.name))
        func gateway(_ a: String, _ b: String) -> Bool {
            (cloudZones.contains(b) && (internet.contains(a) || cloudZones.contains(a))) || (cloudZones.contains(a) && internet.contains(b))
        }
        func paths(_ at: String, _ seen: Set<String>) -> Bool {
            if at == to { return true }
            for (fw, i, o, next) in edges[at] ?? [] where !seen.contains(next) {
                if hop(fw, i, o) && paths(next, seen.union([next])) { return true }
            }
            for z in manifest.zones.map(\.name) where !seen.contains(z) && gateway(at, z) {
                if paths(z, seen.union([z])) { return true }
            }
            return false
        }
        var network: Bool
        if let routes = manifest.routes(from: from, to: to) {
            network = routes.contains { route in
                var at: Set<String> = [from]
                var crossed = false
                for name in route.via {
                    guard let fw = manifest.firewall(named: name), case .network(let interfaces) = fw.placement else { continue }
                    crossed = true
                    var next: Set<String> = []
                    for i in interfaces where at.contains(i.zone) {
                        for o in interfaces where o.zone != i.zone && hop(name, i.name, o.name) { next.insert(o.zone) }
                    }
                    at = next
                }
                return crossed ? at.contains(to) : true
            }
        } else {
            network = paths(from, [from])
        }
        guard network else { return false }
        // Endpoints: host firewalls, then the VPC.
        for fw in manifest.firewalls {
            guard case .host(let hostName) = fw.placement, let host = manifest.host(named: hostName) else { continue }
            if host.addresses.contains(where: { $0.value == packet[.destinationAddress] && $0.family == family }) {
                var p = packet
                p[.inInterface] = QueryPacket.unknownInterface
                p[.outInterface] = 0
                p[.destinationAddressType] = AddressType.local.rawValue
                p[.sourceAddressType] = AddressType.unicast.rawValue
                if !accepts(fw.name, hook: .input, p) { return false }
            }
            if host.addresses.contains(where: { $0.value == packet[.sourceAddress] && $0.family == family }) {
                var p = packet
                p[.inInterface] = 0
                p[.outInterface] = QueryPacket.unknownInterface
                p[.sourceAddressType] = AddressType.local.rawValue
                p[.destinationAddressType] = AddressType.unicast.rawValue
                if !accepts(fw.name, hook: .output, p) { return false }
            }
        }
        if cloudZones.contains(from) || cloudZones.contains(to) {
            for (f, fw) in manifest.firewalls.enumerated() {
                guard case .cloud(let aws) = engine.network.firewalls[f] else { continue }
                _ = fw
                let proto = UInt8(packet[.protocolNumber])
                let flow = AWSFlow(source: AWSAddress(family: family, value: packet[.sourceAddress]),
                                   destination: AWSAddress(family: family, value: packet[.destinationAddress]), protocolNumber: proto,
                                   destinationPort: UInt16(packet[.destinationPort]), sourcePort: proto == 6 || proto == 17 ? UInt16(packet[.sourcePort]) : nil,
                                   icmpType: UInt8(packet[.icmpTypeCode] >> 8), icmpCode: UInt8(packet[.icmpTypeCode] & 0xFF))
                if !aws.decide(flow).isAllowed { return false }
            }
        }
        return true
    }

    /// Packets of a zone pair and service: manifest hosts, zone edges and random addresses; random
    /// client ports (ephemeral where a VPC is an endpoint); every destination port of the service.
    static func samples(_ engine: ReachabilityEngine, from: Int, to: Int, service: Service, count: Int, seed: UInt64) -> [Packet] {
        var rng = SplitMix64(seed: seed)
        let network = engine.network
        func addresses(_ z: Int) -> [UInt128] {
            let owned = network.zoneAddresses[z][0]
            var out = network.manifest.hosts(inZone: network.zoneNames[z]).flatMap(\.addresses).filter { $0.family == .ipv4 && owned.contains($0.value) }.map(\.value)
            for r in owned.intervals.prefix(4) { out += [r.lowerBound, r.upperBound] }
            for _ in 0..<count {
                guard !owned.isEmpty else { break }
                let r = owned.intervals[Int(rng.next() % UInt64(owned.intervals.count))]
                out.append(r.lowerBound + UInt128(rng.next()) % (r.upperBound - r.lowerBound + 1))
            }
            return out
        }
        let sources = addresses(from), destinations = addresses(to)
        guard !sources.isEmpty, !destinations.isEmpty else { return [] }
        let cloud = engine.involvesCloud(from, to)
        var out: [Packet] = []
        for k in 0..<count {
            var v = [UInt128](repeating: 0, count: PacketField.allCases.count)
            v[PacketField.family.rawValue] = 0
            v[PacketField.connectionState.rawValue] = ConnectionState.new.rawValue
            v[PacketField.sourceAddress.rawValue] = sources[k < sources.count ? k : Int(rng.next() % UInt64(sources.count))]
            v[PacketField.destinationAddress.rawValue] = destinations[Int(rng.next() % UInt64(destinations.count))]
            v[PacketField.protocolNumber.rawValue] = UInt128(service.protocolNumber!)
            if service.carriesPorts {
                let ports = service.ports.first ?? 0...65535
                v[PacketField.destinationPort.rawValue] = UInt128(ports.lowerBound) + UInt128(rng.next()) % UInt128(ports.count)
                v[PacketField.sourcePort.rawValue] = cloud ? 1024 + UInt128(rng.next() % 64512) : UInt128(rng.next() % 65536)
            }
            if let t = service.icmpType { v[PacketField.icmpTypeCode.rawValue] = UInt128(t) << 8 }
            if service.protocolNumber == 6 { v[PacketField.tcpFlags.rawValue] = UInt128(TCPFlags.syn.rawValue) }
            v[PacketField.sourceAddressType.rawValue] = AddressType.unicast.rawValue
            v[PacketField.destinationAddressType.rawValue] = AddressType.unicast.rawValue
            out.append(Packet(values: v))
        }
        return out
    }

    /// Every zone pair and service: the engine's set holds a sampled packet exactly when the walk
    /// lets it through, and its answers are exact here (no uncertain matches in these estates).
    @Test(arguments: ["chain/bulwark.yaml", "chain/routes.yaml", "cloud/bulwark.yaml"])
    func engineAgreesWithTheHopByHopWalk(estate: String) throws {
        try Self.compareWithWalk(try Self.engine(estate), exact: true)
    }

    /// The real AWS exports of `../shared/fixtures/aws` (cloudmapper's demo account) as a cloud
    /// firewall of an estate, each subnet a zone: the engine agrees with `AWSEstate.decide` packet
    /// by packet. The exports have no network ACLs, so every answer is inexact and says why.
    @Test func realAWSExportsAgreeWithTheirFlowDecisions() throws {
        let aws = TestSupport.sharedRoot + "/fixtures/aws"
        guard FileManager.default.fileExists(atPath: aws + "/ec2-describe-security-groups.json") else {
            print("skipped: realAWSExportsAgreeWithTheirFlowDecisions (../shared absent: no \(aws))")
            return
        }
        let manifest = """
        version: 1
        name: cloudmapper demo account
        zones:
          - { name: internet, kind: internet, trust: untrusted, cidrs: [0.0.0.0/0] }
          - { name: office, kind: corp, trust: medium, cidrs: [192.168.0.0/16] }
          - { name: sub1, kind: cloud, trust: medium }
          - { name: sub3, kind: cloud, trust: medium }
          - { name: sub4, kind: cloud, trust: medium }
        firewalls:
          - name: demo
            format: aws
            files: { security-groups: sg.json, instances: instances.json, subnets: subnets.json }
            placement: { kind: cloud, subnets: { subnet-00000001: sub1, subnet-00000003: sub3, subnet-00000004: sub4 } }
        """
        let path = try TestSupport.temporary("bulwark.yaml", manifest)
        let dir = String(path.dropLast("/bulwark.yaml".count))
        // Linked, not copied: the exports are read in place.
        for (name, file) in [("sg.json", "ec2-describe-security-groups.json"), ("instances.json", "ec2-describe-instances.json"),
                             ("subnets.json", "ec2-describe-subnets.json")] {
            try FileManager.default.createSymbolicLink(atPath: dir + "/" + name, withDestinationPath: aws + "/" + file)
        }
        let result = EstateLoader.load(dir)
        #expect(result.errors.isEmpty, "\(result.errors)")
        let engine = ReachabilityEngine(network: try EstateNetwork(manifest: try #require(result.manifest)))
        try Self.compareWithWalk(engine, exact: false)
        let cell = try #require(engine.cell(from: "internet", to: "sub1", service: Service("https")!))
        #expect(!cell.exact && cell.reasons.contains { $0.contains("network ACL") })
    }

    /// Every zone pair and service: the engine's possible set holds a sampled packet exactly when
    /// the walk lets it through; with `exact`, sure and possible agree too.
    static func compareWithWalk(_ engine: ReachabilityEngine, exact: Bool) throws {
        let n = engine.network.zoneNames.count
        var compared = 0, through = 0, skipped = 0
        for (s, service) in Self.services.enumerated() {
            let sets = engine.sets(for: service)
            for f in 0..<n {
                for t in 0..<n where f != t {
                    let got = engine.arrivals(from: f, to: t, sets: sets)
                    let region = engine.pairRegion(from: f, to: t, sets: sets)
                    if exact { #expect(got.sure == got.possible) }
                    // The matrix's shortcut (tests that build no sets) gives the same answer.
                    let expectedReach: Reach = got.possible == 0 ? .none : (got.sure == region ? .all : .some)
                    let (reach, _, witness) = engine.classify(from: f, to: t, sets: sets)
                    #expect(reach == expectedReach, "\(engine.network.zoneNames[f]) → \(engine.network.zoneNames[t]) \(service)")
                    if let w = witness { #expect(engine.algebra.contains(region, w)) }
                    if reach == .all, let w = witness { #expect(engine.algebra.contains(got.sure, w)) }
                    for p in Self.samples(engine, from: f, to: t, service: service, count: 60, seed: UInt64(s * 1000 + f * 10 + t)) {
                        // Addresses no real packet has (0.0.0.0, loopback, multicast, broadcast) are outside every region.
                        guard engine.algebra.contains(region, p) else { skipped += 1; continue }
                        let expected = Self.walk(engine, p, from: engine.network.zoneNames[f], to: engine.network.zoneNames[t])
                        let actual = engine.algebra.contains(got.possible, p)
                        #expect(actual == expected, "\(engine.network.zoneNames[f]) → \(engine.network.zoneNames[t]) \(service): \(p.values)")
                        compared += 1
                        if expected { through += 1 }
                    }
                }
            }
        }
        // The samples must exercise both answers.
        #expect(compared > 1000 && skipped * 10 < compared, "\(skipped) samples outside the regions")
        #expect(through > 20 && through < compared - 20, "\(through) of \(compared) got through")
    }

    // MARK: - What a reader relies on

    /// The tests that build no sets, run on every core, come to what the full classification does.
    @Test(arguments: ["chain/bulwark.yaml", "cloud/bulwark.yaml"])
    func quickClassificationAgreesWithTheFullOne(estate: String) throws {
        let engine = try Self.engine(estate)
        let n = engine.network.zoneNames.count
        var quick = 0
        for service in Self.services {
            let sets = engine.sets(for: service)
            for z in 0..<n {
                _ = engine.arrivingFor(z, sets: sets)
                _ = engine.regionFrom(z, sets: sets)
            }
            for f in 0..<n {
                for t in 0..<n where f != t {
                    guard let q = engine.quickClassified(from: f, to: t, sets: sets) else { continue }
                    quick += 1
                    let full = engine.classified(from: f, to: t, sets: sets)
                    #expect(q.reach == full.reach && q.witness == full.witness && q.got.isExact == full.got.isExact,
                            "\(service) \(engine.network.zoneNames[f]) → \(engine.network.zoneNames[t])")
                }
            }
        }
        if estate.hasPrefix("chain") { #expect(quick > 0) }
    }

    @Test func chainCellsNameTheHostsAndTheRules() throws {
        let engine = try Self.engine("chain/bulwark.yaml")
        // The vendor hole: the internet reaches the app server's RDP, nothing else in the LAN.
        let rdp = try #require(engine.cell(from: "outside", to: "lan", service: Service("tcp/3389")!))
        #expect(rdp.reach == .some && rdp.exact)
        #expect(rdp.reachableHosts == ["app"])
        let hole = try #require(rdp.paths.first)
        #expect(hole.passes && hole.zones == ["outside", "lan"])
        #expect(hole.hops.map(\.firewall) == ["edge"])
        #expect(hole.hops[0].deciding.first?.line == 14)
        #expect(hole.hops[0].deciding.first?.text.contains("vendor support") == true)

        // PostgreSQL from the internet into the vault: the database's own firewall stops it, other
        // vault addresses are reachable through the DMZ leg of the core firewall.
        let pg = try #require(engine.cell(from: "outside", to: "vault", service: Service("postgresql")!))
        #expect(pg.reach == .some)
        #expect(pg.unreachableHosts == ["db"])
        let viaDMZ = try #require(pg.paths.first)
        #expect(viaDMZ.zones == ["outside", "dmz", "vault"] && viaDMZ.passes)
        #expect(viaDMZ.hops.map(\.firewall) == ["edge", "core"])
        #expect(viaDMZ.hops[1].deciding.first?.place == "inet filter forward")
        #expect(viaDMZ.hops[1].deciding.first?.rule == 4)

        // From the LAN the database answers on 5432 (core's wildcard interface lan+, then db's INPUT).
        let lanDB = try #require(engine.cell(from: "lan", to: "vault", service: Service("postgresql")!))
        #expect(lanDB.reach == .some && lanDB.exact)
        #expect(lanDB.reachableHosts == ["db"])

        // Nothing opens tcp/9000 from the vault to the DMZ: the core's policy stops it.
        let none = try #require(engine.cell(from: "vault", to: "dmz", service: Service("tcp/9000")!))
        #expect(none.reach == .none && none.exact)
        let stop = try #require(none.paths.first?.hops.last)
        #expect(stop.firewall == "core" && stop.passes == false && stop.deciding.first?.policy == "DROP")

        // The office's way out is open to everything.
        #expect(engine.cell(from: "lan", to: "outside", service: Service("https")!)?.reach == .all)
    }

    @Test func declaredRoutesAreTheOnlyPaths() throws {
        let engine = try Self.engine("chain/routes.yaml")
        // lan → dmz has no declared route: nothing gets through, and the cell says why.
        let cell = try #require(engine.cell(from: "lan", to: "dmz", service: Service("https")!))
        #expect(cell.reach == .none && cell.paths.isEmpty)
        #expect(cell.notes.contains("no declared route from lan to dmz"))
        // outside → vault via [edge, core]: the DMZ leg of the core lets 5432 through.
        let pg = try #require(engine.cell(from: "outside", to: "vault", service: Service("postgresql")!))
        #expect(pg.reach == .some && pg.paths.allSatisfy(\.declared))
        #expect(pg.paths.first?.passes == true)
    }

    @Test func checkFindsTheViolationsAndNamesTheRules() throws {
        let report = try Self.engine("chain/bulwark.yaml").check()
        // lan → dmz through the internet zone is no way: the edge faces the DMZ and delivers there
        // directly (a connected route), where only ssh and https pass.
        let failing = report.violations.filter(\.kind.failsCheck)
        #expect(report.failed)
        #expect(Set(failing.map { "\($0.kind.rawValue) \($0.from)→\($0.to) \($0.services.joined(separator: " "))" }) == [
            "forbidden-flow-open outside→dmz tcp/5432",
            "forbidden-flow-open outside→lan tcp/3389,5432",
            "forbidden-flow-open outside→vault tcp/5432",
            "required-flow-blocked vault→dmz tcp/9000",
        ])
        #expect(failing.allSatisfy { $0.exact })
        let lan = try #require(failing.first { $0.from == "outside" && $0.to == "lan" })
        #expect(lan.severity == .critical)
        #expect(lan.policyLocation?.line == 39)
        #expect(lan.policyReason == "nothing from the internet lands in the office")
        // The rules responsible: the edge's catch-all PostgreSQL accept.
        #expect(lan.paths.flatMap { $0.hops.flatMap(\.deciding) }.contains { $0.line == 15 && $0.file.hasSuffix("edge.iptables-save") })
        let partly = report.violations.filter { $0.kind == .requiredFlowPartlyOpen }
        #expect(Set(partly.map { "\($0.from)→\($0.to)" }) == ["dmz→lan", "lan→vault"])
    }

    @Test func cloudRepliesNeedTheNetworkACLs() throws {
        let engine = try Self.engine("cloud/bulwark.yaml")
        // The app subnet's ACL lets replies out to client ports 32768-65535 only.
        let cell = try #require(engine.cell(from: "web", to: "app", service: Service("tcp/8080")!))
        #expect(cell.reach == .some && cell.exact)
        #expect(cell.notes.contains { $0.contains("ephemeral ports 1024-65535") })
        let report = engine.check()
        #expect(!report.failed)
        let partly = try #require(report.violations.first)
        #expect(partly.kind == .requiredFlowPartlyOpen)
        // The witness is a client port the replies cannot reach, and the stopping entry is named.
        #expect(try #require(partly.witness)[.sourcePort] < 32768)
        #expect(partly.paths.first?.hops.first?.deciding.contains { $0.action == "deny" && $0.place.contains("acl-0app") } == true)
        // The internet reaches the web tier on 443 and nothing on 22.
        #expect(engine.cell(from: "outside", to: "web", service: Service("https")!)?.reach == .all)
        #expect(engine.cell(from: "outside", to: "web", service: Service("ssh")!)?.reach == Reach.none)
    }

    @Test func brokenExportsStopTheAnalysis() throws {
        let manifest = """
        version: 1
        zones:
          - { name: a, kind: corp, trust: medium, cidrs: [10.0.0.0/8] }
          - { name: b, kind: dmz, trust: low, cidrs: [192.168.0.0/16] }
        firewalls:
          - name: fw
            format: iptables-save
            file: fw.rules
            placement: { kind: network, interfaces: [{ name: eth0, zone: a }, { name: eth1, zone: b }] }
        """
        let path = try TestSupport.temporary("bulwark.yaml", manifest)
        let dir = String(path.dropLast("/bulwark.yaml".count))
        try "this is not a ruleset\n".write(toFile: dir + "/fw.rules", atomically: true, encoding: .utf8)
        let result = EstateLoader.load(dir)
        let loaded = try #require(result.manifest)
        #expect(throws: EstateNetworkError.self) { try EstateNetwork(manifest: loaded) }
    }
}

/// The bundled example estate (Examples/northwind): the findings its exports really contain, each
/// with the rule responsible, and the answers a reader checks by hand.
@Suite struct NorthwindTests {
    static func engine() throws -> ReachabilityEngine {
        let result = EstateLoader.load(TestSupport.projectRoot + "/Examples/northwind")
        #expect(result.diagnostics.filter { $0.severity != .note }.isEmpty, "\(result.diagnostics)")
        let network = try EstateNetwork(manifest: try #require(result.manifest))
        #expect(network.diagnostics.filter { $0.severity != .note }.isEmpty, "\(network.diagnostics)")
        return ReachabilityEngine(network: network)
    }

    @Test func checkFindsTheFlawsTheExportsHold() throws {
        let report = try Self.engine().check()
        #expect(report.failed)
        let found = Set(report.violations.map { "\($0.kind.rawValue) \($0.from)→\($0.to) \($0.services.joined(separator: " "))" })
        #expect(found == [
            "forbidden-flow-open internet→datacenter tcp/3389",
            "forbidden-flow-open corp→ot tcp/502,4840",
            "forbidden-flow-open ot→datacenter tcp/4840",
            "forbidden-flow-open cloud-web→internet tcp/1024-65535",
            "forbidden-flow-open cloud-app→internet tcp/1024-65535",
            "required-flow-blocked datacenter→ot tcp/4840",
            "required-flow-partly-open corp→datacenter tcp/443",
            "required-flow-partly-open dmz→datacenter tcp/5432",
        ])
        #expect(report.violations.allSatisfy { $0.exact })
        func rules(_ from: String, _ to: String) -> [DecidingRule] {
            report.violations.first { $0.from == from && $0.to == to }?.paths.flatMap { $0.hops.flatMap(\.deciding) } ?? []
        }
        // The vendor's RDP: the edge's temporary rule, line 33.
        #expect(rules("internet", "datacenter").contains { $0.file.hasSuffix("edge.iptables-save") && $0.line == 33 && $0.text.contains("TICKET-4711") })
        // Modbus from the offices: the internal firewall's rule on the too-broad set.
        #expect(rules("corp", "ot").contains { $0.place == "inet filter from_corp" && $0.rule == 4 && $0.text.contains("@eng_stations") })
        // The blocked historian: the forward chain's policy.
        #expect(rules("datacenter", "ot").contains { $0.place == "inet filter forward" && $0.policy == "DROP" })
        let vendor = try #require(report.violations.first { $0.from == "internet" })
        #expect(vendor.severity == .critical && vendor.witness?[.destinationPort] == 3389)
    }

    @Test func matrixAnswersReadersCanCheckByHand() throws {
        let engine = try Self.engine()
        // The public web site: all of the internet reaches www on https, nothing else in the DMZ.
        let web = try #require(engine.cell(from: "internet", to: "dmz", service: Service("https")!))
        #expect(web.reach == .some && web.exact && web.reachableHosts == ["www"])
        // The database answers the web server only: db01's own firewall and the edge agree.
        let db = try #require(engine.cell(from: "dmz", to: "datacenter", service: Service("postgresql")!))
        #expect(db.reach == .some && db.reachableHosts == ["db01"])
        #expect(db.paths.first?.hops.map(\.firewall) == ["edge", "db01-host"])
        // The orders service is reachable from the web tier only, through the VPC.
        let orders = try #require(engine.cell(from: "cloud-web", to: "cloud-app", service: Service("tcp/8080")!))
        #expect(orders.reach == .all && orders.paths.first?.hops.first?.kind == .cloud)
        #expect(engine.cell(from: "internet", to: "cloud-app", service: Service("tcp/8080")!)?.reach == Reach.none)
        // Management reaches the plant's HMIs over RDP through the internal firewall.
        #expect(engine.cell(from: "mgmt", to: "ot", service: Service("rdp")!)?.reach == .all)
    }
}
