import CZlib

/// What stopped an inflate run, before it is phrased for the caller's format.
enum InflateFailure: Error {
    /// The output would pass the bound.
    case overLimit
    /// The input ended inside a stream.
    case truncated
    /// The data is not valid deflate (zlib's message, when it gave one).
    case corrupt(String)
    /// Bytes after the end of the last stream that are not another gzip member.
    case trailingData(Int)
}

/// One-shot inflation over the system zlib, bounded in output.
enum Inflate {
    /// zlib window bits for raw deflate (zip entries).
    static let rawWindowBits: Int32 = -15
    /// zlib window bits for gzip only (15 + 16).
    static let gzipWindowBits: Int32 = 31

    /// Inflates `input` into at most `limit` bytes.
    ///
    /// - `multipleMembers`: after a stream ends, further gzip members are inflated and appended
    ///   (RFC 1952 allows several); trailing zero bytes are ignored, anything else is an error.
    /// - `allowTrailing`: bytes after the stream end are ignored (zip entries may be padded).
    static func run(
        _ input: UnsafeBufferPointer<UInt8>, windowBits: Int32, limit: Int,
        multipleMembers: Bool = false, allowTrailing: Bool = false, sizeHint: Int? = nil
    ) throws(InflateFailure) -> [UInt8] {
        guard let base = input.baseAddress, input.count > 0 else { throw .truncated }
        var stream = z_stream()
        let started = inflateInit2_(&stream, windowBits, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard started == Z_OK else { throw .corrupt("zlib could not start (status \(started))") }
        defer { inflateEnd(&stream) }

        var output: [UInt8] = []
        output.reserveCapacity(min(max(limit, 0), sizeHint ?? min(input.count &* 4, 1 << 24)))
        let chunkSize = 1 << 18
        let chunk = UnsafeMutablePointer<UInt8>.allocate(capacity: chunkSize)
        defer { chunk.deallocate() }
        var fed = 0  // input bytes handed to zlib so far
        let maxFeed = Int(UInt32.max >> 1)

        while true {
            if stream.avail_in == 0 && fed < input.count {
                let n = min(input.count - fed, maxFeed)
                stream.next_in = UnsafeMutablePointer(mutating: base + fed)
                stream.avail_in = UInt32(n)
                fed += n
            }
            stream.next_out = chunk
            stream.avail_out = UInt32(chunkSize)
            let status = inflate(&stream, Z_NO_FLUSH)
            let produced = chunkSize - Int(stream.avail_out)
            if produced > 0 {
                if output.count > limit - produced { throw .overLimit }
                output.append(contentsOf: UnsafeBufferPointer(start: chunk, count: produced))
            }
            let inputLeft = Int(stream.avail_in) + (input.count - fed)
            switch status {
            case Z_STREAM_END:
                if inputLeft == 0 || allowTrailing { return output }
                let at = input.count - inputLeft
                if multipleMembers && inputLeft >= 2 && input[at] == 0x1F && input[at + 1] == 0x8B {
                    guard inflateReset(&stream) == Z_OK else { throw .corrupt("zlib could not restart for the next member") }
                    continue
                }
                if input[at...].allSatisfy({ $0 == 0 }) { return output }
                throw .trailingData(inputLeft)
            case Z_OK:
                // Input all consumed, room left for output, yet no stream end: the data stops early.
                if inputLeft == 0 && stream.avail_out != 0 { throw .truncated }
            case Z_BUF_ERROR:
                if inputLeft == 0 { throw .truncated }
            case Z_NEED_DICT:
                throw .corrupt("the stream needs a preset dictionary")
            case Z_MEM_ERROR:
                throw .corrupt("zlib ran out of memory")
            default:
                let reason = stream.msg.map { String(cString: $0) } ?? "status \(status)"
                throw .corrupt(reason)
            }
        }
    }

    /// The CRC-32 (as zip and gzip record it) of `bytes`.
    static func crc32(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var crc = CZlib.crc32(0, nil, 0)
        guard var p = bytes.baseAddress else { return UInt32(truncatingIfNeeded: crc) }
        var left = bytes.count
        while left > 0 {
            let n = min(left, 1 << 30)
            crc = CZlib.crc32(crc, p, UInt32(n))
            p += n
            left -= n
        }
        return UInt32(truncatingIfNeeded: crc)
    }
}
