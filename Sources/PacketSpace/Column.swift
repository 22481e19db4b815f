#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A growable array of plain values for the algebra's node table, grown with `realloc`: on Linux a
/// large block grows by remapping its pages instead of copying them into fresh ones, so a table of
/// hundreds of megabytes grows without being copied (and faulted in again) at every doubling.
///
/// A column is owned by one algebra, never copied (its copies would share storage), and freed by
/// ``free()`` from the owner's `deinit`.
struct Column<Element: BitwiseCopyable> {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 1024) {
        self.capacity = max(capacity, 16)
        guard let raw = malloc(self.capacity * MemoryLayout<Element>.stride) else { fatalError("out of memory") }
        base = raw.bindMemory(to: Element.self, capacity: self.capacity)
    }

    func free() {
        #if canImport(Glibc)
        Glibc.free(base)
        #else
        Darwin.free(base)
        #endif
    }

    subscript(i: Int) -> Element {
        @inline(__always) get {
            assert(i >= 0 && i < count, "column index out of range")
            return base[i]
        }
        @inline(__always) nonmutating set {
            assert(i >= 0 && i < count, "column index out of range")
            base[i] = newValue
        }
    }

    @inline(__always) mutating func append(_ value: Element) {
        if count == capacity { grow(to: count + 1) }
        base[count] = value
        count += 1
    }

    mutating func append(contentsOf values: ArraySlice<Element>) {
        if count + values.count > capacity { grow(to: count + values.count) }
        values.withUnsafeBufferPointer { buffer in
            if let start = buffer.baseAddress { (base + count).initialize(from: start, count: buffer.count) }
        }
        count += values.count
    }

    mutating func removeAll() { count = 0 }

    private mutating func grow(to needed: Int) {
        var newCapacity = capacity
        while newCapacity < needed { newCapacity *= 2 }
        guard let raw = realloc(base, newCapacity * MemoryLayout<Element>.stride) else { fatalError("out of memory") }
        base = raw.bindMemory(to: Element.self, capacity: newCapacity)
        capacity = newCapacity
        adviseHugePages()
    }

    /// Asks Linux to back a large column with huge pages: the algebra reads its tables at random,
    /// and 2 MiB pages mean far fewer page faults and TLB misses (a no-op where the system says no).
    private func adviseHugePages() {
        #if os(Linux)
        let bytes = capacity * MemoryLayout<Element>.stride
        let huge = 2 << 20
        guard bytes >= 4 * huge else { return }
        let start = (Int(bitPattern: base) + huge - 1) & ~(huge - 1)
        let end = (Int(bitPattern: base) + bytes) & ~(huge - 1)
        if end > start { _ = madvise(UnsafeMutableRawPointer(bitPattern: start), end - start, MADV_HUGEPAGE) }
        #endif
    }
}
