/// A zip archive read from memory, with every size bounded before anything is inflated.
///
/// ```swift
/// let zip = try ZipArchive(bytes: data, limits: .init(maxEntries: 1_000))
/// for entry in zip.entries where !entry.isDirectory {
///     let json = try zip.contents(of: entry)     // inflated, length and CRC-32 checked
/// }
/// ```
///
/// Reading starts from the central directory (found by its end record, searched for from the end of
/// the file across a comment of up to 64 KiB). Entries stored (method 0) and deflated (method 8) are
/// read; every other method, encrypted entries, multi-disk archives and zip64 archives are refused
/// with a clear ``ArchiveError``. Before any inflation the declared sizes are held to the
/// ``Limits``: the entry count, each entry's size, the total, and each entry's compression ratio
/// (the mark of a zip bomb). Inflation then stops at the declared size, so an entry that lies about
/// its size cannot grow past it either. Names that could escape an extraction folder are refused.
public struct ZipArchive: Sendable {
    /// Bounds that hold for a whole archive.
    public struct Limits: Sendable, Hashable {
        /// The most entries (directories included) an archive may hold.
        public var maxEntries: Int
        /// The most bytes all entries may inflate to together.
        public var maxTotalUncompressedBytes: Int
        /// The most bytes one entry may inflate to.
        public var maxEntryBytes: Int
        /// The highest ratio of inflated to compressed size one entry may have…
        public var maxCompressionRatio: Int
        /// …once it inflates to more than this many bytes (small entries of repeated bytes are
        /// harmless, whatever their ratio).
        public var ratioCheckFloorBytes: Int

        public init(
            maxEntries: Int = 10_000, maxTotalUncompressedBytes: Int = 16 << 30, maxEntryBytes: Int = 4 << 30,
            maxCompressionRatio: Int = 250, ratioCheckFloorBytes: Int = 1 << 20
        ) {
            self.maxEntries = maxEntries
            self.maxTotalUncompressedBytes = maxTotalUncompressedBytes
            self.maxEntryBytes = maxEntryBytes
            self.maxCompressionRatio = maxCompressionRatio
            self.ratioCheckFloorBytes = ratioCheckFloorBytes
        }
    }

    /// How an entry's data is stored.
    public enum Method: UInt16, Sendable, Hashable {
        case stored = 0
        case deflated = 8
    }

    /// One entry of the central directory.
    public struct Entry: Sendable, Hashable {
        /// The name as recorded (a relative path with `/` separators).
        public var name: String
        public var method: Method
        public var compressedSize: Int
        public var uncompressedSize: Int
        public var crc32: UInt32
        /// Offset of the entry's local header in the archive.
        public var localHeaderOffset: Int
        /// Whether the name ends with `/`.
        public var isDirectory: Bool { name.hasSuffix("/") }
    }

    /// The entries in central-directory order.
    public let entries: [Entry]
    public let limits: Limits
    private let bytes: [UInt8]

    /// Whether `bytes` look like a zip archive (a local header or an empty archive's end record).
    public static func isZip<C: Collection<UInt8>>(_ bytes: C) -> Bool {
        let head = Array(bytes.prefix(4))
        return head == [0x50, 0x4B, 0x03, 0x04] || head == [0x50, 0x4B, 0x05, 0x06]
    }

    /// Reads the central directory of `bytes` and checks every entry against `limits`.
    public init(bytes: [UInt8], limits: Limits = Limits()) throws(ArchiveError) {
        self.bytes = bytes
        self.limits = limits
        self.entries = try Self.readDirectory(bytes, limits)
    }

