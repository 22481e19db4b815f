import BulwarkModel
import Foundation
import Scans
import Testing

@Suite struct NessusReaderTests {
    static let fixture = "nessus_with_cvssv3.nessus"

    @Test(.enabled(if: ScanInputs.hasNessusFixtures, "Nessus fixture skipped: ../shared absent"))
    func fixtureCounts() throws {
        let report = try NessusReader().read(path: ScanInputs.nessusFixture(Self.fixture))
        #expect(report.diagnostics.isEmpty, "\(report.diagnostics)")
        #expect(report.name == "dummy scan")
        #expect(report.policyName == "Basic Network Scan")
        #expect(report.hosts.count == 1 && report.hostCount == 1)
        let host = try #require(report.hosts.first)
        #expect(host.name == "testphp.vulnweb.com")
        #expect(host.items.count == 49 && report.itemCount == 49)
        #expect(Set(host.items.compactMap(\.pluginID)).count == 48)
        let bySeverity = Dictionary(grouping: host.items, by: { $0.severity }).mapValues(\.count)
        #expect(bySeverity == [.info: 23, .low: 1, .medium: 13, .high: 10, .critical: 2])
        let cves = host.items.flatMap(\.cves)
        #expect(cves.count == 138 && Set(cves).count == 136)
        #expect(host.items.filter { $0.cvss3Vector != nil }.count == 9)
        #expect(host.items.filter { $0.cvssVector != nil }.count == 27)
        #expect(host.items.filter { $0.pluginOutput != nil }.count == 48)
        #expect(host.items.allSatisfy { $0.pluginPublicationDate != nil && $0.riskFactor != nil })
    }

    @Test(.enabled(if: ScanInputs.hasNessusFixtures, "Nessus fixture skipped: ../shared absent"))
    func fixtureSpotChecks() throws {
        let report = try NessusReader().read(path: ScanInputs.nessusFixture(Self.fixture))
        let host = try #require(report.hosts.first)
        #expect(host.ip == "44.228.249.3")
        #expect(host.fqdn == "testphp.vulnweb.com")
        #expect(host.operatingSystem == "Linux Kernel 2.6")
        #expect(host.properties["host-rdns"] == "ec2-44-228-249-3.us-west-2.compute.amazonaws.com")
        #expect(host.properties["patch-summary-total-cves"] == "138")
        #expect(host.properties.count == 43)
        #expect(host.startText == "Wed Mar 23 14:31:51 2022" && host.startTime == 1_648_042_311)
        #expect(host.endTime == 1_648_044_472)
        #expect(report.scanStart == 1_648_042_311 && report.scanEnd == 1_648_044_472)
        #expect(host.location.line == 7598)

        let php = try #require(host.items.first { $0.pluginID == 17797 })
        #expect(php.pluginName == "PHP 5.x < 5.2.2 Multiple vulnerabilities" && php.pluginFamily == "CGI abuses")
        #expect(php.port == 80 && php.serviceName == "www" && php.protocol == "tcp" && php.severity == .high)
        #expect(php.cves == ["CVE-2007-1001", "CVE-2007-1583", "CVE-2007-1649", "CVE-2007-1717", "CVE-2007-1718"])
        #expect(php.bids == ["23105", "23357"])
        #expect(php.cvss3Vector == "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N" && php.cvss3BaseScore == 7.5)
        #expect(php.cvss3TemporalVector == "CVSS:3.0/E:P/RL:O/RC:C" && php.cvss3TemporalScore == 6.7)
        #expect(php.cvssVector == "CVSS2#AV:N/AC:L/Au:N/C:C/I:N/A:N" && php.cvssBaseScore == 7.8)
        #expect(php.cvssTemporalVector == "CVSS2#E:POC/RL:OF/RC:C")
        #expect(php.riskFactor == "High" && php.exploitAvailable == false && php.exploitabilityEase == "No exploit is required")
        #expect(php.patchPublicationDate == ScanDate(year: 2007, month: 5, day: 3))
        #expect(php.vulnPublicationDate == ScanDate(year: 2007, month: 3, day: 23))
        #expect(php.pluginPublicationDate == ScanDate(year: 2012, month: 1, day: 11))
        #expect(php.seeAlso == ["http://www.php.net/releases/5_2_2.php"])

        let unsupported = host.items.filter { $0.pluginID == 58987 }
        #expect(unsupported.count == 2 && unsupported.allSatisfy { $0.severity == .critical && $0.cvss3BaseScore == 10.0 })
        #expect(unsupported.first?.seeAlso == ["http://php.net/eol.php", "https://wiki.php.net/rfc/releaseprocess"])
        #expect(unsupported.first?.xrefs == ["IAVA:0001-A-0581"])

        let cgi = try #require(host.items.first { $0.pluginID == 58988 })
        #expect(cgi.cves == ["CVE-2012-1823"] && cgi.exploitAvailable == true && cgi.exploitabilityEase == "Exploits are available")
        #expect(cgi.exploitFrameworks == ["canvas": "true", "core": "true", "metasploit": "true"])
        #expect(cgi.cvss3Vector == nil && cgi.cvssBaseScore == 7.5)
        #expect(cgi.otherFields["metasploit_name"]?.isEmpty == false)

        let icmp = try #require(host.items.first { $0.pluginID == 10114 })
        #expect(icmp.protocol == "icmp" && icmp.port == 0 && icmp.severity == .info)
        #expect(icmp.cves == ["CVE-1999-0524"] && icmp.cwes == ["200"] && icmp.xrefs == ["CWE:200"])
        #expect(icmp.cvss3Vector == "CVSS:3.0/AV:L/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N" && icmp.cvss3BaseScore == 0.0)
        #expect(icmp.vulnPublicationDate == ScanDate(year: 1995, month: 1, day: 1))

        let cpe = try #require(host.items.first)
        #expect(cpe.pluginID == 45590 && cpe.pluginName == "Common Platform Enumeration (CPE)")
        #expect(cpe.pluginOutput?.hasPrefix("The remote operating system matched the following CPE :") == true)
        #expect(cpe.pluginOutput?.contains("cpe:/o:linux:linux_kernel -> Linux Kernel") == true)
        #expect(cpe.description?.hasSuffix("based on the information available from the scan.") == true)
        #expect(cpe.otherFields["fname"] == ["cpe.nbin"])
    }

