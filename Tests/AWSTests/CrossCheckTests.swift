import AWS
import BulwarkModel
import PacketSpace
import Testing

/// The set view (cubes a caller unions in a `PacketAlgebra`) against the packet-level decision, on
/// many random flows: over the project's estate, the shared demo account, and random estates written
/// as AWS CLI JSON. Every stage must agree: security groups with the union of the permissions' cubes
/// (and their exactness with `certain`/`possible`), network ACLs with first-match sets built from the
/// entries' cubes, on the request and on a reply the test builds itself.
@Suite struct CrossCheckTests {
    @Test func shopEstate() throws {
        let checked = try crossCheck(Inputs.shopEstate(), seed: 1, flows: 3000)
        #expect(checked.networkACLStages > 1000 && checked.securityGroupStages > 1000)
    }

    @Test func sharedDemoEstate() throws {
        guard Inputs.shared(for: "sharedDemoEstate") else { return }
        let checked = try crossCheck(Inputs.sharedEstate(), seed: 2, flows: 1500)
        #expect(checked.securityGroupStages > 500)
    }

    @Test(arguments: 0..<12) func randomEstate(seed: UInt64) throws {
        var generator = RandomEstate(seed: seed)
        let estate = try AWSEstate.load(generator.files())
        #expect(estate.diagnostics.allSatisfy { $0.severity != .error }, "\(estate.diagnostics)")
        let checked = try crossCheck(estate, seed: seed &+ 100, flows: 800)
        #expect(checked.networkACLStages > 100 && checked.securityGroupStages > 100)
    }

    struct Counts {
        var securityGroupStages = 0
        var networkACLStages = 0
    }

