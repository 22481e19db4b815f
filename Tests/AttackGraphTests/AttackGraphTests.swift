import AttackGraph
import BulwarkModel
import Estate
import Foundation
import Identity
@testable import Inventory
import NetworkReach
import Testing
import TestSupport

/// The lab estate (Inputs/make-lab.py): an internet-facing web server with a KEV-listed CVE, a
/// Tomcat app server behind it, a crown-jewel database, a domain with a helpdesk group that
/// administers a workstation where a domain admin is logged on, and an edge firewall that lets
/// corp reach app01 only on RDP.
enum Lab {
    static let path = TestSupport.projectRoot + "/Tests/AttackGraphTests/Inputs/lab"

    struct Loaded: @unchecked Sendable {
        var inventory: Inventory
        var graph: AttackGraph
        var oracle: ConditionOracle?
        var engine: ReachabilityEngine?
    }

    static func load(network: Bool = true) throws -> Loaded {
        let inventory = try InventoryBuilder.build(path)
        var engine: ReachabilityEngine?
        if network, let manifest = inventory.manifest {
            engine = ReachabilityEngine(network: try EstateNetwork(manifest: manifest))
        }
        let builder = AttackGraphBuilder(inventory: inventory, engine: engine)
        return Loaded(inventory: inventory, graph: builder.build(), oracle: builder.oracle(), engine: engine)
    }

    static let loaded: Loaded = try! load()
}

