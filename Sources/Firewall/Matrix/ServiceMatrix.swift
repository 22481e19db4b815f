public import BulwarkModel
public import PacketSpace
import Yams

/// A named network zone: address ranges and, optionally, the firewall interface it sits behind.
public struct Zone: Sendable, Hashable {
    public var name: String
    public var addresses: IntervalSet
    public var interface: String?
    /// The firewall host itself (traffic to it goes through INPUT, from it through OUTPUT).
    public var isLocal: Bool

    public init(name: String, addresses: IntervalSet, interface: String? = nil, isLocal: Bool = false) {
        self.name = name
        self.addresses = addresses
        self.interface = interface
        self.isLocal = isLocal
    }
}

/// Reads the zones file of `firewall matrix`:
///
/// ```yaml
/// zones:
///   internet: { cidrs: [0.0.0.0/0], interface: eth0 }
///   dmz:      { cidrs: [203.0.113.0/24], interface: eth1 }
///   lan:      [10.0.0.0/8]            # the short form: just the ranges
///   firewall: { local: true }         # the firewall host itself
/// ```
///
/// A zone whose ranges hold another zone's ranges leaves them to that zone (the internet is what
/// no other zone claims). Problems are reported with line and column and what was expected.
public enum ZoneFile {
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    public static func parse(_ text: String, file: String, family: AddressFamily) throws(Failure) -> [Zone] {
        func fail(_ node: Node?, _ message: String) -> Failure {
            if let m = node?.mark { return Failure(description: "\(file):\(m.line):\(m.column): expected \(message)") }
            return Failure(description: "\(file): expected \(message)")
        }
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch {
            throw Failure(description: "\(file): not YAML: \(error)")
        }
        guard let mapping = root?.mapping, let zonesNode = mapping["zones"], let zones = zonesNode.mapping else {
            throw fail(root, "a mapping with a 'zones' key mapping zone names to address ranges")
        }
        for (key, _) in mapping where key.string != "zones" {
            throw fail(key, "only the key 'zones' (unknown key '\(key.string ?? "?")')")
        }
        var out: [Zone] = []
        for (nameNode, value) in zones {
            guard let name = nameNode.string, !name.isEmpty else { throw fail(nameNode, "a zone name") }
            var cidrNodes: [Node] = []
            var interface: String?
            var local = false
            if let seq = value.sequence {
                cidrNodes = Array(seq)
            } else if let m = value.mapping {
                for (k, v) in m {
                    switch k.string {
                    case "cidrs", "addresses":
                        guard let seq = v.sequence else { throw fail(v, "a list of address ranges for '\(k.string!)'") }
                        cidrNodes = Array(seq)
                    case "interface":
                        guard let s = v.string, InterfaceName.value(s[...]) != nil else { throw fail(v, "an interface name of at most 15 characters") }
                        interface = s
                    case "local":
                        guard let b = v.bool else { throw fail(v, "true or false for 'local'") }
                        local = b
                    default:
                        throw fail(k, "one of cidrs, interface, local (unknown key '\(k.string ?? "?")' in zone \(name))")
                    }
                }
            } else {
                throw fail(value, "a list of address ranges or a mapping with cidrs/interface/local for zone \(name)")
            }
            var ranges: [ClosedRange<UInt128>] = []
            for n in cidrNodes {
                guard let s = n.string, let r = IPAddress.parseNetwork(s[...], family: family) else {
                    throw fail(n, "an \(family == .ipv4 ? "IPv4" : "IPv6") address or network like 10.0.0.0/8")
                }
                ranges.append(r)
            }
            if ranges.isEmpty && !local { throw fail(value, "at least one address range for zone \(name)") }
            out.append(Zone(name: name, addresses: IntervalSet(ranges: ranges), interface: interface, isLocal: local))
        }
        // Nested zones: a broader zone leaves the narrower zone's addresses to it.
        for i in out.indices {
            var own = out[i].addresses
            for j in out.indices where i != j && !out[j].addresses.isEmpty && out[j].addresses.isSubset(of: out[i].addresses) && out[j].addresses != out[i].addresses {
                own = own.subtracting(out[j].addresses)
            }
            out[i].addresses = own
        }
        return out
    }
}

/// Who can open a service on whom: for each ordered pair of zones, whether new connections of the
/// service are accepted for all, some or none of the address pairs, with a witness and the rule
/// that decides it.
public struct ServiceMatrix: Sendable {
    public enum Reach: String, Sendable { case all, some, none }

