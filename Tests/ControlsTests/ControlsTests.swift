import AttackGraph
import BulwarkModel
import Controls
import Estate
import Findings
import Foundation
import Frameworks
import Identity
import Inventory
import NetworkReach
import Risk
import Testing
import TestSupport

/// The lab estate of the attack-graph tests, copied so a test may change it.
enum LabCopy {
    static let path = TestSupport.projectRoot + "/Tests/AttackGraphTests/Inputs/lab"

    struct Loaded {
        var inventory: Inventory
        var engine: ReachabilityEngine
        var graph: AttackGraph
        var oracle: ConditionOracle?
        var records: [ControlRecord]
    }

    /// A copy of the lab with `edit` applied to its files (path relative to the lab → new text).
    static func copy(_ edit: (inout [String: String]) -> Void = { _ in }) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bulwark-controls-\(UUID().uuidString)").path
        try FileManager.default.copyItem(atPath: path, toPath: dir)
        var files: [String: String] = [:]
        for name in ["bulwark.yaml", "firewalls/edge.iptables-save"] {
            files[name] = try String(contentsOfFile: dir + "/" + name, encoding: .utf8)
        }
        edit(&files)
        for (name, text) in files { try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
        return dir
    }

    static func load(_ dir: String) throws -> Loaded {
        let inventory = try InventoryBuilder.build(dir)
        let manifest = try #require(inventory.manifest)
        let network = try EstateNetwork(manifest: manifest)
        let engine = ReachabilityEngine(network: network)
        let builder = AttackGraphBuilder(inventory: inventory, engine: engine)
        let graph = builder.build()
        let records = ControlInventory.build(manifest: manifest, inventory: inventory, network: network)
        return Loaded(inventory: inventory, engine: engine, graph: graph, oracle: builder.oracle(), records: records)
    }

    /// The register's simulated annual loss of an estate folder, as `bulwark risk register` gives it.
    static func registerLoss(_ dir: String, trials: Int, seed: UInt64) throws -> Double {
        let l = try load(dir)
        let entries = RiskRegister.build(graph: l.graph, manifest: try #require(l.inventory.manifest), oracle: l.oracle).entries
        return entries.isEmpty ? 0 : MonteCarlo.simulate(entries.map(\.scenario), trials: trials, seed: seed).total.mean
    }
}

@Suite struct ControlInventoryTests {
    @Test func everyFilterRuleIsAControlAtItsLine() throws {
        let lab = try LabCopy.load(LabCopy.path)
        let file = try String(contentsOfFile: LabCopy.path + "/firewalls/edge.iptables-save", encoding: .utf8)
        let lines = file.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let ruleLines = lines.indices.filter { lines[$0].hasPrefix("-A ") }
        let rules = lab.records.filter { $0.kind == .rule }
        #expect(rules.count == ruleLines.count)
        for r in rules {
            let evidence = try #require(r.evidence.first)
            let line = try #require(Int(evidence.split(separator: ":").last ?? ""))
            #expect(lines[line - 1] == r.name, "\(r.id)")
            #expect(r.status == .implemented && r.routing.mitigations == ["M1037", "M1030"] && r.routing.role == .firewallAdministrator)
        }
        // Named as `bulwark why` takes them: FIREWALL:CHAIN:POSITION.
        #expect(rules.contains { $0.id == "edge:FORWARD:2" && $0.name == "-A FORWARD -m conntrack --ctstate INVALID -j DROP" })
    }

