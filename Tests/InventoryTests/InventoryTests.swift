import BulwarkModel
import Foundation
import Identity
import Inventory
import Testing
import TestSupport
import ThreatIntel

/// The inventory of the small `corp` estate (own inputs: a manifest, an nmap scan, a Nessus scan,
/// a SharpHound collection and EPSS scores) and of the real fixtures together.
@Suite struct InventoryTests {
    static let corp = TestSupport.projectRoot + "/Tests/InventoryTests/Inputs/corp"
    static let now = ISO8601DateFormatter().date(from: "2026-11-29T12:00:00Z")!

    static func corpInventory() throws -> Inventory {
        try InventoryBuilder.build(corp, options: InventoryOptions(maxScanAgeDays: 90, now: now))
    }

    @Test func hostsAreMergedAcrossEverySource() throws {
        let inv = try Self.corpInventory()
        // In the order sources first saw them (the folder's files in path order: ad/, intel/, scans/).
        #expect(inv.hosts.map(\.id) == ["host:web01", "host:db01", "host:laptop7.corp.example", "host:10.30.0.7", "host:backup01"])
        let web = try #require(inv.hosts.first { $0.id == "host:web01" })
        // Manifest by address, nmap by address and PTR name, Nessus by address, AD by FQDN.
        #expect(web.seenBy.sorted() == ["active-directory", "manifest", "nessus", "nmap"])
        #expect(web.addresses == ["192.0.2.10"] && web.zone == "dmz" && !web.crownJewel)
        #expect(web.fqdns == ["web01.corp.example"] && web.names.contains("web01"))
        #expect(web.objectID == "S-1-5-21-1111111111-2222222222-3333333333-1201")
        let db = try #require(inv.hosts.first { $0.id == "host:db01" })
        #expect(db.crownJewel && db.zone == "servers" && db.macs == ["52:54:00:12:34:56"])
        #expect(db.operatingSystems == ["Ubuntu 22.04", "Linux 5.0 - 5.14"])
        #expect(inv.computerHosts["S-1-5-21-1111111111-2222222222-3333333333-1202"] == "host:db01")
        // A down host is no host; an AD computer no scan saw keeps no address.
        #expect(!inv.hosts.contains { $0.addresses.contains("192.0.2.11") })
        #expect(inv.hosts.first { $0.id == "host:laptop7.corp.example" }?.addresses == [])
    }

