import PacketSpace

/// An index over a chain's rules by source and destination address, for the three questions the
/// engine asks millions of times: which rules may match this packet, which rules may overlap this
/// region, which earlier rules may contain this rule.
///
/// Each rule is filed under the smallest prefixes that cover its source and destination addresses
/// (tuple-space search, as in packet classifiers): two rules can only share a packet when their
/// covering prefixes are nested in both fields, so a query visits one bucket per tuple of prefix
/// lengths for points and containers, and a range of buckets for regions.
struct ChainIndex {
    struct Bounds {
        var source: ClosedRange<UInt128>
        var destination: ClosedRange<UInt128>
    }

    private struct Bucket {
        var source: UInt128
        var destination: UInt128
        var start: Int32
        var count: Int32
    }

    private struct Tuple {
        var sourceLength: Int
        var destinationLength: Int
        var sourceMask: UInt128
        var destinationMask: UInt128
        /// Buckets sorted by (source, destination); their rule lists live in `rules`.
        var buckets: [Bucket]
        /// Open-addressing table from a key hash to a bucket index + 1 (0 = free).
        var table: [Int32]
    }

    private var tuples: [Tuple] = []
    /// Rule indices of every bucket, ascending within a bucket.
    private var rules: [Int32] = []
    /// Chains this short are scanned linearly.
    static let linearLimit = 12
    let ruleCount: Int
    var isLinear: Bool { ruleCount <= ChainIndex.linearLimit }

    static func mask(_ length: Int) -> UInt128 { length == 0 ? 0 : ~UInt128(0) << UInt128(128 - length) }

    private static func hash(_ s: UInt128, _ d: UInt128) -> Int {
        var h = UInt64(truncatingIfNeeded: s) &* 0x9E37_79B9_7F4A_7C15
        h ^= UInt64(truncatingIfNeeded: s >> 64) &* 0xC2B2_AE3D_27D4_EB4F
        h ^= UInt64(truncatingIfNeeded: d) &* 0x1656_67B1_9E37_79F9
        h ^= UInt64(truncatingIfNeeded: d >> 64) &* 0x27D4_EB2F_1656_67C5
        h ^= h >> 29
        return Int(truncatingIfNeeded: h)
    }

    init(bounds: [Bounds]) {
        ruleCount = bounds.count
        guard bounds.count > ChainIndex.linearLimit else { return }
        // Group rules by (source length, destination length, keys).
        var groups: [Int: [(UInt128, UInt128, Int32)]] = [:]
        for (i, b) in bounds.enumerated() {
            let ls = IPAddress.coveringPrefixLength(b.source)
            let ld = IPAddress.coveringPrefixLength(b.destination)
            let key = ls << 8 | ld
            groups[key, default: []].append((b.source.lowerBound & ChainIndex.mask(ls), b.destination.lowerBound & ChainIndex.mask(ld), Int32(i)))
        }
        for (key, var entries) in groups.sorted(by: { $0.key < $1.key }) {
            let ls = key >> 8
            let ld = key & 0xFF
            entries.sort { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }
            var buckets: [Bucket] = []
            for e in entries {
                if let last = buckets.last, last.source == e.0, last.destination == e.1 {
                    buckets[buckets.count - 1].count += 1
                } else {
                    buckets.append(Bucket(source: e.0, destination: e.1, start: Int32(rules.count), count: 1))
                }
                rules.append(e.2)
            }
            // Rule lists must be ascending by rule index: they are, since entries sort by index last.
            var size = 4
            while size < buckets.count * 2 { size <<= 1 }
            var table = [Int32](repeating: 0, count: size)
            for (bi, b) in buckets.enumerated() {
                var slot = ChainIndex.hash(b.source, b.destination) & (size - 1)
                while table[slot] != 0 { slot = (slot + 1) & (size - 1) }
                table[slot] = Int32(bi + 1)
            }
            tuples.append(Tuple(sourceLength: ls, destinationLength: ld, sourceMask: ChainIndex.mask(ls),
                                destinationMask: ChainIndex.mask(ld), buckets: buckets, table: table))
        }
    }

    private func bucket(_ t: Tuple, _ s: UInt128, _ d: UInt128) -> Bucket? {
        let size = t.table.count
        var slot = ChainIndex.hash(s, d) & (size - 1)
        while true {
            let v = t.table[slot]
            if v == 0 { return nil }
            let b = t.buckets[Int(v) - 1]
            if b.source == s && b.destination == d { return b }
            slot = (slot + 1) & (size - 1)
        }
    }

    /// Calls `body` with the ascending rule lists that may hold rules whose address bounds contain
    /// the point (`source`, `destination`).
    func forEachList(containingSource source: UInt128, destination: UInt128, _ body: (UnsafeBufferPointer<Int32>) -> Void) {
        rules.withUnsafeBufferPointer { all in
            for t in tuples {
                if let b = bucket(t, source & t.sourceMask, destination & t.destinationMask) {
                    body(UnsafeBufferPointer(rebasing: all[Int(b.start)..<Int(b.start + b.count)]))
                }
            }
        }
    }

