/// Why an archive or a compressed stream could not be read.
///
/// Every problem is one of these, never a trap: a bound that the input would pass, bytes that are
/// not what the format says, or a feature Bulwark refuses (encryption, zip64, multi-disk archives).
/// The message names the entry and the limit involved, so it can be shown as is.
public struct ArchiveError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable code for each kind of failure.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The input ends before the structure it started is complete.
        case truncated
        /// The bytes contradict the format (bad signature, bad deflate data, inconsistent sizes).
        case corrupt
        /// Reading on would pass one of the configured limits.
        case limitExceeded = "limit-exceeded"
        /// A valid construct that Bulwark does not read (zip64, multi-disk, a compression method).
        case unsupported
        /// An entry name that could escape the extraction folder or is not a plain relative path.
        case unsafeName = "unsafe-name"
        /// An encrypted entry.
        case encrypted
        /// The data read does not match its recorded CRC-32.
        case checksumMismatch = "checksum-mismatch"
    }

    public var code: Code
    /// The archive entry the problem is about, when it is about one.
    public var entry: String?
    /// What went wrong, in words, naming the entry and the limit.
    public var message: String

    public init(_ code: Code, entry: String? = nil, _ message: String) {
        self.code = code
        self.entry = entry
        self.message = message
    }

    public var description: String { message }
}
