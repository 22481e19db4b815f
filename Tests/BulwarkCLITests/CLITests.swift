import BulwarkModel
import Foundation
import TestSupport
import Testing

/// The command line as a script or a CI job uses it: exit statuses, what goes to standard output
/// and standard error, and the JSON contract.
@Suite struct CLITests {
    static var root: String { TestSupport.projectRoot }

    /// The `bulwark` binary built next to the test bundle.
    static let binary: URL = {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [dir, dir.deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent("bulwark")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return URL(fileURLWithPath: root + "/.build/debug/bulwark")
    }()

    static func run(_ arguments: [String]) throws -> TestSupport.Run {
        try TestSupport.run(binary, arguments, in: root)
    }

    static func temporary(_ name: String, _ text: String) throws -> String { try TestSupport.temporary(name, text) }

    @Test func analyzeWritesTheJSONContract() throws {
        let r = try Self.run(["firewall", "analyze", "Examples/acme-edge.iptables-save", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try JSONParser.parse(r.stdout)
        #expect(json["schema_version"]?.string == "1.0.0")
        let findings = try #require(json["findings"]?.array)
        let dead = try #require(findings.first { $0["kind"]?.string == "dead" && $0["chain"]?.string == "INPUT" })
        #expect(dead["rule"]?.int == 7)
        #expect(dead["line"]?.int == 30)
        #expect(dead["exact"]?.bool == true)
        #expect(dead["covered_by"]?.array?.first?["rule"]?.int == 6)
        #expect(findings.contains { $0["kind"]?.string == "redundant" })
        #expect(findings.contains { $0["kind"]?.string == "over-permissive" && $0["severity"]?.string == "critical" })
        // A dead rule is not also reported redundant.
        let deadKeys = Set(findings.filter { $0["kind"]?.string == "dead" }.map { "\($0["chain"]!.string!) \($0["rule"]!.int!)" })
        let redundantKeys = Set(findings.filter { $0["kind"]?.string == "redundant" }.map { "\($0["chain"]!.string!) \($0["rule"]!.int!)" })
        #expect(deadKeys.isDisjoint(with: redundantKeys))
    }

    @Test func failOnSetsTheExitStatus() throws {
        #expect(try Self.run(["firewall", "analyze", "Examples/acme-edge.iptables-save", "--format", "json", "--fail-on", "high"]).status == 1)
        let clean = try Self.temporary("clean.iptables-save", "*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT DROP [0:0]\n-A INPUT -s 10.0.0.0/8 -p tcp -m tcp --dport 22 -j ACCEPT\nCOMMIT\n")
        let r = try Self.run(["firewall", "analyze", clean, "--format", "json", "--fail-on", "low"])
        #expect(r.status == 0, "\(r.stdout)")
        #expect(try Self.run(["firewall", "analyze", clean, "--fail-on", "severe"]).status != 0)
    }

    @Test func unusableInputExitsTwoAndWritesNothing() throws {
        let junk = try Self.temporary("junk.txt", "this is not a firewall\n")
        for args in [["firewall", "analyze", junk, "--format", "json"], ["firewall", "analyze", "/nonexistent/file"],
                     ["firewall", "query", junk, "--chain", "INPUT", "--src", "1.2.3.4", "--dst", "5.6.7.8"]] {
            let r = try Self.run(args)
            #expect(r.status == 2, "\(args)")
            #expect(r.stdout.isEmpty)
            #expect(!r.stderr.isEmpty)
        }
    }

    @Test func badLinesStillAnalyseAndExitZero() throws {
        let r = try Self.run(["firewall", "analyze", "Tests/FirewallTests/Inputs/broken.iptables-save", "--format", "json"])
        #expect(r.status == 0)
        let json = try JSONParser.parse(r.stdout)
        let diagnostics = try #require(json["diagnostics"]?.array)
        #expect(diagnostics.contains { $0["line"]?.int == 9 && $0["severity"]?.string == "error" && $0["column"]?.int == 13 })
        #expect(json["findings"]?.array?.contains { $0["exact"]?.bool == false } == true)
    }

    @Test func queryOnePacket() throws {
        let r = try Self.run(["firewall", "query", "Examples/acme-edge.iptables-save", "--chain", "FORWARD", "--in", "eth2", "--out", "eth1",
                              "--src", "10.20.40.5", "--dst", "172.16.1.20", "--proto", "tcp", "--dport", "5432", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try JSONParser.parse(r.stdout)
        #expect(json["verdict"]?.string == "ACCEPT")
        #expect(json["decided_by"]?["chain"]?.string == "FORWARD")
        #expect(json["decided_by"]?["rule"]?.int == 5)
        #expect(json["exact"]?.bool == true)
        let text = try Self.run(["firewall", "query", "Examples/acme-edge.iptables-save", "--chain", "INPUT", "--in", "eth0",
                                 "--src", "8.8.8.8", "--dst", "198.51.100.1", "--dport", "23", "--format", "text"])
        #expect(text.stdout.contains("DROP") && text.stdout.contains("LOG_DROP rule 2"))
    }

    @Test func queryPacketLinesInOrder() throws {
        let lines = """
            {"src": "10.20.40.5", "dst": "172.16.1.20", "proto": "tcp", "sport": 40000, "dport": 5432}
            not json
            {"src": "8.8.8.8", "dst": "172.16.1.10", "proto": "tcp", "dport": 443, "in": "eth0", "out": "eth1"}
            {"src": "8.8.8.8", "dst": "::1", "proto": "tcp"}

            {"src": "10.20.1.1", "dst": "8.8.8.8", "proto": "udp", "dport": 53}
            """
        let packets = try Self.temporary("p.jsonl", lines + "\n")
        let r = try Self.run(["firewall", "query", "Examples/acme-edge.iptables-save", "--chain", "FORWARD", "--in", "eth2", "--out", "eth1", "--packets", packets])
        #expect(r.status == 0)
        let answers = r.stdout.split(separator: "\n").map { try? JSONParser.parse(String($0)) }
        #expect(answers.count == 5)
        #expect(answers[0]?["verdict"]?.string == "ACCEPT" && answers[0]?["dport"]?.int == 5432)
        #expect(answers[1]?["error"]?.string?.contains("line 2") == true)
        // The line's own interfaces win over the command's.
        #expect(answers[2]?["decided_by"]?["chain"]?.string == "DMZ_IN")
        #expect(answers[3]?["error"] != nil)
        #expect(answers[4]?["verdict"]?.string == "DROP")
        #expect(answers[4]?["matched"]?.array?.isEmpty == false)
    }

    @Test func matrixGivesEveryPair() throws {
        let r = try Self.run(["firewall", "matrix", "Examples/acme-edge.iptables-save", "--zones", "Examples/acme-zones.yaml", "--service", "tcp/22", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try JSONParser.parse(r.stdout)
        let cells = try #require(json["cells"]?.array)
        #expect(cells.count == 4 * 3 - 0)
        let lanToDmz = try #require(cells.first { $0["from"]?.string == "lan" && $0["to"]?.string == "dmz" })
        #expect(lanToDmz["reach"]?.string == "all")
        #expect(lanToDmz["witness"]?["decided_by"]?["rule"]?.int == 5)
        let internetToLan = try #require(cells.first { $0["from"]?.string == "internet" && $0["to"]?.string == "lan" })
        #expect(internetToLan["reach"]?.string == "none")
        let badZones = try Self.temporary("zones.yaml", "zones:\n  lan: [10.0.0.0/33]\n")
        let bad = try Self.run(["firewall", "matrix", "Examples/acme-edge.iptables-save", "--zones", badZones, "--service", "tcp/22"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains(":2:") && bad.stderr.contains("address or network"))
    }

    static let canValidateSARIF: Bool = {
        FileManager.default.fileExists(atPath: CLITests.root + "/../shared/fixtures/sarif/sarif-schema-2.1.0.json")
            && ((try? runPython("import jsonschema", []))?.status == 0)
    }()

    /// SARIF validates against the official 2.1.0 schema (python3 with jsonschema, as CI installs it).
    @Test(.enabled(if: CLITests.canValidateSARIF,
                   "SARIF schema validation skipped: needs ../shared/fixtures/sarif and python3 with jsonschema"))
    func sarifValidatesAgainstTheSchema() throws {
        let r = try Self.run(["firewall", "analyze", "Examples/acme-edge.iptables-save", "--format", "sarif"])
        #expect(r.status == 0)
        let sarif = try Self.temporary("out.sarif", r.stdout)
        let check = try Self.runPython("""
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1])); doc = json.load(open(sys.argv[2]))
            jsonschema.validate(doc, schema)
            print("valid", len(doc["runs"][0]["results"]))
            """, [Self.root + "/../shared/fixtures/sarif/sarif-schema-2.1.0.json", sarif])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.hasPrefix("valid"))
    }

    /// The analysis JSON validates against its own documented schema.
    @Test(.enabled(if: (try? CLITests.runPython("import jsonschema", []))?.status == 0, "schema validation skipped: needs python3 with jsonschema"),
          arguments: ["Examples/acme-edge.iptables-save", "Tests/FirewallTests/Inputs/broken.iptables-save",
                      "Tests/FirewallTests/Inputs/constructs.iptables-save", "Tests/FirewallTests/Inputs/v6.ip6tables-save"])
    func analysisValidatesAgainstItsSchema(file: String) throws {
        let r = try Self.run(["firewall", "analyze", file, "--format", "json", "--all-pairs"])
        #expect(r.status == 0)
        let out = try Self.temporary("out.json", r.stdout)
        let check = try Self.runPython("""
            import json, sys, jsonschema
            jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))
            print("valid")
            """, [Self.root + "/docs/schema/firewall-analysis.schema.json", out])
        #expect(check.status == 0, "\(check.stderr)")
    }

    static func runPython(_ script: String, _ arguments: [String]) throws -> TestSupport.Run {
        try TestSupport.runPython(script, arguments)
    }
}