@Suite struct AttackGraphTests {
    func node(_ name: String, _ g: AttackGraph) throws -> Int32 { try #require(g.node(named: name), "\(name)") }

    @Test func internetReachesTheDatabaseThroughTwoExploits() throws {
        let lab = Lab.loaded, g = lab.graph
        let internet = try node("zone:internet", g), db = try node("db01", g)
        let answer = try #require(g.paths(from: [internet], to: [db], oracle: lab.oracle).first)
        #expect(answer.hops == 3)
        let steps = try #require(answer.shortest).filter { $0.step != "StandsIn" }
        #expect(steps.map(\.step) == ["Exploit", "Exploit", "Exploit"])
        #expect(steps[0].technique == "T1190" && steps[0].to.name == "web01")
        #expect(steps[0].facts.contains { $0.contains("CVE-2021-41773") } && steps[0].facts.contains { $0.contains("CISA KEV") })
        #expect(steps[1].technique == "T1210" && steps[1].to.name == "APP01.LAB.LOCAL")
        #expect(answer.shortestWays == 1)
        // The most likely way avoids the PostgreSQL exploit (p 0.7): svc_app's session on APP01, then
        // its AdminTo over tcp/445 inside servers, one step longer.
        let likely = try #require(answer.mostLikely)
        #expect(likely.filter { $0.step != "StandsIn" }.count == 4)
        #expect(likely.last?.step == "AdminTo" && likely.last?.needs == "tcp/445 reachable from zone servers")
        #expect(abs((answer.probability ?? 0) - likely.reduce(1.0) { $0 * $1.probability }) < 1e-12)
        #expect(answer.exact)
    }

    @Test func thePhishedWorkstationReachesDomainAdminsOverSMBFromCorp() throws {
        let lab = Lab.loaded, g = lab.graph
        let ws01 = try node("ws01", g), da = try node("DOMAIN ADMINS@LAB.LOCAL", g)
        let answer = try #require(g.paths(from: [ws01], to: [da], oracle: lab.oracle).first)
        #expect(answer.hops == 5)
        let steps = try #require(answer.shortest)
        #expect(steps.map(\.step) == ["HasSession", "MemberOf", "AdminTo", "HasSession", "MemberOf"])
        #expect(steps[0].technique == "T1003.001")
        #expect(steps[2].to.name == "WS02.LAB.LOCAL" && steps[2].needs == "tcp/445 reachable from zone corp" && steps[2].technique == "T1021.002")
    }

    @Test func theFirewallDecidesWhichRightCanBeUsed() throws {
        let lab = Lab.loaded, g = lab.graph
        let identity = try #require(g.identity)
        let helpdesk = try #require(identity.index(of: "S-1-5-21-1000-2000-3000-1105"))
        let app01 = try node("app01", g)
        // HELPDESK holds both AdminTo and CanRDP on APP01; from corp the edge firewall passes 3389 only.
        let edges = g.outgoing(helpdesk).filter { g.edgeTargets[$0] == app01 }
        let byKind = Dictionary(uniqueKeysWithValues: edges.map { (AttackGraph.stepName(g.step(ofEdge: $0).kind), $0) })
        let adminTo = try #require(byKind["AdminTo"]), canRDP = try #require(byKind["CanRDP"])
        let oracle = try #require(lab.oracle)
        let corp = try #require(lab.engine?.network.zone(named: "corp"))
        let servers = try #require(lab.engine?.network.zone(named: "servers"))
        func holds(_ e: Int, _ zone: Int) -> Bool { oracle.holds(zone: zone, g.conditions[Int(g.edgeConditions[e])]).reachable }
        #expect(!holds(adminTo, corp) && holds(canRDP, corp))
        #expect(holds(adminTo, servers))
        // So, by AD rights alone (and standing where the attacker is), the phished workstation takes
        // APP01 over RDP, not SMB: one way.
        func identityOnly(_ graph: AttackGraph) -> (Int) -> Bool {
            { e in
                switch graph.step(ofEdge: e).kind {
                case .identity, .position: true
                default: false
                }
            }
        }
        let answer = try #require(g.paths(from: [try node("ws01", g)], to: [app01], oracle: lab.oracle, usable: identityOnly(g)).first)
        #expect(answer.hops == 3 && answer.shortestWays == 1)
        #expect(answer.shortest?.last?.step == "CanRDP" && answer.shortest?.last?.needs == "tcp/3389 reachable from zone corp")
        // Without the network model both rights count, as on a bare SharpHound folder.
        let flat = try Lab.load(network: false)
        let bare = try #require(flat.graph.paths(from: [try node("ws01", flat.graph)], to: [try node("app01", flat.graph)], oracle: nil,
                                                 usable: identityOnly(flat.graph)).first)
        #expect(bare.hops == 3 && bare.shortestWays == 2)
        // With every step, the quickest way is through web01 (corp may browse the DMZ).
        let all = try #require(g.paths(from: [try node("ws01", g)], to: [app01], oracle: lab.oracle).first)
        #expect(all.hops == 2 && all.shortest?.first { $0.step == "Exploit" }?.to.name == "web01")
    }

    @Test func backupsKeepAvailabilityOutOfReachAndDataAccessIsReached() throws {
        let g = Lab.loaded.graph
        #expect(g.node(named: "asset:customer-records/availability") == nil)
        #expect(g.node(named: "asset:customer-records/confidentiality") != nil)
        #expect(g.notes.contains { $0.contains("customer-records: availability is not at risk") })
        let radius = g.blastRadius(from: [try node("zone:internet", g)], oracle: Lab.loaded.oracle)
        #expect(radius.tierZeroReached == 0)
        #expect(radius.crownJewelsReached == ["DB01.LAB.LOCAL"])
        #expect(Set(radius.assetsReached) == ["customer-records (confidentiality)", "customer-records (integrity)"])
        let fromWS01 = g.blastRadius(from: [try node("ws01", g)], oracle: Lab.loaded.oracle)
        #expect(fromWS01.tierZeroReached == g.tierZeroNodes.count)
    }

    /// The search's hop counts against an independent definition: rounds of a monotone fixed point
    /// (a step fires in round r when its source, and a position satisfying its condition, are held
    /// after round r - 1; standing in a host's zone is free), from every host and zone.
    @Test func hopsEqualRoundsOfTheFixedPoint() throws {
        let lab = Lab.loaded, g = lab.graph
        let oracle = try #require(lab.oracle)
        for start in g.hostNodes + g.zoneNodes {
            let search = AttackSearch(g, from: [start], metric: .hops, oracle: oracle)
            var round = [Int](repeating: -1, count: g.nodeCount)
            func close(_ r: Int) {
                var changed = true
                while changed {
                    changed = false
                    for e in 0..<g.edgeCount where round[Int(g.edgeSources[e])] == r && round[Int(g.edgeTargets[e])] < 0 {
                        if case .position = g.step(ofEdge: e).kind { round[Int(g.edgeTargets[e])] = r; changed = true }
                    }
                }
            }
            round[Int(start)] = 0
            close(0)
            var r = 0
            while true {
                r += 1
                var fired: [Int32] = []
                for e in 0..<g.edgeCount {
                    let (u, v) = (Int(g.edgeSources[e]), Int(g.edgeTargets[e]))
                    guard round[u] >= 0, round[u] < r, round[v] < 0, g.step(ofEdge: e).traversable else { continue }
                    if case .position = g.step(ofEdge: e).kind { continue }
                    let ci = g.edgeConditions[e]
                    if ci >= 0 {
                        let ok = g.zoneNodes.contains { z in round[Int(z)] >= 0 && round[Int(z)] < r && oracle.holds(zone: Int(g.nodes[Int(z)].zone), g.conditions[Int(ci)]).reachable }
                        guard ok else { continue }
                    }
                    fired.append(Int32(v))
                }
                if fired.isEmpty { break }
                for v in fired { round[Int(v)] = r }
                close(r)
            }
            for n in 0..<g.nodeCount {
                let expected = round[n] < 0 ? nil : Double(round[n])
                #expect(search.value(Int32(n)) == expected, "from \(g.nodes[Int(start)].name) to \(g.nodes[n].name)")
            }
        }
    }

    @Test func theMostLikelyWayIsNoLessLikelyThanTheShortest() throws {
        let lab = Lab.loaded, g = lab.graph
        let sources = g.entryNodes(lab.inventory.manifest).map(\.node)
        #expect(sources.count == 4)
        for a in g.paths(from: sources, to: g.targets(named: "crown-jewels") + g.tierZeroNodes, oracle: lab.oracle) where a.hops != nil {
            let shortest = try #require(a.shortest).reduce(1.0) { $0 * $1.probability }
            #expect((a.probability ?? 0) >= shortest - 1e-12, "\(a.target.name)")
            // Among equally likely ways the shorter one is the witness.
            if abs((a.probability ?? 0) - shortest) < 1e-12 {
                let steps = { (w: [PathStep]) in w.filter { $0.step != "StandsIn" }.count }
                #expect(steps(try #require(a.mostLikely)) == steps(try #require(a.shortest)), "\(a.target.name)")
            }
        }
    }
}

