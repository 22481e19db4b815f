import AWS
import BulwarkModel
import PacketSpace

/// What an AWS VPC lets through, as packet sets in the engine's algebra: the destination side (the
/// subnet's network ACL inbound on the request and outbound on the replies, then the interface's
/// security groups, ingress) and the source side (security groups, egress; the ACL outbound on the
/// request and inbound on the replies).
///
/// Replies are checked symbolically for TCP and UDP, whose reply ports are the request's ports
/// swapped; for other protocols the network ACLs see replies of another ICMP type (or none), which
/// only the witness's concrete decision checks.
struct CloudSets {
    /// Packets the VPC lets into its interfaces in the estate's cloud zones (packets to other
    /// addresses are not its business and pass).
    var inbound: Stage
    /// Packets the VPC lets out of those interfaces.
    var outbound: Stage
    /// Why the sets are not exact, when they are not.
    var reasons: [String]

    init(aws: AWSEstate, zoneInterfaces: [AWSInterface], algebra a: PacketAlgebra, firewall: String) {
        var reasons: [String] = []
        var inSure = PacketAlgebra.emptyNode, inPossible = PacketAlgebra.emptyNode
        var outSure = PacketAlgebra.emptyNode, outPossible = PacketAlgebra.emptyNode
        var covered = PacketAlgebra.emptyNode
        var coveredAsSource = PacketAlgebra.emptyNode
        var aclCache: [String: (inbound: Stage, outbound: Stage)] = [:]
        for interface in zoneInterfaces {
            let own = Self.addresses(interface.addresses, field: .destinationAddress, algebra: a)
            let ownAsSource = Self.addresses(interface.addresses, field: .sourceAddress, algebra: a)
            covered = a.union(covered, own)
            coveredAsSource = a.union(coveredAsSource, ownAsSource)
            let ingress = Self.securityGroups(aws.ingressAllowed(interface: interface), algebra: a)
            let egress = Self.securityGroups(aws.egressAllowed(interface: interface), algebra: a)
            for r in aws.ingressAllowed(interface: interface).flatMap(\.reasons) + aws.egressAllowed(interface: interface).flatMap(\.reasons) where !reasons.contains(r) {
                reasons.append(r)
            }
            var acl = (inbound: Stage.everything, outbound: Stage.everything)
            if let subnet = interface.subnetId {
                if let cached = aclCache[subnet] {
                    acl = cached
                } else {
                    let (found, why) = aws.networkACL(forSubnet: subnet)
                    if let found {
                        acl = Self.networkACL(found, algebra: a)
                        for r in found.entries.flatMap(\.reasons) where !reasons.contains(r) { reasons.append("\(found.id): \(r)") }
                    } else {
                        acl = (Stage.unknown, Stage.unknown)
                        if let why { reasons.append(why) }
                    }
                    aclCache[subnet] = acl
                }
            } else {
                reasons.append("\(interface.id) has no subnet in the export: its network ACL is unknown")
                acl = (Stage.unknown, Stage.unknown)
            }
            inSure = a.union(inSure, a.intersection(own, a.intersection(ingress.sure, acl.inbound.sure)))
            inPossible = a.union(inPossible, a.intersection(own, a.intersection(ingress.possible, acl.inbound.possible)))
            outSure = a.union(outSure, a.intersection(ownAsSource, a.intersection(egress.sure, acl.outbound.sure)))
            outPossible = a.union(outPossible, a.intersection(ownAsSource, a.intersection(egress.possible, acl.outbound.possible)))
        }
        let elsewhere = a.complement(covered)
        let elsewhereAsSource = a.complement(coveredAsSource)
        inbound = Stage(sure: a.union(elsewhere, inSure), possible: a.union(elsewhere, inPossible))
        outbound = Stage(sure: a.union(elsewhereAsSource, outSure), possible: a.union(elsewhereAsSource, outPossible))
        self.reasons = reasons.map { "\(firewall): \($0)" }
    }

    /// A set of addresses of both families in one address field.
    static func addresses(_ list: [AWSAddress], field: PacketField, algebra a: PacketAlgebra) -> UInt32 {
        let set = AddressSet(list)
        var node = PacketAlgebra.emptyNode
        for family in AddressFamily.allCases where !set[family].isEmpty {
            var c = PacketCube()
            c.restrict(.family, to: family.rawValue)
            c.restrict(field, to: set[family])
            node = a.union(node, a.cube(c))
        }
        return node
    }

