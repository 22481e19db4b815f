import BulwarkModel
import Foundation
import Testing
import TestSupport

/// `bulwark exposure`, `paths` and `blast-radius` as scripts use them.
@Suite struct AttackCLITests {
    static let lab = "Tests/AttackGraphTests/Inputs/lab"

    @Test func exposureWritesTheContract() throws {
        let r = try CLITests.run(["exposure", Self.lab, "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try JSONParser.parse(r.stdout)
        let principals = try #require(json["principals"]?.array)
        #expect(principals.count == 21)
        let alice = try #require(principals.first { $0["name"]?.string == "ALICE@LAB.LOCAL" })
        #expect(alice["id"]?.string == "S-1-5-21-1000-2000-3000-1101")
        #expect(alice["kind"]?.string == "User" && alice["hops_to_tier_zero"]?.int == 3)
        #expect(alice["next"]?["edge"]?.string == "MemberOf" && alice["next"]?["id"]?.string == "S-1-5-21-1000-2000-3000-1105")
        let da = try #require(principals.first { $0["name"]?.string == "DOMAIN ADMINS@LAB.LOCAL" })
        #expect(da["hops_to_tier_zero"]?.int == 0 && da["next"]?.isNull == true)
        let svc = try #require(principals.first { $0["name"]?.string == "SVC_APP@LAB.LOCAL" })
        #expect(svc["hops_to_tier_zero"]?.isNull == true)
        // In the estate, bob's GenericWrite on alice leads nowhere: he has no session, so no place
        // to use HELPDESK's AdminTo from. Alice, WS01 and WS02 remain.
        let bob = try #require(principals.first { $0["name"]?.string == "BOB@LAB.LOCAL" })
        #expect(bob["hops_to_tier_zero"]?.isNull == true)
        #expect(abs((json["exposure_percent"]?.number ?? 0) - 300.0 / 7) < 1e-9)
        #expect(json["exact"]?.bool == true && json["notes"]?.array?.count == 1)
        // The SharpHound folder alone: identity edges only, as BloodHound counts.
        let bare = try JSONParser.parse(try CLITests.run(["exposure", Self.lab + "/ad", "--format", "json"]).stdout)
        #expect(abs((bare["exposure_percent"]?.number ?? 0) - 400.0 / 7) < 1e-9)
        #expect(bare["principals"]?.array?.first { $0["name"]?.string == "BOB@LAB.LOCAL" }?["hops_to_tier_zero"]?.int == 4)
    }

    @Test func exposureNeedsAnADCollection() throws {
        let r = try CLITests.run(["exposure", Self.lab + "/scans", "--format", "json"])
        #expect(r.status == 2 && r.stdout.isEmpty && r.stderr.contains("no AD collection"))
    }

    @Test func pathsFromTheEntryPointsAsJSON() throws {
        let all = try CLITests.run(["paths", Self.lab, "--to", "db01", "--format", "json"])
        // Routed to the security architect, with the mitigations of the techniques on the way.
        let routed = try JSONParser.parse(all.stdout)["targets"]?.array?.first
        #expect(routed?["lens"]?.string == "cybersecurity" && routed?["role"]?.string == "security-architect")
        #expect(routed?["mitigations"]?.array?.contains { $0["id"]?.string == "M1051" } == true)
        #expect(all.status == 0, "\(all.stderr)")
        // The manifest's entry points: the internet zone, the phished workstation (its AD computer),
        // and the helpdesk's users (alice) with the zone of her session.
        let allJSON = try JSONParser.parse(all.stdout)
        #expect(allJSON["sources"]?.array?.compactMap { $0["id"]?.string }
                == ["zone:internet", "S-1-5-21-1000-2000-3000-1110", "S-1-5-21-1000-2000-3000-1101", "zone:corp"])
        // Each entry point on its own: three steps from each; the phished helpdesk only as likely as the click.
        let byEntry = try #require(allJSON["targets"]?.array?.first?["by_entry_point"]?.array)
        #expect(byEntry.compactMap { $0["entry_point"]?.string } == ["internet", "phish-ws01", "phish-helpdesk"])
        #expect(byEntry.allSatisfy { $0["hops"]?.int == 3 })
        #expect(abs((byEntry[2]["probability"]?.number ?? 0) - 0.1) < 1e-12 && byEntry[0]["probability"]?.number == 1)
        let r = try CLITests.run(["paths", Self.lab, "--to", "db01", "--from", "zone:internet", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try JSONParser.parse(r.stdout)
        let target = try #require(json["targets"]?.array?.first)
        #expect(target["reachable"]?.bool == true && target["hops"]?.int == 3)
        let first = try #require(target["shortest"]?.array?.first)
        #expect(first["step"]?.string == "Exploit" && first["technique"]?.string != nil && first["probability_source"]?.string != nil)
        // The CVE, and the firewall rule that lets the exploit's connection through.
        let facts = first["facts"]?.array?.compactMap(\.string) ?? []
        #expect(facts.contains { $0.hasPrefix("CVE-2021-41773 on tcp/80") })
        #expect(facts.contains { $0.contains("edge.iptables-save:27") && $0.contains("accept") })
        #expect(json["assumptions"]?.array?.isEmpty == false)
    }

    @Test func pathsAndBlastRadiusRefuseUnknownNames() throws {
        let r = try CLITests.run(["paths", Self.lab, "--to", "no-such-host", "--format", "json"])
        #expect(r.status == 2 && r.stdout.isEmpty && r.stderr.contains("no-such-host"))
        let b = try CLITests.run(["blast-radius", Self.lab, "--from", "nobody", "--format", "json"])
        #expect(b.status == 2 && b.stdout.isEmpty && b.stderr.contains("nobody"))
    }

    @Test func blastRadiusAsJSONAndDOT() throws {
        let r = try CLITests.run(["blast-radius", Self.lab, "--from", "ws01", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try JSONParser.parse(r.stdout)
        #expect(json["tier_zero_reached"]?.int == 9)
        let reached = try #require(json["reached"]?.array)
        let da = try #require(reached.first { $0["name"]?.string == "DOMAIN ADMINS@LAB.LOCAL" })
        #expect(da["hops"]?.int == 5 && da["step"]?["step"]?.string == "MemberOf")
        let dot = try CLITests.run(["blast-radius", Self.lab, "--from", "ws01", "--format", "dot"])
        #expect(dot.status == 0 && dot.stdout.hasPrefix("digraph attack {") && dot.stdout.contains("-> \"S-1-5-21-1000-2000-3000-512\""))
    }

    /// The same hop counts as a networkx breadth-first search over the edges `bulwark inventory`
    /// writes, and every witness step checked (Benchmarks/networkx_exposure.py).
    @Test(.enabled(if: AttackCLITests.canCompare, "networkx comparison skipped: needs python3 with networkx and ../shared/fixtures/bloodhound/ad-sample-v6"))
    func exposureAgreesWithNetworkx() throws {
        let sample = TestSupport.sharedRoot + "/fixtures/bloodhound/ad-sample-v6"
        let inventory = try CLITests.run(["inventory", sample, "--format", "json"])
        let exposure = try CLITests.run(["exposure", sample, "--format", "json"])
        #expect(inventory.status == 0 && exposure.status == 0)
        let a = try TestSupport.temporary("inventory.json", inventory.stdout)
        let b = try TestSupport.temporary("exposure.json", exposure.stdout)
        let r = try TestSupport.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", CLITests.root + "/Benchmarks/networkx_exposure.py", a, b])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.hasPrefix("agree: 1479 principals, 202 with a path to Tier Zero"))
    }

    static let canCompare: Bool = FileManager.default.fileExists(atPath: TestSupport.sharedRoot + "/fixtures/bloodhound/ad-sample-v6")
        && (try? TestSupport.runPython("import networkx", []))?.status == 0
}

extension AttackCLITests {
    @Test func whatIfAsJSON() throws {
        let r = try CLITests.run(["whatif", Self.lab, "--remove", "HELPDESK@LAB.LOCAL -AdminTo-> WS02.LAB.LOCAL", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try JSONParser.parse(r.stdout)
        #expect(json["action"]?.string == "remove" && json["edges_affected"]?.int == 1)
        let da = try #require(json["targets"]?.array?.first { $0["target"]?["name"]?.string == "DOMAIN ADMINS@LAB.LOCAL" })
        // Alice (the helpdesk's phished user) is 4 steps away before.
        #expect(da["changed"]?.bool == true && da["before"]?["hops"]?.int == 4 && da["after"]?["reachable"]?.bool == false)
        #expect(json["exposure"]?["principals_changed"]?.int == 2)
        let bad = try CLITests.run(["whatif", Self.lab, "--add", "patch something", "--format", "json"])
        #expect(bad.status == 2 && bad.stdout.isEmpty && bad.stderr.contains("patch CVE"))
    }
}

extension AttackCLITests {
    /// Without the rule that lets the office browse the DMZ, the phished workstation no longer
    /// exploits web01 on its way to APP01: it takes the helpdesk's RDP, one step longer.
    @Test func whatIfARuleWereNotThere() throws {
        let r = try CLITests.run(["whatif", Self.lab, "--remove", "rule edge:20", "--from", "ws01", "--to", "app01", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try JSONParser.parse(r.stdout)
        #expect(json["control"]?.string?.contains("office to the web site") == true)
        let app = try #require(json["targets"]?.array?.first)
        #expect(app["before"]?["hops"]?.int == 2 && app["after"]?["hops"]?.int == 3 && app["changed"]?.bool == true)
        #expect(app["after"]?["shortest"]?.array?.last?["step"]?.string == "CanRDP")
        // By chain and position: corp-out's first rule is line 20.
        let byPosition = try JSONParser.parse(try CLITests.run(["whatif", Self.lab, "--remove", "rule edge:corp-out:1", "--from", "ws01", "--to", "app01", "--format", "json"]).stdout)
        #expect(byPosition["targets"]?.array?.first?["after"]?["hops"]?.int == 3)
        for bad in ["rule edge:3", "rule nowhere:20", "rule edge", "rule edge:corp-out:99"] {
            let b = try CLITests.run(["whatif", Self.lab, "--remove", bad, "--format", "json"])
            #expect(b.status == 2 && b.stdout.isEmpty, "\(bad)")
        }
    }
}

@Suite struct RiskCLITests {
    @Test func quantifyWritesEachRowsAnnualizedLoss() throws {
        let csv = try TestSupport.temporary("risks.csv", "Identifier,Name,Probability,Low_loss,High_loss\nbreach,Customer data breach,0.01,1000000,10000000\nsmall,Small,0.1,1,10\n")
        let r = try CLITests.run(["risk", "quantify", csv, "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try JSONParser.parse(r.stdout)
        let rows = try #require(json["scenarios"]?.array)
        #expect(rows.compactMap { $0["identifier"]?.string } == ["breach", "small"])
        #expect(((rows[0]["annualized_loss"]?.number ?? 0) / 100).rounded() * 100 == 40_400)
        #expect(abs((rows[1]["annualized_loss"]?.number ?? 0) - 0.40400128269457) / 0.40400128269457 < 1e-9)
        let bad = try CLITests.run(["risk", "quantify", try TestSupport.temporary("bad.csv", "not,a,risk,file\n"), "--format", "json"])
        #expect(bad.status == 2 && bad.stdout.isEmpty && bad.stderr.contains("riskquant"))
    }
}

extension RiskCLITests {
    static let hasPyfair: Bool = (try? TestSupport.runPython("import pyfair", []))?.status == 0

    /// The same FAIR scenarios through pyfair (PyPI) and `bulwark risk simulate --pert moments`:
    /// means within five standard errors, 95th percentiles within 3% (Benchmarks/pyfair_compare.py).
    @Test(.enabled(if: RiskCLITests.hasPyfair, "pyfair comparison skipped: needs python3 with pyfair"))
    func simulateAgreesWithPyfair() throws {
        let csv = try TestSupport.temporary("fair.csv", """
            Identifier,Name,LEF_low,LEF_mode,LEF_high,LM_low,LM_mode,LM_high
            breach,Customer data breach,0.05,0.2,1,50000,400000,5000000
            ransom,Ransomware,0.1,0.5,2,100000,250000,1000000
            outage,Outage,1,4,12,1000,5000,20000

            """)
        let r = try CLITests.run(["risk", "simulate", csv, "--pert", "moments", "--trials", "100000", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let out = try TestSupport.temporary("sim.json", r.stdout)
        let cmp = try TestSupport.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", CLITests.root + "/Benchmarks/pyfair_compare.py", csv, out])
        #expect(cmp.status == 0 && cmp.stdout.hasPrefix("agree: 3 scenarios"), "\(cmp.stdout)\(cmp.stderr)")
    }

    @Test func simulateIsReproducible() throws {
        let csv = try TestSupport.temporary("fair.csv", "Identifier,Name,LEF_low,LEF_mode,LEF_high,LM_low,LM_mode,LM_high\na,A,0.1,0.5,2,100,200,1000\n")
        let a = try JSONParser.parse(try CLITests.run(["risk", "simulate", csv, "--trials", "5000", "--seed", "9", "--format", "json"]).stdout)
        let b = try JSONParser.parse(try CLITests.run(["risk", "simulate", csv, "--trials", "5000", "--seed", "9", "--format", "json"]).stdout)
        #expect(a["total"] == b["total"] && a["total"]?["annualized_loss"]?.number != nil)
        #expect(a["loss_exceedance"]?.array?.isEmpty == false)
    }
}

extension RiskCLITests {
    @Test func controlsAreRankedWithTheirFrameworks() throws {
        let r = try CLITests.run(["risk", "controls", AttackCLITests.lab, "--trials", "5000", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try JSONParser.parse(r.stdout)
        let first = try #require(json["controls"]?.array?.first)
        #expect(first["kind"]?.string == "block" && first["value"]?.number == json["annualized_loss"]?.number)
        #expect(first["mitigations"]?.array?.compactMap { $0["id"]?.string } == ["M1037", "M1030"])
        #expect(first["csf"]?.array?.compactMap(\.string) == ["PR.IR-01"] && first["annex_a"]?.array?.compactMap(\.string) == ["8.20", "8.22"])
        let fix = try JSONParser.parse(try CLITests.run(["remediate", AttackCLITests.lab, "--format", "json"]).stdout)
        let change = try #require(fix["changes"]?.array?.first)
        #expect(change["mitigations"]?.array?.isEmpty == false && change["annex_a"]?.array?.isEmpty == false)
    }
}

extension AttackCLITests {
    /// The four questions for a rule that blocks nothing but lets the internet in (its value is
    /// negative), and for an AD right on the register's most likely way (it removes 30% of the loss).
    @Test func whyAnswersTheFourQuestions() throws {
        let rule = try JSONParser.parse(try CLITests.run(["why", Self.lab, "rule edge:27", "--trials", "5000", "--format", "json"]).stdout)
        #expect(rule["kind"]?.string == "filter" && rule["architecture"]?["layer"]?.string == "network")
        #expect((rule["risk"]?["value"]?.number ?? 0) < 0 && rule["risk"]?["annualized_loss_without"]?.number == 0)
        #expect(rule["architecture"]?["boundary"]?.string?.contains("network firewall edge") == true)
        let right = try JSONParser.parse(try CLITests.run(["why", Self.lab, "SVC_APP@LAB.LOCAL -AdminTo-> DB01.LAB.LOCAL", "--trials", "5000", "--format", "json"]).stdout)
        let without = try #require(right["risk"]?["annualized_loss_without"]?.number), value = try #require(right["risk"]?["value"]?.number)
        #expect(abs(value - 0.3 * without) < 1e-9 * without)
        #expect(right["kind"]?.string == "right" && right["architecture"]?["annex_a"]?.array?.isEmpty == false)
        #expect(right["risk"]?["alternatives"]?.array?.first?["control"]?.string?.hasPrefix("block") == true)
        let bad = try CLITests.run(["why", Self.lab, "rule edge:3", "--format", "json"])
        #expect(bad.status == 2 && bad.stdout.isEmpty)
        // The same rule by firewall, chain and position (the 1st rule of inet-in is line 27).
        let byPosition = try JSONParser.parse(try CLITests.run(["why", Self.lab, "edge:inet-in:1", "--trials", "5000", "--format", "json"]).stdout)
        #expect(byPosition["risk"]?["value"]?.number == rule["risk"]?["value"]?.number)
        // A fact in place, by its manifest line as `bulwark controls` names it: the tested offline
        // backup of db01 keeps ransomware off the customer records' availability.
        let backup = try JSONParser.parse(try CLITests.run(["why", Self.lab, "fact:71", "--trials", "5000", "--format", "json"]).stdout)
        #expect(backup["kind"]?.string == "backup" && (backup["risk"]?["value"]?.number ?? 0) > 1e8)
        #expect(backup["architecture"]?["annex_a"]?.array?.first?.string == "8.13")
        let noFact = try CLITests.run(["why", Self.lab, "fact:3", "--format", "json"])
        #expect(noFact.status == 2 && noFact.stdout.isEmpty && noFact.stderr.contains("no fact"))
    }
}