    /// The first rule index `>= from` and `< before` in the lists for the point for which `accept`
    /// holds, or nil. Lists are searched in parallel, keeping the smallest hit.
    func first(source: UInt128, destination: UInt128, from: Int, before: Int, where accept: (Int) -> Bool) -> Int? {
        var best = before
        forEachList(containingSource: source, destination: destination) { list in
            // Binary search for the first index >= from.
            var lo = 0
            var hi = list.count
            while lo < hi {
                let mid = (lo + hi) >> 1
                if Int(list[mid]) < from { lo = mid + 1 } else { hi = mid }
            }
            while lo < list.count {
                let r = Int(list[lo])
                if r >= best { break }
                if accept(r) { best = r; break }
                lo += 1
            }
        }
        return best < before ? best : nil
    }

    /// Every rule whose address bounds may overlap the region's bounds (a superset; callers check).
    func overlapping(_ region: Bounds, into out: inout [Int32]) {
        let rs = IPAddress.coveringPrefixLength(region.source)
        let rd = IPAddress.coveringPrefixLength(region.destination)
        for t in tuples {
            // Keys of this tuple that are nested with the region's prefixes.
            let sLo = t.sourceLength <= rs ? region.source.lowerBound & t.sourceMask : region.source.lowerBound & ChainIndex.mask(rs)
            let sHi = t.sourceLength <= rs ? sLo : region.source.lowerBound & ChainIndex.mask(rs) | ~ChainIndex.mask(rs)
            let dLo = t.destinationLength <= rd ? region.destination.lowerBound & t.destinationMask : region.destination.lowerBound & ChainIndex.mask(rd)
            let dHi = t.destinationLength <= rd ? dLo : region.destination.lowerBound & ChainIndex.mask(rd) | ~ChainIndex.mask(rd)
            if sLo == sHi && dLo == dHi {
                if let b = bucket(t, sLo, dLo) { out.append(contentsOf: rules[Int(b.start)..<Int(b.start + b.count)]) }
                continue
            }
            // First bucket with source >= sLo.
            var lo = 0
            var hi = t.buckets.count
            while lo < hi {
                let mid = (lo + hi) >> 1
                if t.buckets[mid].source < sLo { lo = mid + 1 } else { hi = mid }
            }
            while lo < t.buckets.count {
                let b = t.buckets[lo]
                if b.source > sHi { break }
                if b.destination >= dLo && b.destination <= dHi {
                    out.append(contentsOf: rules[Int(b.start)..<Int(b.start + b.count)])
                }
                lo += 1
            }
        }
    }

    /// The rules whose address bounds may overlap the region's, from index `from` on, ascending and
    /// without duplicates. `marks` is scratch space (all zero before and after).
    func overlappingAscending(_ region: Bounds, from: Int, marks: inout [UInt64]) -> [Int32] {
        if isLinear { return from < ruleCount ? (from..<ruleCount).map { Int32($0) } : [] }
        var raw: [Int32] = []
        overlapping(region, into: &raw)
        let words = (ruleCount + 63) >> 6
        if marks.count < words { marks += [UInt64](repeating: 0, count: words - marks.count) }
        var lowest = Int.max
        var highest = -1
        for r in raw where Int(r) >= from {
            let i = Int(r)
            marks[i >> 6] |= 1 << UInt64(i & 63)
            lowest = min(lowest, i >> 6)
            highest = max(highest, i >> 6)
        }
        var out: [Int32] = []
        if highest < 0 { return out }
        out.reserveCapacity(raw.count)
        for w in lowest...highest {
            var bits = marks[w]
            while bits != 0 {
                let b = bits.trailingZeroBitCount
                out.append(Int32(w << 6 | b))
                bits &= bits - 1
            }
            marks[w] = 0
        }
        return out
    }

    /// Calls `body` with the rule lists that may hold rules whose bounds contain the whole region
    /// (ancestors in both fields).
    func forEachList(containing region: Bounds, _ body: (UnsafeBufferPointer<Int32>) -> Bool) {
        let rs = IPAddress.coveringPrefixLength(region.source)
        let rd = IPAddress.coveringPrefixLength(region.destination)
        rules.withUnsafeBufferPointer { all in
            for t in tuples where t.sourceLength <= rs && t.destinationLength <= rd {
                if let b = bucket(t, region.source.lowerBound & t.sourceMask, region.destination.lowerBound & t.destinationMask) {
                    if !body(UnsafeBufferPointer(rebasing: all[Int(b.start)..<Int(b.start + b.count)])) { return }
                }
            }
        }
    }
}
