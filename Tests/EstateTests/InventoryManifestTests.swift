import BulwarkModel
import Estate
import Foundation
import Testing

/// The `inventory:` section and the search of an estate folder for scans, AD collections and
/// threat intelligence.
@Suite struct InventoryManifestTests {
    /// A scratch estate folder holding one small file of each format, and some that are none.
    static func folder() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bulwark-inventory-\(UUID().uuidString)").path
        let files: [String: String] = [
            "scans/dmz.xml": "<?xml version=\"1.0\"?>\n<!DOCTYPE nmaprun>\n<nmaprun scanner=\"nmap\"></nmaprun>\n",
            "scans/weekly.nessus": "<?xml version=\"1.0\" ?>\n<NessusClientData_v2></NessusClientData_v2>\n",
            "ad/unpacked/20261101_users.json": "{\"data\":[{\"ObjectIdentifier\":\"S-1-5-21-1-2-3-1104\"}],\"meta\":{\"type\":\"users\",\"count\":1,\"version\":6}}",
            "ad/unpacked/readme.txt": "collected on the 1st",
            "intel/kev.json": "{\"title\":\"CISA Catalog\",\"catalogVersion\":\"2025.08.25\",\"vulnerabilities\":[]}",
            "intel/epss.csv": "#model_version:v2025.03.14,score_date:2025-11-28T00:00:00+0000\ncve,epss,percentile\n",
            "notes.md": "# not an export\n",
            "edge.iptables-save": "*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n",
            ".hidden.xml": "<nmaprun></nmaprun>",
        ]
        for (name, text) in files {
            let path = dir + "/" + name
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        try Data([0x50, 0x4B, 0x05, 0x06] + [UInt8](repeating: 0, count: 18)).write(to: URL(fileURLWithPath: dir + "/ad/empty.zip"))
        try Data([0x1F, 0x8B, 0x08, 0x00]).write(to: URL(fileURLWithPath: dir + "/intel/epss.csv.gz"))
        return dir
    }

    @Test func aFolderIsSearchedByContent() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let found = InventoryProbe.find(in: dir, excluding: [dir + "/edge.iptables-save"])
        #expect(found.map { "\($0.relativePath) \($0.format.rawValue)" } == [
            "ad/empty.zip sharphound", "ad/unpacked sharphound", "intel/epss.csv epss", "intel/epss.csv.gz epss",
            "intel/kev.json kev", "scans/dmz.xml nmap", "scans/weekly.nessus nessus",
        ])
        #expect(found.first { $0.relativePath == "ad/unpacked" }?.isFolder == true)
    }

    @Test func theManifestNamesItsExports() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let yaml = """
            version: 1
            zones:
              - { name: dmz, kind: dmz, trust: low, cidrs: [192.0.2.0/24] }
            inventory:
              - scans/dmz.xml
              - { file: ad/unpacked, format: sharphound }
              - { file: intel/kev.json, format: nessus }
              - scans/missing.xml
              - notes.md
              - /etc/passwd
              - { file: intel/epss.csv, format: csv }
            """
        let r = EstateLoader.parse(yaml, file: "bulwark.yaml", directory: dir)
        let listing = r.diagnostics.map(\.description).joined(separator: "\n")
        #expect(r.has(.warning, line: 7, "the manifest says nessus but 'intel/kev.json' looks like kev"), "\(listing)")
        #expect(r.has(.error, line: 8, "inventory export 'scans/missing.xml' does not exist"), "\(listing)")
        #expect(r.has(.error, line: 9, "cannot tell the format of 'notes.md'; expected one of nmap, nessus, sharphound, kev, epss"), "\(listing)")
        #expect(r.has(.error, line: 10, "expected a path relative to the manifest's folder, not '/etc/passwd'"), "\(listing)")
        #expect(r.has(.error, line: 11, "expected the inventory format: one of nmap, nessus, sharphound, kev, epss (not 'csv')"), "\(listing)")
        #expect(r.manifest == nil)

        let good = EstateLoader.parse("""
            version: 1
            zones:
              - { name: dmz, kind: dmz, trust: low, cidrs: [192.0.2.0/24] }
            inventory:
              - scans/dmz.xml
              - { file: ad/unpacked, format: sharphound, description: November's collection }
            """, file: "bulwark.yaml", directory: dir)
        let manifest = try #require(good.manifest, "\(good.diagnostics)")
        let inventory = try #require(manifest.inventory)
        #expect(inventory.map(\.format) == [.nmap, .sharphound])
        #expect(inventory[1].isFolder && inventory[1].path == dir + "/ad/unpacked")
        #expect(inventory[0].location?.line == 5)
    }

    @Test func withoutTheSectionNothingIsNamed() throws {
        let r = EstateLoader.parse("version: 1\nzones:\n  - { name: dmz, kind: dmz, trust: low }\n", file: "bulwark.yaml", directory: "/tmp")
        #expect(try #require(r.manifest).inventory == nil)
    }
}
