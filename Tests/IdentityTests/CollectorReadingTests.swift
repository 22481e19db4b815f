import BulwarkModel
import Foundation
import Identity
import Testing
import TestSupport

/// Collector files written here: byte-order marks, key case, v5 and v6 shapes, merging, and the
/// trimmed CE fixtures in ../shared/fixtures/bloodhound/minimal.
@Suite struct CollectorReadingTests {
    static let domain = "S-1-5-21-1-2-3"

    /// A users file with keys spelled as `case` asks.
    static func users(upper: Bool, bom: Bool) -> CollectorFile {
        let k = { (s: String) in upper ? s.uppercased() : s.lowercased() }
        let json = """
        {"\(k("data"))": [{"\(k("ObjectIdentifier"))": "\(domain)-1105",
          "\(k("Properties"))": {"\(k("name"))": "ALICE@CORP.LOCAL", "\(k("domain"))": "corp.local", "\(k("enabled"))": true,
                                 "\(k("hasspn"))": true, "\(k("lastlogontimestamp"))": 1709600000},
          "\(k("PrimaryGroupSID"))": "\(domain)-513",
          "\(k("SPNTargets"))": [{"\(k("ComputerSID"))": "\(domain)-1104", "\(k("Port"))": 1433, "\(k("Service"))": "SQLAdmin"}],
          "\(k("Aces"))": [{"\(k("PrincipalSID"))": "\(domain)-512", "\(k("PrincipalType"))": "Group", "\(k("RightName"))": "GenericAll", "\(k("IsInherited"))": false}]}],
         "\(k("meta"))": {"\(k("methods"))": 0, "\(k("type"))": "users", "\(k("count"))": 1, "\(k("version"))": 6}}
        """
        return CollectorFile(name: "20240305110018_users.json", bytes: (bom ? [0xEF, 0xBB, 0xBF] : []) + Array(json.utf8))
    }

    @Test(arguments: [(false, false), (true, true), (false, true), (true, false)])
    func byteOrderMarkAndKeyCaseDoNotMatter(upper: Bool, bom: Bool) throws {
        let g = try Fixtures.load([Self.users(upper: upper, bom: bom)])
        let d = Self.domain
        #expect(g.diagnostics.isEmpty, "\(g.diagnostics)")
        let alice = try #require(g.principal("\(d)-1105"))
        #expect(alice.kind == .user && alice.collected && alice.name == "ALICE@CORP.LOCAL")
        #expect(alice.domain == "CORP.LOCAL" && alice.enabled == true && alice.flags.contains(.hasSPN))
        #expect(alice.lastLogonTimestamp == 1_709_600_000)
        #expect(g.kinds(from: "\(d)-1105", to: "\(d)-513") == [.memberOf])
        #expect(g.kinds(from: "\(d)-1105", to: "\(d)-1104") == [.sqlAdmin])
        #expect(g.kinds(from: "\(d)-512", to: "\(d)-1105") == [.genericAll])
        // Referenced ids take the kind their reference states, and the domain of their SID is unknown here.
        #expect(g.principal("\(d)-512")?.kind == .group)
        #expect(g.principal("\(d)-1104")?.kind == .computer)
        #expect(g.principal("\(d)-512")?.collected == false)
    }

    /// SharpHound v6 (CE) computer: LocalGroups, sessions, IsDC, DomainSID, ContainedBy.
    static let v6Computer = """
    {"data":[{"ObjectIdentifier":"\(domain)-1000","Properties":{"name":"DC01.CORP.LOCAL","domain":"CORP.LOCAL","isdc":true},
      "PrimaryGroupSID":"\(domain)-516","IsDC":true,"DomainSID":"\(domain)",
      "ContainedBy":{"ObjectIdentifier":"OU-GUID-DCS","ObjectType":"OU"},
      "Sessions":{"Results":[{"UserSID":"\(domain)-1105","ComputerSID":"\(domain)-1000"}],"Collected":true,"FailureReason":null},
      "PrivilegedSessions":{"Results":[{"UserSID":"\(domain)-1106","ComputerSID":"\(domain)-1000"}],"Collected":false},
      "RegistrySessions":{"Collected":true,"Results":[{"UserSID":"\(domain)-1107","ComputerSID":"\(domain)-1000"}]},
      "LocalGroups":[
        {"ObjectIdentifier":"CORP.LOCAL-S-1-5-32-544","Name":"IGNOREME","Collected":true,"Results":[{"ObjectIdentifier":"\(domain)-512","ObjectType":"Group"}]},
        {"ObjectIdentifier":"CORP.LOCAL-S-1-5-32-555","Name":"IGNOREME","Results":[{"ObjectIdentifier":"\(domain)-1105","ObjectType":"User"}]},
        {"ObjectIdentifier":"CORP.LOCAL-S-1-5-32-562","Results":[{"ObjectIdentifier":"\(domain)-1106","ObjectType":"User"}]},
        {"ObjectIdentifier":"CORP.LOCAL-S-1-5-32-580","Results":[{"ObjectIdentifier":"\(domain)-1107","ObjectType":"User"}]},
        {"ObjectIdentifier":"CORP.LOCAL-S-1-5-32-545","Results":[{"ObjectIdentifier":"\(domain)-513","ObjectType":"Group"}]}],
      "UserRights":[{"Privilege":"SeRemoteInteractiveLogonRight","Results":[{"ObjectIdentifier":"\(domain)-1105","ObjectType":"User"}],"Collected":true}],
      "AllowedToAct":[{"ObjectIdentifier":"\(domain)-1108","ObjectType":"Computer"}],
      "AllowedToDelegate":[{"ObjectIdentifier":"\(domain)-1109","ObjectType":"Computer"}],
      "HasSIDHistory":[],"DumpSMSAPassword":[{"ObjectIdentifier":"\(domain)-1110","ObjectType":"User"}],
      "Aces":[]}],
     "meta":{"methods":0,"type":"computers","count":1,"version":6}}
    """

