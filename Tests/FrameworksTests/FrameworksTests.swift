@testable import AttackGraph
import BulwarkModel
import Foundation
import Frameworks
import Identity
import Testing
import TestSupport

@Suite struct FrameworksTests {
    @Test func theBundledATTACKTableHoldsTheEnterpriseMatrix() throws {
        let a = ATTACK.bundled
        #expect(a.techniques.count == 691 && a.mitigations.count == 44 && a.tactics.count == 14)
        #expect(a.mitigates.values.reduce(0) { $0 + $1.count } == 1445)
        #expect(a.techniques["T1021.002"]?.name == "SMB/Windows Admin Shares" && a.techniques["T1021.002"]?.tactics == ["lateral-movement"])
        #expect(a.mitigations["M1037"]?.name == "Filter Network Traffic" && a.mitigations["M1032"]?.name == "Multi-factor Authentication")
        #expect(a.tactics["lateral-movement"]?.id == "TA0008")
        // SMB admin shares: privileged account management, password policies, limiting access to
        // resources over the network, filtering network traffic (ATT&CK v18.1).
        #expect(a.mitigations(of: "T1021.002").map(\.id) == ["M1026", "M1027", "M1035", "M1037"])
    }

    /// Every technique a step of the attack graph names is a live technique of the bundled ATT&CK.
    @Test func everyTechniqueTheAttackGraphNamesExists() {
        let a = ATTACK.bundled
        var ids = [Techniques.exploitPublicFacing, Techniques.exploitRemoteService]
        ids += AttackGraph.AssetImpact.allCases.map(Techniques.dataAccess)
        ids += EdgeKind.allCases.compactMap(Techniques.identity)
        for id in Set(ids) { #expect(a.techniques[id] != nil, "\(id) is not in ATT&CK \(a.version)") }
    }

    @Test func theBundledCSFTableHoldsTheLiveOutcomes() {
        let c = CSF.bundled
        #expect(c.functions.map(\.id) == ["GV", "ID", "PR", "DE", "RS", "RC"])
        #expect(c.categories.count == 22 && c.subcategories.count == 106)
        #expect(c["PR.AA-05"]?.text.lowercased().contains("access permissions") == true)
        #expect(c["PR.PT-03"] == nil)  // a withdrawn CSF 1.1 subcategory
    }

    /// The committed tables are exactly what the scripts make from the fixtures.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: TestSupport.sharedRoot + "/fixtures/attack/enterprise-attack-subset.json"),
                   "table regeneration skipped: ../shared/fixtures/attack and nist-csf are absent"))
    func theTablesAreTheScriptsOutput() throws {
        let root = TestSupport.projectRoot, fixtures = TestSupport.sharedRoot + "/fixtures"
        let attack = try TestSupport.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", root + "/scripts/make-attack-table.py",
                                                                                fixtures + "/attack/enterprise-attack-subset.json", fixtures + "/attack/LICENSE-ATTACK.txt"])
        let committedAttack = try String(contentsOfFile: root + "/Sources/Frameworks/ATTACKTable.swift", encoding: .utf8)
        #expect(attack.status == 0 && attack.stdout == committedAttack)
        let csf = try TestSupport.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", root + "/scripts/make-csf-table.py", fixtures + "/nist-csf/NIST_CSF_v2.0_catalog-min.json"])
        let committedCSF = try String(contentsOfFile: root + "/Sources/Frameworks/CSFTable.swift", encoding: .utf8)
        #expect(csf.status == 0 && csf.stdout == committedCSF)
    }
}

@Suite struct ControlKindTests {
    /// Every mapping points at a live ATT&CK mitigation, a live CSF 2.0 subcategory and an Annex A id.
    @Test func everyMappingExists() {
        let annex = Set(AnnexA.ids)
        #expect(annex.count == 93)
        for kind in ControlKind.allCases {
            #expect(!kind.mitigations.isEmpty && !kind.csf.isEmpty && !kind.annexA.isEmpty)
            for m in kind.mitigations { #expect(ATTACK.bundled.mitigations[m] != nil, "\(kind): \(m)") }
            for c in kind.csf { #expect(CSF.bundled[c] != nil, "\(kind): \(c)") }
            for a in kind.annexA { #expect(annex.contains(a), "\(kind): \(a)") }
        }
        #expect(ATTACK.bundled.mitigations["M1037"]?.name == "Filter Network Traffic" && ATTACK.bundled.mitigations["M1051"]?.name == "Update Software")
        #expect(ControlKind(change: "block") == .filter && ControlKind(change: "membership") == .membership && ControlKind(change: "nonsense") == nil)
    }

    /// Annex A: the 93 controls in their four themes, each with a title of Bulwark's own, a CISSP
    /// domain, and mappings that point at live ATT&CK mitigations and CSF 2.0 subcategories.
    @Test func annexAIsTheNinetyThreeControlsWithLiveMappings() {
        let themes = Dictionary(grouping: AnnexA.controls, by: \.theme).mapValues(\.count)
        #expect(themes == [.organizational: 37, .people: 8, .physical: 14, .technological: 34])
        #expect(Set(AnnexA.ids).count == 93 && AnnexA.controls.allSatisfy { !$0.title.isEmpty })
        #expect(Set(AnnexA.controls.map(\.title)).count == 93)
        for id in AnnexA.ids {
            let (m, c) = AnnexA.mapping(of: id)
            for x in m { #expect(ATTACK.bundled.mitigations[x] != nil, "\(id): \(x)") }
            for x in c { #expect(CSF.bundled[x] != nil, "\(id): \(x)") }
        }
        #expect(AnnexA["8.20"]?.title == "Networks secured" && AnnexA["5.99"] == nil)
        #expect(AnnexA.domain(of: "8.22") == .communicationAndNetworkSecurity && AnnexA.domain(of: "5.16") == .identityAndAccessManagement)
        #expect(AnnexA.domain(of: "6.3") == .securityAndRiskManagement && AnnexA.domain(of: "8.28") == .softwareDevelopmentSecurity)
        #expect(AnnexA.mapping(of: "8.8").mitigations == ["M1051"] && AnnexA.mapping(of: "6.3").csf == ["PR.AT-01", "PR.AT-02"])
    }
}
