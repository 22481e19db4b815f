/// Exact sets of packets as reduced, ordered, hash-consed interval decision diagrams.
///
/// A node tests one dimension (its *level*) and splits that dimension's whole domain into
/// consecutive intervals, each leading to a child at a deeper level or to a terminal (the empty
/// set, 0, or the full set, 1). Adjacent intervals never share a child and a node never has a
/// single interval, so every set has exactly one diagram: equality is identity and emptiness is a
/// comparison with 0. Unlike a bit-level BDD, a port range or an address prefix is one edge.
///
/// All sets of one algebra share its node table; operations are memoised in a computed table.
/// ``reset()`` forgets every set at once, which is how long analyses keep memory bounded.
public final class PacketAlgebra {
    /// The largest value of each dimension; the dimension count is `maxima.count`.
    public let maxima: [UInt128]
    /// The level of the terminals: one past the last dimension.
    let terminalLevel: UInt8

    // Nodes: level, first edge, edge count, hash. Nodes 0 and 1 are the terminals.
    @exclusivity(unchecked) private var nodeLevel = Column<UInt8>()
    @exclusivity(unchecked) private var nodeStart = Column<UInt32>()
    @exclusivity(unchecked) private var nodeCount = Column<UInt32>()
    @exclusivity(unchecked) private var nodeHash = Column<UInt64>()
    @exclusivity(unchecked) private var edgeUpper = Column<UInt128>()
    @exclusivity(unchecked) private var edgeChild = Column<UInt32>()

    // Unique table: open addressing; a slot holds `generation << 32 | (node + 1)`.
    @exclusivity(unchecked) private var unique: ContiguousArray<UInt64>
    private var uniqueUsed = 0
    /// Operations computed (not answered by the terminal rules or the computed table), for tuning.
    public private(set) var operationCount = 0
    private var generation: UInt64 = 1

    // Computed table: direct mapped, tagged with the generation so that reset() is O(1).
    private struct CacheEntry {
        var key: UInt64 = 0
        var b: UInt32 = 0
        var result: UInt32 = 0
        var generation: UInt64 = 0
    }
    @exclusivity(unchecked) private var cache: ContiguousArray<CacheEntry>
    private let cacheMask: Int

    // Edges of nodes under construction, as a stack of frames.
    @exclusivity(unchecked) private var scratchUpper: ContiguousArray<UInt128> = []
    @exclusivity(unchecked) private var scratchChild: ContiguousArray<UInt32> = []

    /// The empty set.
    public static let emptyNode: UInt32 = 0
    /// The set of every packet.
    public static let fullNode: UInt32 = 1

    /// An algebra over dimensions with the given maxima (the standard packet space by default).
    public init(maxima: [UInt128] = PacketField.standardMaxima, cacheBits: Int = 18) {
        precondition(!maxima.isEmpty && maxima.count < 255, "dimension count out of range")
        self.maxima = maxima
        terminalLevel = UInt8(maxima.count)
        unique = ContiguousArray(repeating: 0, count: 1 << 12)
        cache = ContiguousArray(repeating: CacheEntry(), count: 1 << cacheBits)
        cacheMask = (1 << cacheBits) - 1
        installTerminals()
    }

    deinit {
        nodeLevel.free()
        nodeStart.free()
        nodeCount.free()
        nodeHash.free()
        edgeUpper.free()
        edgeChild.free()
    }

    private func installTerminals() {
        for _ in 0..<2 {
            nodeLevel.append(terminalLevel)
            nodeStart.append(0)
            nodeCount.append(0)
            nodeHash.append(0)
        }
    }

    /// The number of live nodes, terminals included.
    public var nodeCountTotal: Int { nodeLevel.count }

    /// Forgets every set made so far; handles from before the reset must not be used again.
    public func reset() {
        nodeLevel.removeAll()
        nodeStart.removeAll()
        nodeCount.removeAll()
        nodeHash.removeAll()
        edgeUpper.removeAll()
        edgeChild.removeAll()
        installTerminals()
        uniqueUsed = 0
        generation += 1
    }

    // MARK: - Node construction

    @inline(__always) private func level(_ node: UInt32) -> UInt8 { nodeLevel[Int(node)] }

    @inline(__always) private func pushEdge(_ upper: UInt128, _ child: UInt32, frame: Int) {
        if scratchChild.count > frame && scratchChild[scratchChild.count - 1] == child {
            scratchUpper[scratchUpper.count - 1] = upper
        } else {
            scratchUpper.append(upper)
            scratchChild.append(child)
        }
    }

