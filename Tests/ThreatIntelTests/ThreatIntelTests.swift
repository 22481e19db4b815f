import BulwarkModel
import Foundation
import Testing
import TestSupport
import ThreatIntel

@Suite struct KEVTests {
    static let fixture = TestSupport.sharedRoot + "/fixtures/kev/known_exploited_vulnerabilities.json"
    static var hasFixture: Bool { FileManager.default.fileExists(atPath: fixture) }

    @Test func bundledSnapshotIsUsableOffline() throws {
        let kev = KEVCatalog.bundled
        #expect(kev.catalogVersion == "2025.08.25")
        #expect(kev.releaseDay == "2025-08-25")
        #expect(kev.entries.count == 1404)
        #expect(kev.entries.filter(\.knownRansomwareUse).count == 293)
        let git = try #require(kev.entry("cve-2025-48384"))
        #expect(git.vendorProject == "Git" && git.product == "Git" && git.dateAdded == "2025-08-25")
        #expect(kev.entry("CVE-1999-0001") == nil)
    }

    @Test(.enabled(if: KEVTests.hasFixture, "KEV fixture test skipped: ../shared absent"))
    func realCatalogReadsWholeAndMatchesTheSnapshot() throws {
        let bytes = [UInt8](try #require(FileManager.default.contents(atPath: Self.fixture)))
        let (kev, diagnostics) = try KEVCatalog.read(bytes: bytes, file: "kev.json")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(kev.entries.count == 1404 && kev.catalogVersion == "2025.08.25")
        let log4shell = try #require(kev.entry("CVE-2021-44228"))
        #expect(log4shell.vendorProject == "Apache" && log4shell.knownRansomwareUse)
        #expect(log4shell.requiredAction != nil && !log4shell.cwes.isEmpty)
        // The bundled table holds the same facts as the catalog it was made from.
        for e in kev.entries {
            let b = try #require(KEVCatalog.bundled.entry(e.cveID))
            #expect(b.vendorProject == e.vendorProject.split(whereSeparator: \.isWhitespace).joined(separator: " "))
            #expect(b.dateAdded == e.dateAdded && b.dueDate == e.dueDate && b.knownRansomwareUse == e.knownRansomwareUse)
        }
    }

    @Test func badEntriesAreDiagnosticsWithTheirPlace() throws {
        let text = """
            {"catalogVersion": "2026.01.02", "dateReleased": "2026-01-02T10:00:00Z", "count": 5,
             "vulnerabilities": [
              {"cveID": "CVE-2024-0001", "vendorProject": "Acme", "product": "Gate", "vulnerabilityName": "x",
               "dateAdded": "2024-01-05", "dueDate": "2024-01-26", "knownRansomwareCampaignUse": "Known"},
              {"vendorProject": "NoId"},
              {"cveID": 42},
              {"cveID": "CVE-24-1"},
              {"cveID": "CVE-2024-0001", "vendorProject": "Again"},
              "not an object"
             ]}
            """
        let (kev, d) = try KEVCatalog.read(bytes: Array(text.utf8), file: "k.json")
        #expect(kev.entries.map(\.cveID) == ["CVE-2024-0001"])
        #expect(kev.entry("CVE-2024-0001")?.vendorProject == "Acme")
        let lines = d.map { "\($0.location.line):\($0.location.column ?? 0) \($0.severity.rawValue): \($0.message)" }
        #expect(lines.contains("5:3 error: expected \"cveID\" (a string) in a vulnerability; skipped"), "\(lines)")
        #expect(lines.contains("6:13 error: expected \"cveID\" to be a string; vulnerability skipped"), "\(lines)")
        #expect(lines.contains("7:13 error: expected a CVE id like CVE-2024-12345, not 'CVE-24-1'; skipped"), "\(lines)")
        #expect(lines.contains("8:3 warning: CVE-2024-0001 is listed twice (first at line 3); the first is kept"), "\(lines)")
        #expect(lines.contains("9:3 error: expected a vulnerability (a JSON object); skipped"), "\(lines)")
    }

    @Test(arguments: [
        ("[1, 2]", "k.json:1:1: not the KEV catalog: expected a JSON object"),
        ("{\"title\": \"x\"}", "k.json:1:1: not the KEV catalog: expected \"vulnerabilities\" (an array)"),
        ("{\"vulnerabilities\": [", "k.json:1:22: not valid JSON: expected a value"),
        ("{\"vulnerabilities\": [{\"cveID\": 1}]}", "k.json: no usable vulnerability in the KEV catalog"),
    ])
    func unusableCatalogsThrow(text: String, message: String) {
        #expect {
            _ = try KEVCatalog.read(bytes: Array(text.utf8), file: "k.json")
        } throws: { ($0 as? ThreatIntelError)?.description.hasPrefix(message) == true }
    }
}