    @Test func servicesAreMergedPerHostAndPort() throws {
        let inv = try Self.corpInventory()
        let list = inv.services.map { "\($0.host) \($0.transport)/\($0.port) \($0.name ?? "-") \($0.product ?? "-") \($0.version ?? "-")" }
        #expect(list.sorted() == [
            "host:10.30.0.7 tcp/445 cifs - -",
            "host:db01 tcp/5432 postgresql PostgreSQL DB 13.4",
            "host:web01 tcp/22 ssh OpenSSH 8.9p1 Ubuntu 3ubuntu0.10",
            "host:web01 tcp/443 https Apache Tomcat 9.0.50",
        ])
        #expect(inv.services.first { $0.port == 443 }?.sources.count == 2)
    }

    @Test func findingsAreEnrichedWithKEVAndEPSSAndScored() throws {
        let inv = try Self.corpInventory()
        #expect(inv.vulnerabilities.count == 4)
        let log4shell = try #require(inv.vulnerabilities.first { $0.pluginID == 156032 })
        #expect(log4shell.host == "host:web01" && log4shell.port == 443 && log4shell.severity == "critical")
        #expect(log4shell.kev.map(\.cve) == ["CVE-2021-44228", "CVE-2021-45046"])
        #expect(log4shell.kev.first?.knownRansomwareUse == true)
        #expect(log4shell.epss?.cve == "CVE-2021-44228" && log4shell.epss?.probability == 0.94358 && log4shell.epss?.percentile == 0.99961)
        #expect(log4shell.cvss.map(\.version) == ["2.0", "3.0"] && log4shell.cvss.map(\.baseScore) == [10.0, 10.0])
        #expect(log4shell.exploitAvailable == true && log4shell.patchPublished == "2021-12-10")
        let eternal = try #require(inv.vulnerabilities.first { $0.pluginID == 97833 })
        #expect(eternal.host == "host:10.30.0.7" && eternal.kev.map(\.cve) == ["CVE-2017-0144"])
        // The scanner's score is kept, and reported, where the vector says otherwise.
        let odd = try #require(inv.vulnerabilities.first { $0.pluginID == 999001 })
        #expect(odd.cvss.first?.baseScore == 4.3 && odd.cvss.first?.reportedScore == 6.1)
        #expect(inv.threatData[1].contains("from the estate's intel/epss_scores-2026-11-28.csv"))
    }

    @Test func dataQualityWarnings() throws {
        let inv = try Self.corpInventory()
        let kinds = inv.warnings.map { "\($0.kind.rawValue) \($0.subject)" }
        #expect(kinds.contains("host-in-no-zone host:10.30.0.7"))
        #expect(kinds.contains("computer-without-address S-1-5-21-1111111111-2222222222-3333333333-1203"))
        #expect(kinds.contains("manifest-host-not-scanned host:backup01"))
        #expect(kinds.contains { $0.hasPrefix("score-mismatch") })
        #expect(kinds.contains("old-threat-data kev"))
        #expect(!kinds.contains { $0.hasPrefix("old-scan") })
        // The same scans read a year later are old.
        let later = try InventoryBuilder.build(Self.corp, options: InventoryOptions(maxScanAgeDays: 90, now: Self.now.addingTimeInterval(365 * 86_400)))
        #expect(later.warnings.filter { $0.kind == .oldScan }.count == 2)
    }

    @Test func identitiesKeepTheirIdsAndEdges() throws {
        let inv = try Self.corpInventory()
        let g = try #require(inv.identity)
        #expect(g.hasEdge(from: "S-1-5-21-1111111111-2222222222-3333333333-1201", .hasSession, to: "S-1-5-21-1111111111-2222222222-3333333333-1105"))
        #expect(g.hasEdge(from: "S-1-5-21-1111111111-2222222222-3333333333-1106", .adminTo, to: "S-1-5-21-1111111111-2222222222-3333333333-1201"))
        #expect(g.principal("S-1-5-21-1111111111-2222222222-3333333333-512").map { g.isTierZero(g.index(of: $0.id)!) } == true)
    }

    @Test func aBareFolderOfExportsIsAnEstate() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bulwark-bare-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.corp + "/scans", toPath: dir + "/scans")
        let inv = try InventoryBuilder.build(dir, options: InventoryOptions(now: Self.now))
        #expect(inv.hosts.count == 3 && inv.identity == nil)
        #expect(!inv.warnings.contains { $0.kind == .hostInNoZone })
    }

    @Test func unusableEstatesThrow() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bulwark-empty-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        #expect { try InventoryBuilder.build(dir) } throws: { "\($0)".contains("no inventory exports here") }
        #expect { try InventoryBuilder.build(dir + "/nowhere") } throws: { "\($0)".contains("no estate here") }
        // A truncated scan makes the whole inventory unusable: nothing half-read.
        try "<?xml version=\"1.0\"?>\n<nmaprun scanner=\"nmap\"><host><status state=\"up\"/>".write(toFile: dir + "/cut.xml", atomically: true, encoding: .utf8)
        #expect { try InventoryBuilder.build(dir) } throws: { "\($0)".contains("cut.xml") }
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: TestSupport.sharedRoot + "/fixtures/bloodhound/ad-sample-v6"), "inventory of the real fixtures skipped: ../shared absent"))
    func realExportsTogether() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bulwark-real-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let f = TestSupport.sharedRoot + "/fixtures"
        for (link, target) in [("ad", "bloodhound/ad-sample-v6"), ("full.xml", "nmap/full_sudo6.xml"), ("scan.nessus", "nessus/nessus_with_cvssv3.nessus"),
                               ("kev.json", "kev/known_exploited_vulnerabilities.json")] {
            try FileManager.default.createSymbolicLink(atPath: dir + "/" + link, withDestinationPath: f + "/" + target)
        }
        let inv = try InventoryBuilder.build(dir, options: InventoryOptions(now: Self.now))
        #expect(inv.sources.map(\.format).sorted() == ["kev", "nessus", "nmap", "sharphound"])
        #expect(inv.hosts.count == 4 + 1 + 34)
        let g = try #require(inv.identity)
        #expect(g.domains.count == 3 && inv.computerHosts.count == 34)
        #expect(inv.vulnerabilities.contains { $0.kev.contains { $0.cve == "CVE-2012-1823" } })
        #expect(inv.threatData[0].contains("from the estate's kev.json"))
        // The fixture's nine CVSS v3 vectors all parse and score.
        #expect(inv.vulnerabilities.flatMap(\.cvss).allSatisfy { $0.baseScore != nil })

        // The collection folder itself as the estate: its 31 files are one collection, the same
        // graph as the loader makes of the folder.
        let bare = try InventoryBuilder.build(f + "/bloodhound/ad-sample-v6", options: InventoryOptions(now: Self.now))
        let direct = try SharpHoundLoader().load(path: f + "/bloodhound/ad-sample-v6")
        #expect(bare.identity?.principalCount == direct.principalCount && bare.identity?.edgeCount == direct.edgeCount)
        #expect(bare.sources.count == 1 && bare.sources[0].file.hasSuffix("(31 collector files)"))
    }
}

/// Host merging on its own: what joins, what stays apart.
@Suite struct HostMergeTests {
    func sighting(_ source: HostSighting.Source, addresses: [String] = [], fqdns: [String] = [], names: [String] = [], sid: String? = nil) -> HostSighting {
        var s = HostSighting(source: source, file: source.rawValue)
        s.addresses = addresses
        s.fqdns = fqdns
        s.names = names
        s.objectID = sid
        return s
    }

    @Test func sharedKeysJoin() {
        let m = HostMerge([
            sighting(.nmap, addresses: ["10.0.0.1"]),
            sighting(.nessus, addresses: ["10.0.0.1"], fqdns: ["a.corp"]),
            sighting(.activeDirectory, fqdns: ["a.corp"], sid: "S-1"),
            sighting(.activeDirectory, names: ["b"], sid: "S-2"),
            sighting(.nmap, addresses: ["10.0.0.2"], fqdns: ["b.corp"]),
        ])
        #expect(m.groups == [[0, 1, 2], [3, 4]])
        #expect(m.ambiguousNames.isEmpty)
    }

    @Test func shortNamesNeverJoinTwoAddressedHostsAndAmbiguityIsReported() {
        let m = HostMerge([
            sighting(.nmap, addresses: ["10.0.0.1"], names: ["web"]),
            sighting(.nmap, addresses: ["10.9.0.1"], names: ["web"]),
            sighting(.activeDirectory, names: ["web"], sid: "S-9"),
        ])
        #expect(m.groups == [[0], [1], [2]])
        #expect(m.ambiguousNames.map(\.name) == ["web"])
    }
}