    private func popFrame(_ frame: Int) {
        scratchUpper.removeSubrange(frame...)
        scratchChild.removeSubrange(frame...)
    }

    @inline(__always) private static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The canonical node for the edges of the frame starting at `frame` (edges already merged).
    private func makeNode(level: UInt8, frame: Int) -> UInt32 {
        let count = scratchChild.count - frame
        if count == 1 { return scratchChild[frame] }
        var h = UInt64(level) &* 0x100_0000_01B3
        for i in frame..<scratchChild.count {
            let u = scratchUpper[i]
            h = PacketAlgebra.mix(h ^ UInt64(truncatingIfNeeded: u) ^ (UInt64(truncatingIfNeeded: u >> 64) &* 31))
            h = PacketAlgebra.mix(h ^ UInt64(scratchChild[i]))
        }
        var slot = Int(truncatingIfNeeded: h) & (unique.count - 1)
        while true {
            let entry = unique[slot]
            if entry >> 32 != generation { break }
            let node = Int(UInt32(truncatingIfNeeded: entry) - 1)
            if nodeHash[node] == h && nodeLevel[node] == level && Int(nodeCount[node]) == count {
                let start = Int(nodeStart[node])
                var same = true
                for k in 0..<count where edgeChild[start + k] != scratchChild[frame + k] || edgeUpper[start + k] != scratchUpper[frame + k] {
                    same = false
                    break
                }
                if same { return UInt32(node) }
            }
            slot = (slot + 1) & (unique.count - 1)
        }
        let node = UInt32(nodeLevel.count)
        nodeLevel.append(level)
        nodeStart.append(UInt32(edgeChild.count))
        nodeCount.append(UInt32(count))
        nodeHash.append(h)
        edgeUpper.append(contentsOf: scratchUpper[frame...])
        edgeChild.append(contentsOf: scratchChild[frame...])
        unique[slot] = generation << 32 | UInt64(node + 1)
        uniqueUsed += 1
        if uniqueUsed * 2 > unique.count { growUnique() }
        return node
    }

    private func growUnique() {
        var table = ContiguousArray<UInt64>(repeating: 0, count: unique.count * 2)
        let mask = table.count - 1
        for node in 2..<nodeLevel.count {
            var slot = Int(truncatingIfNeeded: nodeHash[node]) & mask
            while table[slot] >> 32 == generation { slot = (slot + 1) & mask }
            table[slot] = generation << 32 | UInt64(node + 1)
        }
        unique = table
    }

    // MARK: - Building sets

    /// The set of packets in a cube.
    public func cube(_ cube: PacketCube) -> UInt32 {
        if cube.isEmpty { return PacketAlgebra.emptyNode }
        var node = PacketAlgebra.fullNode
        for c in cube.constraints.reversed() {
            let max = maxima[c.dimension]
            if c.values.isFull(maximum: max) { continue }
            let frame = scratchChild.count
            var next: UInt128 = 0
            var reachedEnd = false
            for r in c.values.intervals {
                if r.lowerBound > next { pushEdge(r.lowerBound - 1, PacketAlgebra.emptyNode, frame: frame) }
                pushEdge(r.upperBound, node, frame: frame)
                if r.upperBound == max { reachedEnd = true; break }
                next = r.upperBound + 1
            }
            if !reachedEnd { pushEdge(max, PacketAlgebra.emptyNode, frame: frame) }
            node = makeNode(level: UInt8(c.dimension), frame: frame)
            popFrame(frame)
        }
        return node
    }

    // MARK: - Operations

    private enum Op: UInt64 { case and = 1, or = 2, minus = 3 }

    /// The packets in both sets.
    public func intersection(_ a: UInt32, _ b: UInt32) -> UInt32 { apply(.and, a, b) }
    /// The packets in either set.
    public func union(_ a: UInt32, _ b: UInt32) -> UInt32 { apply(.or, a, b) }
    /// The packets of `a` not in `b`.
    public func subtracting(_ a: UInt32, _ b: UInt32) -> UInt32 { apply(.minus, a, b) }
    /// The packets not in `a`.
    public func complement(_ a: UInt32) -> UInt32 { apply(.minus, PacketAlgebra.fullNode, a) }
    /// Whether every packet of `a` is in `b`.
    public func isSubset(_ a: UInt32, of b: UInt32) -> Bool { apply(.minus, a, b) == PacketAlgebra.emptyNode }
    /// Whether the sets share a packet.
    public func overlaps(_ a: UInt32, _ b: UInt32) -> Bool { apply(.and, a, b) != PacketAlgebra.emptyNode }