@Suite struct EPSSTests {
    static let sample = """
        #model_version:v2025.03.14,score_date:2026-11-28T00:00:00+0000
        cve,epss,percentile
        CVE-2021-44228,0.94358,0.99961
        CVE-1999-0001,0.0046,0.7385
        cve-2024-3400,0.94,0.9996
        CVE-2024-9999,1.5,0.2
        CVE-2024-8888,0.1
        NOT-A-CVE,0.1,0.1
        CVE-2021-44228,0.9,0.99

        """

    @Test func scoresAndBadRows() throws {
        let (scores, d) = try EPSSScores.read(bytes: Array(Self.sample.utf8), file: "epss.csv")
        #expect(scores.modelVersion == "v2025.03.14" && scores.scoreDate == "2026-11-28T00:00:00+0000")
        #expect(scores.count == 3)
        #expect(scores.score("CVE-2021-44228") == .init(probability: 0.9, percentile: 0.99))
        #expect(scores.score("CVE-2024-3400")?.probability == 0.94)
        let lines = d.map { "\($0.location.line) \($0.severity.rawValue): \($0.message)" }
        #expect(lines == [
            "6 error: expected the EPSS probability of CVE-2024-9999 as a number from 0 to 1; row skipped",
            "7 error: expected 3 comma-separated fields (cve,epss,percentile); row skipped",
            "8 error: expected a CVE id like CVE-2024-12345, not 'NOT-A-CVE'; row skipped",
            "9 warning: CVE-2021-44228 is scored twice; the later row is used",
        ])
    }

    @Test func columnsAreFoundByName() throws {
        let text = "percentile,cve,epss\r\n0.5,CVE-2020-0001,0.01\r\n"
        let (scores, d) = try EPSSScores.read(bytes: Array(text.utf8), file: "e.csv")
        #expect(scores.score("CVE-2020-0001") == .init(probability: 0.01, percentile: 0.5))
        #expect(d.map(\.message) == ["expected a '#model_version:…,score_date:…' line; the scores' date is unknown"])
    }

    @Test(arguments: [("cve,score\nCVE-2020-0001,0.1\n", "e.csv:1: not an EPSS file"), ("cve,epss,percentile\n", "e.csv: no usable row")])
    func unusableFilesThrow(text: String, message: String) {
        #expect { _ = try EPSSScores.read(bytes: Array(text.utf8), file: "e.csv") } throws: {
            ($0 as? ThreatIntelError)?.description.hasPrefix(message) == true
        }
    }
}

