public import PacketSpace

/// Where a built-in chain sits in the kernel's packet path, and what that says about its packets.
public enum Hook: String, Sendable, CaseIterable, Hashable {
    case prerouting = "PREROUTING"
    case input = "INPUT"
    case forward = "FORWARD"
    case output = "OUTPUT"
    case postrouting = "POSTROUTING"

    public init?(chain: String) { self.init(rawValue: chain.uppercased()) }

    /// The packets that can arrive at this hook: interfaces present or absent, destination address
    /// types a locally delivered or forwarded packet can have, loopback never forwarded.
    public var context: [PacketCube] {
        let any: ClosedRange<UInt128> = 1...UInt128.max
        let lo = InterfaceName.value("lo")!
        let notLoopback = IntervalSet(any).subtracting(IntervalSet(value: lo))
        func types(_ t: [AddressType]) -> IntervalSet { IntervalSet(ranges: t.map { $0.rawValue...$0.rawValue }) }
        var c = PacketCube()
        switch self {
        case .prerouting:
            c.restrict(.inInterface, to: any)
            c.restrict(.outInterface, to: 0)
        case .input:
            // Packets that arrive on loopback were sent by this host to itself.
            c.restrict(.inInterface, to: notLoopback)
            c.restrict(.outInterface, to: 0)
            c.restrict(.destinationAddressType, to: types([.local, .broadcast, .multicast, .anycast]))
            var loop = PacketCube()
            loop.restrict(.inInterface, to: IntervalSet(value: lo))
            loop.restrict(.outInterface, to: 0)
            loop.restrict(.sourceAddressType, to: types([.local]))
            loop.restrict(.destinationAddressType, to: types([.local, .broadcast, .multicast]))
            return [c, loop]
        case .forward:
            c.restrict(.inInterface, to: notLoopback)
            c.restrict(.outInterface, to: notLoopback)
            c.restrict(.destinationAddressType, to: types([.unicast, .broadcast, .multicast]))
        case .output:
            c.restrict(.inInterface, to: 0)
            c.restrict(.outInterface, to: notLoopback)
            var loop = PacketCube()
            loop.restrict(.inInterface, to: 0)
            loop.restrict(.outInterface, to: IntervalSet(value: lo))
            loop.restrict(.destinationAddressType, to: types([.local, .broadcast, .multicast]))
            return [c, loop]
        case .postrouting:
            c.restrict(.outInterface, to: any)
        }
        return [c]
    }

    /// The chains of other tables that see a packet before this filter-table hook does, in order.
    public var precedingChains: [(table: String, chain: String)] {
        switch self {
        case .input: [("raw", "PREROUTING"), ("mangle", "PREROUTING"), ("nat", "PREROUTING"), ("mangle", "INPUT")]
        case .forward: [("raw", "PREROUTING"), ("mangle", "PREROUTING"), ("nat", "PREROUTING"), ("mangle", "FORWARD")]
        case .output: [("raw", "OUTPUT"), ("mangle", "OUTPUT"), ("nat", "OUTPUT")]
        case .prerouting, .postrouting: []
        }
    }

    /// The filter-table hooks Bulwark analyses.
    public static let filterHooks: [Hook] = [.input, .forward, .output]
}
