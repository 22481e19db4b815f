import BulwarkModel
import PacketSpace
import Testing

/// The decision-diagram algebra checked exhaustively against a naive model: sets of points of a
/// small three-dimensional space, where every point can be listed.
@Suite struct PacketAlgebraTests {
    static let maxima: [UInt128] = [2, 3, 1]
    static let points: [Packet] = {
        var out: [Packet] = []
        for a in 0...maxima[0] { for b in 0...maxima[1] { for c in 0...maxima[2] { out.append(Packet(values: [a, b, c])) } } }
        return out
    }()

    /// Every interval of 0...max.
    static func intervals(_ max: UInt128) -> [IntervalSet] {
        var out: [IntervalSet] = []
        for lo in 0...max { for hi in lo...max { out.append(IntervalSet(lo...hi)) } }
        return out
    }

    /// Every cube whose fields are intervals (unconstrained fields included as full intervals).
    static let cubes: [PacketCube] = {
        var out: [PacketCube] = []
        for x in intervals(maxima[0]) { for y in intervals(maxima[1]) { for z in intervals(maxima[2]) {
            var c = PacketCube()
            c.restrict(0, to: x)
            c.restrict(1, to: y)
            c.restrict(2, to: z)
            c.normalize(maxima: maxima)
            out.append(c)
        } } }
        return out
    }()

    static func naive(_ set: PacketSet) -> Set<Packet> { Set(points.filter { set.contains($0) }) }
    static func naive(_ cube: PacketCube) -> Set<Packet> { Set(points.filter { cube.contains($0) }) }

    @Test func cubesHoldExactlyTheirPoints() {
        let algebra = PacketAlgebra(maxima: Self.maxima)
        for c in Self.cubes {
            let set = PacketSet(c, in: algebra)
            #expect(Self.naive(set) == Self.naive(c))
            #expect(set.cardinality == Double(Self.naive(c).count))
        }
    }

    @Test func everyPairOfCubesCombinesExactly() {
        let algebra = PacketAlgebra(maxima: Self.maxima)
        let sets = Self.cubes.map { PacketSet($0, in: algebra) }
        let naive = Self.cubes.map(Self.naive)
        for i in sets.indices {
            for j in sets.indices {
                let (a, b) = (sets[i], sets[j])
                #expect(Self.naive(a.union(b)) == naive[i].union(naive[j]))
                #expect(Self.naive(a.intersection(b)) == naive[i].intersection(naive[j]))
                #expect(Self.naive(a.subtracting(b)) == naive[i].subtracting(naive[j]))
                #expect(a.isSubset(of: b) == naive[i].isSubset(of: naive[j]))
                #expect(a.overlaps(b) == !naive[i].isDisjoint(with: naive[j]))
                #expect((a == b) == (naive[i] == naive[j]))
            }
        }
    }

    /// Fixing, existential and universal quantification of each dimension against the naive
    /// definitions, on unions of two cubes (so that nodes have several children to combine).
    @Test func quantifiersAgreeWithNaiveDefinitions() {
        let algebra = PacketAlgebra(maxima: Self.maxima)
        var rng = SplitMix64(seed: 7)
        for _ in 0..<400 {
            let c1 = Self.cubes[Int(rng.next() % UInt64(Self.cubes.count))]
            let c2 = Self.cubes[Int(rng.next() % UInt64(Self.cubes.count))]
            let node = algebra.union(algebra.cube(c1), algebra.cube(c2))
            let members = Self.naive(c1).union(Self.naive(c2))
            for d in Self.maxima.indices {
                let values = Array(0...Self.maxima[d])
                func with(_ p: Packet, _ v: UInt128) -> Packet { var q = p; q.values[d] = v; return q }
                let exists = algebra.exists(node, dimension: d)
                let forAll = algebra.forAll(node, dimension: d)
                for p in Self.points {
                    #expect(algebra.contains(exists, p) == values.contains { members.contains(with(p, $0)) })
                    #expect(algebra.contains(forAll, p) == values.allSatisfy { members.contains(with(p, $0)) })
                    for v in values {
                        #expect(algebra.contains(algebra.fixing(node, dimension: d, to: v), p) == members.contains(with(p, v)))
                    }
                }
            }
        }
    }

