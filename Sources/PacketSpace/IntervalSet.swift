/// A set of unsigned integers stored as sorted, disjoint, non-adjacent closed intervals.
///
/// Every field of the packet space is an integer domain (addresses, ports, protocol numbers,
/// interface names encoded as integers), so one interval type serves them all.
public struct IntervalSet: Hashable, Sendable {
    /// The intervals, sorted, pairwise disjoint and never adjacent (so the form is canonical).
    public private(set) var intervals: [ClosedRange<UInt128>]

    /// The empty set.
    public init() { intervals = [] }

    /// The set holding exactly the values of one interval.
    public init(_ range: ClosedRange<UInt128>) { intervals = [range] }

    /// The set holding exactly one value.
    public init(value: UInt128) { intervals = [value...value] }

    /// The union of arbitrary, possibly overlapping intervals.
    public init<S: Sequence>(ranges: S) where S.Element == ClosedRange<UInt128> {
        var sorted = Array(ranges)
        if sorted.count <= 1 {
            intervals = sorted
            return
        }
        sorted.sort { $0.lowerBound < $1.lowerBound }
        var out: [ClosedRange<UInt128>] = []
        out.reserveCapacity(sorted.count)
        for r in sorted {
            if let last = out.last, last.upperBound == .max || r.lowerBound <= last.upperBound + 1 {
                if r.upperBound > last.upperBound { out[out.count - 1] = last.lowerBound...r.upperBound }
            } else {
                out.append(r)
            }
        }
        intervals = out
    }

    /// Whether the set has no value.
    @inlinable public var isEmpty: Bool { intervals.isEmpty }

    /// The smallest value, if any.
    public var min: UInt128? { intervals.first?.lowerBound }

    /// The largest value, if any.
    public var max: UInt128? { intervals.last?.upperBound }

    /// Whether the set is the whole domain `0...maximum`.
    public func isFull(maximum: UInt128) -> Bool {
        intervals.count == 1 && intervals[0].lowerBound == 0 && intervals[0].upperBound == maximum
    }

    /// Membership, by binary search.
    public func contains(_ value: UInt128) -> Bool {
        var lo = 0
        var hi = intervals.count - 1
        while lo <= hi {
            let mid = (lo + hi) >> 1
            let r = intervals[mid]
            if value < r.lowerBound { hi = mid - 1 } else if value > r.upperBound { lo = mid + 1 } else { return true }
        }
        return false
    }

    /// The values of `self` or `other`.
    public func union(_ other: IntervalSet) -> IntervalSet {
        if isEmpty { return other }
        if other.isEmpty { return self }
        return IntervalSet(ranges: intervals + other.intervals)
    }

    /// The values of both `self` and `other`.
    public func intersection(_ other: IntervalSet) -> IntervalSet {
        var out: [ClosedRange<UInt128>] = []
        var i = 0
        var j = 0
        while i < intervals.count && j < other.intervals.count {
            let a = intervals[i]
            let b = other.intervals[j]
            let lo = Swift.max(a.lowerBound, b.lowerBound)
            let hi = Swift.min(a.upperBound, b.upperBound)
            if lo <= hi { out.append(lo...hi) }
            if a.upperBound < b.upperBound { i += 1 } else { j += 1 }
        }
        var result = IntervalSet()
        result.intervals = out
        return result
    }

    /// The values of `self` not in `other`.
    public func subtracting(_ other: IntervalSet) -> IntervalSet {
        if other.isEmpty || isEmpty { return self }
        var out: [ClosedRange<UInt128>] = []
        var j = 0
        for a in intervals {
            var lo = a.lowerBound
            var exhausted = false
            while j < other.intervals.count && other.intervals[j].upperBound < lo { j += 1 }
            var k = j
            while k < other.intervals.count && other.intervals[k].lowerBound <= a.upperBound {
                let b = other.intervals[k]
                if b.lowerBound > lo { out.append(lo...(b.lowerBound - 1)) }
                if b.upperBound >= a.upperBound { exhausted = true; break }
                lo = b.upperBound + 1
                k += 1
            }
            if !exhausted { out.append(lo...a.upperBound) }
        }
        var result = IntervalSet()
        result.intervals = out
        return result
    }

    /// The values of `0...maximum` not in `self`.
    public func complement(maximum: UInt128) -> IntervalSet {
        IntervalSet(0...maximum).subtracting(self)
    }

    /// Whether every value of `self` is in `other`.
    public func isSubset(of other: IntervalSet) -> Bool {
        var j = 0
        for a in intervals {
            while j < other.intervals.count && other.intervals[j].upperBound < a.lowerBound { j += 1 }
            if j == other.intervals.count { return false }
            let b = other.intervals[j]
            if b.lowerBound > a.lowerBound || b.upperBound < a.upperBound { return false }
        }
        return true
    }

    /// Whether `self` and `other` share a value.
    public func overlaps(_ other: IntervalSet) -> Bool {
        var i = 0
        var j = 0
        while i < intervals.count && j < other.intervals.count {
            let a = intervals[i]
            let b = other.intervals[j]
            if a.upperBound < b.lowerBound { i += 1 } else if b.upperBound < a.lowerBound { j += 1 } else { return true }
        }
        return false
    }

    /// The value of the set closest to `preferred` (ties go to the smaller value).
    public func closest(to preferred: UInt128) -> UInt128? {
        var best: UInt128?
        var bestDistance: UInt128 = .max
        for r in intervals {
            if r.contains(preferred) { return preferred }
            let candidate = preferred < r.lowerBound ? r.lowerBound : r.upperBound
            let distance = candidate > preferred ? candidate - preferred : preferred - candidate
            if distance < bestDistance { bestDistance = distance; best = candidate }
        }
        return best
    }

    /// The number of values, saturating at `UInt128.max`.
    public var count: UInt128 {
        var total: UInt128 = 0
        for r in intervals {
            let (width, overflow) = (r.upperBound - r.lowerBound).addingReportingOverflow(1)
            if overflow { return .max }
            let (sum, o2) = total.addingReportingOverflow(width)
            if o2 { return .max }
            total = sum
        }
        return total
    }
}
