import BulwarkModel
import Foundation
import Scans
import Testing

@Suite struct NmapReaderTests {
    /// What the fixtures README says of each file, plus the format version and the totals nmap
    /// wrote in `<runstats>`.
    struct Expected: Sendable, CustomTestStringConvertible {
        var file: String
        var version: String
        var xmlOutputVersion: String
        var hosts: Int
        var up: Int
        var openPorts: Int
        /// Ports whose service has a product name.
        var products: Int
        var osMatches: Int
        /// Port and host scripts.
        var scripts: Int
        var preAndPostScripts: Int
        var testDescription: String { file }
    }

    static let fixtures: [Expected] = [
        Expected(file: "fullscan.xml", version: "6.40-2", xmlOutputVersion: "1.04", hosts: 256, up: 2, openPorts: 9, products: 4, osMatches: 0, scripts: 22, preAndPostScripts: 0),
        Expected(file: "full_sudo6.xml", version: "6.40-2", xmlOutputVersion: "1.04", hosts: 256, up: 4, openPorts: 12, products: 7, osMatches: 7, scripts: 23, preAndPostScripts: 0),
        Expected(file: "dionaea_scan.xml", version: "7.91", xmlOutputVersion: "1.05", hosts: 1, up: 1, openPorts: 16, products: 7, osMatches: 1, scripts: 55, preAndPostScripts: 7),
        Expected(file: "os_scan6.xml", version: "6.40-2", xmlOutputVersion: "1.04", hosts: 256, up: 3, openPorts: 11, products: 0, osMatches: 8, scripts: 0, preAndPostScripts: 0),
        Expected(file: "1_os_banner_scripts.xml", version: "5.51", xmlOutputVersion: "1.03", hosts: 1, up: 1, openPorts: 8, products: 5, osMatches: 0, scripts: 6, preAndPostScripts: 0),
    ]

    @Test(.enabled(if: ScanInputs.hasNmapFixtures, "nmap fixtures skipped: ../shared absent"), arguments: fixtures)
    func fixtureCounts(_ e: Expected) throws {
        let scan = try NmapReader().read(path: ScanInputs.nmapFixture(e.file))
        #expect(scan.scanner == "nmap")
        #expect(scan.version == e.version)
        #expect(scan.xmlOutputVersion == e.xmlOutputVersion)
        #expect(scan.hosts.count == e.hosts && scan.hostCount == e.hosts)
        #expect(scan.hosts.filter(\.isUp).count == e.up)
        #expect(scan.hostTotals == NmapHostTotals(up: e.up, down: e.hosts - e.up, total: e.hosts))
        #expect(scan.hosts.map { $0.openPorts.count }.reduce(0, +) == e.openPorts)
        #expect(scan.hosts.flatMap(\.ports).filter { $0.service?.product != nil }.count == e.products)
        #expect(scan.hosts.map { $0.osMatches.count }.reduce(0, +) == e.osMatches)
        #expect(scan.hosts.map { $0.ports.map(\.scripts.count).reduce(0, +) + $0.hostScripts.count }.reduce(0, +) == e.scripts)
        #expect(scan.preScripts.count + scan.postScripts.count == e.preAndPostScripts)
        #expect(scan.exitStatus == "success")
        #expect(scan.diagnostics.isEmpty, "\(scan.diagnostics)")
    }

