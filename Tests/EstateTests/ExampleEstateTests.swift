import BulwarkModel
import Estate
import PacketSpace
import Testing

/// The complete example estate (Inputs/acme): every section read into the values the engines use.
@Suite struct ExampleEstateTests {
    typealias M = EstateManifest

    static func acme() throws -> EstateManifest {
        let r = EstateLoader.load(Inputs.acme)
        #expect(r.diagnostics.isEmpty, "\(r.listing)")
        return try #require(r.manifest, "\(r.listing)")
    }

    @Test func loadsFromTheFolderOrTheManifestAlike() throws {
        let fromFolder = try Self.acme()
        let fromFile = try #require(EstateLoader.load(Inputs.acme + "/bulwark.yaml").manifest)
        #expect(fromFolder == fromFile)
        #expect(fromFolder.manifestPath == Inputs.acme + "/bulwark.yaml")
        #expect(fromFolder.directory == Inputs.acme)
        #expect(fromFolder.version == 1 && fromFolder.name == "Acme Corp")
    }

    @Test func zones() throws {
        let m = try Self.acme()
        #expect(m.zones.map(\.name) == ["internet", "dmz", "corp", "servers", "ot", "mgmt", "cloud-web"])
        let dmz = try #require(m.zone(named: "dmz"))
        #expect(dmz.kind == .dmz && dmz.trust == .low)
        #expect(dmz.networks.map(\.description) == ["172.16.1.0/24", "2001:db8:1::/64"])
        #expect(dmz.networks.map(\.family) == [.ipv4, .ipv6])
        #expect(dmz.location.line == 11 && dmz.location.column == 5)
        #expect(m.zone(named: "servers")?.kind == .datacenter)
        #expect(m.zone(named: "cloud-web")?.networks.isEmpty == true)
        #expect(M.TrustLevel.untrusted < .low && M.TrustLevel.medium < .high)
    }

    @Test func firewallsWithTheirFilesAndPlacement() throws {
        let m = try Self.acme()
        let edge = try #require(m.firewall(named: "edge"))
        #expect(edge.format == .iptablesSave && !edge.formatDetected)
        #expect(edge.description == "The perimeter firewall between the internet, the DMZ and the offices.")
        #expect(edge.exports.map(\.path) == [Inputs.acme + "/edge.iptables-save"])
        #expect(edge.exports.first?.relativePath == "edge.iptables-save")
        guard case .network(let interfaces) = edge.placement else { Issue.record("edge is a network firewall"); return }
        #expect(interfaces.map(\.name) == ["eth0", "eth1", "eth2", "eth3"])
        #expect(interfaces.map(\.zone) == ["internet", "dmz", "corp", "servers"])

        // Formats left out are detected from the content.
        #expect(m.firewall(named: "ot-gateway")?.format == .nftablesJSON)
        #expect(m.firewall(named: "ot-gateway")?.formatDetected == true)
        #expect(m.firewall(named: "web01-host")?.format == .iptablesSave)
        #expect(m.firewall(named: "web01-host")?.placement == .host("web01"))
        #expect(m.firewall(named: "web01-host6")?.format == .ip6tablesSave)
        guard case .network(let otInterfaces) = m.firewall(named: "ot-gateway")?.placement else { Issue.record("network"); return }
        #expect(otInterfaces.first?.name == "vlan10+")

        let vpc = try #require(m.firewall(named: "vpc-prod"))
        #expect(vpc.format == .aws)
        #expect(vpc.exports.map(\.role) == [.securityGroups, .instances, .subnets, .networkACLs])
        #expect(m.exportPaths(ofFirewall: "vpc-prod") == ["aws/sg.json", "aws/instances.json", "aws/subnets.json", "aws/nacls.json"].map { Inputs.acme + "/" + $0 })
        #expect(vpc.export(.subnets)?.relativePath == "aws/subnets.json")
        guard case .cloud(let subnets) = vpc.placement else { Issue.record("cloud"); return }
        #expect(subnets.map(\.subnet) == ["subnet-0a1b2c3d"] && subnets.map(\.zone) == ["cloud-web"])
        #expect(m.exportPaths(ofFirewall: "nonesuch").isEmpty)
    }