@Suite struct ExploitRatingTests {
    func rating(_ vectors: [(String, String)], kev: Bool = false, exploit: Bool? = nil) -> (Double, String)? {
        let v = InventoryVulnerability(host: "h", transport: "tcp", port: 80, pluginID: 1, name: "x", severity: "high", cves: ["CVE-2024-0001"],
                                       cvss: vectors.map { .init(version: $0.0, vector: $0.1, baseScore: nil, severity: nil, reportedScore: nil) },
                                       kev: kev ? [.init(cve: "CVE-2024-0001", dateAdded: "2024-01-01", dueDate: "2024-01-22", knownRansomwareUse: false)] : [],
                                       epss: nil, exploitAvailable: exploit, patchPublished: nil, solution: nil, file: "f", location: FileLocation(file: "f", line: 1))
        return AttackGraphBuilder.exploitRating(v)
    }

    @Test func exploitabilityIsNormalizedAndFloored() throws {
        // The easiest network vector: 1.
        #expect(rating([("3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")])?.0 == 1)
        // PR:H (scope unchanged) weighs 0.27 against 0.85.
        let high = try #require(rating([("3.1", "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H")]))
        #expect(abs(high.0 - 0.27 / 0.85) < 1e-12)
        // Not code execution: local vector, or no integrity impact.
        #expect(rating([("3.1", "CVSS:3.1/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")]) == nil)
        #expect(rating([("3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N")]) == nil)
        // v2: 20 × AV × AC × Au / 10.
        let v2 = try #require(rating([("2.0", "AV:N/AC:M/Au:S/C:C/I:C/A:C")]))
        #expect(abs(v2.0 - 20 * 0.61 * 0.56 / 10) < 1e-12)
        // The newest version speaks; KEV and public exploits raise the floor.
        #expect(abs((rating([("2.0", "AV:N/AC:L/Au:S/C:C/I:C/A:C"), ("3.1", "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H")])?.0 ?? 0) - 0.27 / 0.85) < 1e-12)
        let kev = try #require(rating([("3.1", "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H")], kev: true))
        #expect(kev.0 == 0.9 && kev.1.contains("KEV"))
        #expect(rating([("3.1", "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H")], exploit: true)?.0 == 0.7)
        #expect(rating([], kev: true)?.0 == 0.9)
        #expect(rating([]) == nil)
    }
}