    @Test func missingPatchesAreTheCVEsFound() throws {
        let lab = try LabCopy.load(LabCopy.path)
        let patches = lab.records.filter { $0.kind == .patch }
        #expect(Set(patches.map(\.id)) == ["patch CVE-2021-41773 on web01", "patch CVE-2020-1938 on app01",
                                           "patch CVE-2019-9193 on db01", "patch CVE-2021-36934 on ws01"])
        #expect(patches.allSatisfy { $0.status == .notImplemented && $0.evidence.first?.contains("lab.nessus:") == true })
        #expect(patches.first { $0.id.contains("CVE-2021-41773") }?.notes.contains("on CISA's known exploited vulnerabilities list") == true)
    }

    @Test func factsAreControlsWithStatusAndNotes() throws {
        let dir = try LabCopy.copy { files in
            files["bulwark.yaml"] = files["bulwark.yaml"]!.replacingOccurrences(of: "facts:\n", with: """
                facts:
                  - { kind: backup, applies-to: [app01], offline: false, owner: ops }
                  - { kind: control, framework: iso27001, id: A.6.3, status: implemented, owner: HR, evidence: LMS report 2026-Q3 }
                  - { kind: control, framework: iso27001, id: "8.30", status: not-applicable, justification: no software is developed outside }
                  - { kind: control, framework: nist-csf, id: RS.MA-01, status: planned }

                """)
        }
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let lab = try LabCopy.load(dir)
        let byName = Dictionary(lab.records.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let partial = try #require(lab.records.first { $0.kind == .backup && $0.owner == "ops" })
        #expect(partial.status == .partial && partial.notes.contains { $0.contains("neither offline nor immutable") } && partial.notes.contains { $0.contains("no restore test") })
        let tested = try #require(lab.records.first { $0.kind == .backup && $0.owner == nil })
        #expect(tested.status == .implemented)
        let mfa = try #require(lab.records.first { $0.kind == .mfa })
        #expect(mfa.status == .implemented && mfa.notes.contains { $0.contains("not phishing-resistant") })
        let training = try #require(byName["iso27001:A.6.3"])
        #expect(training.name == "Security awareness and training" && training.owner == "HR")
        #expect(training.routing.annexA == ["6.3"] && training.routing.mitigations == ["M1017"] && training.routing.csf.contains("PR.AT-01"))
        #expect(training.evidence.contains("LMS report 2026-Q3"))
        #expect(byName["iso27001:8.30"]?.status == .notApplicable)
        #expect(byName["nist-csf:RS.MA-01"]?.routing.csf == ["RS.MA-01"])
    }
}

@Suite struct ApplicabilityTests {
    func record(_ id: String, _ kind: ControlRecord.Kind, _ status: EstateManifest.ControlStatus, annexA: [String], notes: [String] = []) -> ControlRecord {
        ControlRecord(id: id, kind: kind, name: id, status: status, evidence: ["\(id):1"],
                      routing: Routing(lens: .itSecurity, role: .systemAdministrator, domain: .securityOperations, mitigations: [], csf: [], annexA: annexA),
                      notes: notes)
    }

