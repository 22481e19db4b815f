public import PacketSpace

/// Where packets an interface's security groups allow come from.
public enum AllowanceSource: Hashable, Sendable, CustomStringConvertible {
    /// A permission of a group the interface carries.
    case permission(PermissionLocator)
    /// A group the interface carries that the security-group export does not list: it may allow anything.
    case unknownGroup(String)

    public var permission: PermissionLocator? { if case .permission(let p) = self { return p }; return nil }

    public var description: String {
        switch self {
        case .permission(let p): p.description
        case .unknownGroup(let id): "\(id) (not in the export)"
        }
    }
}

/// The packets one permission allows, as cubes a caller can union in a ``PacketAlgebra``.
///
/// Cubes constrain `family`, `protocolNumber`, `destinationPort` (TCP, UDP), `icmpTypeCode`
/// (ICMP, ICMPv6), the peer's address (`sourceAddress` for ingress, `destinationAddress` for
/// egress) and, for an interface, its own address on the other address field. The connection state
/// is left free: a packet that matches a permission is allowed in any state, and replies to an
/// allowed connection are allowed in addition (security groups are stateful).
public struct PermissionPackets: Hashable, Sendable {
    public var source: AllowanceSource
    /// The interface whose addresses the cubes are restricted to; nil for a group-level view.
    public var interfaceId: String?
    /// `certain ⊆ assumed ⊆ possible`, each a union of cubes.
    public var packets: Levels<[PacketCube]>
    /// Why `certain` and `possible` differ; empty when exact.
    public var reasons: [String]

    /// The packets Bulwark answers with (`packets.assumed`).
    public var cubes: [PacketCube] { packets.assumed }
    public var exact: Bool { reasons.isEmpty }
    public var permission: PermissionLocator? { source.permission }
}

/// One peer of a permission, with what its service and addresses match.
struct PeerTerm {
    var peer: PermissionPeer
    var service: Levels<ServiceMatch?>
    var addresses: Levels<AddressSet>
    var reasons: [String]

    /// How surely a packet with these fields and this peer address matches.
    func certainty(protocolNumber p: UInt8, destinationPort: UInt16, icmpType t: UInt8, icmpCode c: UInt8, peer address: AWSAddress) -> MatchCertainty {
        min(service.certainty(protocolNumber: p, destinationPort: destinationPort, icmpType: t, icmpCode: c), addresses.certainty(address))
    }
}

/// The product of a service and an address set, restricted to `own` on the other address field.
func packetCubes(service: ServiceMatch?, peer: AddressSet, peerField: PacketField, own: AddressSet?, ownField: PacketField) -> [PacketCube] {
    guard let service else { return [] }
    var out: [PacketCube] = []
    for family in AddressFamily.allCases where !peer[family].isEmpty {
        var cube = service.cube
        cube.restrict(.family, to: family.rawValue)
        cube.restrict(peerField, to: peer[family])
        if let own {
            guard !own[family].isEmpty else { continue }
            cube.restrict(ownField, to: own[family])
        }
        out.append(cube)
    }
    return out
}

extension TrafficDirection {
    /// The field of the far side's address: the source of ingress traffic, the destination of egress.
    var peerField: PacketField { self == .ingress ? .sourceAddress : .destinationAddress }
    /// The field of the near side's own address.
    var ownField: PacketField { self == .ingress ? .destinationAddress : .sourceAddress }
}

extension AWSEstate {
    /// The permission's peers with their address sets, in the context of `group`.
    func terms(of permission: SecurityGroupPermission, in group: SecurityGroup) -> [PeerTerm] {
        permission.peers.map { peer in
            let (addresses, reasons) = addresses(of: peer, in: group)
            return PeerTerm(peer: peer, service: permission.service, addresses: addresses, reasons: permission.serviceReasons + reasons)
        }
    }