    public struct Cell: Sendable {
        public var from: String
        public var to: String
        public var hook: Hook
        public var reach: Reach
        public var exact: Bool
        /// Why the cell may be wrong; empty when exact.
        public var reasons: [String]
        /// What the cell assumes (every interface considered for a zone without one).
        public var notes: [String]
        /// A packet of the cell: an accepted one when there is any, a refused one otherwise.
        public var witness: Packet?
        public var evaluation: Evaluation?
    }

    public var service: Service
    public var zones: [Zone]
    public var cells: [Cell]

    public init(program: TableProgram, zones: [Zone], service: Service) {
        self.service = service
        self.zones = zones
        let algebra = PacketAlgebra()
        let symbolic = SymbolicEvaluator(program: program, callGraph: CallGraph(program: program), algebra: algebra)
        let evaluator = Evaluator(program: program)
        var cells: [Cell] = []
        for from in zones {
            for to in zones where from.name != to.name && !(from.isLocal && to.isLocal) {
                let hook: Hook = to.isLocal ? .input : (from.isLocal ? .output : .forward)
                var cube = PacketCube()
                cube.restrict(.family, to: program.family.rawValue)
                if !from.isLocal { cube.restrict(.sourceAddress, to: from.addresses) }
                if !to.isLocal { cube.restrict(.destinationAddress, to: to.addresses) }
                if let proto = service.protocolNumber { cube.restrict(.protocolNumber, to: UInt128(proto)) }
                if !service.ports.isEmpty {
                    cube.restrict(.destinationPort, to: IntervalSet(ranges: service.ports.map { UInt128($0.lowerBound)...UInt128($0.upperBound) }))
                }
                if let type = service.icmpType { cube.restrict(.icmpTypeCode, to: (UInt128(type) << 8)...(UInt128(type) << 8 | 0xFF)) }
                cube.restrict(.connectionState, to: ConnectionState.new.rawValue)
                if hook != .output, let i = from.interface, let v = InterfaceName.value(i[...]) { cube.restrict(.inInterface, to: v) }
                if hook != .input, let o = to.interface, let v = InterfaceName.value(o[...]) { cube.restrict(.outInterface, to: v) }
                var reasons: [String] = []
                var notes: [String] = []
                if hook != .output && from.interface == nil { notes.append("zone \(from.name) has no interface: packets from it may enter on any interface") }
                if hook != .input && to.interface == nil { notes.append("zone \(to.name) has no interface: packets to it may leave on any interface") }
                let region = algebra.intersection(symbolic.entry(hook), algebra.cube(cube))
                var observer = SymbolicEvaluator.Observer(hint: [cube])
                let whole = ChainIndex.Bounds(source: cube.values(.sourceAddress)?.min.map { $0...(cube.values(.sourceAddress)!.max!) } ?? 0...UInt128.max,
                                              destination: cube.values(.destinationAddress)?.min.map { $0...(cube.values(.destinationAddress)!.max!) } ?? 0...UInt128.max)
                let outcome = symbolic.runHook(hook, region: region, bounds: whole, deleted: nil, observer: &observer)
                let refused = algebra.union(algebra.union(outcome.drop, outcome.reject), algebra.union(outcome.queue, outcome.undecided))
                let surelyAccepted = algebra.subtracting(outcome.accept, refused)
                let unsure = algebra.intersection(outcome.accept, refused)
                if unsure != 0 { reasons.append("uncertain rules (rate limits, ipsets …) decide some of these packets") }
                let reach: Reach = region == 0 || outcome.accept == 0 ? .none : (surelyAccepted == region ? .all : .some)
                let preferred = WitnessSearch.typicalPacket(family: program.family, hook: hook)
                let witness = algebra.witness(surelyAccepted != 0 ? surelyAccepted : (outcome.accept != 0 ? outcome.accept : region), preferring: preferred)
                var evaluation: Evaluation?
                if let p = witness {
                    let e = evaluator.evaluate(p, hook: hook)
                    evaluation = e
                    for r in e.uncertainties where !reasons.contains(r) { reasons.append(r) }
                }
                cells.append(Cell(from: from.name, to: to.name, hook: hook, reach: reach, exact: reasons.isEmpty,
                                  reasons: reasons, notes: notes + (evaluation?.caveats ?? []), witness: witness, evaluation: evaluation))
            }
        }
        self.cells = cells
    }
}
