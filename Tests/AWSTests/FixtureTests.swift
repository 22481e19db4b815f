import AWS
import BulwarkModel
import PacketSpace
import Testing

/// The real exports in `../shared/fixtures/aws`: cloudmapper's demo account and Batfish's
/// security-group edge cases. Each test says by name that it was skipped when the folder is absent.
@Suite struct FixtureTests {
    @Test func demoAccountCounts() throws {
        guard Inputs.shared(for: "demoAccountCounts") else { return }
        let estate = try Inputs.sharedEstate()
        #expect(estate.securityGroups.count == 8)
        #expect(estate.securityGroups.map(\.ingress.count).reduce(0, +) == 9)
        #expect(estate.securityGroups.map(\.egress.count).reduce(0, +) == 8)
        #expect(estate.loaded == Set(AWSInputKind.allCases).subtracting([.networkACLs]))
        #expect(estate.vpcs.map(\.id) == ["vpc-12345678"])
        #expect(estate.subnets.count == 4)
        #expect(estate.instances.map(\.name) == ["Bastion", "Web1", "Web2"])
        // Three instance interfaces (all named eni-00000000 in the export) and the ECS interface.
        #expect(estate.interfaces.count == 4)
        #expect(estate.diagnostics.allSatisfy { $0.severity != .error })
        // The export's real quirks are reported, with places.
        let warnings = estate.diagnostics.filter { $0.severity == .warning }.map(\.message)
        #expect(warnings.contains { $0.contains("eni-00000000 is also on i-00000000000000000") })
        #expect(warnings.contains { $0.contains("172.31.48.168, outside its subnet subnet-00000001") })
        let hostBits = try #require(estate.diagnostics.first { $0.message.contains("2.2.2.2/28") })
        #expect(hostBits.severity == .note && hostBits.location.file == "ec2-describe-security-groups.json")
        #expect(hostBits.location.line == 257)
    }

    @Test func permissionsPointIntoTheFile() throws {
        guard Inputs.shared(for: "permissionsPointIntoTheFile") else { return }
        let estate = try Inputs.sharedEstate()
        let publicGroup = try #require(estate.group(id: "sg-00000008"))
        #expect(publicGroup.location == FileLocation(file: "ec2-describe-security-groups.json", line: 3, column: 9))
        #expect(publicGroup.egress[0].locator.location.line == 5)
        #expect(publicGroup.ingress.map(\.locator.location.line) == [19, 33])
        #expect(publicGroup.ingress.map(\.locator.location.column) == [17, 17])
        #expect(publicGroup.ingress[1].description == "tcp 443 from 0.0.0.0/0")
    }

    /// 443 open to the world is not an administrative port; SSH from a /32 and a /28 is not the world.
    @Test func worldOpen443IsNotAdministrativeAndOfficeSSHIsFine() throws {
        guard Inputs.shared(for: "worldOpen443IsNotAdministrativeAndOfficeSSHIsFine") else { return }
        let estate = try Inputs.sharedEstate()
        let findings = estate.findings()
        #expect(!findings.contains { $0.kind == .adminPortOpenToWorld })
        let ssh = try #require(estate.group(id: "sg-00000002")?.ingress.first)
        #expect(ssh.description == "tcp 22 from 1.1.1.1/32, 2.2.2.2/28")
        // The demo findings: unused groups only, the default one lowest.
        #expect(findings.allSatisfy { $0.kind == .unusedGroup })
        #expect(Set(findings.map(\.groupId)) == ["sg-00000001", "sg-00000003", "sg-00000005", "sg-00000006", "sg-00000007"])
        #expect(findings.first { $0.groupId == "sg-00000001" }?.severity == .info)
        #expect(findings.filter { $0.groupId != "sg-00000001" }.allSatisfy { $0.severity == .low && $0.exact })
        let publicWeb = try #require(findings.first { $0.groupId == "sg-00000003" })
        #expect(publicWeb.message.contains("sg-00000004 ingress #0 names it"))
        #expect(publicWeb.location.line == 198)
    }

