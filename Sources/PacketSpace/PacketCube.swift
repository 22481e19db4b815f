/// One point of the packet space: a value for every field.
public struct Packet: Hashable, Sendable {
    /// Values in field order (``PacketField`` raw values index it in the standard space).
    public var values: [UInt128]

    public init(values: [UInt128]) { self.values = values }

    @inlinable public subscript(field: PacketField) -> UInt128 {
        get { values[field.rawValue] }
        set { values[field.rawValue] = newValue }
    }
}

/// A product set: for each field, a set of values; a packet is in the cube when every field's value is.
///
/// Firewall rules compile to cubes (or short unions of them); a cube's fields that are not listed
/// are unconstrained.
public struct PacketCube: Hashable, Sendable {
    /// One field's allowed values.
    public struct Constraint: Hashable, Sendable {
        public var dimension: Int
        public var values: IntervalSet
        public init(dimension: Int, values: IntervalSet) {
            self.dimension = dimension
            self.values = values
        }
    }

    /// The constrained fields, sorted by dimension; a field appears at most once.
    public private(set) var constraints: [Constraint]

    /// The cube holding every packet.
    public init() { constraints = [] }

    /// Whether no field is constrained.
    public var isUniversal: Bool { constraints.isEmpty }

    /// Whether some field allows no value (then the cube is empty).
    public var isEmpty: Bool { constraints.contains { $0.values.isEmpty } }

    /// The allowed values of a dimension, or nil when it is unconstrained.
    public func values(_ dimension: Int) -> IntervalSet? {
        for c in constraints where c.dimension == dimension { return c.values }
        return nil
    }

    public func values(_ field: PacketField) -> IntervalSet? { values(field.rawValue) }

    /// Restricts a dimension to `values` (intersecting with what was already allowed).
    public mutating func restrict(_ dimension: Int, to values: IntervalSet) {
        if let i = constraints.firstIndex(where: { $0.dimension == dimension }) {
            constraints[i].values = constraints[i].values.intersection(values)
        } else {
            let at = constraints.firstIndex { $0.dimension > dimension } ?? constraints.count
            constraints.insert(Constraint(dimension: dimension, values: values), at: at)
        }
    }

    public mutating func restrict(_ field: PacketField, to values: IntervalSet) { restrict(field.rawValue, to: values) }

    public mutating func restrict(_ field: PacketField, to range: ClosedRange<UInt128>) {
        restrict(field.rawValue, to: IntervalSet(range))
    }

    public mutating func restrict(_ field: PacketField, to value: UInt128) {
        restrict(field.rawValue, to: IntervalSet(value: value))
    }

    /// Drops constraints that allow a field's whole domain, so equal cubes compare equal.
    public mutating func normalize(maxima: [UInt128]) {
        constraints.removeAll { $0.values.isFull(maximum: maxima[$0.dimension]) }
    }

    /// The packets in both cubes.
    public func intersection(_ other: PacketCube) -> PacketCube {
        var out = self
        for c in other.constraints { out.restrict(c.dimension, to: c.values) }
        return out
    }

    /// Whether the packet is in the cube.
    public func contains(_ packet: Packet) -> Bool {
        for c in constraints where !c.values.contains(packet.values[c.dimension]) { return false }
        return true
    }

    /// Whether every packet of `self` is in `other` (both non-empty).
    public func isSubset(of other: PacketCube) -> Bool {
        if isEmpty { return true }
        for c in other.constraints {
            guard let mine = values(c.dimension) else { return false }
            if !mine.isSubset(of: c.values) { return false }
        }
        return true
    }

    /// Whether the cubes share a packet.
    public func overlaps(_ other: PacketCube) -> Bool {
        if isEmpty || other.isEmpty { return false }
        var i = 0
        var j = 0
        while i < constraints.count && j < other.constraints.count {
            let a = constraints[i]
            let b = other.constraints[j]
            if a.dimension < b.dimension { i += 1 } else if b.dimension < a.dimension { j += 1 } else {
                if !a.values.overlaps(b.values) { return false }
                i += 1
                j += 1
            }
        }
        return true
    }

    /// The value of `set` closest to `preferred`; for interface names, a readable name of the
    /// closest interval rather than its unprintable edge.
    public static func value(in set: IntervalSet, dimension: Int, preferring preferred: UInt128) -> UInt128? {
        guard let v = set.closest(to: preferred) else { return nil }
        guard v != preferred, dimension == PacketField.inInterface.rawValue || dimension == PacketField.outInterface.rawValue,
              let r = set.intervals.first(where: { $0.contains(v) }) else { return v }
        return InterfaceName.readable(in: r)
    }

    /// A packet of the cube, taking each field's value from `preferred` where allowed and the closest
    /// allowed value otherwise; nil when the cube is empty.
    public func point(preferring preferred: Packet) -> Packet? {
        var p = preferred
        for c in constraints {
            guard let v = PacketCube.value(in: c.values, dimension: c.dimension, preferring: p.values[c.dimension]) else { return nil }
            p.values[c.dimension] = v
        }
        return p
    }
}