    @Test func ownMinimalFile() throws {
        let path = ScanInputs.path("nessus-minimal.nessus")
        let report = try NessusReader().read(path: path)
        #expect(report.diagnostics.isEmpty, "\(report.diagnostics)")
        #expect(report.name == "Weekly internal" && report.policyName == "Internal & DMZ")
        #expect(report.hosts.map(\.name) == ["192.0.2.20", "fileserver.example"])
        let server = report.hosts[0]
        #expect(server.location == FileLocation(file: path, line: 10, column: 1))
        #expect(server.ip == "192.0.2.20" && server.fqdn == "filesrv01.corp.example" && server.hostname == "filesrv01")
        #expect(server.netbiosName == "FILESRV01" && server.macAddress == "00:50:56:aa:bb:cc")
        #expect(server.operatingSystem == "Microsoft Windows Server 2019 Standard")
        #expect(server.properties["Credentialed_Scan"] == "true")
        // No HOST_START_TIMESTAMP here: HOST_START is read as UTC.
        #expect(server.startTime == 1_700_000_000 && server.endTime == 1_700_003_600)
        let eternalBlue = server.items[0]
        #expect(eternalBlue.location == FileLocation(file: path, line: 22, column: 1))
        #expect(eternalBlue.port == 445 && eternalBlue.severity == .critical && eternalBlue.pluginID == 97833)
        #expect(eternalBlue.cves == ["CVE-2017-0143", "CVE-2017-0144", "CVE-2017-0145"])
        #expect(eternalBlue.bids == ["96703"] && eternalBlue.cwes == ["20"] && eternalBlue.xrefs == ["MSFT:MS17-010", "IAVA:2017-A-0065"])
        #expect(eternalBlue.cvssTemporalScore == 8.7 && eternalBlue.cvss3TemporalVector == "CVSS:3.0/E:H/RL:O/RC:C")
        #expect(eternalBlue.cvss4Vector == "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N" && eternalBlue.cvss4BaseScore == 9.2)
        #expect(eternalBlue.exploitFrameworks == ["metasploit": "true", "core": "true"])
        #expect(eternalBlue.description == "The remote Windows host is missing a security update. It is therefore affected by\nmultiple remote code execution vulnerabilities & an information disclosure vulnerability.")
        #expect(eternalBlue.seeAlso == ["https://www.nessus.org/u?68fc8eff", "https://www.nessus.org/u?321523eb"])
        #expect(eternalBlue.pluginOutput == "Sent:\nff534d4225 <SMB_COM_TRANSACTION> & \"PeekNamedPipe\"\nReceived:\nff534d4225 status 0xc0000205")
        let info = server.items[1]
        #expect(info.pluginOutput == "Information about this scan :\n  Nessus version : 10.6.2 — build 20009")
        #expect(info.otherFields["cm:compliance-check-name"] == ["1.1.1 Ensure 'Enforce password history'"])
        let second = report.hosts[1]
        #expect(second.startTime == 1_700_000_100 && second.endTime == 1_700_000_200 && second.ip == "2001:db8::20")
        #expect(second.items.first?.severity == .low && second.items.first?.exploitAvailable == false)
        #expect(report.scanStart == 1_700_000_000 && report.scanEnd == 1_700_003_600)
        #expect(report.itemCount == 3)
    }