@Suite struct TierZeroExposureTests {
    @Test func hopsAndWitnessesOnTheLab() throws {
        let g = try #require(Lab.loaded.inventory.identity)
        let exposure = TierZeroExposure(g)
        func hops(_ name: String) throws -> Int? {
            let p = try #require(g.principals.firstIndex { $0.name == name }, "\(name)")
            return exposure.hops(Int32(p))
        }
        #expect(try hops("DOMAIN ADMINS@LAB.LOCAL") == 0)
        #expect(try hops("WS02.LAB.LOCAL") == 1)
        #expect(try hops("ALICE@LAB.LOCAL") == 3)
        #expect(try hops("BOB@LAB.LOCAL") == 4)
        #expect(try hops("SVC_APP@LAB.LOCAL") == nil)
        let bob = Int32(try #require(g.principals.firstIndex { $0.name == "BOB@LAB.LOCAL" }))
        let path = exposure.path(from: bob, in: g)
        #expect(path.map { g.edgeKinds[$0].name } == ["GenericWrite", "MemberOf", "AdminTo", "HasSession"])
        #expect(g.isTierZero(g.edgeTargets[path.last!]))
        // Enabled users and computers outside Tier Zero: alice, bob, svc_app, WS01, WS02, APP01, DB01;
        // four of them (alice, bob, WS01, WS02) have a path.
        let share = exposure.exposure(in: g)
        #expect(share.eligible == 7 && share.exposed == 4)
    }

    /// Every distance against a breadth-first search of its own over the edge list, and every
    /// witness edge one hop nearer, on the real SharpHound sample.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: TierZeroExposureTests.sample), "SharpHound sample skipped: ../shared/fixtures/bloodhound/ad-sample-v6 is absent"))
    func distancesOnTheSharpHoundSample() throws {
        let g = try SharpHoundLoader().load(path: Self.sample)
        let exposure = TierZeroExposure(g)
        var reverse = [[Int32]](repeating: [], count: g.principalCount)
        for e in 0..<g.edgeCount where g.edgeKinds[e].isTraversable { reverse[Int(g.edgeTargets[e])].append(g.edgeSources[e]) }
        var distance = [Int](repeating: -1, count: g.principalCount)
        var frontier = g.tierZero
        for t in frontier { distance[Int(t)] = 0 }
        var d = 0
        while !frontier.isEmpty {
            d += 1
            var next: [Int32] = []
            for v in frontier { for u in reverse[Int(v)] where distance[Int(u)] < 0 { distance[Int(u)] = d; next.append(u) } }
            frontier = next
        }
        for p in 0..<g.principalCount {
            #expect(exposure.hops(Int32(p)) == (distance[p] < 0 ? nil : distance[p]), "\(g.principals[p].name)")
            let e = exposure.search.edges[p]
            if e >= 0 {
                #expect(g.edgeKinds[Int(e)].isTraversable && g.edgeSources[Int(e)] == Int32(p))
                #expect(distance[Int(g.edgeTargets[Int(e)])] == distance[p] - 1)
            }
        }
        #expect(exposure.reachingCount == 202)
    }

    static let sample = TestSupport.sharedRoot + "/fixtures/bloodhound/ad-sample-v6"
}

@Suite struct WhatIfTests {
    func node(_ name: String, _ g: AttackGraph) throws -> Int32 { try #require(g.node(named: name), "\(name)") }

    /// From the internet and the phished workstation (the helpdesk group's entry left out).
    func run(_ text: String, adding: Bool, to targets: [String] = ["tier-zero", "crown-jewels"]) throws -> WhatIfResult {
        let lab = Lab.loaded, g = lab.graph
        let sources = g.entryNodes(lab.inventory.manifest).filter { $0.name != "phish-helpdesk" }.map(\.node)
        return try g.whatIf(try Control(parsing: text, in: g), adding: adding, text: text, from: sources,
                            to: targets.flatMap { g.targets(named: $0) }, oracle: lab.oracle)
    }

    @Test func removingTheHelpdeskRightCutsEveryWayToTierZero() throws {
        let r = try run("HELPDESK@LAB.LOCAL -AdminTo-> WS02.LAB.LOCAL", adding: false)
        #expect(r.edgesAffected == 1)
        let tierZero = r.targets.filter { $0.before.target.kind == .principal || $0.before.target.name == "DC01.LAB.LOCAL" }
        #expect(!tierZero.isEmpty && tierZero.allSatisfy { $0.before.hops != nil && $0.after.hops == nil })
        // In the estate (ports checked, as `bulwark exposure` counts), alice and WS01 lose their way to
        // Tier Zero; WS02 keeps its session.
        #expect(r.principalsChanged == 2)
        #expect(r.exposureBefore?.exposed == 3 && r.exposureAfter?.exposed == 1)
    }

    @Test func aHostFirewallRuleOnTheWorkstationDoesTheSame() throws {
        let r = try run("block zone:corp -> ws02 tcp/445", adding: true)
        let da = try #require(r.targets.first { $0.before.target.name == "DOMAIN ADMINS@LAB.LOCAL" })
        #expect(da.before.hops == 5 && da.after.hops == nil)
        // The exposure checks ports in an estate: alice and WS01 lose their way too.
        #expect(r.principalsChanged == 2 && r.exposureAfter?.exposed == 1)
    }

    @Test func patchingTheWebServerLengthensTheWayToTheDatabase() throws {
        let r = try run("patch CVE-2021-41773", adding: true, to: ["db01"])
        #expect(r.edgesAffected == 3)  // from the internet, corp and the DMZ's own zone
        let db = try #require(r.targets.first)
        #expect(db.before.hops == 3 && db.after.hops == 4)
        #expect(db.after.shortest?.contains { $0.step == "CanRDP" } == true)
        // A patch that only one host gets leaves the others exposed.
        let elsewhere = try run("patch CVE-2021-41773 on app01", adding: true, to: ["db01"])
        #expect(elsewhere.edgesAffected == 0 && elsewhere.targets.first?.changed == false)
    }

    @Test func grantingARightAddsAWayAndRefusesDuplicates() throws {
        let r = try run("BOB@LAB.LOCAL -GenericAll-> DOMAIN ADMINS@LAB.LOCAL", adding: true)
        #expect(r.edgesAffected == 1 && r.addsSteps)
        // Bob had no way (no session, so nowhere to use HELPDESK's AdminTo from); now he is one step away.
        #expect(r.exposureBefore?.exposed == 3 && r.exposureAfter?.exposed == 4)
        #expect(r.principalsChanged == 1)
        #expect(throws: ControlError.self) { try run("ALICE@LAB.LOCAL -MemberOf-> HELPDESK@LAB.LOCAL", adding: true) }
        #expect(throws: ControlError.self) { try run("patch CVE-2021-41773", adding: false) }
        #expect(throws: ControlError.self) { try run("ALICE@LAB.LOCAL -Frobnicate-> HELPDESK@LAB.LOCAL", adding: false) }
        #expect(throws: ControlError.self) { try run("block nowhere -> ws02 tcp/445", adding: true) }
    }
}

@Suite struct RemediationTests {
    /// Applies every change of a fix with `whatif`'s own parsing and checks no target stays reachable.
    func cutsEverything(_ fix: Remediation, from sources: [Int32], to targets: [Int32]) throws -> Bool {
        let lab = Lab.loaded, g = lab.graph
        let (usable, oracle) = try g.applying(fix.changes.map { ($0.control, $0.action == "add") }, oracle: lab.oracle)
        let search = AttackSearch(g, from: sources, metric: .hops, oracle: oracle, usable: usable)
        return !targets.contains { search.isReached($0) }
    }

