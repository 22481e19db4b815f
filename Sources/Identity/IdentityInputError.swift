public import Archive
public import BulwarkModel

/// An input that yields no identity graph at all: a path that is not there, an archive that breaks
/// its limits, a folder without collector files, or files none of which could be read.
///
/// Problems inside a readable collection are not errors of this kind but ``Diagnostic``s on the
/// graph (``IdentityGraph/diagnostics``).
public struct IdentityInputError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// Nothing at the path.
        case notFound = "not-found"
        /// The path exists but could not be read.
        case unreadable
        /// A zip or gzip input that could not be read within its limits (see ``archiveError``).
        case archive
        /// The input holds no collector files.
        case noCollectorFiles = "no-collector-files"
        /// Collector files were found, but none could be read (see ``diagnostics``).
        case nothingReadable = "nothing-readable"
        /// The input is larger than the limits allow.
        case tooLarge = "too-large"
    }

    public var code: Code
    public var message: String
    /// The archive's own error, for ``Code/archive``.
    public var archiveError: ArchiveError?
    /// The diagnostics of the files that were tried, for ``Code/nothingReadable``.
    public var diagnostics: [Diagnostic]

    public init(_ code: Code, _ message: String, archiveError: ArchiveError? = nil, diagnostics: [Diagnostic] = []) {
        self.code = code
        self.message = message
        self.archiveError = archiveError
        self.diagnostics = diagnostics
    }

    public var description: String { message }
}
