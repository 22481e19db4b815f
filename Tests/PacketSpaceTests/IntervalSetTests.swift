import PacketSpace
import Testing

/// Interval sets checked against plain `Set`s on a small domain: every subset of 0...5 against every other.
@Suite struct IntervalSetTests {
    static let maximum: UInt128 = 5
    static let domain = Array(UInt128(0)...maximum)

    static func allSubsets() -> [Set<UInt128>] {
        (0..<(1 << domain.count)).map { bits in Set(domain.filter { bits & (1 << Int($0)) != 0 }) }
    }

    static func make(_ s: Set<UInt128>) -> IntervalSet { IntervalSet(ranges: s.map { $0...$0 }) }
    static func naive(_ i: IntervalSet) -> Set<UInt128> { Set(domain.filter { i.contains($0) }) }

    @Test func everyPairAgreesWithNaiveSets() {
        let subsets = Self.allSubsets()
        let sets = subsets.map(Self.make)
        for (a, sa) in zip(sets, subsets) {
            #expect(Self.naive(a) == sa)
            #expect(a.count == UInt128(sa.count))
            #expect(Self.naive(a.complement(maximum: Self.maximum)) == Set(Self.domain).subtracting(sa))
            for (b, sb) in zip(sets, subsets) {
                #expect(Self.naive(a.union(b)) == sa.union(sb))
                #expect(Self.naive(a.intersection(b)) == sa.intersection(sb))
                #expect(Self.naive(a.subtracting(b)) == sa.subtracting(sb))
                #expect(a.isSubset(of: b) == sa.isSubset(of: sb))
                #expect(a.overlaps(b) == !sa.isDisjoint(with: sb))
                // Canonical form: equal sets have equal representations.
                #expect((a == b) == (sa == sb))
            }
        }
    }

    @Test func closestValueIsNearestMember() {
        for s in Self.allSubsets() where !s.isEmpty {
            let set = Self.make(s)
            for want in Self.domain {
                let got = set.closest(to: want)!
                let best = s.map { $0 > want ? $0 - want : want - $0 }.min()!
                #expect(s.contains(got))
                #expect((got > want ? got - want : want - got) == best)
            }
        }
    }

    @Test func extremesOfTheDomain() {
        let full = IntervalSet(0...UInt128.max)
        #expect(full.isFull(maximum: .max))
        #expect(full.count == .max)
        #expect(full.complement(maximum: .max).isEmpty)
        let top = IntervalSet(value: .max)
        #expect(full.subtracting(top) == IntervalSet(0...(UInt128.max - 1)))
        #expect(IntervalSet(ranges: [0...3, 4...7, 10...12]).intervals == [0...7, 10...12])
    }
}