    @Test func badValuesAreDiagnosedAndItemsKept() throws {
        let path = ScanInputs.path("nessus-bad-values.nessus")
        let report = try NessusReader().read(path: path)
        let host = try #require(report.hosts.first)
        #expect(host.items.count == 2)
        let first = host.items[0]
        #expect(first.port == nil && first.severity == .high && first.cvss3BaseScore == nil && first.patchPublicationDate == nil && first.exploitAvailable == nil)
        let second = host.items[1]
        #expect(second.severity == nil && second.pluginID == nil && second.cves == ["CVE-2021-44228"])
        #expect(host.startTime == nil && host.endTime == nil)
        let expected: [(Int, Int, String)] = [
            (9, 1, "<ReportItem port=\"https\">: expected a port number 0–65535 (0 for host-level findings)"),
            (11, 1, "<cvss3_base_score> \"12.5\": expected a score 0.0–10.0"),
            (12, 1, "<patch_publication_date> \"2022/13/45\": expected a date YYYY/MM/DD"),
            (13, 1, "<exploit_available> \"maybe\": expected true or false"),
            (9, 1, "<ReportItem severity=\"7\">: expected a severity 0–4 (0 info … 4 critical); using risk_factor High (high)"),
            (15, 1, "<ReportItem pluginID=\"not-a-number\">: expected a numeric plugin ID"),
            (15, 1, "<ReportItem severity=\"x\">: expected a severity 0–4 (0 info … 4 critical); the severity is unknown"),
            (6, 1, "HOST_START \"sometime on Tuesday\": expected a date like \"Wed Mar 23 14:31:51 2022\""),
            (7, 1, "HOST_END_TIMESTAMP \"soon\": expected a Unix time in seconds"),
        ]
        #expect(report.diagnostics == expected.map { Diagnostic(.warning, FileLocation(file: path, line: $0.0, column: $0.1), $0.2) })
    }

    @Test func hostileAndMalformedFilesThrow() {
        let cases: [(String, ScanError.Code, Int, Int, String)] = [
            ("billion-laughs.xml", .entitiesNotRead, 3, 2, "DTD entities are not read: <!DOCTYPE lolz [...]> declares an entity lol in an internal DTD subset"),
            ("parameter-entity.nessus", .entitiesNotRead, 3, 3, "DTD entities are not read: <!DOCTYPE NessusClientData_v2 [...]> declares an external parameter entity %remote"),
            ("xxe-system-entity.xml", .entitiesNotRead, 3, 3, "declares an external entity xxe"),
            ("truncated.nessus", .malformedXML, 78, 1, "unexpected end of file: expected </ReportHost> to close the element opened at 72:1"),
            ("wrong-root.xml", .wrongFormat, 2, 1, "expected a Nessus v2 export (root element <NessusClientData_v2>), found <html>"),
            ("nmap-minimal.xml", .wrongFormat, 5, 1, "found <nmaprun>"),
            ("not-xml.json", .malformedXML, 1, 1, "expected '<' to begin an XML document"),
        ]
        for (file, code, line, column, fragment) in cases {
            let e = ScanInputs.error { try NessusReader().read(path: ScanInputs.path(file)) }
            #expect(e?.code == code, "\(file): \(e?.description ?? "no error")")
            #expect(e?.line == line && e?.column == column, "\(file): \(e?.description ?? "no error")")
            #expect(e?.message.contains(fragment) == true, "\(file): \(e?.description ?? "no error")")
        }
        let v1 = ScanInputs.error { try NessusReader().read(bytes: Array("<NessusClientData><Report/></NessusClientData>".utf8), file: "v1.nessus") }
        #expect(v1?.code == .wrongFormat && v1?.message.hasPrefix("Nessus v1 (<NessusClientData>) is not read") == true)
    }