    /// SharpHound v5 (legacy BloodHound 4.x) shapes: LocalAdmins/RemoteDesktopUsers/DcomUsers/PSRemoteUsers
    /// API results, numeric trust enums, domainsid only among the properties, ChildObjects for containment.
    static let v5Computer = """
    {"data":[{"ObjectIdentifier":"\(domain)-1000","Properties":{"name":"DC01.CORP.LOCAL","domain":"CORP.LOCAL","domainsid":"\(domain)"},
      "PrimaryGroupSID":"\(domain)-516",
      "Sessions":{"Results":[{"UserSID":"\(domain)-1105","ComputerSID":"\(domain)-1000"}],"Collected":true},
      "LocalAdmins":{"Results":[{"ObjectIdentifier":"\(domain)-512","ObjectType":"Group"}],"Collected":true},
      "RemoteDesktopUsers":{"Results":[{"ObjectIdentifier":"\(domain)-1105","ObjectType":"User"}],"Collected":true},
      "DcomUsers":{"Results":[{"ObjectIdentifier":"\(domain)-1106","ObjectType":"User"}],"Collected":true},
      "PSRemoteUsers":{"Results":[{"ObjectIdentifier":"\(domain)-1107","ObjectType":"User"}],"Collected":true},
      "AllowedToAct":[{"ObjectIdentifier":"\(domain)-1108","ObjectType":"Computer"}],
      "AllowedToDelegate":[{"ObjectIdentifier":"\(domain)-1109","ObjectType":"Computer"}],
      "Aces":[]}],
     "meta":{"methods":0,"type":"computers","count":1,"version":5}}
    """

    static let v5Domain = """
    {"data":[{"ObjectIdentifier":"\(domain)","Properties":{"name":"CORP.LOCAL","domain":"CORP.LOCAL","domainsid":"\(domain)"},
      "ChildObjects":[{"ObjectIdentifier":"OU-GUID-DCS","ObjectType":"OU"}],
      "Links":[{"IsEnforced":false,"Guid":"GPO-GUID-1"}],
      "Trusts":[{"TargetDomainSid":"S-1-5-21-9-9-9","TargetDomainName":"PARTNER.LOCAL","IsTransitive":true,
                 "SidFilteringEnabled":false,"TrustDirection":3,"TrustType":3}],
      "Aces":[{"PrincipalSID":"\(domain)-1105","PrincipalType":"User","RightName":"GetChanges","IsInherited":false},
              {"PrincipalSID":"\(domain)-1105","PrincipalType":"User","RightName":"GetChangesAll","IsInherited":false}]}],
     "meta":{"methods":0,"type":"domains","count":1,"version":5}}
    """