    @Test func theCheapestFixCutsEveryWayAndNoSingleChangeDoes() throws {
        let lab = Lab.loaded, g = lab.graph
        let sources = g.entryNodes(lab.inventory.manifest).map(\.node)
        let targets = g.targets(named: "tier-zero") + g.targets(named: "crown-jewels")
        let fix = g.remediation(from: sources, to: targets, costs: ControlCosts(), oracle: lab.oracle)
        #expect(fix.reachable && fix.exact && fix.cost == 2)
        #expect(fix.changes.reduce(0) { $0 + $1.cost } == fix.cost)
        #expect(try cutsEverything(fix, from: sources, to: targets))
        // Every single change of cost 1 — a rule blocking one port from one zone to one host, or one
        // AD relationship taken away — leaves some target reachable.
        var singles: [(String, Bool)] = []
        for z in g.zoneNodes {
            for h in g.hostNodes {
                for port in ["tcp/80", "tcp/445", "tcp/3389", "tcp/5432", "tcp/8080"] { singles.append(("block \(g.nodes[Int(z)].id) -> \(g.nodes[Int(h)].id) \(port)", true)) }
            }
        }
        for e in 0..<g.edgeCount {
            guard case .identity(let k) = g.step(ofEdge: e).kind, k.isTraversable else { continue }
            singles.append(("\(g.nodes[Int(g.edgeSources[e])].id) -\(k.name)-> \(g.nodes[Int(g.edgeTargets[e])].id)", false))
        }
        for (text, adding) in singles {
            let (usable, oracle) = try g.applying([(text, adding)], oracle: lab.oracle)
            let search = AttackSearch(g, from: sources, metric: .hops, oracle: oracle, usable: usable)
            #expect(targets.contains { search.isReached($0) }, "\(text) alone cuts every way")
        }
    }