    @Test(.enabled(if: ScanInputs.hasNmapFixtures, "nmap fixtures skipped: ../shared absent"))
    func oldFormatKeepsClassesUnderOS() throws {
        let scan = try NmapReader().read(path: ScanInputs.nmapFixture("1_os_banner_scripts.xml"))
        let host = try #require(scan.hosts.first)
        #expect(scan.startTime == 1_368_156_682 && scan.finishedTime == 1_368_156_706 && scan.elapsedSeconds == 24.19)
        #expect(scan.arguments == "nmap -sV -O -oX /tmp/out.xml --script http-headers,http-methods --script-trace 127.0.0.1")
        #expect(scan.scanInfo == [NmapScanInfo(type: "syn", protocol: "tcp", serviceCount: 1000, services: scan.scanInfo.first?.services ?? "")])
        #expect(host.ipv4 == "127.0.0.1")
        #expect(host.state == "up" && host.reason == "localhost-response")
        #expect(host.hostnames == [NmapHostname(name: "localhost", type: "PTR")])
        #expect(host.extraPorts == [NmapExtraPorts(state: "closed", count: 992, reasons: [NmapExtraReason(reason: "resets", count: 992)])])
        let ssh = try #require(host.ports.first { $0.number == 22 })
        #expect(ssh.protocol == "tcp" && ssh.state == "open" && ssh.reason == "syn-ack" && ssh.reasonTTL == 64)
        #expect(ssh.service == NmapService(name: "ssh", product: "OpenSSH", version: "5.3", extraInfo: "protocol 2.0", method: "probed", confidence: 10))
        let http = try #require(host.ports.first { $0.number == 80 })
        #expect(http.service?.product == "Apache httpd" && http.service?.version == "2.2.15" && http.service?.extraInfo == "(CentOS) PHP/5.3.3")
        #expect(http.scripts.first?.id == "http-methods")
        #expect(http.scripts.first?.output.hasPrefix("GET HEAD POST OPTIONS TRACE\nPotentially risky methods: TRACE") == true)
        // xmloutputversion 1.03: osclass elements sit directly under <os>, with no osmatch.
        #expect(host.osMatches.isEmpty)
        #expect(host.osClasses.count == 9)
        #expect(host.osClasses.first == NmapOSClass(type: "WAP", vendor: "Netgear", family: "embedded", generation: nil, accuracy: 96, cpes: []))
        #expect(host.osClasses[1].generation == "2.6.X")
        #expect(host.portsUsed.count == 3 && host.portsUsed[2] == NmapPortUsed(state: "closed", protocol: "udp", number: 31666))
        #expect(host.osFingerprint?.hasPrefix("OS:SCAN(V=5.51%D=5/10%OT=22%CT=1%CU=31666") == true)
        #expect(host.uptimeSeconds == 241_792 && host.lastBoot == "Tue May  7 10:21:54 2013")
        #expect(host.distance == 0)
        #expect(host.roundTripTime == 180 && host.roundTripVariance == 84 && host.timeout == 100_000)
    }