    /// The packets a permission allows; restricted to an interface's own addresses when one is given.
    public func packets(of permission: SecurityGroupPermission, in group: SecurityGroup, interface: AWSInterface? = nil) -> PermissionPackets {
        let direction = permission.direction
        let own = interface?.addressSet
        var levels = Levels<[PacketCube]>(exactly: [])
        var reasons: [String] = []
        for term in terms(of: permission, in: group) {
            func cubes(_ s: ServiceMatch?, _ a: AddressSet) -> [PacketCube] {
                packetCubes(service: s, peer: a, peerField: direction.peerField, own: own, ownField: direction.ownField)
            }
            levels.certain += cubes(term.service.certain, term.addresses.certain)
            levels.assumed += cubes(term.service.assumed, term.addresses.assumed)
            levels.possible += cubes(term.service.possible, term.addresses.possible)
            reasons += term.reasons.filter { !reasons.contains($0) }
        }
        return PermissionPackets(source: .permission(permission.locator), interfaceId: interface?.id, packets: levels, reasons: reasons)
    }

    /// What the security groups of an interface allow in one direction: one entry per permission of
    /// every group it carries, and one per carried group the export lacks (which may allow anything).
    /// Union the cubes in a ``PacketAlgebra`` for the set.
    public func allowed(_ direction: TrafficDirection, interface: AWSInterface) -> [PermissionPackets] {
        let (groups, missing) = groups(of: interface)
        var out: [PermissionPackets] = []
        for g in groups {
            for p in g.permissions(direction) { out.append(packets(of: p, in: g, interface: interface)) }
        }
        for id in missing {
            let anything = packetCubes(service: .everything, peer: .everything, peerField: direction.peerField,
                                       own: interface.addressSet, ownField: direction.ownField)
            out.append(PermissionPackets(source: .unknownGroup(id), interfaceId: interface.id,
                                         packets: Levels(certain: [], assumed: [], possible: anything),
                                         reasons: ["\(id) is not in the security-group export: what it allows is unknown"]))
        }
        return out
    }

    /// What an instance's security groups let in: ``allowed(_:interface:)`` over its interfaces.
    public func ingressAllowed(instance id: String) -> [PermissionPackets] {
        interfaces(ofInstance: id).flatMap { allowed(.ingress, interface: $0) }
    }

    /// What an instance's security groups let out: ``allowed(_:interface:)`` over its interfaces.
    public func egressAllowed(instance id: String) -> [PermissionPackets] {
        interfaces(ofInstance: id).flatMap { allowed(.egress, interface: $0) }
    }

    public func ingressAllowed(interface: AWSInterface) -> [PermissionPackets] { allowed(.ingress, interface: interface) }
    public func egressAllowed(interface: AWSInterface) -> [PermissionPackets] { allowed(.egress, interface: interface) }
}

extension NetworkACLEntry {
    /// The packets the entry matches (`certain ⊆ assumed ⊆ possible`): family, protocol, destination
    /// port or ICMP type/code, and the far side's address (source inbound, destination outbound).
    public var packets: Levels<[PacketCube]> {
        func cubes(_ s: ServiceMatch?, _ a: AddressSet) -> [PacketCube] {
            packetCubes(service: s, peer: a, peerField: direction.peerField, own: nil, ownField: direction.ownField)
        }
        return Levels(certain: cubes(service.certain, addresses.certain), assumed: cubes(service.assumed, addresses.assumed),
                      possible: cubes(service.possible, addresses.possible))
    }

    /// The packets Bulwark answers with (`packets.assumed`).
    public var cubes: [PacketCube] { packets.assumed }
}

extension NetworkACL {
    /// The packets of one direction the ACL lets through, by first match in rule order and an implicit
    /// deny at the end, built in `algebra` from each entry's assumed cubes.
    public func allowedSet(_ direction: TrafficDirection, in algebra: PacketAlgebra) -> UInt32 {
        var decided = PacketAlgebra.emptyNode
        var allowed = PacketAlgebra.emptyNode
        for entry in entries(direction) {
            let matched = entry.cubes.reduce(PacketAlgebra.emptyNode) { algebra.union($0, algebra.cube($1)) }
            let fresh = algebra.subtracting(matched, decided)
            if entry.action == .allow { allowed = algebra.union(allowed, fresh) }
            decided = algebra.union(decided, matched)
        }
        return allowed
    }
}