    private func apply(_ op: Op, _ a: UInt32, _ b: UInt32) -> UInt32 {
        switch op {
        case .and:
            if a == 0 || b == 0 { return 0 }
            if a == 1 { return b }
            if b == 1 || a == b { return a }
        case .or:
            if a == 1 || b == 1 { return 1 }
            if a == 0 { return b }
            if b == 0 || a == b { return a }
        case .minus:
            if a == 0 || b == 1 || a == b { return 0 }
            if b == 0 { return a }
        }
        // and/or are commutative: order the operands so both orders share a cache entry.
        let (x, y) = (op != .minus && a > b) ? (b, a) : (a, b)
        let key = op.rawValue << 32 | UInt64(x)
        let slot = Int(truncatingIfNeeded: PacketAlgebra.mix(key ^ (UInt64(y) << 40) ^ UInt64(y))) & cacheMask
        let hit = cache[slot]
        if hit.generation == generation && hit.key == key && hit.b == y { return hit.result }

        operationCount += 1
        let la = level(x)
        let lb = level(y)
        let l = min(la, lb)
        let max = maxima[Int(l)]
        let frame = scratchChild.count
        var ia = la == l ? Int(nodeStart[Int(x)]) : -1
        var ib = lb == l ? Int(nodeStart[Int(y)]) : -1
        while true {
            let ua = ia >= 0 ? edgeUpper[ia] : max
            let ub = ib >= 0 ? edgeUpper[ib] : max
            let ca = ia >= 0 ? edgeChild[ia] : x
            let cb = ib >= 0 ? edgeChild[ib] : y
            let upper = Swift.min(ua, ub)
            let child = apply(op, ca, cb)
            pushEdge(upper, child, frame: frame)
            if upper == max { break }
            if ua == upper { ia += 1 }
            if ub == upper { ib += 1 }
        }
        let result = makeNode(level: l, frame: frame)
        popFrame(frame)
        cache[slot] = CacheEntry(key: key, b: y, result: result, generation: generation)
        return result
    }

    /// The set with one field fixed to `value` and then forgotten: the packets `p` such that `p` with
    /// that field set to `value` is in the set. The result does not test the field. (Used to carry
    /// what a firewall accepts on one interface pair into sets about addresses and services only.)
    public func fixing(_ node: UInt32, dimension: Int, to value: UInt128) -> UInt32 {
        eliminating(node, dimension: dimension) { start, count in
            var k = start
            while k < start + count - 1 && edgeUpper[k] < value { k += 1 }
            return edgeChild[k]
        }
    }

    /// The packets `p` such that *some* value of the field puts `p` in the set (existential
    /// quantification); the result does not test the field.
    public func exists(_ node: UInt32, dimension: Int) -> UInt32 {
        eliminating(node, dimension: dimension) { start, count in
            (start..<(start + count)).reduce(PacketAlgebra.emptyNode) { union($0, edgeChild[$1]) }
        }
    }

    /// The packets `p` such that *every* value of the field puts `p` in the set (universal
    /// quantification); the result does not test the field.
    public func forAll(_ node: UInt32, dimension: Int) -> UInt32 {
        eliminating(node, dimension: dimension) { start, count in
            (start..<(start + count)).reduce(PacketAlgebra.fullNode) { intersection($0, edgeChild[$1]) }
        }
    }

    /// Rebuilds the nodes above `dimension` and replaces each node testing it by `collapse` of its
    /// edges (given as the first edge's index and the edge count).
    private func eliminating(_ node: UInt32, dimension: Int, collapse: (Int, Int) -> UInt32) -> UInt32 {
        var memo: [UInt32: UInt32] = [:]
        func go(_ n: UInt32) -> UInt32 {
            if n <= 1 { return n }
            let l = Int(level(n))
            if l > dimension { return n }
            if let done = memo[n] { return done }
            let start = Int(nodeStart[Int(n)])
            let count = Int(nodeCount[Int(n)])
            let result: UInt32
            if l == dimension {
                result = collapse(start, count)
            } else {
                var children: [(UInt128, UInt32)] = []
                children.reserveCapacity(count)
                for k in start..<(start + count) { children.append((edgeUpper[k], go(edgeChild[k]))) }
                let frame = scratchChild.count
                for (upper, child) in children { pushEdge(upper, child, frame: frame) }
                result = makeNode(level: UInt8(l), frame: frame)
                popFrame(frame)
            }
            memo[n] = result
            return result
        }
        return go(node)
    }

