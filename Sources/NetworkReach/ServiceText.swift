import BulwarkModel
import PacketSpace

/// Names the services a set of packets holds, in the manifest's notation (`tcp/22,3389`, `udp`,
/// `icmp/8`, `gre`), by projecting the set onto protocol, destination port and ICMP type.
enum ServiceText {
    static let serviceFields: Set<PacketField> = [.protocolNumber, .destinationPort, .icmpTypeCode]

    static func projection(_ node: UInt32, algebra a: PacketAlgebra) -> UInt32 {
        var n = node
        for f in PacketField.allCases where !serviceFields.contains(f) { n = a.exists(n, dimension: f.rawValue) }
        return n
    }

    /// The services, one string per protocol, protocols in number order.
    static func services(in node: UInt32, algebra a: PacketAlgebra) -> [String] {
        let projected = projection(node, algebra: a)
        if projected == PacketAlgebra.fullNode { return ["any"] }
        guard let cubes = a.cubes(projected, limit: 4096) else { return ["(too many services to list)"] }
        var ports: [UInt8: IntervalSet] = [:]
        var icmp: [UInt8: IntervalSet] = [:]
        var whole: Set<UInt8> = []
        for c in cubes {
            let protocols = c.values(.protocolNumber) ?? IntervalSet(0...255)
            for r in protocols.intervals {
                for p in r {
                    let proto = UInt8(p)
                    if Service.portProtocols.contains(proto) {
                        ports[proto, default: IntervalSet()] = ports[proto, default: IntervalSet()].union(c.values(.destinationPort) ?? IntervalSet(0...65535))
                    } else if Service.icmpProtocols.contains(proto) {
                        icmp[proto, default: IntervalSet()] = icmp[proto, default: IntervalSet()].union(c.values(.icmpTypeCode) ?? IntervalSet(0...0xFFFF))
                    } else {
                        whole.insert(proto)
                    }
                }
            }
        }
        var out: [(UInt8, String)] = []
        for (proto, set) in ports {
            let name = Service.protocolName(proto) ?? "ip/\(proto)"
            out.append((proto, set.isFull(maximum: 65535) ? name : "\(name)/" + set.intervals.map { $0.count == 1 ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }.joined(separator: ",")))
        }
        for (proto, set) in icmp {
            let name = Service.protocolName(proto) ?? "ip/\(proto)"
            if set.isFull(maximum: 0xFFFF) { out.append((proto, name)); continue }
            var types: [UInt128] = []
            for r in set.intervals { types += Array(Set(stride(from: r.lowerBound >> 8, through: r.upperBound >> 8, by: 1))) }
            out.append((proto, "\(name)/" + Set(types).sorted().map(String.init).joined(separator: ",")))
        }
        if whole.count > 8 {
            out.append((255, "\(whole.count) other protocols"))
        } else {
            for proto in whole { out.append((proto, Service.protocolName(proto) ?? "ip/\(proto)")) }
        }
        return out.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// A destination port of TCP or UDP in the set a reader recognises: the first administrative
    /// service open, else the first well-known service, else the lowest port.
    static func firstPort(in node: UInt32, algebra a: PacketAlgebra) -> UInt16? {
        let projected = projection(node, algebra: a)
        guard let cubes = a.cubes(projected, limit: 4096) else { return nil }
        var open: [UInt8: IntervalSet] = [6: IntervalSet(), 17: IntervalSet()]
        for c in cubes {
            let protocols = c.values(.protocolNumber) ?? IntervalSet(0...255)
            for proto: UInt8 in [6, 17] where protocols.contains(UInt128(proto)) {
                open[proto] = open[proto]!.union(c.values(.destinationPort) ?? IntervalSet(0...65535))
            }
        }
        let candidates = AdministrativeService.standard.map { ($0.protocolNumber, $0.port) }
            + Service.wellKnown.compactMap { w in w.service.protocolNumber.flatMap { p in w.service.ports.first.map { (p, $0.lowerBound) } } }
        for (proto, port) in candidates where open[proto]?.contains(UInt128(port)) ?? false { return port }
        let lowest = [open[6]!, open[17]!].compactMap { $0.subtracting(IntervalSet(value: 0)).min }.min()
        return lowest.map { UInt16($0) }
    }
}
