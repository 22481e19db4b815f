import BulwarkModel
import Foundation
import TestSupport
import Testing

/// `bulwark network` as a CI gate and a report generator: exit statuses, the JSON contract, SARIF
/// locations on the offending rule lines, the heat-map page.
@Suite struct NetworkCLITests {
    static let chain = "Tests/NetworkReachTests/Inputs/chain"
    static let cloud = "Tests/NetworkReachTests/Inputs/cloud"

    static func run(_ arguments: [String]) throws -> TestSupport.Run { try CLITests.run(arguments) }

    @Test func checkFailsOnViolationsWithTheRulesResponsible() throws {
        let r = try Self.run(["network", "check", Self.chain, "--format", "json"])
        #expect(r.status == 1, "\(r.stderr)")
        let json = try JSONParser.parse(r.stdout)
        #expect(json["schema_version"]?.string == "1.0.0")
        #expect(json["passed"]?.bool == false)
        let violations = try #require(json["violations"]?.array)
        let lan = try #require(violations.first { $0["from"]?.string == "outside" && $0["to"]?.string == "lan" })
        #expect(lan["kind"]?.string == "forbidden-flow-open")
        #expect(lan["services"]?.array?.compactMap(\.string) == ["tcp/3389,5432"])
        #expect(lan["policy"]?["line"]?.int == 39)
        let hops = try #require(lan["paths"]?.array?.first?["hops"]?.array)
        #expect(hops.first?["decided_by"]?.array?.first?["line"]?.int == 15)
    }

    @Test func checkSARIFPointsAtTheRuleLines() throws {
        let r = try Self.run(["network", "check", Self.chain, "--format", "sarif"])
        #expect(r.status == 1)
        let json = try JSONParser.parse(r.stdout)
        let results = try #require(json["runs"]?.array?.first?["results"]?.array)
        let vault = try #require(results.first { $0["properties"]?["from"]?.string == "outside" && $0["properties"]?["to"]?.string == "vault" })
        #expect(vault["ruleId"]?.string == "network/forbidden-flow-open")
        #expect(vault["level"]?.string == "error")
        let places = (vault["locations"]?.array ?? []).map { "\($0["physicalLocation"]?["artifactLocation"]?["uri"]?.string ?? ""):\($0["physicalLocation"]?["region"]?["startLine"]?.int ?? 0)" }
        #expect(places.contains("Tests/NetworkReachTests/Inputs/chain/edge.iptables-save:15"))
        #expect(places.contains("Tests/NetworkReachTests/Inputs/chain/core.nft.json:1"))
        #expect(vault["relatedLocations"] == nil, "outside → vault has no policy rule, the default denies")
    }

    @Test func checkPassesWhenOnlyRequiredFlowsArePartlyOpen() throws {
        let r = try Self.run(["network", "check", Self.cloud, "--format", "text"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("required-flow-partly-open"))
    }

    @Test func matrixAsHeatMapAndJSON() throws {
        let html = try Self.run(["network", "matrix", Self.chain, "--service", "tcp/5432", "--service", "ssh", "--format", "html"])
        #expect(html.status == 0)
        #expect(html.stdout.hasPrefix("<!DOCTYPE html>"))
        #expect(html.stdout.contains("<h2>tcp/5432</h2>") && html.stdout.contains("<h2>tcp/22</h2>"))
        #expect(html.stdout.contains("class=\"some\""))
        let json = try JSONParser.parse(try Self.run(["network", "matrix", Self.chain, "--service", "rdp", "--format", "json"]).stdout)
        let cells = try #require(json["cells"]?.array)
        #expect(cells.count == 12)
        let rdp = try #require(cells.first { $0["from"]?.string == "outside" && $0["to"]?.string == "lan" })
        #expect(rdp["reach"]?.string == "some")
        #expect(rdp["reachable_hosts"]?.array?.compactMap(\.string) == ["app"])
        #expect(rdp["witness"]?["dport"]?.int == 3389)
    }

    @Test func pathListsEveryWay() throws {
        let r = try Self.run(["network", "path", Self.chain, "--from", "outside", "--to", "vault", "--service", "tcp/5432", "--format", "json"])
        #expect(r.status == 0)
        let answer = try #require(try JSONParser.parse(r.stdout)["answer"])
        let paths = try #require(answer["paths"]?.array)
        #expect(paths.count == 6)
        #expect(paths.filter { $0["passes"]?.bool == true }.count == 1)
        #expect(paths.first?["via"]?.array?.compactMap(\.string) == ["edge", "core"])
        let bad = try Self.run(["network", "path", Self.chain, "--from", "outside", "--to", "nowhere", "--service", "ssh"])
        #expect(bad.status != 0 && bad.stdout.isEmpty)
    }

    @Test func unusableEstateExitsTwoWithNothingWritten() throws {
        let manifest = try TestSupport.temporary("bulwark.yaml", "version: 1\nzones: [\n")
        let r = try Self.run(["network", "check", manifest, "--format", "json"])
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("bulwark.yaml"))
    }

    /// Every network document validates against docs/schema/network.schema.json, and the check's
    /// SARIF against the official 2.1.0 schema (python3 with jsonschema, as CI installs it).
    @Test(.enabled(if: (try? TestSupport.runPython("import jsonschema", []))?.status == 0, "schema validation skipped: needs python3 with jsonschema"),
          arguments: [
            ["network", "matrix", chain, "--service", "tcp/5432", "--service", "icmp/8", "--format", "json"],
            ["network", "matrix", cloud, "--format", "json"],
            ["network", "check", chain, "--format", "json"],
            ["network", "check", cloud, "--format", "json"],
            ["network", "path", chain, "--from", "outside", "--to", "vault", "--service", "postgresql", "--format", "json"],
          ])
    func outputValidatesAgainstItsSchema(arguments: [String]) throws {
        let r = try Self.run(arguments)
        #expect(r.status == 0 || r.status == 1, "\(r.stderr)")
        let out = try TestSupport.temporary("out.json", r.stdout)
        let check = try TestSupport.runPython("""
            import json, sys, jsonschema
            jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))
            print("valid")
            """, [TestSupport.projectRoot + "/docs/schema/network.schema.json", out])
        #expect(check.status == 0, "\(check.stderr)")
    }

    @Test(.enabled(if: CLITests.canValidateSARIF, "SARIF schema validation skipped: needs ../shared/fixtures/sarif and python3 with jsonschema"))
    func checkSARIFValidatesAgainstTheSchema() throws {
        let r = try Self.run(["network", "check", Self.chain, "--format", "sarif"])
        let sarif = try TestSupport.temporary("out.sarif", r.stdout)
        let check = try TestSupport.runPython("""
            import json, sys, jsonschema
            jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))
            print("valid")
            """, [TestSupport.sharedRoot + "/fixtures/sarif/sarif-schema-2.1.0.json", sarif])
        #expect(check.status == 0, "\(check.stderr)")
    }
}