    /// The tests that build nothing agree with building the sets.
    @Test func disjointAndSubsetTestsAgreeWithBuiltSets() {
        let algebra = PacketAlgebra(maxima: Self.maxima)
        var rng = SplitMix64(seed: 11)
        func random() -> UInt32 {
            let c1 = Self.cubes[Int(rng.next() % UInt64(Self.cubes.count))]
            let c2 = Self.cubes[Int(rng.next() % UInt64(Self.cubes.count))]
            return rng.next() % 2 == 0 ? algebra.union(algebra.cube(c1), algebra.cube(c2)) : algebra.subtracting(algebra.cube(c1), algebra.cube(c2))
        }
        for _ in 0..<3000 {
            let (a, b, c) = (random(), random(), random())
            #expect(algebra.isDisjoint(a, b) == (algebra.intersection(a, b) == PacketAlgebra.emptyNode))
            #expect(algebra.isSubset(intersectionOf: a, b, of: c) == algebra.isSubset(algebra.intersection(a, b), of: c))
        }
    }

    /// Random expressions over cubes: equal naive sets must be the very same node (canonicity),
    /// witnesses must be members, cube decompositions must rebuild the set.
    @Test(arguments: [1, 2, 3, 4])
    func randomExpressionsAreCanonical(seed: UInt64) {
        let algebra = PacketAlgebra(maxima: Self.maxima)
        var rng = SplitMix64(seed: seed)
        var pool: [(PacketSet, Set<Packet>)] = [(.empty(algebra), []), (.all(algebra), Set(Self.points))]
        var byContent: [Set<Packet>: UInt32] = [:]
        for _ in 0..<2000 {
            let pick: (PacketSet, Set<Packet>)
            switch rng.next() % 5 {
            case 0:
                let c = Self.cubes[Int(rng.next() % UInt64(Self.cubes.count))]
                pick = (PacketSet(c, in: algebra), Self.naive(c))
            case 1:
                let (a, b) = (pool[Int(rng.next() % UInt64(pool.count))], pool[Int(rng.next() % UInt64(pool.count))])
                pick = (a.0.union(b.0), a.1.union(b.1))
            case 2:
                let (a, b) = (pool[Int(rng.next() % UInt64(pool.count))], pool[Int(rng.next() % UInt64(pool.count))])
                pick = (a.0.intersection(b.0), a.1.intersection(b.1))
            case 3:
                let (a, b) = (pool[Int(rng.next() % UInt64(pool.count))], pool[Int(rng.next() % UInt64(pool.count))])
                pick = (a.0.subtracting(b.0), a.1.subtracting(b.1))
            default:
                let a = pool[Int(rng.next() % UInt64(pool.count))]
                pick = (a.0.complement, Set(Self.points).subtracting(a.1))
            }
            #expect(Self.naive(pick.0) == pick.1)
            #expect(pick.0.isEmpty == pick.1.isEmpty)
            if let seen = byContent[pick.1] { #expect(seen == pick.0.node) } else { byContent[pick.1] = pick.0.node }
            let preferred = Self.points[Int(rng.next() % UInt64(Self.points.count))]
            if let w = pick.0.witness(preferring: preferred) {
                #expect(pick.1.contains(w))
                if pick.1.contains(preferred) { #expect(w == preferred) }
            } else {
                #expect(pick.1.isEmpty)
            }
            let rebuilt = (pick.0.cubes() ?? []).reduce(PacketSet.empty(algebra)) { $0.union(PacketSet($1, in: algebra)) }
            #expect(rebuilt == pick.0)
            #expect(pick.0.cardinality == Double(pick.1.count))
            pool.append(pick)
        }
    }

    @Test func resetStartsAfresh() {
        let algebra = PacketAlgebra(maxima: Self.maxima)
        let c = Self.cubes[17]
        let before = PacketSet(c, in: algebra)
        #expect(algebra.nodeCountTotal > 2)
        algebra.reset()
        #expect(algebra.nodeCountTotal == 2)
        let after = PacketSet(c, in: algebra)
        #expect(Self.naive(after) == Self.naive(c))
        _ = before
    }

    @Test func fullWidthDimensionsWork() {
        // 128-bit fields: the edge at UInt128.max must not overflow.
        let algebra = PacketAlgebra(maxima: [.max, .max])
        var c = PacketCube()
        c.restrict(0, to: IntervalSet((UInt128.max - 10)...UInt128.max))
        let s = PacketSet(c, in: algebra)
        #expect(s.contains(Packet(values: [.max, 0])))
        #expect(!s.contains(Packet(values: [UInt128.max - 11, 0])))
        #expect(s.complement.complement == s)
        #expect(s.witness(preferring: Packet(values: [0, 0]))! == Packet(values: [UInt128.max - 10, 0]))
    }
}