    // MARK: - Tests that build nothing

    /// Whether `a ∩ b` is empty, without building it (no nodes are made; a walk over both diagrams
    /// that stops at the first shared packet).
    public func isDisjoint(_ a: UInt32, _ b: UInt32) -> Bool {
        var memo: [UInt64: Bool] = [:]
        func go(_ x: UInt32, _ y: UInt32) -> Bool {
            if x == 0 || y == 0 { return true }
            if x == 1 && y == 1 { return false }
            if x == y { return false }
            let key = UInt64(min(x, y)) << 32 | UInt64(max(x, y))
            if let m = memo[key] { return m }
            var result = true
            walk(x, y) { cx, cy in
                if !go(cx, cy) { result = false }
                return result
            }
            memo[key] = result
            return result
        }
        return go(a, b)
    }

    /// Whether `a ∩ b ⊆ c`, without building anything.
    public func isSubset(intersectionOf a: UInt32, _ b: UInt32, of c: UInt32) -> Bool {
        var memo: [Triple: Bool] = [:]
        func go(_ x: UInt32, _ y: UInt32, _ z: UInt32) -> Bool {
            if x == 0 || y == 0 || z == 1 { return true }
            if z == 0 { return isDisjoint(x, y) }
            if x == 1 && y == 1 { return false }
            let key = Triple(x: x, y: y, z: z)
            if let m = memo[key] { return m }
            var result = true
            walk(x, y, z) { cx, cy, cz in
                if !go(cx, cy, cz) { result = false }
                return result
            }
            memo[key] = result
            return result
        }
        return go(a, b, c)
    }

    private struct Triple: Hashable { var x, y, z: UInt32 }

    /// Calls `body` with the children of the nodes for each interval of their topmost level (a node
    /// below that level stands for itself), until `body` returns false.
    private func walk(_ x: UInt32, _ y: UInt32, body: (UInt32, UInt32) -> Bool) {
        walk(x, y, PacketAlgebra.fullNode) { a, b, _ in body(a, b) }
    }

    private func walk(_ x: UInt32, _ y: UInt32, _ z: UInt32, body: (UInt32, UInt32, UInt32) -> Bool) {
        let l = Swift.min(level(x), level(y), level(z))
        let max = maxima[Int(l)]
        var ix = level(x) == l ? Int(nodeStart[Int(x)]) : -1
        var iy = level(y) == l ? Int(nodeStart[Int(y)]) : -1
        var iz = level(z) == l ? Int(nodeStart[Int(z)]) : -1
        while true {
            let ux = ix >= 0 ? edgeUpper[ix] : max
            let uy = iy >= 0 ? edgeUpper[iy] : max
            let uz = iz >= 0 ? edgeUpper[iz] : max
            let upper = Swift.min(ux, uy, uz)
            if !body(ix >= 0 ? edgeChild[ix] : x, iy >= 0 ? edgeChild[iy] : y, iz >= 0 ? edgeChild[iz] : z) || upper == max { return }
            if ux == upper { ix += 1 }
            if uy == upper { iy += 1 }
            if uz == upper { iz += 1 }
        }
    }

    // MARK: - Queries

    /// Whether the packet is in the set.
    public func contains(_ node: UInt32, _ packet: Packet) -> Bool {
        var n = node
        while n > 1 {
            let l = Int(level(n))
            let v = packet.values[l]
            var lo = Int(nodeStart[Int(n)])
            var hi = lo + Int(nodeCount[Int(n)]) - 1
            while lo < hi {
                let mid = (lo + hi) >> 1
                if edgeUpper[mid] < v { lo = mid + 1 } else { hi = mid }
            }
            n = edgeChild[lo]
        }
        return n == 1
    }

    /// A packet of the set, as close to `preferred` as the set allows field by field (earlier fields
    /// first); nil for the empty set.
    public func witness(_ node: UInt32, preferring preferred: Packet) -> Packet? {
        if node == 0 { return nil }
        var p = preferred
        var n = node
        while n > 1 {
            let l = Int(level(n))
            let want = p.values[l]
            let start = Int(nodeStart[Int(n)])
            let count = Int(nodeCount[Int(n)])
            var bestValue: UInt128 = 0
            var bestChild: UInt32 = 0
            var bestDistance = UInt128.max
            var lower: UInt128 = 0
            for k in 0..<count {
                let upper = edgeUpper[start + k]
                let child = edgeChild[start + k]
                if child != 0 {
                    var v = want < lower ? lower : (want > upper ? upper : want)
                    if v != want && (l == PacketField.inInterface.rawValue || l == PacketField.outInterface.rawValue) {
                        v = InterfaceName.readable(in: lower...upper)
                    }
                    let d = v > want ? v - want : want - v
                    if d < bestDistance || (d == bestDistance && bestChild == 0) {
                        bestDistance = d
                        bestValue = v
                        bestChild = child
                    }
                    if d == 0 { break }
                }
                if upper == UInt128.max { break }
                lower = upper + 1
            }
            p.values[l] = bestValue
            n = bestChild
        }
        return p
    }