    @Test func truncatedStreamDeliversTheHostsBeforeTheCut() {
        var names: [String] = []
        let e = ScanInputs.error { try NessusReader().read(path: ScanInputs.path("truncated.nessus")) { names.append($0.name) } }
        #expect(e?.code == .malformedXML)
        #expect(names == ["192.0.2.20"])
    }

    /// A Nessus file made on the fly, host by host, counting the bytes it has handed out: the
    /// reader must deliver each host while at most one chunk past its end has been read.
    final class GeneratedNessus: XMLByteSource {
        let hostCount: Int
        private(set) var produced = 0
        /// Where each host's text ends in the stream.
        private(set) var hostEnds: [Int] = []
        private var pending: [UInt8] = []
        private var pendingOffset = 0
        private var nextHost = 0
        private var finished = false

        init(hosts: Int) { hostCount = hosts }

        private func refill() {
            pending.removeAll(keepingCapacity: true)
            pendingOffset = 0
            if produced == 0 {
                pending = Array("<?xml version=\"1.0\" ?>\n<NessusClientData_v2>\n<Policy><policyName>generated</policyName><Preferences>\(String(repeating: "<preference><name>p</name><value>v</value></preference>\n", count: 200))</Preferences></Policy>\n<Report name=\"stream\">\n".utf8)
            } else if nextHost < hostCount {
                let i = nextHost
                nextHost += 1
                pending = Array("""
                <ReportHost name="10.0.\(i / 256).\(i % 256)"><HostProperties><tag name="host-ip">10.0.\(i / 256).\(i % 256)</tag><tag name="HOST_START_TIMESTAMP">\(1_700_000_000 + i)</tag></HostProperties>
                <ReportItem port="443" svc_name="www" protocol="tcp" severity="3" pluginID="\(100_000 + i % 50)" pluginName="Plugin \(i % 50)" pluginFamily="General"><cve>CVE-2024-\(1000 + i)</cve><cvss3_vector>CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H</cvss3_vector><plugin_output>\(String(repeating: "output line &amp; more\n", count: 20))</plugin_output></ReportItem>
                </ReportHost>

                """.utf8)
                hostEnds.append(produced + pending.count)
            } else if !finished {
                finished = true
                pending = Array("</Report>\n</NessusClientData_v2>\n".utf8)
            }
        }

        func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
            if pendingOffset == pending.count { refill() }
            let n = min(buffer.count, pending.count - pendingOffset)
            guard n > 0 else { return 0 }
            pending.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + pendingOffset, byteCount: n) }
            pendingOffset += n
            produced += n
            return n
        }
    }

    @Test func hostsArriveWhileTheFileIsStillBeingRead() throws {
        let chunk = 16 << 10
        let source = GeneratedNessus(hosts: 1500)
        let reader = XMLPullReader(source: source, file: "generated.nessus", limits: XMLLimits(chunkSize: chunk))
        var seen = 0
        var worstLookahead = 0
        var producedAtFirstHost = 0
        let report = try NessusReader().read(reader) { host in
            #expect(host.items.first?.cves == ["CVE-2024-\(1000 + seen)"])
            let lookahead = source.produced - source.hostEnds[seen]
            worstLookahead = max(worstLookahead, lookahead)
            if seen == 0 { producedAtFirstHost = source.produced }
            seen += 1
        }
        #expect(seen == 1500 && report.hostCount == 1500 && report.itemCount == 1500 && report.hosts.isEmpty)
        #expect(report.policyName == "generated" && report.scanStart == 1_700_000_000 && report.scanEnd == nil)
        // Each host is handed over having read at most one chunk beyond it: the reader never
        // holds more than one chunk of the stream, wherever the stream is.
        #expect(worstLookahead <= chunk)
        #expect(producedAtFirstHost <= 2 * chunk)
        #expect(source.produced > 1_500 * 600)
    }
}
