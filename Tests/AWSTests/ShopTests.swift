import AWS
import BulwarkModel
import PacketSpace
import Testing

/// The project's own estate (`Inputs/shop`): three subnets with network ACLs, a load balancer
/// interface, and groups written to exercise every check.
@Suite struct ShopTests {
    let estate: AWSEstate

    init() throws { estate = try Inputs.shopEstate() }

    func flow(_ s: String, _ d: String, _ proto: UInt8 = 6, port: UInt16, sourcePort: UInt16? = nil) throws -> AWSFlowDecision {
        estate.decide(try #require(AWSFlow(s, d, protocolNumber: proto, port: port, sourcePort: sourcePort)))
    }

    @Test func readsEverythingCleanly() {
        #expect(estate.loaded == Set(AWSInputKind.allCases))
        #expect(estate.diagnostics.isEmpty, "\(estate.diagnostics)")
        #expect(estate.securityGroups.count == 8 && estate.instances.count == 6 && estate.interfaces.count == 7)
        #expect(estate.networkACLs.count == 4)
        let db = estate.networkACLs[2]
        // Sorted by rule number although rule 90 follows rule 100 in the file.
        #expect(db.entries(.ingress).map(\.label) == ["90", "100", "*", "*"])
        #expect(estate.networkACL(forSubnet: "subnet-0db00000000000003").acl?.id == "acl-0db00000000000003")
    }

    /// Replies from the database reach the application subnet only on ports 32768-65535.
    @Test func returnTrafficBlockedOnLowEphemeralPorts() throws {
        let d = try flow("10.20.2.10", "10.20.3.10", port: 5432)
        #expect(d.verdict == .allowedForSomeClientPorts && d.exact)
        #expect(d.clientPorts == 1024...65535)
        #expect(d.clientPortsAllowed == IntervalSet(32768...65535))
        #expect(d.outcomes.filter { !$0.stage.isReturn }.allSatisfy { $0.allowed })
        let back = d.outcomes(.returnEntersSourceSubnet)
        #expect(back.map(\.clientPorts) == [1024...32767, 32768...65535])
        #expect(back.map(\.allowed) == [false, true])
        #expect(back[0].deciding.description.contains("acl-0app0000000000002 rule * deny"))
        #expect(back[1].deciding.description.contains("acl-0app0000000000002 rule 110 allow"))
        // A named client port gets a plain answer.
        #expect(try flow("10.20.2.10", "10.20.3.10", port: 5432, sourcePort: 40000).verdict == .allowed)
        #expect(try flow("10.20.2.10", "10.20.3.10", port: 5432, sourcePort: 2000).verdict == .blocked)

        // Every sampled client port agrees with the range answer.
        var rng = SplitMix64(seed: 17)
        for _ in 0..<300 {
            let port = UInt16(1024 + rng.next() % (65536 - 1024))
            let single = try flow("10.20.2.10", "10.20.3.10", port: 5432, sourcePort: port)
            #expect((single.verdict == .allowed) == d.clientPortsAllowed!.contains(UInt128(port)), "client port \(port)")
        }
    }

    /// IPv6 clients reach the load balancer, but no outbound rule lets the replies out.
    @Test func returnTrafficBlockedOnEveryPort() throws {
        let d = try flow("2001:db8:ffff::7", "2001:db8:20:1::50", port: 443)
        #expect(d.verdict == .blocked && d.exact)
        #expect(d.outcomes.filter { !$0.stage.isReturn }.allSatisfy { $0.allowed })
        #expect(d.outcomes(.requestEntersDestinationSubnet).first?.deciding.description.contains("rule 101 allow") == true)
        let out = d.outcomes(.returnLeavesDestinationSubnet)
        #expect(out.count == 1 && out[0].clientPorts == 1024...65535 && !out[0].allowed)
        #expect(out[0].deciding.description.contains("acl-0web0000000000001 rule * deny"))
        #expect(d.clientPortsAllowed?.isEmpty == true)
        // The same over IPv4 works: rule 110 lets replies out.
        #expect(try flow("198.51.100.7", "10.20.1.50", port: 443).verdict == .allowed)
    }

    /// Network ACLs decide by rule number: rule 90 denies app-2 before rule 100 would allow it.
    @Test func ruleOrdering() throws {
        let app2 = try flow("10.20.2.200", "10.20.3.10", port: 5432, sourcePort: 40000)
        #expect(app2.verdict == .blocked && app2.exact)
        let entering = try #require(app2.outcomes(.requestEntersDestinationSubnet).first)
        #expect(!entering.allowed)
        guard case .networkACLEntry(_, let rule, let action, let location)? = entering.deciding.first else {
            Issue.record("expected a deciding entry, got \(entering.deciding)")
            return
        }
        #expect(rule == 90 && action == .deny && location.file == "ec2-describe-network-acls.json")
        // The groups alone would have allowed it.
        #expect(app2.outcomes(.sourceSecurityGroups).first?.allowed == true)
        #expect(app2.outcomes(.destinationSecurityGroups).first?.allowed == true)
        let app1 = try flow("10.20.2.10", "10.20.3.10", port: 5432, sourcePort: 40000)
        #expect(app1.outcomes(.requestEntersDestinationSubnet).first?.deciding.description.contains("rule 100 allow") == true)
    }

    /// A prefix list is named but its CIDRs are not in the exports: what it admits is inexact.
    @Test func prefixListIsInexact() throws {
        let app = try #require(estate.instances.first { $0.name == "app-1" })
        let ingress = estate.ingressAllowed(instance: app.id)
        let viaList = try #require(ingress.first { $0.permission?.groupId == "sg-0app0000000000003" && $0.permission?.index == 2 })
        #expect(!viaList.exact && viaList.cubes.isEmpty && !viaList.packets.possible.isEmpty)
        #expect(viaList.reasons == ["prefix list pl-0123456789abcdef0: its CIDRs are not in the exports"])
        let partner = try #require(ingress.first { $0.permission?.index == 4 })
        #expect(partner.reasons.contains("sg-0partner000000099 belongs to account 444455556666: its members are not in the exports"))

        // From the web subnet on 9000: the groups do not surely block it (the list may hold the
        // address), but the application subnet's ACL surely does, so the verdict is exact.
        let d = try flow("10.20.1.10", "10.20.2.10", port: 9000, sourcePort: 40000)
        let groups = try #require(d.outcomes(.destinationSecurityGroups).first)
        #expect(!groups.allowed && !groups.exact && groups.reasons == viaList.reasons)
        #expect(d.verdict == .blocked && d.exact)
        // Within the subnet no ACL helps: the answer stays inexact.
        let sameSubnet = estate.decide(AWSFlow(source: try #require(AWSAddress("10.20.2.99")), destination: try #require(AWSAddress("10.20.2.10")),
                                               protocolNumber: 6, destinationPort: 9000))
        #expect(sameSubnet.verdict == .blocked && !sameSubnet.exact)
        #expect(sameSubnet.reasons.contains { $0.contains("no known interface has 10.20.2.99") })
    }

    @Test func icmpEchoAndItsReply() throws {
        let ping = estate.decide(AWSFlow(source: try #require(AWSAddress("198.51.100.7")), destination: try #require(AWSAddress("10.20.1.5")),
                                         protocolNumber: 1, icmpType: 8))
        #expect(ping.verdict == .allowed && ping.exact)
        #expect(ping.outcomes(.returnLeavesDestinationSubnet).first?.deciding.description.contains("rule 130 allow") == true)
        #expect(ping.clientPorts == nil && ping.clientPortsAllowed == nil)
        let timestamp = estate.decide(AWSFlow(source: try #require(AWSAddress("198.51.100.7")), destination: try #require(AWSAddress("10.20.1.5")),
                                              protocolNumber: 1, icmpType: 13))
        #expect(timestamp.verdict == .blocked)
    }

    @Test func findings() throws {
        let findings = estate.findings()
        func find(_ kind: AWSFindingKind, _ group: String) -> [AWSFinding] { findings.filter { $0.kind == kind && $0.groupId == group } }
        let sg = (lb: "sg-0lb00000000000001", web: "sg-0web0000000000002", app: "sg-0app0000000000003", db: "sg-0db00000000000004",
                  bastion: "sg-0bastion000000005", defaultGroup: "sg-0default000000006", legacy: "sg-0legacy0000000007", shared: "sg-0shared0000000008")

        // Administrative services open to the world: SSH on the bastion, RDP over IPv6 on the legacy group.
        let admin = findings.filter { $0.kind == .adminPortOpenToWorld }
        #expect(Set(admin.map(\.groupId)) == [sg.bastion, sg.legacy])
        let rdp = try #require(find(.adminPortOpenToWorld, sg.legacy).first)
        #expect(rdp.severity == .critical && rdp.exact && rdp.message == "\(sg.legacy) ingress #0 lets ::/0 reach tcp 3389, which includes rdp (tcp 3389)")
        #expect(find(.adminPortOpenToWorld, sg.bastion).first?.severity == .high)
        #expect(find(.adminPortOpenToWorld, sg.lb).isEmpty)  // 443 is not administrative

        // Subsumed rules.
        let subsumed = findings.filter { $0.kind == .subsumedPermission }
        #expect(subsumed.count == 3)
        let webSSH = try #require(find(.subsumedPermission, sg.web).first)
        #expect(webSSH.message.hasPrefix("\(sg.web) ingress #1 (tcp 22 from \(sg.bastion)) is subsumed by \(sg.web) ingress #1 (tcp 22 from 10.20.0.0/16)"))
        #expect(webSSH.message.contains("as long as the members of \(sg.bastion) stay inside 10.20.0.0/16"))
        #expect(webSSH.fix == "Remove \(sg.bastion) from the permission")
        let app8080 = try #require(find(.subsumedPermission, sg.app).first)
        #expect(app8080.permission?.index == 1 && app8080.related.map(\.index) == [0] && app8080.exact)
        #expect(find(.subsumedPermission, sg.db).first?.permission?.index == 0)

        // Unused groups: the default one (info, still with permissions) and the legacy one.
        let unused = findings.filter { $0.kind == .unusedGroup }
        #expect(Set(unused.map(\.groupId)) == [sg.defaultGroup, sg.legacy])
        #expect(find(.unusedGroup, sg.defaultGroup).first?.severity == .info)
        #expect(find(.unusedGroup, sg.defaultGroup).first?.related.map(\.description) == ["\(sg.db) ingress #1"])
        #expect(unused.allSatisfy { $0.exact })

        // Broad references: the default group, a group most of the VPC carries, and 10.0.0.0/8.
        let broad = findings.filter { $0.kind == .broadReference }
        #expect(broad.count == 3)
        #expect(broad.contains { $0.groupId == sg.db && $0.permission?.index == 1 && $0.message.contains("the VPC's default group") })
        #expect(broad.contains { $0.groupId == sg.app && $0.permission?.index == 3 && $0.message.contains("which 4 of the 7 known interfaces of the VPC carry") })
        let wide = try #require(broad.first { $0.message.contains("10.0.0.0/8") })
        #expect(wide.severity == .low && wide.message.contains("holds all of the VPC (10.20.0.0/16) and 16711680 addresses outside it"))

        // Every finding points at its permission or group, and ids are stable and distinct.
        #expect(findings.allSatisfy { $0.location.file == "ec2-describe-security-groups.json" && $0.location.column != nil })
        #expect(Set(findings.map(\.id)).count == findings.count)
        #expect(try Inputs.shopEstate().findings().map(\.id) == findings.map(\.id))
        #expect(findings.map(\.severity) == findings.map(\.severity).sorted(by: >))
    }

    /// Without the network-interface export the load balancer's group looks unused, and the
    /// finding says why it may be wrong.
    @Test func partialInventoryIsInexact() throws {
        let folder = Inputs.own("shop") + "/"
        let partial = try AWSEstate.load(["ec2-describe-security-groups.json", "ec2-describe-instances.json"].map { try Inputs.file(folder + $0) })
        let lb = try #require(partial.findings().first { $0.groupId == "sg-0lb00000000000001" })
        #expect(lb.kind == .unusedGroup && !lb.exact)
        #expect(lb.inexactReasons.first?.hasPrefix("no describe-network-interfaces export") == true)
    }
}