    func crossCheck(_ estate: AWSEstate, seed: UInt64, flows: Int) throws -> Counts {
        let algebra = PacketAlgebra()
        var rng = SplitMix64(seed: seed)
        var counts = Counts()
        func union(_ cubes: [PacketCube]) -> UInt32 { cubes.reduce(PacketAlgebra.emptyNode) { algebra.union($0, algebra.cube($1)) } }

        // Sets of the set view, once per interface and direction, and per ACL and direction.
        var groupSets: [String: Levels<UInt32>] = [:]
        func securityGroupSet(_ i: AWSInterface, _ d: TrafficDirection) -> Levels<UInt32> {
            let key = "\(i.id) \(i.instanceId ?? "") \(d)"
            if let s = groupSets[key] { return s }
            let allowed = d == .ingress ? estate.ingressAllowed(interface: i) : estate.egressAllowed(interface: i)
            let s = Levels(certain: union(allowed.flatMap(\.packets.certain)), assumed: union(allowed.flatMap(\.cubes)),
                           possible: union(allowed.flatMap(\.packets.possible)))
            groupSets[key] = s
            return s
        }
        var aclSets: [String: UInt32] = [:]
        func aclSet(_ acl: NetworkACL, _ d: TrafficDirection) -> UInt32 {
            let key = "\(acl.id) \(d)"
            if let s = aclSets[key] { return s }
            let s = acl.allowedSet(d, in: algebra)
            aclSets[key] = s
            return s
        }

        let pool = AddressPool(estate: estate, rng: &rng)
        let ports = pool.ports
        for _ in 0..<flows {
            let family: AddressFamily = rng.next() % 4 == 0 ? .ipv6 : .ipv4
            guard let source = pool.pick(family, &rng), let destination = pool.pick(family, &rng) else { continue }
            let proto: UInt8 = [6, 6, 17, 1, 58, 47][Int(rng.next() % 6)]
            var flow = AWSFlow(source: source, destination: destination, protocolNumber: proto)
            if proto == 6 || proto == 17 {
                flow.destinationPort = ports[Int(rng.next() % UInt64(ports.count))]
                // A third of the flows ask about the whole ephemeral range.
                switch rng.next() % 3 {
                case 0: flow.sourcePort = ports[Int(rng.next() % UInt64(ports.count))]
                case 1: flow.sourcePort = UInt16(truncatingIfNeeded: rng.next())
                default: flow.sourcePort = nil
                }
            } else if proto == 1 || proto == 58 {
                flow.icmpType = [0, 8, 9, 13, 128, 129, UInt8(truncatingIfNeeded: rng.next())][Int(rng.next() % 7)]
                flow.icmpCode = [0, 9, 255, UInt8(truncatingIfNeeded: rng.next())][Int(rng.next() % 4)]
            }
            let decision = estate.decide(flow)
            let packet = flow.packet

            // Security groups.
            for (stage, endpoint, direction) in [(DecisionStage.sourceSecurityGroups, decision.source, TrafficDirection.egress),
                                                 (.destinationSecurityGroups, decision.destination, .ingress)] {
                guard case .interface(let i) = endpoint else { continue }
                let o = try #require(decision.outcomes(stage).first, "\(flow): no \(stage)")
                let sets = securityGroupSet(i, direction)
                #expect(o.allowed == algebra.contains(sets.assumed, packet), "\(flow) \(stage)")
                let sure = algebra.contains(sets.certain, packet) || !algebra.contains(sets.possible, packet)
                #expect(o.exact == sure, "\(flow) \(stage): exact \(o.exact), reasons \(o.reasons)")
                counts.securityGroupStages += 1
            }

            // Network ACLs on the request, and on a reply built here.
            guard decision.source.subnetId != decision.destination.subnetId else {
                #expect(!decision.outcomes.contains { $0.stage != .sourceSecurityGroups && $0.stage != .destinationSecurityGroups })
                continue
            }
            var reply = packet
            reply[.sourceAddress] = packet[.destinationAddress]
            reply[.destinationAddress] = packet[.sourceAddress]
            reply[.sourcePort] = packet[.destinationPort]
            reply[.destinationPort] = packet[.sourcePort]
            let replyTypes: [UInt8: UInt8] = proto == 1 ? [8: 0, 13: 14, 15: 16, 17: 18] : proto == 58 ? [128: 129] : [:]
            var expectsReply = true
            if proto == 1 || proto == 58 {
                if let t = replyTypes[flow.icmpType] { reply[.icmpTypeCode] = UInt128(t) << 8 } else { expectsReply = false }
            }
            let legs: [(DecisionStage, String?, TrafficDirection, Packet)] = [
                (.requestLeavesSourceSubnet, decision.source.subnetId, .egress, packet),
                (.requestEntersDestinationSubnet, decision.destination.subnetId, .ingress, packet),
                (.returnLeavesDestinationSubnet, decision.destination.subnetId, .egress, reply),
                (.returnEntersSourceSubnet, decision.source.subnetId, .ingress, reply),
            ]
            for (stage, subnet, direction, p) in legs {
                let outcomes = decision.outcomes(stage)
                guard let subnet, !stage.isReturn || expectsReply else {
                    #expect(outcomes.isEmpty, "\(flow) \(stage)")
                    continue
                }
                guard let acl = estate.networkACL(forSubnet: subnet).acl else {
                    #expect(outcomes.count == 1 && outcomes[0].allowed && !outcomes[0].exact, "\(flow) \(stage)")
                    continue
                }
                let allExact = acl.entries.allSatisfy { $0.reasons.isEmpty }
                let set = aclSet(acl, direction)
                guard stage.isReturn, flow.hasPorts else {
                    #expect(outcomes.count == 1, "\(flow) \(stage)")
                    #expect(outcomes[0].allowed == algebra.contains(set, p), "\(flow) \(stage) \(outcomes[0].deciding)")
                    if allExact { #expect(outcomes[0].exact, "\(flow) \(stage) \(outcomes[0].reasons)") }
                    counts.networkACLStages += 1
                    continue
                }
                // Replies: one outcome per run of client ports; they tile the ports asked about, and
                // every port of a run (its ends and one inside, at least) is treated as the run says.
                let asked = try #require(decision.clientPorts)
                #expect(outcomes.first?.clientPorts?.lowerBound == asked.lowerBound && outcomes.last?.clientPorts?.upperBound == asked.upperBound)
                for (o, next) in zip(outcomes, outcomes.dropFirst()) {
                    #expect(Int(o.clientPorts!.upperBound) + 1 == Int(next.clientPorts!.lowerBound), "\(flow) \(stage)")
                }
                for o in outcomes {
                    let run = try #require(o.clientPorts)
                    let inside = run.lowerBound + UInt16(truncatingIfNeeded: rng.next() % (UInt64(run.upperBound - run.lowerBound) + 1))
                    for port in [run.lowerBound, run.upperBound, inside] {
                        var q = p
                        q[.destinationPort] = UInt128(port)
                        #expect(o.allowed == algebra.contains(set, q), "\(flow) \(stage) client port \(port) \(o.deciding)")
                    }
                    if allExact { #expect(o.exact) }
                    counts.networkACLStages += 1
                }
            }
            let everything = decision.outcomes.allSatisfy { $0.allowed }
            #expect(decision.isAllowed == everything, "\(flow): \(decision.verdict)")
            if let allowed = decision.clientPortsAllowed, decision.outcomes.filter({ !$0.stage.isReturn }).allSatisfy({ $0.allowed }) {
                let blockedRuns = decision.outcomes.filter { $0.stage.isReturn && !$0.allowed }.compactMap(\.clientPorts)
                for run in blockedRuns { #expect(!allowed.overlaps(IntervalSet(UInt128(run.lowerBound)...UInt128(run.upperBound)))) }
            }
        }
        return counts
    }
}

/// Addresses and ports worth trying on an estate: its interfaces, hosts nobody knows inside its
/// subnets, the edges of every block its rules name, and the outside world.
struct AddressPool {
    var addresses: [AddressFamily: [AWSAddress]] = [:]
    /// Half the picks are interfaces' own addresses, so that most flows meet security groups.
    var interfaceAddresses: [AddressFamily: [AWSAddress]] = [:]
    var ports: [UInt16] = [0, 1, 22, 80, 443, 1023, 1024, 8080, 32767, 32768, 65535]

    init(estate: AWSEstate, rng: inout SplitMix64) {
        var all: [AWSAddress] = estate.interfaces.flatMap(\.addresses)
        for f in AddressFamily.allCases { interfaceAddresses[f] = all.filter { $0.family == f } }
        var blocks = estate.subnets.flatMap(\.cidrBlocks)
        for g in estate.securityGroups {
            for p in g.ingress + g.egress {
                for case .cidr(let c) in p.peers { blocks.append(c) }
                for s in [p.service.assumed, p.service.possible] {
                    if let r = s?.ports { ports += [r.lowerBound, r.upperBound, r.lowerBound &- 1, r.upperBound &+ 1] }
                }
            }
        }
        for acl in estate.networkACLs {
            for e in acl.entries {
                if let c = e.cidr { blocks.append(c) }
                if let r = e.service.assumed?.ports { ports += [r.lowerBound, r.upperBound, r.lowerBound &- 1, r.upperBound &+ 1] }
            }
        }
        for b in blocks {
            let span = b.range.upperBound - b.range.lowerBound
            let inside = span == 0 ? b.range.lowerBound : b.range.lowerBound + UInt128(rng.next()) % span
            all += [b.range.lowerBound, b.range.upperBound, inside].map { AWSAddress(family: b.family, value: $0) }
            if b.range.lowerBound > 0 { all.append(AWSAddress(family: b.family, value: b.range.lowerBound - 1)) }
        }
        all += ["198.51.100.7", "203.0.113.9", "8.8.8.8", "2001:db8:ffff::7", "2600::1"].compactMap(AWSAddress.init)
        // Blocks of the other family's encoding are not addresses of this one: keep IPv4 in its range.
        all = all.filter { $0.family == .ipv6 || IPAddress.ipv4Range.contains($0.value) }
        for f in AddressFamily.allCases { addresses[f] = Array(Set(all.filter { $0.family == f })).sorted() }
        ports = Array(Set(ports)).sorted()
    }

    func pick(_ family: AddressFamily, _ rng: inout SplitMix64) -> AWSAddress? {
        if rng.next() % 2 == 0, let own = interfaceAddresses[family], !own.isEmpty { return own[Int(rng.next() % UInt64(own.count))] }
        guard let list = addresses[family], !list.isEmpty else { return nil }
        return list[Int(rng.next() % UInt64(list.count))]
    }
}

/// A random VPC written as the AWS CLI writes it: groups with every kind of permission (odd ones
/// included), interfaces carrying random groups, and network ACLs with random ordered entries.
struct RandomEstate {
    var rng: SplitMix64
    let subnetCount = 3

    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    private mutating func pick<T>(_ options: [T]) -> T { options[Int(rng.next() % UInt64(options.count))] }
    private mutating func chance(_ n: UInt64) -> Bool { rng.next() % n == 0 }

    private func text(_ v: JSONValue) -> String {
        var w = JSONWriter(pretty: true)
        w.value(v)
        return w.text
    }

    private mutating func v4Block() -> String {
        switch rng.next() % 4 {
        case 0: return pick(["0.0.0.0/0", "10.0.0.0/8", "10.7.0.0/16", "198.51.100.0/24"])
        case 1: return "10.7.\(rng.next() % UInt64(subnetCount)).\(pick([0, 8, 16, 200]))/\(pick([24, 28, 29, 32]))"
        default: return "10.7.\(rng.next() % UInt64(subnetCount)).\(10 + rng.next() % 8)/32"
        }
    }

    private mutating func v6Block() -> String {
        pick(["::/0", "2001:db8:7::/48", "2001:db8:7:1::/64", "2001:db8:7:0::10/128", "2600::/12"])
    }

    private mutating func ports() -> (Int, Int) {
        let edges = [0, 22, 80, 443, 1000, 1024, 5000, 32768, 65535]
        let a = pick(edges), b = pick(edges)
        return (min(a, b), max(a, b))
    }

    private mutating func permission(groups: Int) -> JSONValue {
        var members: [(String, JSONValue)] = []
        let proto = pick(["-1", "tcp", "tcp", "udp", "icmp", "icmpv6", "47", "6", "17", "58"])
        members.append(("IpProtocol", .string(proto)))
        switch proto {
        case "tcp", "udp", "6", "17":
            var (from, to) = ports()
            if chance(8) { from = -1 }
            if chance(8) { to = -1 }
            members += [("FromPort", .number(Double(from))), ("ToPort", .number(Double(to)))]
        case "icmp", "icmpv6", "58":
            members += [("FromPort", .number(Double(pick([-1, 0, 8, 13, 128])))), ("ToPort", .number(Double(pick([-1, -1, 0, 9]))))]
        default:
            break
        }
        var v4: [JSONValue] = [], v6: [JSONValue] = [], pairs: [JSONValue] = [], lists: [JSONValue] = []
        for _ in 0..<(1 + rng.next() % 3) {
            switch rng.next() % 6 {
            case 0, 1: v4.append(.object([("CidrIp", .string(v4Block()))]))
            case 2: v6.append(.object([("CidrIpv6", .string(v6Block()))]))
            case 3, 4:
                let id = chance(6) ? "sg-0elsewhere" : "sg-0r\(rng.next() % UInt64(groups))"
                var pair: [(String, JSONValue)] = [("GroupId", .string(id)), ("UserId", .string(chance(8) ? "999988887777" : "111122223333"))]
                if chance(10) { pair.append(("VpcId", .string("vpc-0peer"))) }
                pairs.append(.object(pair))
            default: lists.append(.object([("PrefixListId", .string("pl-0r\(rng.next() % 3)"))]))
            }
        }
        members += [("IpRanges", .array(v4)), ("Ipv6Ranges", .array(v6)), ("PrefixListIds", .array(lists)), ("UserIdGroupPairs", .array(pairs))]
        return .object(members)
    }

    private mutating func entry(number: Int, egress: Bool) -> JSONValue {
        let proto = pick(["-1", "6", "6", "17", "1", "58", "47"])
        let v6 = chance(4)
        var members: [(String, JSONValue)] = [("RuleNumber", .number(Double(number))), ("Egress", .bool(egress)), ("Protocol", .string(proto)),
                                              ("RuleAction", .string(chance(3) ? "deny" : "allow")),
                                              (v6 ? "Ipv6CidrBlock" : "CidrBlock", .string(v6 ? v6Block() : v4Block()))]
        if proto == "6" || proto == "17" {
            let (from, to) = ports()
            members.append(("PortRange", .object([("From", .number(Double(from))), ("To", .number(Double(to)))])))
        }
        if proto == "1" || proto == "58" {
            members.append(("IcmpTypeCode", .object([("Type", .number(Double(pick([-1, 0, 8, 128, 129])))), ("Code", .number(Double(pick([-1, 0]))))])))
        }
        return .object(members)
    }

    mutating func files() -> [AWSInputFile] {
        let groupCount = 4
        var groups: [JSONValue] = []
        for g in 0..<groupCount {
            let ingress = (0..<(rng.next() % 5)).map { _ in permission(groups: groupCount) }
            let egress = (0..<(rng.next() % 4)).map { _ in permission(groups: groupCount) }
            groups.append(.object([("GroupId", .string("sg-0r\(g)")), ("GroupName", .string(g == 0 ? "default" : "random-\(g)")),
                                   ("OwnerId", .string("111122223333")), ("VpcId", .string("vpc-0r")),
                                   ("IpPermissions", .array(ingress)), ("IpPermissionsEgress", .array(egress))]))
        }
        var subnets: [JSONValue] = []
        for s in 0..<subnetCount {
            subnets.append(.object([("SubnetId", .string("subnet-0r\(s)")), ("VpcId", .string("vpc-0r")), ("CidrBlock", .string("10.7.\(s).0/24")),
                                    ("Ipv6CidrBlockAssociationSet", .array([.object([("Ipv6CidrBlock", .string("2001:db8:7:\(s)::/64"))])]))]))
        }
        var interfaces: [JSONValue] = []
        for k in 0..<7 {
            let s = k % subnetCount
            var carried = (0..<(1 + rng.next() % 2)).map { _ in "sg-0r\(rng.next() % UInt64(groupCount))" }
            if chance(10) { carried.append("sg-0unlisted") }
            var addresses: [JSONValue] = [.object([("PrivateIpAddress", .string("10.7.\(s).\(10 + k)"))])]
            if chance(3) { addresses.append(.object([("PrivateIpAddress", .string("10.7.\(s).\(100 + k)"))])) }
            interfaces.append(.object([
                ("NetworkInterfaceId", .string("eni-0r\(k)")), ("SubnetId", .string("subnet-0r\(s)")), ("VpcId", .string("vpc-0r")),
                ("PrivateIpAddresses", .array(addresses)),
                ("Ipv6Addresses", .array(chance(2) ? [.object([("Ipv6Address", .string("2001:db8:7:\(s)::\(10 + k)"))])] : [])),
                ("Groups", .array(Array(Set(carried)).sorted().map { .object([("GroupId", .string($0))]) })),
            ]))
        }
        var acls: [JSONValue] = []
        for s in 0..<subnetCount where !(s == 2 && chance(3)) {
            var entries: [JSONValue] = []
            for egress in [false, true] {
                var numbers = Set<Int>()
                for _ in 0..<(2 + rng.next() % 5) { numbers.insert(1 + Int(rng.next() % 200)) }
                entries += numbers.shuffled(using: &rng).map { entry(number: $0, egress: egress) }
                entries.append(.object([("RuleNumber", .number(32767)), ("Egress", .bool(egress)), ("Protocol", .string("-1")),
                                        ("RuleAction", .string("deny")), ("CidrBlock", .string("0.0.0.0/0"))]))
                entries.append(.object([("RuleNumber", .number(32768)), ("Egress", .bool(egress)), ("Protocol", .string("-1")),
                                        ("RuleAction", .string("deny")), ("Ipv6CidrBlock", .string("::/0"))]))
            }
            acls.append(.object([("NetworkAclId", .string("acl-0r\(s)")), ("VpcId", .string("vpc-0r")), ("IsDefault", .bool(s == 0)),
                                 ("Entries", .array(entries)),
                                 ("Associations", .array(s == 0 ? [] : [.object([("SubnetId", .string("subnet-0r\(s)"))])]))]))
        }
        return [
            AWSInputFile(name: "random-security-groups.json", text: text(.object([("SecurityGroups", .array(groups))]))),
            AWSInputFile(name: "random-subnets.json", text: text(.object([("Subnets", .array(subnets))]))),
            AWSInputFile(name: "random-interfaces.json", text: text(.object([("NetworkInterfaces", .array(interfaces))]))),
            AWSInputFile(name: "random-acls.json", text: text(.object([("NetworkAcls", .array(acls))]))),
        ]
    }
}