    @Test func costsChangeTheChoice() throws {
        let lab = Lab.loaded, g = lab.graph
        let sources = [try #require(g.node(named: "ws01"))]
        let targets = g.targets(named: "DOMAIN ADMINS@LAB.LOCAL")
        var costs = ControlCosts()
        let cheap = g.remediation(from: sources, to: targets, costs: costs, oracle: lab.oracle)
        #expect(cheap.cost == 1 && cheap.changes.first?.kind == "membership")
        try costs.set("membership=10")
        try costs.set("session=10")
        try costs.set("right=10")
        let dear = g.remediation(from: sources, to: targets, costs: costs, oracle: lab.oracle)
        // Now one firewall rule on the workstation's SMB from corp is the cheapest (cost 1).
        #expect(dear.cost == 1 && dear.exact && dear.changes.map(\.control) == ["block zone:corp -> WS02.LAB.LOCAL tcp/445"])
        #expect(try cutsEverything(dear, from: sources, to: targets))
        #expect(throws: ControlError.self) { try costs.set("coffee=1") }
        #expect(throws: ControlError.self) { try costs.set("patch=-1") }
    }
}

@Suite struct ChokePointTests {
    @Test func everyShortestWayToTheCrownJewelsGoesThroughTheAppServerExploit() throws {
        let lab = Lab.loaded, g = lab.graph
        let sources = g.entryNodes(lab.inventory.manifest).filter { $0.name != "phish-helpdesk" }.map(\.node)
        let targets = g.targets(named: "crown-jewels")
        let points = g.chokePoints(from: sources, to: targets, oracle: lab.oracle)
        let top = try #require(points.first)
        #expect(top.step.step == "Exploit" && top.step.to.name == "APP01.LAB.LOCAL" && top.step.from.name == "dmz")
        #expect(top.share == 1)
        // The counts against the answers: the ways through the top step are all the shortest ways.
        let total = g.paths(from: sources, to: targets, oracle: lab.oracle).reduce(0.0) { $0 + $1.shortestWays }
        #expect(top.shortestWays == total)
        // Exploiting web01 from the internet or from corp splits them in half.
        let web = points.filter { $0.step.to.name == "web01" }
        #expect(web.count == 2 && web.allSatisfy { $0.share == 0.5 })
    }
}

@Suite struct EntryPointTests {
    /// The helpdesk group's entry point starts at each of its enabled users with the click rate: the
    /// shortest way to Domain Admins starts there, the most likely one on the phished workstation.
    @Test func aPhishedGroupStartsWithItsClickRate() throws {
        let lab = Lab.loaded, g = lab.graph
        let entries = g.entryNodes(lab.inventory.manifest)
        let helpdesk = entries.filter { $0.name == "phish-helpdesk" }
        // Alice, and corp, where her session on WS01 is.
        #expect(helpdesk.map { g.nodes[Int($0.node)].name } == ["ALICE@LAB.LOCAL", "corp"] && helpdesk.allSatisfy { $0.probability == 0.1 })
        let starting = AttackGraph.startingProbabilities(entries)
        let da = try #require(g.node(named: "DOMAIN ADMINS@LAB.LOCAL"))
        let answer = try #require(g.paths(from: entries.map(\.node), to: [da], oracle: lab.oracle, startingProbability: starting).first)
        #expect(answer.hops == 4 && answer.shortest?.first?.from.name == "ALICE@LAB.LOCAL")
        #expect(answer.probability == 1 && answer.mostLikely?.first?.from.name == "WS01.LAB.LOCAL")
        // Alone, the group's way is only as likely as the click.
        let alone = try #require(g.paths(from: helpdesk.map(\.node), to: [da], oracle: lab.oracle, startingProbability: starting).first)
        #expect(abs((alone.probability ?? 0) - 0.1) < 1e-12)
    }