@Suite struct ThreatDataStoreTests {
    static func scratch() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("bulwark-data-\(UUID().uuidString)").path
    }

    @Test func importsAreStoredAndABadImportKeepsThePreviousData() throws {
        let dir = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = ThreatDataStore(directory: dir + "/data")
        // Nothing imported: the bundled catalog, no EPSS.
        var (data, diagnostics) = store.load()
        #expect(data.kevOrigin == .bundled && data.epss == nil && diagnostics.isEmpty)

        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let epss = dir + "/epss.csv"
        try EPSSTests.sample.write(toFile: epss, atomically: true, encoding: .utf8)
        let kev = dir + "/kev.json"
        try #"{"catalogVersion": "2026.11.27", "dateReleased": "2026-11-27T12:00:00Z", "vulnerabilities": [{"cveID": "CVE-2026-0001", "vendorProject": "Acme", "product": "Gate", "vulnerabilityName": "Gate RCE", "dateAdded": "2026-11-27", "dueDate": "2026-12-18", "knownRansomwareCampaignUse": "Unknown"}]}"#
            .write(toFile: kev, atomically: true, encoding: .utf8)
        _ = try store.importEPSS(from: epss)
        _ = try store.importKEV(from: kev)

        // A broken file is refused and what was imported stays.
        let broken = dir + "/broken.json"
        try "{\"vulnerabilities\": [".write(toFile: broken, atomically: true, encoding: .utf8)
        #expect(throws: ThreatIntelError.self) { try store.importKEV(from: broken) }

        (data, diagnostics) = store.load()
        #expect(diagnostics.isEmpty)
        #expect(data.kev.catalogVersion == "2026.11.27" && data.kev.entry("CVE-2026-0001")?.product == "Gate")
        #expect(data.epss?.score("CVE-1999-0001")?.percentile == 0.7385)
        guard case .imported(let source, let at) = data.kevOrigin else { Issue.record("KEV not imported"); return }
        #expect(source == kev && abs(at.timeIntervalSinceNow) < 600)

        let now = ISO8601DateFormatter().date(from: "2026-11-29T08:00:00Z")!
        let lines = data.provenance(now: now)
        #expect(lines[0] == "CISA KEV catalog 2026.11.27 (1 CVEs), released 2026-11-27, 2 days old, imported from \(kev)")
        #expect(lines[1] == "FIRST EPSS scores v2025.03.14 (3 CVEs) for 2026-11-28, 1 days old, imported from \(epss)")
    }

    @Test func gzippedScoresAreReadAndBombsRefused() throws {
        let dir = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let csv = dir + "/epss_scores-2026-11-28.csv"
        try EPSSTests.sample.write(toFile: csv, atomically: true, encoding: .utf8)
        // gzip as FIRST publishes it (python3's gzip module, a separate implementation from zlib's API use here).
        let zipped = try TestSupport.runPython("import gzip, shutil, sys; shutil.copyfileobj(open(sys.argv[1], 'rb'), gzip.open(sys.argv[1] + '.gz', 'wb'))", [csv])
        #expect(zipped.status == 0, "\(zipped.stderr)")
        let store = ThreatDataStore(directory: dir + "/data")
        let (scores, _) = try store.importEPSS(from: csv + ".gz")
        #expect(scores.count == 3 && scores.score("CVE-2024-3400")?.percentile == 0.9996)
        #expect(store.load().0.epss?.count == 3)

        // 600 MiB of zeros in about 600 KB: past the size bound, refused, nothing written.
        let bomb = dir + "/bomb.csv.gz"
        let made = try TestSupport.runPython("import gzip, sys\nwith gzip.open(sys.argv[1], 'wb', 9) as f:\n    block = b'0' * (1 << 20)\n    for _ in range(600): f.write(block)", [bomb])
        #expect(made.status == 0, "\(made.stderr)")
        #expect { try store.importEPSS(from: bomb) } throws: { ($0 as? ThreatIntelError)?.description.hasPrefix(bomb) == true }
        #expect(store.load().0.epss?.count == 3)
    }

    @Test func theDataDirectoryFollowsTheEnvironment() {
        #expect(ThreatDataStore.defaultDirectory(environment: ["BULWARK_DATA_DIR": "/srv/b", "HOME": "/h"]) == "/srv/b")
        #expect(ThreatDataStore.defaultDirectory(environment: ["XDG_DATA_HOME": "/x", "HOME": "/h"]) == "/x/bulwark")
        #expect(ThreatDataStore.defaultDirectory(environment: ["HOME": "/h"]) == "/h/.local/share/bulwark")
    }

    @Test func bundledProvenanceSaysHowOld() {
        let now = ISO8601DateFormatter().date(from: "2026-11-29T00:00:00Z")!
        let lines = ThreatData().provenance(now: now)
        #expect(lines[0] == "CISA KEV catalog 2025.08.25 (1404 CVEs), released 2025-08-25, 461 days old, bundled with Bulwark")
        #expect(lines[1].hasPrefix("no EPSS scores"))
    }
}
