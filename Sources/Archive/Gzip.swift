/// Bounded gzip decompression (RFC 1952) over the system zlib.
///
/// ```swift
/// let csv = try Gzip.decompress(bytes, maxOutputBytes: 256 << 20, name: "epss.csv.gz")
/// ```
///
/// A file may hold several gzip members one after the other (as `cat a.gz b.gz` makes); their
/// contents are concatenated. Zero bytes after the last member are ignored; other trailing bytes,
/// a truncated member, corrupt deflate data or a CRC mismatch (zlib checks each member's CRC-32
/// and length) are errors. The output never grows past `maxOutputBytes`.
public enum Gzip {
    /// Whether `bytes` start with the gzip magic number (1f 8b).
    public static func isGzip<C: Collection<UInt8>>(_ bytes: C) -> Bool {
        var it = bytes.makeIterator()
        return it.next() == 0x1F && it.next() == 0x8B
    }

    /// The decompressed contents of `bytes`, at most `maxOutputBytes` long.
    ///
    /// - Parameter name: how the input is named in error messages (a file name), if at all.
    public static func decompress(_ bytes: [UInt8], maxOutputBytes: Int, name: String? = nil) throws(ArchiveError) -> [UInt8] {
        let what = name.map { "'\($0)'" } ?? "the gzip data"
        guard isGzip(bytes) else {
            throw ArchiveError(.corrupt, entry: name, "\(what) is not gzip: it does not start with the bytes 1f 8b")
        }
        do {
            return try bytes.withUnsafeBufferPointer { (input) throws(InflateFailure) -> [UInt8] in
                try Inflate.run(input, windowBits: Inflate.gzipWindowBits, limit: maxOutputBytes, multipleMembers: true)
            }
        } catch {
            switch error {
            case .overLimit:
                throw ArchiveError(.limitExceeded, entry: name, "\(what) decompresses to more than \(maxOutputBytes) bytes, the limit")
            case .truncated:
                throw ArchiveError(.truncated, entry: name, "\(what) is truncated: the input ends inside a gzip member")
            case .corrupt(let reason):
                let code: ArchiveError.Code = reason.contains("check") ? .checksumMismatch : .corrupt
                throw ArchiveError(code, entry: name, "\(what) is corrupt: \(reason)")
            case .trailingData(let count):
                throw ArchiveError(.corrupt, entry: name, "\(what) has \(count) bytes after the last gzip member that are not another member")
            }
        }
    }
}
