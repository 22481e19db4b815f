import PacketSpace

/// Which zone each address belongs to, by longest-prefix match over every zone's networks.
///
/// Zones may overlap: a `corp` zone of `10.0.0.0/8` and an `ot` zone of `10.50.0.0/16` both hold
/// `10.50.1.1`, and the more specific network (`ot`) wins, as a routing table decides. The internet
/// zone, `0.0.0.0/0` and `::/0`, is so the addresses no other zone claims. Each family has its own
/// table because PacketSpace maps IPv4 into `::ffff:0:0/96`, which `::/0` would otherwise swallow.
struct ZoneMap: Sendable, Hashable {
    /// A run of addresses that one zone owns.
    struct Segment: Sendable, Hashable {
        var range: ClosedRange<UInt128>
        var zone: Int
    }

    /// Per family (indexed by `AddressFamily.rawValue`), the owned runs sorted by address.
    private var segments: [[Segment]] = [[], []]
    /// Per family, the addresses each zone owns.
    private var ownedByZone: [[IntervalSet]] = [[], []]

    init(zones: [EstateManifest.Zone]) {
        for family in AddressFamily.allCases {
            let f = Int(family.rawValue)
            var prefixes: [(range: ClosedRange<UInt128>, zone: Int)] = []
            for (z, zone) in zones.enumerated() {
                for n in zone.networks where n.family == family { prefixes.append((n.range, z)) }
            }
            let runs = Self.sweep(prefixes)
            segments[f] = runs
            var byZone = Array(repeating: [ClosedRange<UInt128>](), count: zones.count)
            for run in runs { byZone[run.zone].append(run.range) }
            ownedByZone[f] = byZone.map { IntervalSet(ranges: $0) }
        }
    }

    /// The runs each prefix owns, in address order, in O(n log n).
    ///
    /// Two prefixes are either disjoint or one holds the other, so sorted by start (the wider
    /// first) they nest like brackets: a stack holds the prefixes open at the current address, and
    /// the innermost one, the longest, owns it. Of two equal prefixes the first declared is kept
    /// (the loader reports the second as an error; this only keeps the map defined).
    static func sweep(_ prefixes: [(range: ClosedRange<UInt128>, zone: Int)]) -> [Segment] {
        let order = prefixes.indices.sorted {
            let a = prefixes[$0].range, b = prefixes[$1].range
            if a.lowerBound != b.lowerBound { return a.lowerBound < b.lowerBound }
            if a.upperBound != b.upperBound { return a.upperBound > b.upperBound }
            return $0 < $1
        }
        var runs: [Segment] = []
        var stack: [(range: ClosedRange<UInt128>, zone: Int)] = []
        // The first address not yet given to a zone; nil once the whole domain is.
        var cursor: UInt128? = 0
        func emit(upTo end: UInt128, _ zone: Int) {
            guard let start = cursor, start <= end else { return }
            if let last = runs.last, last.zone == zone, last.range.upperBound &+ 1 == start {
                runs[runs.count - 1].range = last.range.lowerBound...end
            } else {
                runs.append(Segment(range: start...end, zone: zone))
            }
            cursor = end == .max ? nil : end + 1
        }
        func close(before address: UInt128?) {
            while let top = stack.last, address.map({ top.range.upperBound < $0 }) ?? true {
                emit(upTo: top.range.upperBound, top.zone)
                stack.removeLast()
            }
        }
        for i in order {
            let p = prefixes[i]
            close(before: p.range.lowerBound)
            if let top = stack.last {
                if top.range == p.range { continue }
                if p.range.lowerBound > 0 { emit(upTo: p.range.lowerBound - 1, top.zone) }
            }
            cursor = p.range.lowerBound
            stack.append(p)
        }
        close(before: nil)
        return runs
    }

    /// The index of the zone owning `address`, by binary search.
    func zone(containing address: UInt128, family: AddressFamily) -> Int? {
        let runs = segments[Int(family.rawValue)]
        var lo = 0
        var hi = runs.count - 1
        while lo <= hi {
            let mid = (lo + hi) >> 1
            let r = runs[mid].range
            if address < r.lowerBound { hi = mid - 1 } else if address > r.upperBound { lo = mid + 1 } else { return runs[mid].zone }
        }
        return nil
    }

    func owned(zone: Int, family: AddressFamily) -> IntervalSet {
        let owned = ownedByZone[Int(family.rawValue)]
        return zone < owned.count ? owned[zone] : IntervalSet()
    }
}