    /// The inflated contents of `entry`, checked against its recorded size and CRC-32.
    public func contents(of entry: Entry) throws(ArchiveError) -> [UInt8] {
        let name = entry.name
        let offset = entry.localHeaderOffset
        guard offset >= 0, offset <= bytes.count - 30 else {
            throw ArchiveError(.truncated, entry: name, "entry '\(name)': its local header at byte \(offset) lies past the end of the archive")
        }
        guard u32(bytes, offset) == 0x0403_4B50 else {
            throw ArchiveError(.corrupt, entry: name, "entry '\(name)': no local header signature at byte \(offset)")
        }
        let dataStart = offset + 30 + Int(u16(bytes, offset + 26)) + Int(u16(bytes, offset + 28))
        guard dataStart <= bytes.count, entry.compressedSize <= bytes.count - dataStart else {
            throw ArchiveError(.truncated, entry: name, "entry '\(name)': its \(entry.compressedSize) compressed bytes run past the end of the archive")
        }
        let output: [UInt8]
        switch entry.method {
        case .stored:
            output = Array(bytes[dataStart..<(dataStart + entry.compressedSize)])
        case .deflated:
            if entry.uncompressedSize == 0 && entry.compressedSize <= 2 { output = [] } else {
                do {
                    output = try bytes.withUnsafeBufferPointer { (all) throws(InflateFailure) -> [UInt8] in
                        let slice = UnsafeBufferPointer(rebasing: all[dataStart..<(dataStart + entry.compressedSize)])
                        return try Inflate.run(slice, windowBits: Inflate.rawWindowBits, limit: entry.uncompressedSize,
                                               allowTrailing: true, sizeHint: entry.uncompressedSize)
                    }
                } catch {
                    switch error {
                    case .overLimit:
                        throw ArchiveError(.corrupt, entry: name, "entry '\(name)': inflates past its declared size of \(entry.uncompressedSize) bytes")
                    case .truncated:
                        throw ArchiveError(.truncated, entry: name, "entry '\(name)': its deflate data ends early")
                    case .corrupt(let reason):
                        throw ArchiveError(.corrupt, entry: name, "entry '\(name)': corrupt deflate data (\(reason))")
                    case .trailingData:
                        throw ArchiveError(.corrupt, entry: name, "entry '\(name)': unexpected data after its deflate stream")
                    }
                }
            }
        }
        guard output.count == entry.uncompressedSize else {
            throw ArchiveError(.corrupt, entry: name, "entry '\(name)': holds \(output.count) bytes, but its header says \(entry.uncompressedSize)")
        }
        let crc = output.withUnsafeBufferPointer { Inflate.crc32($0) }
        guard crc == entry.crc32 else {
            throw ArchiveError(.checksumMismatch, entry: name, "entry '\(name)': CRC-32 \(hex(crc)) does not match the recorded \(hex(entry.crc32))")
        }
        return output
    }

    /// The entry named `name`, if any.
    public func entry(named name: String) -> Entry? { entries.first { $0.name == name } }

    // MARK: - Central directory

    private static func readDirectory(_ bytes: [UInt8], _ limits: Limits) throws(ArchiveError) -> [Entry] {
        guard bytes.count >= 22 else {
            throw ArchiveError(.truncated, "not a zip archive: \(bytes.count) bytes is shorter than the 22-byte end record")
        }
        // The end of central directory record: its signature, searched for backwards over the comment.
        var eocd = -1
        var at = bytes.count - 22
        let lowest = max(0, bytes.count - 22 - 0xFFFF)
        while at >= lowest {
            if bytes[at] == 0x50 && u32(bytes, at) == 0x0605_4B50 && at + 22 + Int(u16(bytes, at + 20)) <= bytes.count {
                eocd = at
                break
            }
            at -= 1
        }
        guard eocd >= 0 else {
            throw ArchiveError(.corrupt, "not a zip archive: no end of central directory record (truncated, or not a zip)")
        }
        let disk = u16(bytes, eocd + 4), cdDisk = u16(bytes, eocd + 6)
        let entriesHere = Int(u16(bytes, eocd + 8)), totalEntries = Int(u16(bytes, eocd + 10))
        let cdSize = Int(u32(bytes, eocd + 12)), cdOffset = Int(u32(bytes, eocd + 16))
        if eocd >= 20 && u32(bytes, eocd - 20) == 0x0706_4B50 {
            throw ArchiveError(.unsupported, "zip64 archives are not supported (the archive has a zip64 end record); re-pack it as a plain zip")
        }
        if totalEntries == 0xFFFF || cdSize == 0xFFFF_FFFF || cdOffset == 0xFFFF_FFFF {
            throw ArchiveError(.unsupported, "zip64 archives are not supported (the end record defers to zip64 fields)")
        }
        guard disk == 0, cdDisk == 0, entriesHere == totalEntries else {
            throw ArchiveError(.unsupported, "multi-disk (split) zip archives are not supported")
        }
        guard totalEntries <= limits.maxEntries else {
            throw ArchiveError(.limitExceeded, "the archive has \(totalEntries) entries, more than the limit of \(limits.maxEntries)")
        }
        guard cdOffset <= eocd, cdSize <= eocd - cdOffset else {
            throw ArchiveError(.corrupt, "the central directory (\(cdSize) bytes at byte \(cdOffset)) does not fit before its end record")
        }

        var entries: [Entry] = []
        entries.reserveCapacity(totalEntries)
        var p = cdOffset
        let end = cdOffset + cdSize
        var total = 0
        var seen = Set<String>()
        for index in 0..<totalEntries {
            guard p <= end - 46, u32(bytes, p) == 0x0201_4B50 else {
                throw ArchiveError(.corrupt, "central directory entry \(index + 1) of \(totalEntries) is missing or damaged (at byte \(p))")
            }
            let flags = u16(bytes, p + 8)
            let methodCode = u16(bytes, p + 10)
            let crc = u32(bytes, p + 16)
            let csize = Int(u32(bytes, p + 20)), usize = Int(u32(bytes, p + 24))
            let nameLength = Int(u16(bytes, p + 28)), extraLength = Int(u16(bytes, p + 30)), commentLength = Int(u16(bytes, p + 32))
            let localOffset = Int(u32(bytes, p + 42))
            let next = p + 46 + nameLength + extraLength + commentLength
            guard next <= end else {
                throw ArchiveError(.corrupt, "central directory entry \(index + 1) runs past the end of the directory")
            }
            let nameBytes = bytes[(p + 46)..<(p + 46 + nameLength)]
            let name = String(decoding: nameBytes, as: UTF8.self)
            p = next

            try checkName(nameBytes, name)
            if flags & 1 != 0 || methodCode == 99 {
                throw ArchiveError(.encrypted, entry: name, "entry '\(name)' is encrypted; encrypted archives are not read")
            }
            if csize == 0xFFFF_FFFF || usize == 0xFFFF_FFFF || localOffset == 0xFFFF_FFFF {
                throw ArchiveError(.unsupported, entry: name, "entry '\(name)' uses zip64 sizes, which are not supported")
            }
            guard let method = Method(rawValue: methodCode) else {
                throw ArchiveError(.unsupported, entry: name, "entry '\(name)' uses compression method \(methodCode); only stored (0) and deflated (8) are read")
            }
            if method == .stored && csize != usize {
                throw ArchiveError(.corrupt, entry: name, "entry '\(name)' is stored but records \(csize) compressed and \(usize) uncompressed bytes")
            }
            guard usize <= limits.maxEntryBytes else {
                throw ArchiveError(.limitExceeded, entry: name, "entry '\(name)' inflates to \(usize) bytes, more than the per-entry limit of \(limits.maxEntryBytes)")
            }
            if usize > limits.ratioCheckFloorBytes && usize / max(csize, 1) > limits.maxCompressionRatio {
                throw ArchiveError(.limitExceeded, entry: name,
                                   "entry '\(name)' inflates \(usize / max(csize, 1)) times (\(csize) to \(usize) bytes), more than the compression ratio limit of \(limits.maxCompressionRatio): a zip bomb?")
            }
            total += usize
            guard total <= limits.maxTotalUncompressedBytes else {
                throw ArchiveError(.limitExceeded, entry: name, "entries up to '\(name)' inflate to \(total) bytes, more than the archive limit of \(limits.maxTotalUncompressedBytes)")
            }
            guard localOffset < cdOffset else {
                throw ArchiveError(.corrupt, entry: name, "entry '\(name)' has its local header at byte \(localOffset), inside or after the central directory")
            }
            guard seen.insert(name).inserted else {
                throw ArchiveError(.corrupt, entry: name, "the archive holds two entries named '\(name)'")
            }
            entries.append(Entry(name: name, method: method, compressedSize: csize, uncompressedSize: usize, crc32: crc, localHeaderOffset: localOffset))
        }
        return entries
    }

