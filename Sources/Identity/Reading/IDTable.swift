/// The ids of one collector file, numbered in order of first appearance, looked up by their UTF-8
/// bytes: a reference costs a hash and a byte comparison, and a `String` is made only for an id
/// seen for the first time.
struct IDTable: Sendable {
    private(set) var ids: [String] = []
    private var arena: [UInt8] = []
    private var starts: [Int] = []
    private var hashes: [UInt64] = []
    /// Open addressing, kept at most half full: the high 32 bits of the id's hash, then its entry
    /// number + 1 (0 for an empty slot), so a probe rarely touches an id that does not match.
    private var slots: [UInt64] = Array(repeating: 0, count: 1024)

    @inline(__always) private static func slot(_ hash: UInt64, _ entry: Int) -> UInt64 { hash & 0xFFFF_FFFF_0000_0000 | UInt64(entry + 1) }

    var count: Int { ids.count }

    /// A 64-bit hash of `bytes`, eight at a time.
    @inline(__always) static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        guard let base = bytes.baseAddress else { return h }
        var i = 0
        while i + 8 <= bytes.count {
            let v = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            h = (h ^ v) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < bytes.count {
            tail |= UInt64(bytes[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        return h ^ (h >> 29)
    }

    /// The number of `id`, if it is in the table.
    subscript(id id: String) -> Int32? {
        var id = id
        return id.withUTF8 { find($0) }
    }

    /// The number of `id`, adding it when new.
    mutating func intern(_ id: String) -> (index: Int32, isNew: Bool) {
        var id = id
        return id.withUTF8 { intern($0) }
    }

    func find(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        let h = IDTable.hash(bytes)
        let mask = slots.count - 1
        var at = Int(truncatingIfNeeded: h) & mask
        let tag = h & 0xFFFF_FFFF_0000_0000
        while true {
            let slot = slots[at]
            if slot == 0 { return nil }
            let e = Int(slot & 0xFFFF_FFFF) - 1
            if slot & 0xFFFF_FFFF_0000_0000 == tag && matches(e, bytes) { return Int32(e) }
            at = (at + 1) & mask
        }
    }

    @inline(__always) private func matches(_ e: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = starts[e], length = starts[e + 1] - start
        return length == bytes.count && arena.withUnsafeBufferPointer { $0.baseAddress.map { memoryEqual($0 + start, bytes.baseAddress, length) } ?? (length == 0) }
    }

    /// The number of the id `bytes`, adding it when new (`isNew` tells which).
    mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> (index: Int32, isNew: Bool) {
        let h = IDTable.hash(bytes)
        let mask = slots.count - 1
        var at = Int(truncatingIfNeeded: h) & mask
        let tag = h & 0xFFFF_FFFF_0000_0000
        while true {
            let slot = slots[at]
            if slot == 0 { break }
            let e = Int(slot & 0xFFFF_FFFF) - 1
            if slot & 0xFFFF_FFFF_0000_0000 == tag && matches(e, bytes) { return (Int32(e), false) }
            at = (at + 1) & mask
        }
        let e = ids.count
        ids.append(String(decoding: bytes, as: UTF8.self))
        if starts.isEmpty { starts.append(0) }
        arena.append(contentsOf: bytes)
        starts.append(arena.count)
        hashes.append(h)
        slots[at] = IDTable.slot(h, e)
        if ids.count * 2 > slots.count { grow() }
        return (Int32(e), true)
    }

    private mutating func grow() {
        var bigger = [UInt64](repeating: 0, count: slots.count * 2)
        let mask = bigger.count - 1
        for e in hashes.indices {
            var at = Int(truncatingIfNeeded: hashes[e]) & mask
            while bigger[at] != 0 { at = (at + 1) & mask }
            bigger[at] = IDTable.slot(hashes[e], e)
        }
        slots = bigger
    }
}

@inline(__always) private func memoryEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>?, _ n: Int) -> Bool {
    guard let b else { return n == 0 }
    var i = 0
    while i + 8 <= n {
        if UnsafeRawPointer(a + i).loadUnaligned(as: UInt64.self) != UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self) { return false }
        i += 8
    }
    while i < n {
        if a[i] != b[i] { return false }
        i += 1
    }
    return true
}
