import BulwarkModel
import Foundation
import Identity
import Testing
import TestSupport

/// The BloodHound CE Active Directory sample (SharpHound v6, 31 files, PHANTOM/GHOST/WRAITH),
/// read in place from ../shared. Expected values were read off the JSON files.
@Suite(.enabled(if: Fixtures.hasShared, "SharpHound fixtures skipped: ../shared absent"))
struct SampleCollectionTests {
    static let phantom = "S-1-5-21-2697957641-2271029196-387917394"
    static let ghost = "S-1-5-21-2845847946-3451170323-4261139666"
    static let wraith = "S-1-5-21-3702535222-3822678775-2090119576"

    var g: IdentityGraph { Fixtures.sample! }

    @Test func everyFileIsRead() throws {
        let graph = try #require(Fixtures.sample)
        #expect(graph.files.count == 31)
        #expect(graph.files.allSatisfy { $0.used })
        #expect(graph.files.allSatisfy { $0.version == 6 })
        #expect(graph.diagnostics.allSatisfy { $0.severity != .error }, "\(graph.diagnostics)")
        #expect(graph.domains == ["GHOST.CORP", "PHANTOM.CORP", "WRAITH.CORP"])
        #expect(graph.principals.filter(\.collected).count == 1_469)
    }

    /// Distinct objects per kind and domain, merged across files (the same object in several files
    /// counts once; the config partition's containers appear in both PHANTOM's and GHOST's files).
    @Test(arguments: [
        (PrincipalKind.user, [52, 7, 40]), (.group, [87, 48, 84]), (.computer, [21, 1, 12]), (.domain, [1, 1, 1]),
        (.ou, [13, 1, 6]), (.gpo, [22, 3, 7]), (.container, [208, 24, 707]), (.certTemplate, [63, 0, 43]),
        (.enterpriseCA, [2, 0, 2]), (.rootCA, [4, 0, 1]), (.aiaCA, [4, 0, 2]), (.ntAuthStore, [1, 0, 1]),
    ])
    func distinctObjectsPerDomain(kind: PrincipalKind, counts: [Int]) {
        let found = ["PHANTOM.CORP", "GHOST.CORP", "WRAITH.CORP"].map { g.count(of: kind, in: $0) }
        #expect(found == counts, "\(kind)")
    }

