/// An exact set of packets: a handle on a diagram in a ``PacketAlgebra``.
///
/// Sets of the same algebra combine with the usual operators; equality is exact set equality.
public struct PacketSet: Hashable {
    public let algebra: PacketAlgebra
    /// The diagram node; stable until the algebra is reset.
    public let node: UInt32

    public init(algebra: PacketAlgebra, node: UInt32) {
        self.algebra = algebra
        self.node = node
    }

    public static func empty(_ algebra: PacketAlgebra) -> PacketSet { PacketSet(algebra: algebra, node: PacketAlgebra.emptyNode) }
    public static func all(_ algebra: PacketAlgebra) -> PacketSet { PacketSet(algebra: algebra, node: PacketAlgebra.fullNode) }
    public init(_ cube: PacketCube, in algebra: PacketAlgebra) { self.init(algebra: algebra, node: algebra.cube(cube)) }

    public var isEmpty: Bool { node == PacketAlgebra.emptyNode }
    public var isAll: Bool { node == PacketAlgebra.fullNode }

    public func union(_ other: PacketSet) -> PacketSet { PacketSet(algebra: algebra, node: algebra.union(node, other.node)) }
    public func intersection(_ other: PacketSet) -> PacketSet { PacketSet(algebra: algebra, node: algebra.intersection(node, other.node)) }
    public func subtracting(_ other: PacketSet) -> PacketSet { PacketSet(algebra: algebra, node: algebra.subtracting(node, other.node)) }
    public var complement: PacketSet { PacketSet(algebra: algebra, node: algebra.complement(node)) }
    public func isSubset(of other: PacketSet) -> Bool { algebra.isSubset(node, of: other.node) }
    public func overlaps(_ other: PacketSet) -> Bool { algebra.overlaps(node, other.node) }
    public func contains(_ packet: Packet) -> Bool { algebra.contains(node, packet) }
    public func witness(preferring preferred: Packet) -> Packet? { algebra.witness(node, preferring: preferred) }
    public func cubes(limit: Int = 10_000) -> [PacketCube]? { algebra.cubes(node, limit: limit) }
    public var cardinality: Double { algebra.cardinality(node) }

    public static func == (lhs: PacketSet, rhs: PacketSet) -> Bool { lhs.algebra === rhs.algebra && lhs.node == rhs.node }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(ObjectIdentifier(algebra))
        hasher.combine(node)
    }
}