    @Test func eachAnnexAControlIsDecidedFromAttestationsThenExports() throws {
        let records = [
            record("r1", .rule, .implemented, annexA: ["8.20", "8.22"]),
            record("p1", .patch, .notImplemented, annexA: ["8.8"]),
            record("p2", .patch, .implemented, annexA: ["8.8"]),
            record("b1", .backup, .notImplemented, annexA: ["8.13"]),
            record("iso27001:8.30", .attested, .notApplicable, annexA: ["8.30"], notes: ["nothing is developed outside"]),
            record("iso27001:5.7", .attested, .implemented, annexA: ["5.7"]),
            record("iso27001:8.8", .attested, .implemented, annexA: ["8.8"]),
        ]
        let soa = Dictionary(Applicability.statement(records).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(soa.count == 93)
        #expect(soa["8.20"]?.implemented == .yes && soa["8.20"]?.applicable == true && soa["8.20"]?.evidence == ["r1:1"])
        #expect(soa["8.13"]?.implemented == Implementation.no)
        #expect(soa["8.30"]?.applicable == false && soa["8.30"]?.justification.contains("nothing is developed outside") == true)
        #expect(soa["5.7"]?.implemented == .yes && soa["5.7"]?.justification.hasPrefix("attested implemented") == true)
        // Evidence beats the claim: attested implemented, but a patch is missing.
        #expect(soa["8.8"]?.implemented == .partial && soa["8.8"]?.notes.first?.contains("p1") == true)
        #expect(soa["6.1"]?.implemented == .unknown && soa["6.1"]?.applicable == true)
        // Without the attestation, one patch in place and one missing is partial.
        let technical = Dictionary(Applicability.statement(Array(records.prefix(3))).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(technical["8.8"]?.implemented == .partial)
        #expect(Applicability.csfCoverage(records).count == CSF.bundled.subcategories.count)

        // Findings that show a control falling short: segmentation violations against 8.22.
        let gap = ControlGap(annexA: ["8.22", "8.20"], csf: ["PR.IR-01"], description: "corp → ot: tcp/502 is open", evidence: "bulwark.yaml:40")
        let withGaps = Dictionary(Applicability.statement(records, gaps: [gap]).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(withGaps["8.22"]?.implemented == .partial && withGaps["8.22"]?.evidence.contains("bulwark.yaml:40") == true)
        #expect(withGaps["8.22"]?.notes.first?.contains("corp → ot") == true)
        let csf = Dictionary(Applicability.csfCoverage([], gaps: [gap]).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(csf["PR.IR-01"]?.implemented == Implementation.no && csf["PR.AA-01"]?.implemented == .unknown)
    }
}

@Suite struct ManifestControlKeysTests {
    func load(_ extra: String) throws -> (EstateManifest?, [Diagnostic]) {
        let dir = try LabCopy.copy { files in
            files["bulwark.yaml"] = files["bulwark.yaml"]!.replacingOccurrences(of: "\ninventory:", with: "\n" + extra + "\ninventory:")
        }
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = EstateLoader.load(dir)
        return (result.manifest, result.diagnostics)
    }

    @Test func treatmentsAreReadAndChecked() throws {
        let (m, d) = try load("""
            treatments:
              - { asset: customer-records, objective: availability, decision: accept, owner: CFO, record: MEMO-7, reason: restore tested, decided: 2026-10-02, review: 2027-10-02 }
              - { asset: customer-records, decision: transfer, owner: CFO, reason: cyber insurance }
            """)
        let manifest = try #require(m, "\(d)")
        #expect(manifest.treatment(of: "customer-records", .availability)?.decision == .accept)
        #expect(manifest.treatment(of: "customer-records", .availability)?.record == "MEMO-7")
        #expect(manifest.treatment(of: "customer-records", .confidentiality)?.decision == .transfer)
        #expect(manifest.treatment(of: "customer-records", .confidentiality)?.review == nil)

        let (dup, dd) = try load("""
            treatments:
              - { asset: customer-records, decision: accept, owner: CFO, record: M1 }
              - { asset: customer-records, decision: mitigate, owner: CISO }
            """)
        #expect(dup == nil && dd.contains { $0.message.contains("a second treatment for customer-records") })
        let (unknown, ud) = try load("treatments:\n  - { asset: payroll, decision: accept, owner: CFO }\n")
        #expect(unknown == nil && ud.contains { $0.message.contains("unknown information asset 'payroll'") })
        let (noRecord, nd) = try load("treatments:\n  - { asset: customer-records, decision: accept, owner: CFO }\n")
        #expect(noRecord != nil && nd.contains { $0.severity == .warning && $0.message.contains("needs a 'record'") })
        let (badDecision, bd) = try load("treatments:\n  - { asset: customer-records, decision: ignore, owner: CFO }\n")
        #expect(badDecision == nil && !bd.isEmpty)
    }
}

@Suite struct RegisterTreatmentTests {
    @Test func eachScenarioCarriesItsTreatmentAndStrayTreatmentsAreSaid() throws {
        let dir = try LabCopy.copy { files in
            files["bulwark.yaml"] = files["bulwark.yaml"]!.replacingOccurrences(of: "\ninventory:", with: """

                treatments:
                  - { asset: customer-records, objective: confidentiality, decision: transfer, owner: CFO, record: POLICY-4711, reason: cyber insurance }
                  - { asset: customer-records, objective: availability, decision: accept, owner: CFO, record: MEMO-1 }
                inventory:
                """)
        }
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let lab = try LabCopy.load(dir)
        let (entries, notes) = RiskRegister.build(graph: lab.graph, manifest: try #require(lab.inventory.manifest), oracle: lab.oracle)
        let c = try #require(entries.first { $0.objective == .confidentiality })
        #expect(c.treatment?.decision == .transfer && c.treatment?.record == "POLICY-4711")
        #expect(entries.first { $0.objective == .integrity }.map { $0.treatment == nil } == true)
        // Availability is kept out of the register by the tested offline backup: its treatment names nothing.
        #expect(notes.contains { $0.contains("customer-records/availability") && $0.contains("names no scenario") })
    }
}

@Suite struct LognormalRegisterTests {
    /// An asset whose loss range is read as a lognormal (5th and 95th percentiles): the scenario's
    /// magnitude is riskquant's, and the simulation converges on probability × E[attempts] × mean.
    @Test func aLognormalLossRangeIsDrawnAsOne() throws {
        let dir = try LabCopy.copy { files in
            files["bulwark.yaml"] = files["bulwark.yaml"]!.replacingOccurrences(
                of: "loss: { min: 200000, most-likely: 1000000, max: 5000000, currency: EUR }",
                with: "loss: { min: 200000, most-likely: 1000000, max: 5000000, currency: EUR, distribution: lognormal }")
        }
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let lab = try LabCopy.load(dir)
        let entries = RiskRegister.build(graph: lab.graph, manifest: try #require(lab.inventory.manifest), oracle: lab.oracle).entries
        let c = try #require(entries.first { $0.objective == .confidentiality })
        let expected = try #require(LognormalLoss(low: 200_000, high: 5_000_000))
        #expect(c.scenario.magnitude == .lognormal(expected))
        // Internet: probability 1, attempts PERT(12, 52, 365) with mean 97.5.
        #expect(abs(c.scenario.expectedAnnualLoss - 97.5 * expected.mean) < 1e-6 * expected.mean)
        let run = MonteCarlo.simulate([c.scenario], trials: 200_000, seed: 11)
        let s = run.scenarios[0].statistics
        #expect(abs(s.mean - c.scenario.expectedAnnualLoss) < 5 * s.standardError)
    }
}

@Suite struct InPlaceValueTests {
    static let trials = 4_000

    @Test func aBackupIsWorthTheLossItKeepsAway() throws {
        let lab = try LabCopy.load(LabCopy.path)
        let result = InPlaceValue.rank(.init(inventory: lab.inventory, engine: lab.engine, graph: lab.graph, oracle: lab.oracle),
                                       records: lab.records, trials: Self.trials, seed: 7)
        let backup = try #require(result.values.first { $0.kind == .backup })
        // Independently: the estate's files without the fact.
        let dir = try LabCopy.copy { files in
            files["bulwark.yaml"] = files["bulwark.yaml"]!.replacingOccurrences(of: "  - { kind: backup, applies-to: [db01], offline: true, tested: 2026-10-01 }\n", with: "")
        }
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let without = try LabCopy.registerLoss(dir, trials: Self.trials, seed: 7)
        let with = try LabCopy.registerLoss(LabCopy.path, trials: Self.trials, seed: 7)
        #expect(backup.lossWithout == without && backup.lossWith == with)
        #expect(backup.value > 0 && backup.expectedValue > 0)
        #expect(result.exact)
    }

    /// A rule that matters: plain HTTP to web01 (where its exploitable CVE listens) dropped before
    /// the rule that publishes the web site; the internet, the only entry point with a frequency,
    /// then has no way in. And a rule that does not: the DMZ may not reach the database's
    /// PostgreSQL, before a broad rule that lets web01 reach the servers (web01 reaches the
    /// database another way with probability 1 already).
    static func labWithRules(keepWebRule: Bool) throws -> String {
        try LabCopy.copy { files in
            var text = files["firewalls/edge.iptables-save"]!
            if keepWebRule {
                text = text.replacingOccurrences(of: "-A inet-in -d 192.0.2.10/32 -o eth1", with: "-A inet-in -d 192.0.2.10/32 -p tcp -m tcp --dport 80 -j DROP\n-A inet-in -d 192.0.2.10/32 -o eth1")
            }
            text = text.replacingOccurrences(of: "-A dmz-out -j log-drop\n", with: "-A dmz-out -d 10.20.10.5/32 -p tcp -m tcp --dport 5432 -j DROP\n-A dmz-out -s 192.0.2.10/32 -d 10.20.0.0/16 -o eth3 -j ACCEPT\n-A dmz-out -j log-drop\n")
            files["firewalls/edge.iptables-save"] = text
        }
    }

    @Test func aRuleIsWorthWhatTakingItOutOfTheFileOpens() throws {
        let dir = try Self.labWithRules(keepWebRule: true)
        let bare = try Self.labWithRules(keepWebRule: false)
        defer {
            try? FileManager.default.removeItem(atPath: dir)
            try? FileManager.default.removeItem(atPath: bare)
        }
        let lab = try LabCopy.load(dir)
        let result = InPlaceValue.rank(.init(inventory: lab.inventory, engine: lab.engine, graph: lab.graph, oracle: lab.oracle),
                                       records: lab.records, trials: Self.trials, seed: 3)
        let rule = try #require(result.values.first { $0.control == "edge:inet-in:1" })
        #expect(rule.name == "-A inet-in -d 192.0.2.10/32 -p tcp -m tcp --dport 80 -j DROP")
        let without = try LabCopy.registerLoss(bare, trials: Self.trials, seed: 3)
        #expect(rule.lossWithout == without && rule.lossWith == 0 && rule.value > 1e8)
        #expect(result.values.first?.control == rule.control)

        // Every other dropping rule is worth nothing: taken out of the file one at a time, the
        // register does not move (checked here without the screen or the group test).
        let with = try LabCopy.registerLoss(dir, trials: Self.trials, seed: 3)
        let file = try String(contentsOfFile: dir + "/firewalls/edge.iptables-save", encoding: .utf8)
        let lines = file.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (k, line) in lines.enumerated() where line.hasPrefix("-A ") && (line.hasSuffix("-j DROP") || line.contains("-j REJECT")) && k + 1 != lineOf(rule) {
            var edited = lines
            edited[k] = ""
            let copy = try LabCopy.copy { files in files["firewalls/edge.iptables-save"] = edited.joined(separator: "\n") }
            defer { try? FileManager.default.removeItem(atPath: copy) }
            #expect(try LabCopy.registerLoss(copy, trials: Self.trials, seed: 3) == with, "line \(k + 1): \(line)")
            let valued = result.values.first { $0.evidence.first?.hasSuffix(":\(k + 1)") == true }
            #expect(valued == nil || valued?.value == 0)
        }
        #expect(result.exact)
    }

    func lineOf(_ v: InPlaceValue) -> Int { Int(v.evidence.first?.split(separator: ":").last ?? "") ?? 0 }
}

@Suite struct TierZeroRightsTests {
    static let sample = TestSupport.sharedRoot + "/fixtures/bloodhound/ad-sample-v6"
    static let hasSample = FileManager.default.fileExists(atPath: sample)

    /// The real SharpHound sample: rights on Tier Zero objects held outside Tier Zero are controls
    /// (the access control that lets them stand) and findings for the identity administrator.
    @Test(.enabled(if: TierZeroRightsTests.hasSample, "Tier Zero rights on the SharpHound sample skipped: ../shared absent"))
    func rightsOnTierZeroAreControlsAndFindings() throws {
        let inventory = try InventoryBuilder.build(Self.sample)
        let identity = try #require(inventory.identity)
        let records = ControlInventory.build(manifest: nil, inventory: inventory, network: nil).filter { $0.kind == .right }
        #expect(records.contains { $0.id == "SVC_PAYADMIN@PHANTOM.CORP -AddMember-> DOMAIN ADMINS@PHANTOM.CORP" })
        // Each is an edge of the collection into Tier Zero from outside it.
        for r in records {
            let parts = r.id.components(separatedBy: " -")
            let from = try #require(identity.principals.firstIndex { ($0.name.isEmpty ? $0.id : $0.name) == parts[0] })
            let rest = parts[1].components(separatedBy: "-> ")
            let to = try #require(identity.principals.firstIndex { ($0.name.isEmpty ? $0.id : $0.name) == rest[1] })
            #expect(identity.isTierZero(Int32(to)) && !identity.isTierZero(Int32(from)), "\(r.id)")
            #expect(identity.edges(from: identity.principals[from].id).contains { $0.target == Int32(to) && $0.kind.name == rest[0] }, "\(r.id)")
        }
        let findings = FindingSources.tierZeroRights(records)
        #expect(findings.count == records.count && findings.allSatisfy { $0.severity == .high && $0.routing.role == .identityAdministrator })
        #expect(findings.allSatisfy { $0.rule == "identity/right-on-tier-zero" && $0.routing.mitigations == ["M1026", "M1018"] })
    }
}
