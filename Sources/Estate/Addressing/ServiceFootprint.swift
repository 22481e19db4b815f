import BulwarkModel
import PacketSpace

extension Service {
    /// The packets of the service as one set of integers, so that "is this service within what a
    /// rule allows" is a subset test on ``IntervalSet``.
    ///
    /// Each value is `protocol << 16 | detail`: the destination port for protocols with ports,
    /// `type << 8 | code` for ICMP, and every detail value for other protocols. A service with one
    /// protocol is then a few intervals in that protocol's block of 65,536 values, and `any` is the
    /// whole 24-bit domain.
    var footprint: IntervalSet {
        guard let p = protocolNumber else { return IntervalSet(0...Service.footprintMaximum) }
        let base = UInt128(p) << 16
        if !ports.isEmpty {
            return IntervalSet(ranges: ports.map { (base | UInt128($0.lowerBound))...(base | UInt128($0.upperBound)) })
        }
        if let t = icmpType {
            let low = base | UInt128(t) << 8
            return IntervalSet(low...(low | 0xFF))
        }
        return IntervalSet(base...(base | 0xFFFF))
    }

    static let footprintMaximum: UInt128 = 0xFF_FFFF
}