    @Test func groupEntryPointsAreCheckedInTheManifest() throws {
        let base = "version: 1\nzones:\n  - { name: corp, kind: corp, trust: medium, cidrs: [10.0.0.0/8] }\nentry-points:\n"
        let bad = [
            "  - { name: a, kind: phishing, group: FIN, host: x }\n",
            "  - { name: a, kind: phishing, zone: corp, click-rate: 0.1 }\n",
            "  - { name: a, kind: phishing, group: FIN, click-rate: 1.5 }\n",
            "  - { name: a, kind: phishing, group: FIN, click-rate: often }\n",
        ]
        for entry in bad {
            let r = EstateLoader.parse(base + entry, file: "bulwark.yaml", directory: "/tmp")
            #expect(!r.errors.isEmpty, "\(entry)")
        }
        let good = EstateLoader.parse(base + "  - { name: a, kind: phishing, group: FINANCE@CORP.LOCAL, click-rate: 0.04 }\n", file: "bulwark.yaml", directory: "/tmp")
        #expect(good.errors.isEmpty, "\(good.errors)")
        #expect(good.manifest?.entryPoints.first?.target == .group("FINANCE@CORP.LOCAL") && good.manifest?.entryPoints.first?.clickRate == 0.04)
    }
}

@Suite struct PortAwareExposureTests {
    /// Each principal's hops in the estate against a search of its own: the identity steps plus
    /// positions, from the principal and its sessions' zones, with the oracle's port checks.
    @Test func portChecksOnlyRemoveWays() throws {
        let lab = Lab.loaded, g = lab.graph
        let identity = try #require(g.identity)
        let oracle = try #require(lab.oracle)
        let exposure = try #require(g.tierZeroExposureWithPorts(oracle: oracle))
        let bare = PrincipalExposure(TierZeroExposure(identity), in: identity)
        for p in 0..<identity.principalCount {
            // Never nearer than over the identity edges alone.
            if exposure.hops[p] >= 0 { #expect(bare.hops[p] >= 0 && exposure.hops[p] >= bare.hops[p], "\(identity.principals[p].name)") }
        }
        func hops(_ name: String) -> Int32? {
            identity.principals.firstIndex { $0.name == name }.map { exposure.hops[$0] }
        }
        #expect(hops("ALICE@LAB.LOCAL") == 3 && hops("WS01.LAB.LOCAL") == 4 && hops("WS02.LAB.LOCAL") == 1)
        #expect(hops("BOB@LAB.LOCAL") == -1 && hops("HELPDESK@LAB.LOCAL") == -1)
        let alice = Int32(try #require(identity.principals.firstIndex { $0.name == "ALICE@LAB.LOCAL" }))
        #expect(exposure.next[Int(alice)]?.id == "S-1-5-21-1000-2000-3000-1105" && exposure.next[Int(alice)]?.edge == "MemberOf")
        #expect(exposure.witness(alice).contains("AdminTo-> WS02.LAB.LOCAL [tcp/445 reachable from zone corp]"))
        // With the workstation's SMB blocked from corp, nobody outside Tier Zero but WS02 is exposed.
        let blocked = try #require(try g.applying([("block zone:corp -> ws02 tcp/445", true)], oracle: lab.oracle).1)
        let after = try #require(g.tierZeroExposureWithPorts(oracle: blocked))
        #expect(after.exposure(in: identity).exposed == 1)
    }
}

@Suite struct MFATests {
    /// The lab with one more fact: MFA on app01, phishing-resistant or not.
    func labWithMFA(phishingResistant: Bool) throws -> AttackGraph {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bulwark-lab-\(UUID().uuidString)")
        try FileManager.default.copyItem(atPath: Lab.path, toPath: dir.path)
        defer { try? FileManager.default.removeItem(at: dir) }
        let manifest = dir.appendingPathComponent("bulwark.yaml").path
        var text = try String(contentsOfFile: manifest, encoding: .utf8)
        text = text.replacingOccurrences(of: "facts:\n", with: "facts:\n  - { kind: mfa, applies-to: [app01], enforced: true, phishing-resistant: \(phishingResistant) }\n")
        try text.write(toFile: manifest, atomically: true, encoding: .utf8)
        let inventory = try InventoryBuilder.build(dir.path)
        let engine = ReachabilityEngine(network: try EstateNetwork(manifest: try #require(inventory.manifest)))
        return AttackGraphBuilder(inventory: inventory, engine: engine).build()
    }

    @Test func theManifestsMFAFactsReachTheRDPSteps() throws {
        for resistant in [false, true] {
            let g = try labWithMFA(phishingResistant: resistant)
            let app01 = try #require(g.node(named: "app01"))
            let rdp = try #require(g.incoming(app01).map { Int($0) }.first { g.step(ofEdge: $0).kind == .identity(.canRDP) })
            let step = g.step(ofEdge: rdp)
            if resistant {
                #expect(!step.traversable && step.facts.contains { $0.contains("phishing-resistant MFA on app01") })
            } else {
                #expect(step.traversable && step.probability == 0.1 && step.probabilitySource.contains("MFA on app01"))
            }
            // AdminTo is not an interactive logon: MFA leaves it alone.
            let admin = try #require(g.incoming(app01).map { Int($0) }.first { g.step(ofEdge: $0).kind == .identity(.adminTo) })
            #expect(g.step(ofEdge: admin).probability == 1 && g.step(ofEdge: admin).traversable)
        }
    }

    @Test func mfaOnAHostStopsRDPWithStolenCredentials() throws {
        let lab = Lab.loaded, g = lab.graph
        let ws01 = try #require(g.node(named: "ws01")), app01 = try #require(g.node(named: "app01"))
        // By AD rights alone (and positions), APP01 falls to HELPDESK's RDP; with MFA on it, not at all.
        let rightsOnly: (Int) -> Bool = { e in
            switch g.step(ofEdge: e).kind {
            case .identity, .position: true
            default: false
            }
        }
        let control = try Control(parsing: "mfa on app01", in: g)
        let (taken, _) = try g.removal(control, adding: true, oracle: lab.oracle)
        #expect(taken.count == 1 && taken.allSatisfy { g.step(ofEdge: $0).kind == .identity(.canRDP) })
        let before = AttackSearch(g, from: [ws01], metric: .hops, oracle: lab.oracle, usable: rightsOnly)
        let after = AttackSearch(g, from: [ws01], metric: .hops, oracle: lab.oracle, usable: { rightsOnly($0) && !taken.contains($0) })
        // Before: WS01 -HasSession-> alice -MemberOf-> HELPDESK -CanRDP-> APP01. After: only as a
        // domain admin, three steps further (GenericAll of Domain Admins on the computer).
        #expect(before.value(app01) == 3 && g.step(ofEdge: before.path(to: app01, in: g).last!).kind == .identity(.canRDP))
        #expect(after.value(app01) == 6 && g.step(ofEdge: after.path(to: app01, in: g).last!).kind == .identity(.genericAll))
    }
}