    /// `meta.count` disagrees with the data in six files: a warning each, and the data is used.
    @Test func metaCountQuirksAreWarnings() {
        let quirks = g.diagnostics.filter { $0.message.hasPrefix("meta.count says") }
        let byFile = Dictionary(uniqueKeysWithValues: quirks.map { (URL(fileURLWithPath: $0.location.file).lastPathComponent, $0.message) })
        #expect(byFile == [
            "20240305110018_computers.json": "meta.count says 20 but 'data' holds 21 objects; the data is used",
            "20240305110018_users.json": "meta.count says 49 but 'data' holds 53 objects; the data is used",
            "20240305110018_groups.json": "meta.count says 113 but 'data' holds 115 objects; the data is used",
            "20240305110427_users.json": "meta.count says 5 but 'data' holds 7 objects; the data is used",
            "20240305111414_computers.json": "meta.count says 11 but 'data' holds 12 objects; the data is used",
            "20240305111414_users.json": "meta.count says 39 but 'data' holds 40 objects; the data is used",
        ])
        #expect(quirks.allSatisfy { $0.severity == .warning && $0.location.line == 1 })
    }

    @Test func memberships() {
        let p = Self.phantom
        // ROSHI is listed in Domain Admins' Members.
        #expect(g.kinds(from: "\(p)-2194", to: "\(p)-512") == [.memberOf])
        // JONAS-TEST-MS01's PrimaryGroupSID is Domain Computers.
        #expect(g.kinds(from: "\(p)-1103", to: "\(p)-515") == [.memberOf])
        // CE's well-known links: Domain Users ⊂ Authenticated Users ⊂ Everyone.
        #expect(g.hasEdge(from: "\(p)-513", .memberOf, to: "PHANTOM.CORP-S-1-5-11"))
        #expect(g.hasEdge(from: "PHANTOM.CORP-S-1-5-11", .memberOf, to: "PHANTOM.CORP-S-1-1-0"))
    }

    @Test func sessionsRunFromComputerToUser() {
        let p = Self.phantom
        // JONAS-TEST-MS01: PrivilegedSessions (collected) lists the domain Administrator.
        #expect(g.hasEdge(from: "\(p)-1103", .hasSession, to: "\(p)-500"))
        #expect(!g.hasEdge(from: "\(p)-500", .hasSession, to: "\(p)-1103"))
        #expect(g[g.index(of: "\(p)-500")!].kind == .user)
    }

    @Test func localAdministratorsBecomeAdminTo() {
        // PAYMENT01's local group …-544 holds group …-1138.
        #expect(g.kinds(from: "\(Self.phantom)-1138", to: "\(Self.phantom)-1120") == [.adminTo])
        // EXTCA01 (WRAITH): ADMINISTRATORS@EXTCA01 holds Domain Admins and user …-1166.
        #expect(g.hasEdge(from: "\(Self.wraith)-512", .adminTo, to: "\(Self.wraith)-1120"))
        #expect(g.hasEdge(from: "\(Self.wraith)-1166", .adminTo, to: "\(Self.wraith)-1120"))
        // DC01's local Administrators is the domain's BUILTIN group, which holds the Administrator.
        #expect(g.hasEdge(from: "\(Self.phantom)-500", .adminTo, to: "\(Self.phantom)-1000"))
    }

    @Test func accessControlEntries() {
        let p = Self.phantom
        // STEPHEN's Aces: GenericAll for Domain Admins and Account Operators.
        #expect(g.kinds(from: "\(p)-512", to: "\(p)-2203").contains(.genericAll))
        #expect(g.kinds(from: "PHANTOM.CORP-S-1-5-32-548", to: "\(p)-2203").contains(.genericAll))
        // Replication rights on the domain are edges of their own (not traversable).
        #expect(g.hasEdge(from: "PHANTOM.CORP-S-1-5-9", .getChanges, to: p))
        #expect(g.hasEdge(from: "\(p)-516", .getChangesAll, to: p))
        // No edge from an object to itself.
        #expect((0..<g.edgeCount).allSatisfy { g.edgeSources[$0] != g.edgeTargets[$0] })
    }

    @Test func containmentAndGPOLinks() {
        let p = Self.phantom
        // KRBTGT's ContainedBy is the Users container.
        #expect(g.hasEdge(from: "06DDAA96-A710-4023-A26A-C522B2A87AB4", .contains, to: "\(p)-502"))
        // JONAS-TEST-MS01 sits in container 2CADA56A….
        #expect(g.hasEdge(from: "2CADA56A-0451-4431-B0EE-001D47266554", .contains, to: "\(p)-1103"))
        // PHANTOM.CORP's Links name GPO B88EC183….
        #expect(g.kinds(from: "B88EC183-544A-4FEE-9492-EBBD3415238C", to: p) == [.gpLink])
        #expect(g[g.index(of: "B88EC183-544A-4FEE-9492-EBBD3415238C")!].kind == .gpo)
    }

    @Test func trustsFollowCE() {
        let p = Self.phantom, revenant = "S-1-5-21-1852147331-818484528-1557274963", child = "S-1-5-21-720005541-26010935-3948964793"
        // PHANTOM ↔ GHOST: ParentChild, bidirectional.
        #expect(g.hasEdge(from: p, .sameForestTrust, to: Self.ghost))
        #expect(g.hasEdge(from: Self.ghost, .sameForestTrust, to: p))
        // REVENANT → PHANTOM: External, inbound only; REVENANT is known only by the trust.
        #expect(g.kinds(from: revenant, to: p) == [.crossForestTrust])
        #expect(g.kinds(from: p, to: revenant).isEmpty)
        let r = g[g.index(of: revenant)!]
        #expect(r.kind == .domain && r.name == "REVENANT.CORP" && !r.collected)
        // PHANTOM ↔ WRAITH: External with SID filtering: no SpoofSIDHistory.
        #expect(g.kinds(from: p, to: Self.wraith) == [.crossForestTrust])
        #expect(g.kinds(from: Self.wraith, to: p) == [.crossForestTrust])
        #expect(g.hasEdge(from: Self.wraith, .sameForestTrust, to: child))
        #expect(g.edgeCount(of: .spoofSIDHistory) == 0)
    }

    /// DCSync where GetChanges and GetChangesAll meet, directly or through groups (CE's cross product).
    @Test func dcSyncIsPostProcessed() {
        func syncers(_ domain: String) -> Set<String> {
            Set(g.edges(to: domain).filter { $0.kind == .dcSync }.map { g[$0.source].id })
        }
        let p = Self.phantom
        #expect(syncers(p) == ["PHANTOM.CORP-S-1-5-32-544", "\(p)-2123", "\(p)-2183"])
        #expect(syncers(Self.ghost) == ["GHOST.CORP-S-1-5-32-544", "\(Self.ghost)-1000"])
        #expect(syncers(Self.wraith) == ["WRAITH.CORP-S-1-5-32-544", "\(Self.wraith)-1000"])
        // …-2208 holds only GetChangesAll.
        #expect(!g.hasEdge(from: "\(p)-2208", .dcSync, to: p))
    }

    @Test func certificateServices() throws {
        func id(_ name: String, _ kind: PrincipalKind) throws -> String {
            try #require(g.principals.first { $0.name == name && $0.kind == kind }?.id, "\(name) \(kind)")
        }
        let p = Self.phantom, w = Self.wraith
        let dc01CA = try id("PHANTOM-DC01-CA@PHANTOM.CORP", .enterpriseCA)
        let shsCA = try id("PHANTOM-SRV-SHARPHOUND-CA@PHANTOM.CORP", .enterpriseCA)
        let dc01Root = try id("PHANTOM-DC01-CA@PHANTOM.CORP", .rootCA)
        let ntauth = try id("NTAUTHCERTIFICATES@PHANTOM.CORP", .ntAuthStore)
        #expect(g.hasEdge(from: "\(p)-1000", .hostsCAService, to: dc01CA))
        #expect(g.edges(to: dc01CA).filter { $0.kind == .publishedTo }.count == 41)
        #expect(g.hasEdge(from: dc01Root, .rootCAFor, to: p))
        #expect(g.hasEdge(from: ntauth, .ntAuthStoreFor, to: p))
        #expect(g.hasEdge(from: dc01CA, .trustedForNTAuth, to: ntauth))
        #expect(g.hasEdge(from: shsCA, .trustedForNTAuth, to: ntauth))
        #expect(g.hasEdge(from: dc01CA, .enterpriseCAFor, to: dc01Root))
        #expect(g.kinds(from: shsCA, to: dc01CA) == [.issuedSignedBy])
        #expect(g.kinds(from: shsCA, to: dc01Root) == [.issuedSignedBy])
        // GoldenCert: the hosts of CAs trusted for NTAuth that chain to the domain's root.
        let golden = Set(g.edges(of: .goldenCert).map { "\(g[$0.source].name) -> \(g[$0.target].name)" })
        #expect(golden == [
            "DC01.PHANTOM.CORP -> PHANTOM.CORP", "SRV-SHARPHOUND.PHANTOM.CORP -> PHANTOM.CORP",
            "EXTCA01.WRAITH.CORP -> WRAITH.CORP", "EXTCA02.WRAITH.CORP -> WRAITH.CORP",
        ])
        // CA rights from the collected CA security descriptor.
        #expect(g.hasEdge(from: "\(p)-512", .manageCA, to: dc01CA))
        #expect(g.hasEdge(from: "PHANTOM.CORP-S-1-5-11", .enroll, to: dc01CA))
        _ = w
    }

    @Test func traversableFlagsAreCEs() {
        let traversable = Set(EdgeKind.allCases.filter(\.isTraversable))
        for kind: EdgeKind in [.memberOf, .hasSession, .adminTo, .canRDP, .contains, .gpLink, .genericAll, .owns, .dcSync,
                               .sameForestTrust, .manageCA, .manageCertificates, .goldenCert, .dcFor, .coerceToTGT] {
            #expect(traversable.contains(kind), "\(kind)")
        }
        for kind: EdgeKind in [.getChanges, .getChangesAll, .getChangesInFilteredSet, .crossForestTrust, .enroll,
                               .publishedTo, .hostsCAService, .rootCAFor, .ntAuthStoreFor, .trustedForNTAuth,
                               .enterpriseCAFor, .issuedSignedBy, .remoteInteractiveLogonRight, .writePKINameFlag] {
            #expect(!traversable.contains(kind), "\(kind)")
        }
        #expect(EdgeKind(name: "writedacl") == .writeDacl)
        #expect(EdgeKind.allCases.allSatisfy { EdgeKind(name: $0.name) == $0 })
    }

    @Test func tierZero() throws {
        let p = Self.phantom
        func reason(_ id: String) -> TierZeroReason? { g.index(of: id).flatMap { g.tierZeroReason($0) } }
        #expect(reason("\(p)-512") == .wellKnown("Domain Admins (512)"))
        #expect(reason("PHANTOM.CORP-S-1-5-32-544") == .wellKnown("Administrators (544)"))
        #expect(reason("PHANTOM.CORP-S-1-5-9") == .wellKnown("Enterprise Domain Controllers (S-1-5-9)"))
        #expect(reason("\(p)-502") == .wellKnown("krbtgt (502)"))
        #expect(reason(p) == .domainObject)
        #expect(reason("\(p)-1000") == .domainController)
        #expect(reason("\(p)-2194") == .memberOf(g.index(of: "\(p)-512")!))
        let adminSDHolder = try #require(g.principals.first { $0.distinguishedName == "CN=ADMINSDHOLDER,CN=SYSTEM,DC=PHANTOM,DC=CORP" })
        #expect(reason(adminSDHolder.id) == .adminSDHolder)
        // Operators only when asked.
        #expect(reason("PHANTOM.CORP-S-1-5-32-548") == nil)
        #expect(g.tierZero.count == g.principals.indices.filter { g.isTierZero(Int32($0)) }.count)
    }

    @Test func rawPropertiesStayAvailable() throws {
        let p = Self.phantom
        let i = try #require(g.index(of: "\(p)-2203"))
        let props = try #require(g.properties(of: i))
        #expect(props["name"]?.string == "STEPHEN@PHANTOM.CORP")
        #expect(props["samaccountname"]?.string == g[i].samAccountName)
        #expect(g[i].enabled != nil)
        // A user described twice (GMSA_SHS22$, then HAYDEN): one principal, the later name.
        #expect(g.principal("\(p)-2186")?.name == "HAYDEN@PHANTOM.CORP")
        // Referenced only: no properties.
        #expect(g.properties(of: g.index(of: "S-1-5-21-1852147331-818484528-1557274963")!) == nil)
    }

    /// The same collection zipped (as SharpHound delivers it) gives the same graph.
    @Test func theSampleZippedReadsTheSame() throws {
        let zip = FileManager.default.temporaryDirectory.appendingPathComponent("bulwark-sample-\(UUID().uuidString).zip").path
        defer { try? FileManager.default.removeItem(atPath: zip) }
        let script = """
        import glob, os, sys, zipfile
        with zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as z:
            for f in sorted(glob.glob(os.path.join(sys.argv[1], "*.json"))):
                z.write(f, os.path.basename(f))
        """
        let run = try TestSupport.runPython(script, [Fixtures.sampleFolder, zip])
        try #require(run.status == 0, "\(run.stderr)")
        let z = try SharpHoundLoader().load(path: zip)
        #expect(z.files.count == 31)
        #expect(z.principals == g.principals)
        #expect(z.edgeSources == g.edgeSources && z.edgeTargets == g.edgeTargets && z.edgeKinds == g.edgeKinds)
        #expect(z.tierZero == g.tierZero)
    }

    /// Threads share the files, but the graph does not depend on how.
    @Test func oneThreadGivesTheSameGraph() throws {
        let single = try SharpHoundLoader(options: .init(threads: 1)).load(path: Fixtures.sampleFolder)
        #expect(single.principals == g.principals)
        #expect(single.edgeSources == g.edgeSources && single.edgeTargets == g.edgeTargets && single.edgeKinds == g.edgeKinds)
        #expect(single.diagnostics == g.diagnostics)
    }

    @Test func csrIndexesAgreeWithTheEdgeArrays() {
        var incoming = 0
        for v in 0..<Int32(g.principalCount) {
            for e in g.outgoing(v) { #expect(g.edgeSources[e] == v) }
            for e in g.incoming(v) { #expect(g.edgeTargets[Int(e)] == v) }
            incoming += g.incoming(v).count
        }
        #expect(incoming == g.edgeCount)
        let triples = (0..<g.edgeCount).map { g.edge($0) }
        #expect(Set(triples).count == triples.count)
    }
}

extension IdentityGraph {
    func edges(of kind: EdgeKind) -> [Edge] { (0..<edgeCount).filter { edgeKinds[$0] == kind }.map(edge) }
}