    @Test func routes() throws {
        let m = try Self.acme()
        #expect(m.routes?.count == 6)
        #expect(m.routes(from: "internet", to: "dmz")?.map(\.via) == [["edge"], ["edge", "web01-host"]])
        #expect(m.routes(from: "mgmt", to: "servers")?.map(\.via) == [[]], "an empty via: connected with no firewall")
        #expect(m.routes(from: "dmz", to: "corp") == [], "routes declared, none for this pair")
    }

    @Test func hosts() throws {
        let m = try Self.acme()
        let web = try #require(m.host(named: "web01"))
        #expect(web.addresses.map(\.description) == ["172.16.1.10", "2001:db8:1::10"])
        #expect(web.zone == "dmz" && web.role == "web-server" && !web.crownJewel && web.tags == ["pci", "internet-facing"])
        let db = try #require(m.host(named: "db01"))
        #expect(db.zone == "servers", "the zone of the address, the most specific network")
        #expect(db.crownJewel)
        #expect(m.host(named: "vpn")?.addresses.isEmpty == true)
        #expect(m.hosts(inZone: "dmz").map(\.name) == ["web01", "vpn"])
    }

    @Test func informationAssets() throws {
        let m = try Self.acme()
        let records = try #require(m.informationAsset(named: "customer-records"))
        #expect(records.classification == .confidential)
        #expect(records.cia == M.CIA(confidentiality: .high, integrity: .high, availability: .medium))
        #expect(records.loss?.estimate == M.Estimate(min: 200_000, mostLikely: 1_000_000, max: 5_000_000))
        #expect(records.loss?.currency == "EUR")
        #expect(records.hosts == ["db01"])
        #expect(m.informationAsset(named: "line-control")?.loss?.estimate.max == 2_500_000.5)
        #expect(M.Classification.internal < .restricted && M.Impact.high < .critical)
    }

    @Test func factsNameWhatTheyApplyTo() throws {
        let m = try Self.acme()
        #expect(m.facts.map(\.kind) == [.backup, .encryption, .mfa, .edr, .patching, .control, .mfa])
        #expect(m.facts[0].detail == .backup(offline: true, immutable: false, tested: CalendarDate("2026-10-01")))
        #expect(m.facts[0].evidence == "restore test ticket OPS-1412")
        #expect(m.facts[1].appliesTo == [.host("db01"), .informationAsset("customer-records")])
        #expect(m.facts[2].appliesTo == [.host("vpn")], "host:vpn, since vpn is also an entry point")
        #expect(m.facts[2].detail == .mfa(enforced: true, phishingResistant: false))
        #expect(m.facts[3].appliesTo == [.zone("corp"), .zone("servers")])
        #expect(m.facts[3].detail == .edr(product: "Defender for Endpoint", mode: .prevent))
        #expect(m.facts[4].detail == .patching(withinDays: 30))
        #expect(m.facts[5].detail == .control(framework: "iso27001:2022", id: "A.6.3", status: .implemented, name: nil, justification: nil))
        #expect(m.facts[5].appliesTo.isEmpty, "no applies-to: the whole estate")
        #expect(m.facts[6].appliesTo == [.zone("internet")])
        // Facts about db01: its own and the estate-wide ones.
        #expect(m.facts(about: .host("db01")).map(\.kind) == [.backup, .encryption, .control])
    }

    @Test func entryPoints() throws {
        let m = try Self.acme()
        #expect(m.entryPoints.map(\.name) == ["internet", "phish-alice", "vpn"])
        #expect(m.entryPoint(named: "internet")?.target == .zone("internet"))
        #expect(m.entryPoint(named: "internet")?.frequency == M.Estimate(min: 12, mostLikely: 52, max: 365))
        #expect(m.entryPoint(named: "phish-alice")?.target == .host("ws-alice"))
        #expect(m.entryPoint(named: "phish-alice")?.kind == .phishing)
    }