    /// The set as disjoint cubes (at most `limit`; nil when there are more).
    public func cubes(_ node: UInt32, limit: Int = 10_000) -> [PacketCube]? {
        var out: [PacketCube] = []
        var overflow = false
        func walk(_ n: UInt32, _ current: PacketCube) {
            if overflow || n == 0 { return }
            if n == 1 {
                if out.count >= limit { overflow = true; return }
                out.append(current)
                return
            }
            let l = Int(level(n))
            let start = Int(nodeStart[Int(n)])
            var lower: UInt128 = 0
            // Group intervals by child so a prefix split in two stays one cube per child.
            var byChild: [(UInt32, [ClosedRange<UInt128>])] = []
            for k in 0..<Int(nodeCount[Int(n)]) {
                let upper = edgeUpper[start + k]
                let child = edgeChild[start + k]
                if child != 0 {
                    if let i = byChild.firstIndex(where: { $0.0 == child }) {
                        byChild[i].1.append(lower...upper)
                    } else {
                        byChild.append((child, [lower...upper]))
                    }
                }
                if upper == UInt128.max { break }
                lower = upper + 1
            }
            for (child, ranges) in byChild {
                var c = current
                c.restrict(l, to: IntervalSet(ranges: ranges))
                walk(child, c)
            }
        }
        walk(node, PacketCube())
        return overflow ? nil : out
    }

    /// The smallest interval holding every value the set's packets take in one dimension (nil for
    /// the empty set).
    public func range(_ node: UInt32, dimension: Int) -> ClosedRange<UInt128>? {
        if node == 0 { return nil }
        var memo: [UInt32: ClosedRange<UInt128>?] = [:]
        func walk(_ n: UInt32) -> ClosedRange<UInt128>? {
            if n == 0 { return nil }
            let l = Int(level(n))
            if l > dimension || n == 1 { return 0...maxima[dimension] }
            if let m = memo[n] { return m }
            let start = Int(nodeStart[Int(n)])
            var lo: UInt128?
            var hi: UInt128?
            var lower: UInt128 = 0
            for k in 0..<Int(nodeCount[Int(n)]) {
                let upper = edgeUpper[start + k]
                let child = edgeChild[start + k]
                if child != 0 {
                    if l == dimension {
                        if lo == nil { lo = lower }
                        hi = upper
                    } else if let r = walk(child) {
                        lo = Swift.min(lo ?? r.lowerBound, r.lowerBound)
                        hi = Swift.max(hi ?? r.upperBound, r.upperBound)
                    }
                }
                if upper == UInt128.max { break }
                lower = upper + 1
            }
            let result = lo.map { $0...hi! }
            memo[n] = result
            return result
        }
        return walk(node)
    }

    /// The number of packets in the set, as a floating-point count.
    public func cardinality(_ node: UInt32) -> Double {
        var memo: [UInt32: Double] = [:]
        func width(_ l: Int) -> Double { Double(maxima[l]) + 1 }
        // count(n) counts points over the dimensions from level(n) to the end.
        func count(_ n: UInt32) -> Double {
            if n == 0 { return 0 }
            if n == 1 { return 1 }
            if let m = memo[n] { return m }
            let l = Int(level(n))
            let start = Int(nodeStart[Int(n)])
            var lower: UInt128 = 0
            var total = 0.0
            for k in 0..<Int(nodeCount[Int(n)]) {
                let upper = edgeUpper[start + k]
                let child = edgeChild[start + k]
                var skipped = 1.0
                for s in (l + 1)..<Int(level(child)) { skipped *= width(s) }
                total += (Double(upper - lower) + 1) * count(child) * skipped
                if upper == UInt128.max { break }
                lower = upper + 1
            }
            memo[n] = total
            return total
        }
        var skipped = 1.0
        for s in 0..<Int(level(node)) { skipped *= width(s) }
        return count(node) * skipped
    }
}