    @Test func v6Computer() throws {
        let g = try Fixtures.load([Fixtures.file("c_computers.json", Self.v6Computer)])
        let d = Self.domain, dc = "\(d)-1000"
        #expect(g.diagnostics.isEmpty, "\(g.diagnostics)")
        #expect(g.kinds(from: "\(d)-512", to: dc) == [.adminTo])
        #expect(g.kinds(from: "\(d)-1105", to: dc) == [.canRDP, .remoteInteractiveLogonRight])
        #expect(g.kinds(from: "\(d)-1106", to: dc) == [.executeDCOM])
        #expect(g.kinds(from: "\(d)-1107", to: dc) == [.canPSRemote])
        #expect(g.kinds(from: "\(d)-513", to: dc).isEmpty, "Users (545) gives no edge")
        // Sessions and registry sessions were collected; privileged sessions were not.
        #expect(g.hasEdge(from: dc, .hasSession, to: "\(d)-1105"))
        #expect(!g.hasEdge(from: dc, .hasSession, to: "\(d)-1106"))
        #expect(g.hasEdge(from: dc, .hasSession, to: "\(d)-1107"))
        #expect(g.hasEdge(from: "\(d)-1108", .allowedToAct, to: dc))
        #expect(g.hasEdge(from: dc, .allowedToDelegate, to: "\(d)-1109"))
        #expect(g.hasEdge(from: dc, .dumpSMSAPassword, to: "\(d)-1110"))
        #expect(g.hasEdge(from: "OU-GUID-DCS", .contains, to: dc))
        #expect(g.hasEdge(from: dc, .dcFor, to: d))
        #expect(g.hasEdge(from: dc, .memberOf, to: "\(d)-516"))
        #expect(g.principal(dc)?.flags.contains(.domainController) == true)
        #expect(g.tierZeroReason(g.index(of: dc)!) == .domainController)
        #expect(g.principal("OU-GUID-DCS")?.kind == .ou)
    }

    @Test func v5ComputerAndDomain() throws {
        let g = try Fixtures.load([Fixtures.file("a_computers.json", Self.v5Computer), Fixtures.file("b_domains.json", Self.v5Domain)])
        let d = Self.domain, dc = "\(d)-1000"
        #expect(g.diagnostics.isEmpty, "\(g.diagnostics)")
        #expect(g.kinds(from: "\(d)-512", to: dc) == [.adminTo])
        #expect(g.kinds(from: "\(d)-1105", to: dc) == [.canRDP])
        #expect(g.kinds(from: "\(d)-1106", to: dc) == [.executeDCOM])
        #expect(g.kinds(from: "\(d)-1107", to: dc) == [.canPSRemote])
        #expect(g.hasEdge(from: dc, .hasSession, to: "\(d)-1105"))
        #expect(g.hasEdge(from: d, .contains, to: "OU-GUID-DCS"))
        #expect(g.hasEdge(from: "GPO-GUID-1", .gpLink, to: d))
        // TrustDirection 3 = bidirectional, TrustType 3 = external: CrossForestTrust both ways, and
        // without SID filtering the trusted side may spoof SID history into this domain.
        #expect(g.kinds(from: d, to: "S-1-5-21-9-9-9") == [.crossForestTrust])
        #expect(g.kinds(from: "S-1-5-21-9-9-9", to: d) == [.crossForestTrust, .spoofSIDHistory])
        #expect(g.principal("S-1-5-21-9-9-9")?.name == "PARTNER.LOCAL")
        #expect(g.hasEdge(from: "\(d)-1105", .dcSync, to: d))
        // v5 names the domain SID only among the properties; referenced SIDs get the domain's name.
        #expect(g.principal(dc)?.domainSID == d)
        #expect(g.principal("\(d)-1106")?.domain == "CORP.LOCAL")
    }

    @Test func theSameObjectInSeveralFilesIsMerged() throws {
        let d = Self.domain
        let first = """
        {"data":[{"ObjectIdentifier":"\(d)-1105","Properties":{"name":"OLD@CORP.LOCAL","domain":"CORP.LOCAL","admincount":true,"description":"first"},
                  "Aces":[{"PrincipalSID":"\(d)-512","PrincipalType":"Group","RightName":"GenericAll"}]},
                 {"ObjectIdentifier":"\(d)-1106","Properties":{"name":"BOB@CORP.LOCAL","domain":"CORP.LOCAL"}}],
         "meta":{"type":"users","count":2,"version":6}}
        """
        let second = """
        {"data":[{"ObjectIdentifier":"\(d)-1105","Properties":{"name":"ALICE@CORP.LOCAL","admincount":false,"title":"second"},
                  "Aces":[{"PrincipalSID":"\(d)-512","PrincipalType":"Group","RightName":"GenericAll"},
                          {"PrincipalSID":"\(d)-519","PrincipalType":"Group","RightName":"WriteDacl"}]}],
         "meta":{"type":"users","count":1,"version":6}}
        """
        let g = try Fixtures.load([Fixtures.file("1_users.json", first), Fixtures.file("2_users.json", second)])
        #expect(g.count(of: .user) == 2)
        let alice = try #require(g.principal("\(d)-1105"))
        #expect(alice.name == "ALICE@CORP.LOCAL" && alice.domain == "CORP.LOCAL" && !alice.flags.contains(.adminCount))
        #expect(g.edges(to: "\(d)-1105").count == 2, "GenericAll once, WriteDacl once")
        let props = try #require(g.properties(of: g.index(of: "\(d)-1105")!))
        #expect(props["description"]?.string == "first" && props["title"]?.string == "second" && props["name"]?.string == "ALICE@CORP.LOCAL")
    }