    @Test(arguments: [
        ("10.20.50.5", "servers"),      // corp holds it, servers more specifically
        ("10.20.7.15", "corp"),
        ("10.20.49.255", "corp"),
        ("10.20.51.0", "corp"),
        ("10.60.3.2", "ot"),
        ("172.16.1.255", "dmz"),
        ("172.16.2.1", "internet"),     // what no other zone claims
        ("8.8.8.8", "internet"),
        ("2001:db8:1::10", "dmz"),
        ("2001:db8:2::1", "internet"),
    ])
    func zoneOfAnAddressIsTheMostSpecific(address: String, zone: String) throws {
        #expect(try Self.acme().zone(containing: address)?.name == zone)
    }

    @Test func addressesOfAZoneLeaveMoreSpecificZonesOut() throws {
        let m = try Self.acme()
        func v4(_ cidr: String) -> ClosedRange<UInt128> { IPAddress.parseNetwork(cidr[...], family: .ipv4)! }
        #expect(m.addresses(ofZone: "corp", family: .ipv4) == IntervalSet(v4("10.20.0.0/16")).subtracting(IntervalSet(v4("10.20.50.0/24"))))
        #expect(m.addresses(ofZone: "servers", family: .ipv4) == IntervalSet(v4("10.20.50.0/24")))
        #expect(m.addresses(ofZone: "corp", family: .ipv6).isEmpty)
        let internet = m.addresses(ofZone: "internet", family: .ipv4)
        #expect(!internet.contains(IPAddress.parseV4("10.20.1.1")!) && internet.contains(IPAddress.parseV4("1.1.1.1")!))
        // The families partition their own address space between the zones.
        let all4 = m.zones.reduce(IntervalSet()) { $0.union(m.addresses(ofZone: $1.name, family: .ipv4)) }
        #expect(all4 == IntervalSet(IPAddress.ipv4Range))
        let all6 = m.zones.reduce(IntervalSet()) { $0.union(m.addresses(ofZone: $1.name, family: .ipv6)) }
        #expect(all6 == IntervalSet(0...UInt128.max))
        #expect(m.addresses(ofZone: "nonesuch", family: .ipv4).isEmpty)
    }

    @Test(arguments: [
        ("internet", "dmz", "tcp/443", PolicyIntent.Access.allowed),
        ("internet", "dmz", "https", .allowed),
        ("internet", "dmz", "tcp/80,443", .allowed),
        ("internet", "dmz", "tcp/22", .forbidden),
        ("internet", "dmz", "tcp", .partlyAllowed),
        ("internet", "dmz", "any", .partlyAllowed),
        ("corp", "dmz", "tcp/443", .required),
        ("corp", "dmz", "ssh", .allowed),
        ("corp", "servers", "tcp/8080", .allowed),
        ("corp", "servers", "tcp/8000-8100", .partlyAllowed),
        ("mgmt", "servers", "postgresql", .allowed),
        ("corp", "ot", "modbus", .forbidden),
        ("mgmt", "ot", "any", .allowed),
        ("mgmt", "dmz", "icmp/8", .allowed),
        ("dmz", "servers", "tcp/5432", .required),   // no rule: the default denies, the requirement allows
        ("dmz", "servers", "tcp/22", .forbidden),
        ("ot", "corp", "any", .forbidden),
    ])
    func intendedPolicy(from: String, to: String, service: String, access: PolicyIntent.Access) throws {
        let intent = try Self.acme().intent(from: from, to: to, service: try Service(parsing: service))
        #expect(intent.access == access)
    }

    @Test func intentNamesTheRuleAndTheRequirements() throws {
        let m = try Self.acme()
        let i = m.intent(from: "corp", to: "dmz", service: .tcp(443...443))
        #expect(i.rule?.location.line == 85)
        #expect(i.requirements.map(\.reason) == ["staff use the intranet portal"])
        let byDefault = m.intent(from: "dmz", to: "corp", service: .any)
        #expect(byDefault.rule == nil && byDefault.access == .forbidden && byDefault.requirements.isEmpty)
        #expect(m.intent(from: "internet", to: "dmz", service: .any).rule?.reason == "public web site")
        #expect(m.policy.defaultAction == .deny)
    }
}