    /// Group references resolve to the private addresses of the interfaces that carry the group.
    @Test func groupReferencesResolveToMembers() throws {
        guard Inputs.shared(for: "groupReferencesResolveToMembers") else { return }
        let estate = try Inputs.sharedEstate()
        let bastion = try #require(AWSAddress("10.0.0.1"))
        #expect(estate.memberAddresses(of: "sg-00000002") == AddressSet([bastion]))
        // The ECS interface (group Public) takes SSH from the bastion's group, and 443 from anywhere.
        let eni = try #require(estate.interfaces.first { $0.id == "eni-00000001" })
        let ingress = estate.ingressAllowed(interface: eni)
        #expect(ingress.count == 2 && ingress.allSatisfy { $0.exact })
        var ssh = PacketCube()
        ssh.restrict(.family, to: AddressFamily.ipv4.rawValue)
        ssh.restrict(.protocolNumber, to: 6)
        ssh.restrict(.destinationPort, to: 22)
        ssh.restrict(.sourceAddress, to: bastion.value)
        ssh.restrict(.destinationAddress, to: try #require(AWSAddress("172.31.48.168")).value)
        #expect(ingress[0].cubes == [ssh])

        // Bastion to the ECS interface on 22: same subnet, so no network ACL; exact.
        let toECS = estate.decide(try #require(AWSFlow("10.0.0.1", "172.31.48.168", protocolNumber: 6, port: 22)))
        #expect(toECS.verdict == .allowed && toECS.exact)
        #expect(toECS.outcomes.map(\.stage) == [.sourceSecurityGroups, .destinationSecurityGroups])
        #expect(toECS.outcomes[1].deciding == [.permission(ingress[0].permission!)])

        // Bastion to Web1 on 8000 (sg-00000004 names sg-00000002): allowed by the groups, but the
        // subnets differ and no network ACL export was given.
        let toWeb = estate.decide(try #require(AWSFlow("10.0.0.1", "10.0.2.1", protocolNumber: 6, port: 8000)))
        #expect(toWeb.verdict == .allowed && !toWeb.exact)
        #expect(toWeb.outcomes(.destinationSecurityGroups).allSatisfy { $0.allowed && $0.exact })
        #expect(toWeb.reasons.contains { $0.contains("no describe-network-acls export") })

        // Web1 to Web2 on 8000: Web1 carries neither sg-00000003 nor sg-00000002, which the export
        // shows, so the groups surely block it although sg-00000003 has no known members.
        let sideways = estate.decide(try #require(AWSFlow("10.0.2.1", "10.0.3.1", protocolNumber: 6, port: 8000)))
        #expect(sideways.verdict == .blocked && sideways.exact)
        #expect(sideways.outcomes(.destinationSecurityGroups).first?.deciding == [.noPermission(groupIds: ["sg-00000004"])])

        // From the internet: only a member of sg-00000003 could pass, and it has no known members.
        let fromOutside = estate.decide(try #require(AWSFlow("198.51.100.9", "10.0.2.1", protocolNumber: 6, port: 8000)))
        #expect(fromOutside.verdict == .blocked && !fromOutside.exact)
        #expect(fromOutside.reasons.contains("sg-00000003 has no known members (no loaded instance or interface carries it)"))
    }

    /// The default group names itself: its members may talk to each other on anything.
    @Test func selfReferencingDefaultGroup() throws {
        guard Inputs.shared(for: "selfReferencingDefaultGroup") else { return }
        let estate = try Inputs.sharedEstate()
        let group = try #require(estate.group(id: "sg-00000001"))
        #expect(group.isDefault)
        let permission = try #require(group.ingress.first)
        #expect(permission.description == "all traffic from sg-00000001")
        // Nothing carries it, so the reference is unresolved: nothing for sure, at most any address
        // that is not on a known interface (all four known interfaces lack the group).
        let (levels, reasons) = estate.addresses(of: permission.peers[0], in: group)
        #expect(levels.certain.isEmpty && levels.assumed.isEmpty)
        #expect(!levels.possible.contains(try #require(AWSAddress("10.0.0.1"))))
        #expect(levels.possible.contains(try #require(AWSAddress("10.0.9.9"))))
        #expect(reasons == ["sg-00000001 has no known members (no loaded instance or interface carries it)"])
        let unused = try #require(estate.findings().first { $0.groupId == "sg-00000001" })
        #expect(unused.kind == .unusedGroup && unused.severity == .info)
        #expect(unused.message.contains("still has 1 ingress and 1 egress permissions"))

        // With a member, the same permission is exact and admits the member itself.
        var eni = try #require(estate.interfaces.first { $0.id == "eni-00000001" })
        eni.groupIds = ["sg-00000001"]
        let withMember = AWSEstate(interfaces: [eni], securityGroups: estate.securityGroups, loaded: [.securityGroups, .networkInterfaces])
        let allowed = withMember.ingressAllowed(interface: eni)
        #expect(allowed.count == 1 && allowed[0].exact)
        let own = try #require(AWSAddress("172.31.48.168"))
        let selfFlow = AWSFlow(source: own, destination: own, protocolNumber: 47)
        #expect(withMember.decide(selfFlow).verdict == .allowed)
    }

    /// Batfish's edge cases, read as documented in docs/aws.md.
    @Test func batfishEdgeCases() throws {
        guard Inputs.shared(for: "batfishEdgeCases") else { return }
        let estate = try AWSEstate.load([try Inputs.file(Inputs.sharedAWS + "/SecurityGroupTest.json")])
        #expect(estate.securityGroups.count == 12)
        let byName = Dictionary(estate.securityGroups.map { ($0.name!, $0.ingress[0]) }, uniquingKeysWith: { a, _ in a })
        func service(_ name: String) -> Levels<ServiceMatch?>? { byName[name]?.service }
        #expect(service("Single port ") == Levels<ServiceMatch?>(exactly: ServiceMatch(protocolNumber: 6, ports: 22...22)))
        #expect(service("Half Open Beginning") == Levels<ServiceMatch?>(exactly: ServiceMatch(protocolNumber: 6, ports: 0...22)))
        #expect(service("Half Open Ending") == Levels<ServiceMatch?>(exactly: ServiceMatch(protocolNumber: 6, ports: 65530...65535)))
        #expect(service("Full Interval Ports") == Levels<ServiceMatch?>(exactly: ServiceMatch(protocolNumber: 6, ports: 0...65535)))
        #expect(service("ALL Traffic") == Levels<ServiceMatch?>(exactly: ServiceMatch.everything))
        #expect(service("Closed interval") == Levels<ServiceMatch?>(exactly: ServiceMatch(protocolNumber: 6, ports: 45...50)))
        // FromPort or ToPort -1 with tcp: AWS requires a range; read as the open end, as Batfish does, inexactly.
        let allTCP = ServiceMatch(protocolNumber: 6, ports: 0...65535)
        #expect(service("Invalid interval beginning") == Levels<ServiceMatch?>(certain: nil, assumed: ServiceMatch(protocolNumber: 6, ports: 0...50), possible: allTCP))
        #expect(service("Invalid interval end") == Levels<ServiceMatch?>(certain: nil, assumed: ServiceMatch(protocolNumber: 6, ports: 30...65535), possible: allTCP))
        #expect(byName["Invalid interval end"]?.serviceReasons == ["tcp ports 30--1 are not a valid range; read as 30-65535"])
        // ICMP: FromPort is the type, ToPort the code; a code with every type matches nothing.
        #expect(service("ICMP types with just type") == Levels<ServiceMatch?>(exactly: ServiceMatch(protocolNumber: 1, icmpType: 8)))
        #expect(service("ICMP types with type and code") == Levels<ServiceMatch?>(exactly: ServiceMatch(protocolNumber: 1, icmpType: 8, icmpCode: 9)))
        #expect(service("ICMP types invalid with code only") == Levels<ServiceMatch?>(certain: nil, assumed: nil, possible: ServiceMatch(protocolNumber: 1)))

        // Each odd value is a diagnostic at its permission.
        let warnings = estate.diagnostics.filter { $0.severity == .warning }
        let invalidBeginning = try #require(byName["Invalid interval beginning"]?.locator.location)
        #expect(warnings.contains { $0.location == invalidBeginning && $0.message.contains("read FromPort -1 as 0, as Batfish does") })
        #expect(warnings.contains { $0.message.contains("ICMP code 9 with every type (-1) is invalid") })
        #expect(warnings.contains { $0.message.contains("IpProtocol 'icmp' with IPv6 ranges") })
        #expect(warnings.contains { $0.message.contains("sg-0de0ddfa8a5a12348 appears again") })

        // All traffic from 0.0.0.0/0 reaches every administrative service.
        let findings = estate.findings()
        let admin = findings.filter { $0.kind == .adminPortOpenToWorld }
        #expect(admin.map(\.groupId) == ["sg-0c1301cba55e50293"])
        #expect(admin.first?.severity == .critical && admin.first?.exact == true)
        #expect(admin.first?.message.contains("all traffic (IpProtocol -1), which includes ssh (tcp 22)") == true)
        // No instances or interfaces were loaded: whether a group is used is unknown, so not reported.
        #expect(!findings.contains { $0.kind == .unusedGroup })
    }

    /// Batfish's stateful case: ingress 22 from 1.2.3.4, egress 80 to 5.6.7.8, on one interface.
    @Test func statefulGroup() throws {
        guard Inputs.shared(for: "statefulGroup") else { return }
        let groups = try AWSEstate.load([try Inputs.file(Inputs.sharedAWS + "/SecurityGroupTest.json")]).securityGroups
        let host = try #require(AWSAddress("10.0.0.5"))
        let eni = AWSInterface(id: "eni-test", instanceId: "i-test", subnetId: nil, vpcId: "vpc-6f6f8316", addresses: [host],
                               groupIds: ["sg-0de0ddfa8a5a12347"], interfaceDescription: nil, location: FileLocation(file: "test", line: 1))
        let estate = AWSEstate(interfaces: [eni], securityGroups: groups, loaded: [.securityGroups, .networkInterfaces])
        func verdict(_ s: String, _ d: String, _ port: UInt16) throws -> AWSFlowDecision.Verdict {
            estate.decide(try #require(AWSFlow(s, d, protocolNumber: 6, port: port, sourcePort: 40000))).verdict
        }
        #expect(try verdict("1.2.3.4", "10.0.0.5", 22) == .allowed)  // its reply needs no egress permission
        #expect(try verdict("1.2.3.5", "10.0.0.5", 22) == .blocked)
        #expect(try verdict("10.0.0.5", "5.6.7.8", 80) == .allowed)  // its reply needs no ingress permission
        #expect(try verdict("10.0.0.5", "5.6.7.8", 22) == .blocked)
        #expect(try verdict("5.6.7.8", "10.0.0.5", 80) == .blocked)
        #expect(try verdict("10.0.0.5", "1.2.3.4", 22) == .blocked)
        // The interface's subnet is unknown: a network ACL may apply, so an allowed flow is not sure.
        let allowed = estate.decide(try #require(AWSFlow("1.2.3.4", "10.0.0.5", protocolNumber: 6, port: 22)))
        #expect(allowed.reasons == ["the subnet of eni-test is unknown: a network ACL may apply to it"])
    }
}
