import Scans
import Testing

@Suite struct ScanFormatTests {
    @Test func detectsByRootElement() throws {
        #expect(try ScanFormat.detect(path: ScanInputs.path("nmap-minimal.xml")) == .nmap)
        #expect(try ScanFormat.detect(path: ScanInputs.path("nessus-minimal.nessus")) == .nessus)
        // Only the prolog and the root start tag are read: a file truncated later still detects.
        #expect(try ScanFormat.detect(path: ScanInputs.path("truncated.nessus")) == .nessus)
        let wrong = ScanInputs.error { try ScanFormat.detect(path: ScanInputs.path("wrong-root.xml")) }
        #expect(wrong?.code == .wrongFormat && wrong?.line == 2 && wrong?.column == 1)
        #expect(wrong?.message == "expected nmap XML (root element <nmaprun>) or a Nessus v2 export (<NessusClientData_v2>), found <html>")
        #expect(ScanInputs.error { try ScanFormat.detect(path: ScanInputs.path("xxe-system-entity.xml")) }?.code == .entitiesNotRead)
        #expect(ScanInputs.error { try ScanFormat.detect(bytes: Array("PK\u{3}\u{4}".utf8), file: "a.zip") }?.code == .malformedXML)
    }

    @Test(.enabled(if: ScanInputs.hasNmapFixtures && ScanInputs.hasNessusFixtures, "fixture detection skipped: ../shared absent"))
    func detectsTheFixtures() throws {
        for name in ["fullscan.xml", "full_sudo6.xml", "dionaea_scan.xml", "os_scan6.xml", "1_os_banner_scripts.xml"] {
            #expect(try ScanFormat.detect(path: ScanInputs.nmapFixture(name)) == .nmap)
        }
        #expect(try ScanFormat.detect(path: ScanInputs.nessusFixture("nessus_with_cvssv3.nessus")) == .nessus)
    }

    @Test func datesAndTimes() {
        #expect(ScanDate("2022/02/14") == ScanDate(year: 2022, month: 2, day: 14))
        #expect(ScanDate("2024-02-29")?.description == "2024-02-29")
        #expect(ScanDate("2023/02/29") == nil && ScanDate("2022/13/01") == nil && ScanDate("22/01/01") == nil && ScanDate("2022/1/1x") == nil)
        #expect(ScanDate(year: 1970, month: 1, day: 1)?.daysSinceEpoch == 0)
        #expect(ScanDate(year: 2022, month: 3, day: 23)?.daysSinceEpoch == 19074)
        #expect(ScanDate(year: 1969, month: 12, day: 31)?.daysSinceEpoch == -1)
        #expect(ScanDate(year: 2000, month: 3, day: 1)?.daysSinceEpoch == 11017)
    }
}