    @Test(.enabled(if: ScanInputs.hasNmapFixtures, "nmap fixtures skipped: ../shared absent"))
    func newFormatNestsClassesAndCPEs() throws {
        let scan = try NmapReader().read(path: ScanInputs.nmapFixture("dionaea_scan.xml"))
        let host = try #require(scan.hosts.first)
        #expect(host.ipv4 == "172.28.1.3")
        #expect(host.mac == NmapAddress(address: "02:42:AC:1C:01:03", type: .mac))
        #expect(host.hostnames == [NmapHostname(name: "dionaea", type: "user"), NmapHostname(name: "dionaea.libnmap-testing_testing_net", type: "PTR")])
        #expect(host.extraPorts.first?.count == 65_519)
        let mysql = try #require(host.ports.first { $0.number == 3306 })
        #expect(mysql.service?.product == "MySQL" && mysql.service?.version == "5.7.16")
        #expect(mysql.service?.cpes == ["cpe:/a:mysql:mysql:5.7.16"])
        #expect(host.ports.first { $0.number == 443 }?.service?.tunnel == "ssl")
        #expect(host.ports.first { $0.number == 11211 }?.service?.extraInfo == "uptime 132 seconds")
        #expect(host.ports.first { $0.number == 21 }?.service?.deviceType == "storage-misc")
        // product="" means no product.
        #expect(host.ports.first { $0.number == 1723 }?.service?.product == nil)
        #expect(host.osMatches == [NmapOSMatch(name: "Linux 4.15 - 5.6", accuracy: 100, line: 67241, classes: [
            NmapOSClass(type: "general purpose", vendor: "Linux", family: "Linux", generation: "4.X", accuracy: 100, cpes: ["cpe:/o:linux:linux_kernel:4"]),
            NmapOSClass(type: "general purpose", vendor: "Linux", family: "Linux", generation: "5.X", accuracy: 100, cpes: ["cpe:/o:linux:linux_kernel:5"]),
        ])])
        #expect(host.osClasses.isEmpty)
        // Script structure: elements, nested tables, text written directly inside <script>.
        let clockSkew = try #require(host.hostScripts.first { $0.id == "clock-skew" })
        #expect(clockSkew.output == "mean: -35m03s, deviation: 42m12s, median: -1h04m54s")
        #expect(clockSkew.elements == [.elem(key: "mean", value: "-2103"), .elem(key: "count", value: "2"), .elem(key: "median", value: "-3894"), .elem(key: "stddev", value: "2532")])
        let fcrdns = try #require(host.hostScripts.first { $0.id == "fcrdns" })
        #expect(fcrdns.elements == [.table(key: "dionaea.libnmap-testing_testing_net", [.elem(key: "status", value: "pass"), .table(key: "addresses", [.elem(key: nil, value: "172.28.1.3")])])])
        #expect(host.hostScripts.first { $0.id == "msrpc-enum" }?.elements == [.elem(key: nil, value: "false")])
        #expect(host.hostScripts.first { $0.id == "ms-sql-info" }?.value(forKey: "number") == "8.00.528.00")
        let vulners = try #require(host.ports.first { $0.number == 11211 }?.scripts.first { $0.id == "vulners" })
        guard case .table(let cpe, let entries)? = vulners.elements.first else { Issue.record("vulners has no table"); return }
        #expect(cpe == "cpe:/a:memcached:memcached:1.4.25" && entries.count == 6)
        #expect(entries.first == .table(key: nil, [.elem(key: "type", value: "cve"), .elem(key: "cvss", value: "7.5"), .elem(key: "is_exploit", value: "false"), .elem(key: "id", value: "CVE-2016-8705")]))
        #expect(vulners.output.contains("\tCVE-2016-8705\t7.5\thttps://vulners.com/cve/CVE-2016-8705\n"))
        #expect(scan.preScripts.map(\.id).first == "broadcast-igmp-discovery" && scan.postScripts.count == 1)
        #expect(host.trace.first?.ttl == 1)
    }

    @Test(.enabled(if: ScanInputs.hasNmapFixtures, "nmap fixtures skipped: ../shared absent"))
    func versionDetectionSpotChecks() throws {
        let full = try NmapReader().read(path: ScanInputs.nmapFixture("fullscan.xml"))
        let h4 = try #require(full.hosts.first { $0.ipv4 == "192.168.1.4" })
        let ssh = try #require(h4.ports.first { $0.number == 22 })
        #expect(ssh.service == NmapService(name: "ssh", product: "OpenSSH", version: "5.9p1 Debian 5ubuntu1", extraInfo: "Ubuntu Linux; protocol 2.0",
                                           osType: "Linux", method: "probed", confidence: 10, cpes: ["cpe:/a:openbsd:openssh:5.9p1", "cpe:/o:linux:linux_kernel"]))
        #expect(ssh.scripts.first?.id == "ssh-hostkey")
        #expect(ssh.scripts.first?.elements.count == 3)
        #expect(h4.ports.first { $0.number == 80 }?.service?.cpes == ["cpe:/a:apache:http_server:2.2.22"])
        let router = try #require(full.hosts.first { $0.ipv4 == "192.168.1.1" })
        #expect(router.ports.first { $0.number == 443 }?.scripts.map(\.id) == ["http-methods", "http-title", "ssl-cert", "ssl-date", "ssl-known-key", "sslv2"])
        #expect(router.ports.first { $0.number == 80 }?.service?.fingerprint?.hasPrefix("SF-Port80-TCP:V=6.40-2%I=7%D=5/8%Time=536BF8E5") == true)
        #expect(full.hosts.filter { !$0.isUp }.allSatisfy { $0.state == "down" && $0.ports.isEmpty })

        let sudo = try NmapReader().read(path: ScanInputs.nmapFixture("full_sudo6.xml"))
        let gateway = try #require(sudo.hosts.first { $0.ipv4 == "192.168.1.1" })
        #expect(gateway.mac == NmapAddress(address: "6C:2E:85:19:AF:00", type: .mac, vendor: "Sagemcom"))
        #expect(gateway.osMatches.first?.name == "Linux 2.6.13 (embedded)")
        #expect(gateway.osMatches.first?.classes.first?.cpes == ["cpe:/o:linux:linux_kernel:2.6.13"])
        #expect(gateway.uptimeSeconds == 1_989_200 && gateway.distance == 1)
        let windows = try #require(sudo.hosts.first { $0.ipv4 == "192.168.1.5" })
        #expect(windows.osMatches.count == 5)
        #expect(windows.osMatches[3].classes.count == 3)
        #expect(windows.ports.first { $0.number == 2869 }?.service == NmapService(
            name: "http", product: "Microsoft HTTPAPI httpd", version: "2.0", extraInfo: "SSDP/UPnP", osType: "Windows",
            method: "probed", confidence: 10, cpes: ["cpe:/o:microsoft:windows"]))
    }

    @Test func ownMinimalFile() throws {
        let scan = try NmapReader().read(path: ScanInputs.path("nmap-minimal.xml"))
        #expect(scan.diagnostics.isEmpty, "\(scan.diagnostics)")
        #expect(scan.startTime == 1_700_000_000 && scan.startText == "Tue Nov 14 22:13:20 2023")
        #expect(scan.hosts.count == 2 && scan.hostTotals == NmapHostTotals(up: 1, down: 1, total: 2))
        let web = scan.hosts[0]
        #expect(web.location == FileLocation(file: ScanInputs.path("nmap-minimal.xml"), line: 12, column: 1))
        #expect(web.ipv6 == "2001:db8::10")
        #expect(web.mac?.vendor == "Acme & Sons")
        #expect(web.hostnames.map(\.name) == ["web01.example.com", "web01.corp.example"])
        #expect(web.extraPorts.first?.reasons == [NmapExtraReason(reason: "reset", count: 997, protocol: "tcp", ports: "1-21,23-79,81-442,444-65535")])
        #expect(web.ports.map(\.number) == [22, 80, 443, 161])
        #expect(web.ports[3].protocol == "udp" && web.ports[3].state == "open|filtered")
        #expect(web.openPorts.count == 3)
        #expect(web.ports[0].service?.cpes == ["cpe:/a:openbsd:openssh:8.9p1", "cpe:/o:linux:linux_kernel"])
        #expect(web.ports[0].scripts.first?.elements.count == 2)
        #expect(web.ports[1].scripts.first?.output == "Welcome <b>home</b> & more")
        #expect(web.ports[1].scripts.first?.elements == [.elem(key: "title", value: "Welcome <b>home</b> & more")])
        #expect(web.osMatches.map(\.accuracy) == [98, 91])
        #expect(web.osMatches[1].classes.map(\.type) == ["router", "general purpose"])
        #expect(web.hostScripts.map(\.id) == ["clock-skew", "smb-vuln-ms17-010"])
        #expect(web.trace == [NmapHop(ttl: 1, address: "192.0.2.10", roundTripMilliseconds: 0.42, host: "web01.corp.example")])
        #expect(scan.hosts[1].state == "down" && scan.hosts[1].reason == "no-response")
    }

    @Test func streamingHandsOverHostsOneByOne() throws {
        var addresses: [String] = []
        let scan = try NmapReader().read(path: ScanInputs.path("nmap-minimal.xml")) { addresses.append($0.ipv4 ?? "") }
        #expect(addresses == ["192.0.2.10", "192.0.2.11"])
        #expect(scan.hosts.isEmpty && scan.hostCount == 2)
    }

    @Test func badValuesAreDiagnosedAndSkippedOrKept() throws {
        let path = ScanInputs.path("nmap-bad-values.xml")
        let scan = try NmapReader().read(path: path)
        let host = try #require(scan.hosts.first)
        // The two ports without a usable number are skipped; the others are kept.
        #expect(host.ports.map(\.number) == [443, 8080])
        #expect(host.ports[0].reasonTTL == nil && host.ports[0].service?.confidence == nil && host.ports[0].service?.name == "https")
        #expect(host.osMatches.first?.name == "Linux" && host.osMatches.first?.accuracy == nil)
        #expect(host.distance == nil)
        #expect(scan.startTime == nil)
        let expected: [(Diagnostic.Severity, Int, Int, String)] = [
            (.warning, 2, 1, "<nmaprun start=\"yesterday\">: expected a Unix time in seconds"),
            (.error, 6, 1, "<port portid=\"http\">: expected a port number 0–65535; the port is skipped"),
            (.error, 7, 1, "<port portid=\"70000\">: expected a port number 0–65535; the port is skipped"),
            (.warning, 8, 35, "<state reason_ttl=\"-1\">: expected a TTL 0–255"),
            (.warning, 8, 72, "<service conf=\"11\">: expected a confidence 0–10"),
            (.warning, 9, 1, "<port portid=\"8080\"> without protocol: expected tcp, udp, sctp or ip"),
            (.note, 9, 42, "<weird-element> in <port> is not read (skipped; later ones are not reported)"),
            (.warning, 11, 5, "<osmatch accuracy=\"high\">: expected a percentage 0–100"),
            (.warning, 12, 1, "<distance value=\"many\">: expected a hop count 0–255"),
            (.note, 13, 1, "<quantum-state> in <host> is not read (skipped; later ones are not reported)"),
        ]
        #expect(scan.diagnostics == expected.map { Diagnostic($0.0, FileLocation(file: path, line: $0.1, column: $0.2), $0.3) })
    }

    @Test func hostileAndMalformedFilesThrow() {
        let cases: [(String, ScanError.Code, Int, Int, String)] = [
            ("xxe-system-entity.xml", .entitiesNotRead, 3, 3, "DTD entities are not read: <!DOCTYPE nmaprun [...]> declares an external entity xxe"),
            ("undefined-entity.xml", .entitiesNotRead, 4, 34, "undefined entity &passwd; — DTD entities are not read"),
            ("mismatched-tag.xml", .malformedXML, 6, 1, "mismatched end tag: expected </ports> to close the element opened at 5:1, found </host>"),
            ("truncated-in-tag.xml", .malformedXML, 23, 130, "unexpected end of file"),
            ("deep-nesting.xml", .limitExceeded, 3, 3550, "elements nested deeper than 512 levels (limit maxDepth)"),
            ("invalid-utf8.xml", .invalidEncoding, 5, 31, "invalid UTF-8 (a sequence starting with byte 0xE9)"),
            ("wrong-root.xml", .wrongFormat, 2, 1, "expected nmap XML output (root element <nmaprun>), found <html>"),
            ("not-xml.json", .malformedXML, 1, 1, "expected '<' to begin an XML document, found '{'"),
            ("nessus-minimal.nessus", .wrongFormat, 2, 1, "expected nmap XML output (root element <nmaprun>), found <NessusClientData_v2>"),
        ]
        for (file, code, line, column, fragment) in cases {
            let e = ScanInputs.error { try NmapReader().read(path: ScanInputs.path(file)) }
            #expect(e?.code == code, "\(file): \(e?.description ?? "no error")")
            #expect(e?.line == line && e?.column == column, "\(file): \(e?.description ?? "no error")")
            #expect(e?.message.contains(fragment) == true, "\(file): \(e?.description ?? "no error")")
        }
    }
}
