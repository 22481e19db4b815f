import BulwarkModel
import Foundation
import Testing
import TestSupport

/// `bulwark inventory`, `bulwark cvss` and `bulwark data` as scripts use them.
@Suite struct InventoryCLITests {
    static func run(_ arguments: [String], dataDirectory: String? = nil) throws -> TestSupport.Run {
        guard let dataDirectory else { return try CLITests.run(arguments) }
        return try TestSupport.run(URL(fileURLWithPath: "/usr/bin/env"), ["BULWARK_DATA_DIR=" + dataDirectory, CLITests.binary.path] + arguments, in: CLITests.root)
    }

    @Test func inventoryWritesTheJSONContract() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("bulwark-cli-data-\(UUID().uuidString)").path
        let r = try Self.run(["inventory", "Tests/InventoryTests/Inputs/corp", "--format", "json"], dataDirectory: data)
        #expect(r.status == 0, "\(r.stderr)")
        let json = try JSONParser.parse(r.stdout)
        #expect(json["schema_version"]?.string == "1.0.0")
        for key in ["hosts", "services", "vulnerabilities", "identities", "edges"] { #expect(json[key]?.array != nil, "\(key)") }
        let identities = try #require(json["identities"]?.array)
        let alice = try #require(identities.first { $0["id"]?.string == "S-1-5-21-1111111111-2222222222-3333333333-1106" })
        #expect(alice["kind"]?.string == "User" && alice["name"]?.string == "ALICE@CORP.EXAMPLE")
        let web = try #require(identities.first { $0["id"]?.string == "S-1-5-21-1111111111-2222222222-3333333333-1201" })
        #expect(web["host"]?.string == "host:web01")
        let edges = try #require(json["edges"]?.array)
        #expect(edges.contains {
            $0["from"]?.string == "S-1-5-21-1111111111-2222222222-3333333333-1106" && $0["kind"]?.string == "AdminTo"
                && $0["to"]?.string == "S-1-5-21-1111111111-2222222222-3333333333-1201" && $0["traversable"]?.bool == true
        })
        let vulns = try #require(json["vulnerabilities"]?.array)
        let log4shell = try #require(vulns.first { $0["plugin_id"]?.int == 156032 })
        #expect(log4shell["kev"]?.array?.first?["cve"]?.string == "CVE-2021-44228")
        #expect(log4shell["epss"]?["probability"]?.number == 0.94358)
        #expect(log4shell["line"]?.int == 16)   // its ReportItem in weekly.nessus
        #expect(json["counts"]?["hosts"]?.int == 5)
        #expect(json["warnings"]?.array?.contains { $0["kind"]?.string == "host-in-no-zone" } == true)
    }

    @Test func inventoryOfNothingUsableExitsTwoWithNothingWritten() throws {
        let dir = try TestSupport.temporary("notes.txt", "nothing to see")
        let r = try Self.run(["inventory", URL(fileURLWithPath: dir).deletingLastPathComponent().path])
        #expect(r.status == 2 && r.stdout.isEmpty)
        #expect(r.stderr.contains("no inventory exports here"))
    }

    @Test func cvssScoresAVector() throws {
        let r = try Self.run(["cvss", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try JSONParser.parse(r.stdout)
        #expect(json["version"]?.string == "3.1" && json["base_score"]?.number == 9.8 && json["severity"]?.string == "critical")
        let v4 = try JSONParser.parse(try Self.run(["cvss", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", "--format", "json"]).stdout)
        #expect(v4["version"]?.string == "4.0" && v4["base_score"]?.number == 9.3 && v4["nomenclature"]?.string == "CVSS-B")
        let bad = try Self.run(["cvss", "CVSS:3.1/AV:W/AC:L", "--format", "json"])
        #expect(bad.status == 2 && bad.stdout.isEmpty && bad.stderr.contains("AV"))
    }

    @Test func dataImportKeepsTheDataAndRefusesBadFiles() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("bulwark-cli-data-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: data) }
        let epss = "Tests/InventoryTests/Inputs/corp/intel/epss_scores-2026-11-28.csv"
        let ok = try Self.run(["data", "import", "epss", epss], dataDirectory: data)
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("imported EPSS scores v2025.03.14 for 2026-11-28: 3 CVEs"))
        let bad = try TestSupport.temporary("kev.json", "{\"vulnerabilities\": 3}")
        let refused = try Self.run(["data", "import", "kev", bad], dataDirectory: data)
        #expect(refused.status == 2 && refused.stderr.contains("not the KEV catalog"))
        let status = try Self.run(["data", "status"], dataDirectory: data)
        #expect(status.stdout.contains("CISA KEV catalog 2025.08.25 (1404 CVEs)") && status.stdout.contains("bundled with Bulwark"))
        #expect(status.stdout.contains("FIRST EPSS scores v2025.03.14 (3 CVEs) for 2026-11-28"))
    }
}
