import BulwarkModel
import Firewall
import PacketSpace

/// A set of packets a control lets through: `sure` every run lets through, `possible` some run may
/// (`sure ⊆ possible`; they differ where uncertain matches decide).
struct Stage: Hashable {
    var sure: UInt32
    var possible: UInt32

    static let everything = Stage(sure: PacketAlgebra.fullNode, possible: PacketAlgebra.fullNode)
    static let nothing = Stage(sure: PacketAlgebra.emptyNode, possible: PacketAlgebra.emptyNode)
    /// Nothing is known: anything may pass, nothing surely does.
    static let unknown = Stage(sure: PacketAlgebra.emptyNode, possible: PacketAlgebra.fullNode)

    func intersection(_ other: Stage, _ a: PacketAlgebra) -> Stage {
        Stage(sure: a.intersection(sure, other.sure), possible: a.intersection(possible, other.possible))
    }

    func union(_ other: Stage, _ a: PacketAlgebra) -> Stage {
        Stage(sure: a.union(sure, other.sure), possible: a.union(possible, other.possible))
    }

    func intersection(_ node: UInt32, _ a: PacketAlgebra) -> Stage {
        Stage(sure: a.intersection(sure, node), possible: a.intersection(possible, node))
    }
}

/// Turns what a ruleset accepts on a hook into sets about addresses and services only: the
/// interface and address-type fields, which the estate's placement decides, are fixed or, where
/// the manifest does not say, quantified over (`possible` for some value, `sure` for all values).
struct FirewallStages {
    let algebra: PacketAlgebra
    let probe: AcceptanceProbe
    let name: String

    /// What the hook accepts of `region`, with the ruleset's missing address families unknown.
    func accepted(_ hook: Hook, region: UInt32) -> (Stage, [String]) {
        let a = algebra
        let acc = probe.accepted(on: hook, within: region)
        var stage = Stage(sure: acc.sure, possible: acc.possible)
        var reasons: [String] = []
        let missing = AddressFamily.allCases.filter { !probe.program.families.contains($0) }
        for family in missing {
            var c = PacketCube()
            c.restrict(.family, to: family.rawValue)
            stage.possible = a.union(stage.possible, a.intersection(region, a.cube(c)))
            reasons.append("\(name) has no \(family == .ipv4 ? "IPv4" : "IPv6") ruleset: what it does with \(family == .ipv4 ? "IPv4" : "IPv6") traffic is unknown")
        }
        return (stage, reasons)
    }

    /// The interface field fixed to a manifest interface: a name, or a `+` wildcard standing for
    /// every interface it matches (then `possible` is "on some of them", `sure` "on all of them").
    func pin(_ stage: Stage, field: PacketField, interface: String) -> (Stage, [String]) {
        if !interface.hasSuffix("+"), let v = InterfaceName.value(interface[...]) {
            return (Stage(sure: algebra.fixing(stage.sure, dimension: field.rawValue, to: v),
                          possible: algebra.fixing(stage.possible, dimension: field.rawValue, to: v)), [])
        }
        let names = InterfaceName.iptablesPattern(interface[...]) ?? IntervalSet(1...UInt128.max)
        let out = quantify(stage, field: field, over: names)
        let reasons = out.possible != out.sure && stage.possible == stage.sure
            ? ["\(name) treats the interfaces matching \(interface) differently: the answer holds for some of them only"] : []
        return (out, reasons)
    }

    /// The field quantified over `values`: `possible` where some value lets the packet through,
    /// `sure` where every value does (and `stage.sure` does).
    func quantify(_ stage: Stage, field: PacketField, over values: IntervalSet) -> Stage {
        let a = algebra
        var inside = PacketCube()
        inside.restrict(field, to: values)
        let within = a.cube(inside)
        return Stage(sure: a.forAll(a.union(stage.sure, a.complement(within)), dimension: field.rawValue),
                     possible: a.exists(a.intersection(stage.possible, within), dimension: field.rawValue))
    }

    func fix(_ stage: Stage, _ field: PacketField, _ value: UInt128) -> Stage {
        Stage(sure: algebra.fixing(stage.sure, dimension: field.rawValue, to: value),
              possible: algebra.fixing(stage.possible, dimension: field.rawValue, to: value))
    }

    /// Interface names a host's traffic may use other than loopback (the manifest names none).
    static let nonLoopbackInterfaces: IntervalSet = IntervalSet(1...UInt128.max).subtracting(IntervalSet(value: InterfaceName.value("lo")!))
}