    /// Refuses names that are not plain relative paths: absolute, drive-lettered, with `..`
    /// components, backslashes or NUL bytes, or empty.
    private static func checkName(_ raw: ArraySlice<UInt8>, _ name: String) throws(ArchiveError) {
        let shown = name.unicodeScalars.map { $0.value < 0x20 ? "\\u{\(String($0.value, radix: 16))}" : String($0) }.joined()
        guard !raw.isEmpty else { throw ArchiveError(.unsafeName, entry: name, "an entry has an empty name") }
        if raw.contains(0) {
            throw ArchiveError(.unsafeName, entry: name, "entry '\(shown)' has a NUL byte in its name")
        }
        if raw.contains(UInt8(ascii: "\\")) {
            throw ArchiveError(.unsafeName, entry: name, "entry '\(shown)' has a backslash in its name; expected '/' separators")
        }
        if raw.first == UInt8(ascii: "/") {
            throw ArchiveError(.unsafeName, entry: name, "entry '\(shown)' has an absolute path")
        }
        if raw.count >= 2, raw[raw.startIndex + 1] == UInt8(ascii: ":") {
            throw ArchiveError(.unsafeName, entry: name, "entry '\(shown)' starts with a drive letter")
        }
        if name.split(separator: "/", omittingEmptySubsequences: false).contains("..") {
            throw ArchiveError(.unsafeName, entry: name, "entry '\(shown)' has a '..' component, which could escape the extraction folder")
        }
    }
}

@inline(__always) private func u16(_ b: [UInt8], _ i: Int) -> UInt16 { UInt16(b[i]) | UInt16(b[i + 1]) << 8 }
@inline(__always) private func u32(_ b: [UInt8], _ i: Int) -> UInt32 {
    UInt32(b[i]) | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 3]) << 24
}
private func hex(_ v: UInt32) -> String {
    let s = String(v, radix: 16)
    return String(repeating: "0", count: 8 - s.count) + s
}
