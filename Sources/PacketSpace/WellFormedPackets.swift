/// The packets that can exist: field combinations the network stack can actually produce.
///
/// Fields that a packet does not carry have the value 0 (ports of an ICMP packet, the ICMP type of a
/// TCP packet, transport fields of a later fragment), so that equal sets of real packets are equal
/// sets here too. Address types follow from the address where the address alone decides them
/// (multicast ranges, the zero network and limited broadcast, loopback); elsewhere they depend on the
/// host's own addresses and stay free.
public enum WellFormedPackets {
    /// The well-formed packets of one family, as a union of cubes.
    public static func cubes(family: AddressFamily) -> [PacketCube] {
        var transport: [PacketCube] = []
        let portProtocols: [UInt128] = [6, 17, 33, 132, 136]
        let icmp: UInt128 = family == .ipv4 ? 1 : 58
        func cube(_ body: (inout PacketCube) -> Void) -> PacketCube {
            var c = PacketCube()
            body(&c)
            return c
        }
        // TCP, first fragment: ports and flags.
        transport.append(cube { $0.restrict(.protocolNumber, to: 6); $0.restrict(.fragment, to: 0); $0.restrict(.icmpTypeCode, to: 0) })
        // Other port protocols, first fragment: ports, no flags.
        transport.append(cube {
            $0.restrict(.protocolNumber, to: IntervalSet(ranges: portProtocols.dropFirst().map { $0...$0 }))
            $0.restrict(.fragment, to: 0); $0.restrict(.icmpTypeCode, to: 0); $0.restrict(.tcpFlags, to: 0)
        })
        // ICMP, first fragment: type and code.
        transport.append(cube {
            $0.restrict(.protocolNumber, to: icmp); $0.restrict(.fragment, to: 0)
            $0.restrict(.sourcePort, to: 0); $0.restrict(.destinationPort, to: 0); $0.restrict(.tcpFlags, to: 0)
        })
        // Everything else, and every later fragment: no transport fields.
        let special = IntervalSet(ranges: (portProtocols + [icmp]).map { $0...$0 })
        transport.append(cube {
            $0.restrict(.protocolNumber, to: IntervalSet(0...255).subtracting(special))
            $0.restrict(.sourcePort, to: 0); $0.restrict(.destinationPort, to: 0); $0.restrict(.icmpTypeCode, to: 0); $0.restrict(.tcpFlags, to: 0)
        })
        transport.append(cube {
            $0.restrict(.protocolNumber, to: special); $0.restrict(.fragment, to: 1)
            $0.restrict(.sourcePort, to: 0); $0.restrict(.destinationPort, to: 0); $0.restrict(.icmpTypeCode, to: 0); $0.restrict(.tcpFlags, to: 0)
        })

        let sources = addressTypes(family: family, address: .sourceAddress, type: .sourceAddressType)
        let destinations = addressTypes(family: family, address: .destinationAddress, type: .destinationAddressType)
        var out: [PacketCube] = []
        for t in transport {
            for s in sources {
                for d in destinations {
                    var c = t.intersection(s).intersection(d)
                    c.restrict(.family, to: family.rawValue)
                    if family == .ipv6 { c.restrict(.fragment, to: IntervalSet(0...1)) }
                    out.append(c)
                }
            }
        }
        return out
    }

    /// Address ranges whose routing type is fixed by the address, and the rest.
    static func addressTypes(family: AddressFamily, address: PacketField, type: PacketField) -> [PacketCube] {
        func typed(_ ranges: [ClosedRange<UInt128>], _ types: [AddressType]) -> PacketCube {
            var c = PacketCube()
            c.restrict(address, to: IntervalSet(ranges: ranges))
            c.restrict(type, to: IntervalSet(ranges: types.map { $0.rawValue...$0.rawValue }))
            return c
        }
        if family == .ipv4 {
            let v4 = { (a: UInt32, len: Int) in IPAddress.prefix(IPAddress.v4(a), length: len, family: .ipv4) }
            let multicast = v4(0xE000_0000, 4)
            let broadcast = [v4(0, 8), v4(0xFFFF_FFFF, 32)]
            let loopback = v4(0x7F00_0000, 8)
            let fixed = IntervalSet(ranges: [multicast, loopback] + broadcast)
            let rest = IntervalSet(IPAddress.ipv4Range).subtracting(fixed)
            return [
                typed([multicast], [.multicast]),
                typed(broadcast, [.broadcast]),
                typed([loopback], [.local]),
                typed(rest.intervals, [.unicast, .local, .broadcast]),
            ]
        }
        let multicast = IPAddress.prefix(0xFF00 << 112, length: 8, family: .ipv6)
        let loopback: ClosedRange<UInt128> = 1...1
        let rest = IntervalSet(0...UInt128.max).subtracting(IntervalSet(ranges: [multicast, loopback]))
        return [
            typed([multicast], [.multicast]),
            typed([loopback], [.local]),
            typed(rest.intervals, [.unicast, .local, .anycast, .unreachable, .blackhole, .prohibit, .throw]),
        ]
    }
}
