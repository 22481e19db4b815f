/// A problem found in an input: where it is, how bad it is and what was expected there.
///
/// Parsers collect diagnostics and go on; they never stop at the first bad line.
public struct Diagnostic: Hashable, Sendable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Codable, Comparable {
        /// Something Bulwark noted while reading, for the record.
        case note
        /// A construct Bulwark read but could not model exactly, or input it skipped.
        case warning
        /// Input that could not be read; the results it touches are inexact.
        case error

        private var rank: Int {
            switch self {
            case .note: 0
            case .warning: 1
            case .error: 2
            }
        }

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    }

    public var severity: Severity
    public var location: FileLocation
    public var message: String

    public init(_ severity: Severity, _ location: FileLocation, _ message: String) {
        self.severity = severity
        self.location = location
        self.message = message
    }

    public var description: String { "\(location): \(severity.rawValue): \(message)" }
}
