public import BulwarkModel
public import PacketSpace
import Estate

/// Whether an attacker standing somewhere in one zone can open a service on one address.
public struct AddressReach: Sendable, Hashable {
    /// Some new connection of the service, from some address of the zone, gets through.
    public var reachable: Bool
    /// The answer is certain: no uncertain match (rate limits, ipsets, unknown targets, missing
    /// exports) decides it.
    public var exact: Bool
}

extension ReachabilityEngine {
    /// Whether `service` can be opened from some address of zone `from` on `address` (a host in zone
    /// `to`; the two may be the same zone), through every control on the way: network firewalls,
    /// the destination's host firewall, cloud controls. "Reachable" needs one connection that gets
    /// through: the attacker picks the source. The answer is exact when a connection surely gets
    /// through, or when none possibly does.
    public func addressReach(from: Int, to: Int, service: Service, address: UInt128, family: AddressFamily) -> AddressReach {
        let a = algebra
        let stage = pairStage(from: from, to: to, service: service)
        var c = PacketCube()
        c.restrict(.family, to: family.rawValue)
        c.restrict(.destinationAddress, to: IntervalSet(value: address))
        let destination = a.cube(c)
        if a.isDisjoint(stage.possible, destination) { return AddressReach(reachable: false, exact: true) }
        return AddressReach(reachable: true, exact: !a.isDisjoint(stage.sure, destination))
    }

    /// ``addressReach(from:to:service:address:family:)`` from every zone at once (indexed by zone):
    /// what arrives at the address is computed once, then each zone is a set-free disjointness test.
    public func addressReachFromEveryZone(to: Int, service: Service, address: UInt128, family: AddressFamily) -> [AddressReach] {
        let zones = network.zoneNames.count
        guard network.manifest.routes == nil, !(0..<zones).contains(where: { involvesCloud($0, to) }) else {
            return (0..<zones).map { addressReach(from: $0, to: to, service: service, address: address, family: family) }
        }
        let a = algebra
        let arriving = arrivingFor(to, sets: sets(for: service))
        var c = PacketCube()
        c.restrict(.family, to: family.rawValue)
        c.restrict(.destinationAddress, to: IntervalSet(value: address))
        let destination = a.cube(c)
        let possible = a.intersection(arriving.possible, destination)
        guard possible != PacketAlgebra.emptyNode else { return Array(repeating: AddressReach(reachable: false, exact: true), count: zones) }
        let sure = a.intersection(arriving.sure, destination)
        return (0..<zones).map { z in
            if a.isDisjoint(possible, sourceNode[z]) { return AddressReach(reachable: false, exact: true) }
            return AddressReach(reachable: true, exact: !a.isDisjoint(sure, sourceNode[z]))
        }
    }

    /// The way a connection of `service` from zone `from` to `address` takes, hop by hop with the
    /// rules that decide it: a witness packet (one that surely gets through where there is one) traced
    /// through every control, as `network path` traces. Empty when none gets through.
    public func trace(from: Int, to: Int, service: Service, address: UInt128, family: AddressFamily) -> [PathTrace] {
        let a = algebra
        let stage = pairStage(from: from, to: to, service: service)
        var c = PacketCube()
        c.restrict(.family, to: family.rawValue)
        c.restrict(.destinationAddress, to: IntervalSet(value: address))
        let destination = a.cube(c)
        let sure = a.intersection(stage.sure, destination)
        let pick = sure != PacketAlgebra.emptyNode ? sure : a.intersection(stage.possible, destination)
        guard pick != PacketAlgebra.emptyNode, let w = witness(in: pick, from: from, to: to, service: service) else { return [] }
        return trace(w, from: from, to: to, sets: sets(for: service))
    }

    /// The connections of `service` from zone `from` that arrive at zone `to`'s hosts (kept per pair).
    func pairStage(from: Int, to: Int, service: Service) -> Stage {
        let key = PairKey(from: from, to: to, service: service)
        if let s = pairStages[key] { return s }
        let sets = sets(for: service)
        let stage: Stage
        if network.manifest.routes == nil, !involvesCloud(from, to) {
            stage = arrivingFor(to, sets: sets).intersection(sourceNode[from], algebra)
        } else {
            stage = arrivals(from: from, to: to, sets: sets)
        }
        pairStages[key] = stage
        return stage
    }
}