    /// The union of what the permissions allow: `certain` cubes surely, `possible` cubes maybe.
    static func securityGroups(_ permissions: [PermissionPackets], algebra a: PacketAlgebra) -> Stage {
        var sure = PacketAlgebra.emptyNode, possible = PacketAlgebra.emptyNode
        for p in permissions {
            for c in p.packets.certain { sure = a.union(sure, a.cube(c)) }
            for c in p.packets.possible { possible = a.union(possible, a.cube(c)) }
        }
        return Stage(sure: sure, possible: possible)
    }

    /// A subnet's ACL as seen by the request and its replies. Inbound (traffic to the subnet's
    /// hosts): inbound entries on the request, outbound entries on the replies. Outbound: the
    /// reverse. The replies of TCP and UDP go from the service port to the client port, so an entry's
    /// destination port tests the request's source port and its peer address the request's peer.
    static func networkACL(_ acl: NetworkACL, algebra a: PacketAlgebra) -> (inbound: Stage, outbound: Stage) {
        let ingress = acl.entries(.ingress), egress = acl.entries(.egress)
        let requestIn = firstMatch(ingress, algebra: a) { $0 }
        let requestOut = firstMatch(egress, algebra: a) { $0 }
        // Replies leaving the subnet (to the client): the entry's destination is the request's source.
        let replyOut = replies(firstMatch(egress, algebra: a) { swap($0, [.destinationAddress: .sourceAddress, .sourceAddress: .destinationAddress]) }, algebra: a)
        // Replies entering the subnet (from the server): the entry's source is the request's destination.
        let replyIn = replies(firstMatch(ingress, algebra: a) { swap($0, [.sourceAddress: .destinationAddress, .destinationAddress: .sourceAddress]) }, algebra: a)
        return (Stage(sure: a.intersection(requestIn.sure, replyOut.sure), possible: a.intersection(requestIn.possible, replyOut.possible)),
                Stage(sure: a.intersection(requestOut.sure, replyIn.sure), possible: a.intersection(requestOut.possible, replyIn.possible)))
    }

    /// A reply leg: checked for TCP and UDP (their entries' ports moved to the request's source
    /// port), passed for every other protocol.
    private static func replies(_ leg: Stage, algebra a: PacketAlgebra) -> Stage {
        var ported = PacketCube()
        ported.restrict(.protocolNumber, to: IntervalSet(ranges: [6...6, 17...17]))
        var others = PacketCube()
        others.restrict(.protocolNumber, to: IntervalSet(0...255).subtracting(IntervalSet(ranges: [6...6, 17...17])))
        let p = a.cube(ported), o = a.cube(others)
        return Stage(sure: a.union(o, a.intersection(p, leg.sure)), possible: a.union(o, a.intersection(p, leg.possible)))
    }

    /// A reply's cube in the request's terms: addresses swapped as `addresses` says, the reply's
    /// destination port as the request's source port.
    private static func swap(_ cube: PacketCube, _ addresses: [PacketField: PacketField]) -> PacketCube {
        var out = PacketCube()
        for c in cube.constraints {
            let field = PacketField(rawValue: c.dimension)!
            if field == .destinationPort {
                out.restrict(.sourcePort, to: c.values)
            } else if field == .sourcePort {
                out.restrict(.destinationPort, to: c.values)
            } else {
                out.restrict(addresses[field] ?? field, to: c.values)
            }
        }
        return out
    }

    /// First match in rule order with three-valued entries: a packet is surely allowed when an allow
    /// entry surely matches it before any entry may; possibly allowed when an allow entry may match
    /// it before any entry surely does. No entry matching denies.
    private static func firstMatch(_ entries: [NetworkACLEntry], algebra a: PacketAlgebra, _ map: (PacketCube) -> PacketCube) -> Stage {
        var decidedSure = PacketAlgebra.emptyNode, decidedPossible = PacketAlgebra.emptyNode
        var sure = PacketAlgebra.emptyNode, possible = PacketAlgebra.emptyNode
        for e in entries.sorted(by: { $0.ruleNumber < $1.ruleNumber }) {
            let certain = e.packets.certain.reduce(PacketAlgebra.emptyNode) { a.union($0, a.cube(map($1))) }
            let maybe = e.packets.possible.reduce(PacketAlgebra.emptyNode) { a.union($0, a.cube(map($1))) }
            if e.action == .allow {
                sure = a.union(sure, a.subtracting(certain, decidedPossible))
                possible = a.union(possible, a.subtracting(maybe, decidedSure))
            }
            decidedSure = a.union(decidedSure, certain)
            decidedPossible = a.union(decidedPossible, maybe)
        }
        return Stage(sure: sure, possible: possible)
    }
}
