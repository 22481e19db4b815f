/// Why a string is not a valid CVSS vector.
///
/// Parsing stops at the first problem; `code` is stable for programs and `message` says, for people,
/// what was found and what was expected instead.
public struct CVSSError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of problem, stable across releases.
    public enum Code: String, Sendable, Hashable, Codable, CaseIterable {
        /// The input is empty or only whitespace.
        case emptyVector = "empty-vector"
        /// The input is longer than any valid vector could be.
        case vectorTooLong = "vector-too-long"
        /// The input starts with a `CVSS:` prefix of an unknown version, or with no known form.
        case unknownPrefix = "unknown-prefix"
        /// A `/`-separated component is not of the form `METRIC:VALUE`.
        case malformedComponent = "malformed-component"
        /// A metric abbreviation that the version does not define.
        case unknownMetric = "unknown-metric"
        /// A value that the metric does not allow.
        case invalidValue = "invalid-value"
        /// The same metric appears twice.
        case duplicateMetric = "duplicate-metric"
        /// A base metric that every vector of the version must carry is absent.
        case missingBaseMetric = "missing-base-metric"
    }

    /// The kind of problem.
    public let code: Code
    /// A sentence saying what was wrong and what was expected.
    public let message: String

    /// Creates an error with a code and a message.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