    @Test func caseOfKeysDoesNotSplitSPNTargets() throws {
        // SharpHound writes SPNTargets; CE's fixtures write SpnTargets. Both are read.
        let d = Self.domain
        for key in ["SPNTargets", "SpnTargets", "spntargets"] {
            let json = """
            {"data":[{"ObjectIdentifier":"\(d)-1105","\(key)":[{"ComputerSID":"\(d)-1104","Port":1433,"Service":"SQLAdmin"}]}],
             "meta":{"type":"users","count":1,"version":6}}
            """
            let g = try Fixtures.load([Fixtures.file("u_users.json", json)])
            #expect(g.hasEdge(from: "\(d)-1105", .sqlAdmin, to: "\(d)-1104"), "\(key)")
        }
    }

    @Test func callerAddsTierZeroAndOperatorsOnRequest() throws {
        let d = Self.domain
        let json = """
        {"data":[{"ObjectIdentifier":"CORP.LOCAL-S-1-5-32-548","Properties":{"name":"ACCOUNT OPERATORS@CORP.LOCAL"},
                  "Members":[{"ObjectIdentifier":"\(d)-1105","ObjectType":"User"}]},
                 {"ObjectIdentifier":"\(d)-2000","Properties":{"name":"VAULT ADMINS@CORP.LOCAL","highvalue":true}},
                 {"ObjectIdentifier":"\(d)-2001","Properties":{"name":"T0@CORP.LOCAL","system_tags":"admin_tier_0"}},
                 {"ObjectIdentifier":"\(d)-2002","Properties":{"name":"PLAIN@CORP.LOCAL"}}],
         "meta":{"type":"groups","count":4,"version":6}}
        """
        let plain = try Fixtures.load([Fixtures.file("g_groups.json", json)])
        func reason(_ g: IdentityGraph, _ id: String) -> TierZeroReason? { g.tierZeroReason(g.index(of: id)!) }
        #expect(reason(plain, "CORP.LOCAL-S-1-5-32-548") == nil)
        #expect(reason(plain, "\(d)-2000") == .markedInData)
        #expect(reason(plain, "\(d)-2001") == .markedInData)
        #expect(reason(plain, "\(d)-2002") == nil)
        let extended = try Fixtures.load([Fixtures.file("g_groups.json", json)],
                                         rules: TierZeroRules(includeOperatorGroups: true, additionalIDs: ["\(d)-2002"]))
        #expect(reason(extended, "CORP.LOCAL-S-1-5-32-548") == .wellKnown("Account Operators (548)"))
        #expect(reason(extended, "\(d)-1105") == .memberOf(extended.index(of: "CORP.LOCAL-S-1-5-32-548")!))
        #expect(reason(extended, "\(d)-2002") == .addedByCaller)
        // Ids known only after loading (an estate manifest's) apply to a loaded graph.
        let later = plain.applyingTierZero(TierZeroRules(additionalIDs: ["\(d)-2002", "no-such-id"]))
        #expect(reason(later, "\(d)-2002") == .addedByCaller)
        #expect(later.tierZero.count == plain.tierZero.count + 1)
    }

    @Test(.enabled(if: Fixtures.hasShared, "SharpHound fixtures skipped: ../shared absent"))
    func minimalFixtures() throws {
        let g = try SharpHoundLoader().load(path: Fixtures.minimalFolder)
        let d = "S-1-5-21-3130019616-2776909439-2417379446"
        #expect(g.files.count == 4 && g.files.allSatisfy { $0.used })
        #expect(g.diagnostics.isEmpty, "\(g.diagnostics)")
        #expect([PrincipalKind.user, .group, .computer, .domain].map { g.count(of: $0, in: "TESTLAB.LOCAL") } == [1, 1, 1, 1])
        #expect(g.kinds(from: "\(d)-1105", to: "\(d)-1104") == [.adminTo])
        #expect(g.kinds(from: "\(d)-1104", to: "\(d)-500") == [.hasSession])
        #expect(g.kinds(from: "\(d)-512", to: "\(d)-1104") == [.owns])
        #expect(g.kinds(from: "\(d)-512", to: "\(d)-1105") == [.genericAll])
        #expect(g.kinds(from: "\(d)-500", to: "\(d)-512") == [.memberOf])
        #expect(g.kinds(from: "TESTLAB.LOCAL-S-1-5-32-544", to: "\(d)-512") == [.writeDacl])
        #expect(g.kinds(from: "TESTLAB.LOCAL-S-1-5-32-544", to: d) == [.getChanges, .getChangesAll, .dcSync])
        #expect(g.principal("\(d)-500")?.kind == .user && g.principal("\(d)-500")?.domain == "TESTLAB.LOCAL")
        #expect(g.isTierZero(g.index(of: "\(d)-500")!))
        #expect(!g.isTierZero(g.index(of: "\(d)-1105")!))
    }
}
