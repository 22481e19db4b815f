/// A parsed CVSS vector of any supported version (2.0, 3.0, 3.1, 4.0) with its scores.
///
/// Parsing validates every metric against the version's specification; scores are computed on
/// demand from the metrics, with the formulas and rounding of that version's specification (see
/// `docs/cvss.md`). Two vectors are equal when they have the same version and the same defined
/// metrics, whatever order or Not Defined (`X`, `ND`) components the input strings had.
///
/// ```swift
/// let vector = try CVSSVector(parsing: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")
/// vector.baseScore   // 9.8
/// vector.severity    // .critical
/// ```
public struct CVSSVector: Hashable, Sendable {
    /// The CVSS version the vector is written in.
    public let version: CVSSVersion

    /// One entry per metric of the version's table, in canonical order; `nil` when the metric was
    /// absent or Not Defined.
    let values: [String?]

    /// Parses a vector string.
    ///
    /// Accepted forms:
    /// - `CVSS:3.0/…`, `CVSS:3.1/…`, `CVSS:4.0/…`;
    /// - CVSS v2.0 with no prefix (`AV:N/AC:L/Au:N/C:P/I:P/A:P`, as NVD writes it), wrapped in
    ///   parentheses, and/or after `CVSS2#` (as Nessus writes it).
    ///
    /// Metrics may come in any order; leading and trailing whitespace and one trailing `/` are
    /// ignored. Metric names and values are case-sensitive, as the specifications write them.
    ///
    /// - Throws: ``CVSSError`` naming the first problem: an empty input, an unknown prefix, a
    ///   malformed component, an unknown metric, a value the metric does not allow, a metric given
    ///   twice, or a missing base metric.
    public init(parsing string: String) throws(CVSSError) {
        let parsed = try VectorParser.parse(string)
        self.version = parsed.version
        self.values = parsed.values
    }

    /// The metrics the vector defines, in the specification's canonical order, without Not
    /// Defined ones.
    public var metrics: [CVSSMetricValue] {
        zip(table.definitions, values).compactMap { definition, value in
            value.map { CVSSMetricValue(metric: definition.key, value: $0) }
        }
    }

    /// The value the vector gives for a metric abbreviation (`"AV"`, `"Au"`, `"MSI"`, …), or `nil`
    /// when the metric is absent, given as Not Defined, or not a metric of this version.
    public subscript(metric: String) -> String? {
        guard let index = table.index(of: metric) else { return nil }
        return values[index]
    }

    /// The canonical vector string: the version prefix (none for v2.0), then every defined metric
    /// in the specification's order, Not Defined metrics left out. Parsing it gives back an equal
    /// vector.
    public var normalized: String {
        let body = metrics.map { "\($0.metric):\($0.value)" }.joined(separator: "/")
        switch version {
        case .v2_0: return body
        case .v3_0, .v3_1, .v4_0: return "CVSS:\(version.rawValue)/\(body)"
        }
    }

    var table: MetricTable { MetricTable.forVersion(version) }

    func hasDefinedMetric(in group: MetricGroup) -> Bool {
        zip(table.definitions, values).contains { definition, value in definition.group == group && value != nil }
    }

    /// The values with every metric of `groups` set to Not Defined.
    func values(clearing groups: Set<MetricGroup>) -> [String?] {
        zip(table.definitions, values).map { definition, value in groups.contains(definition.group) ? nil : value }
    }
}

/// One metric of a vector and the value given for it.
public struct CVSSMetricValue: Hashable, Sendable, CustomStringConvertible {
    /// The metric abbreviation as the specification writes it, e.g. `"AV"` or `"Au"`.
    public let metric: String
    /// The value abbreviation, e.g. `"N"` or `"POC"`.
    public let value: String

    /// Creates a metric-value pair.
    public init(metric: String, value: String) {
        self.metric = metric
        self.value = value
    }

    /// `METRIC:VALUE`, as in a vector string.
    public var description: String { "\(metric):\(value)" }
}

extension CVSSVector: CustomStringConvertible, LosslessStringConvertible {
    /// The ``normalized`` vector string.
    public var description: String { normalized }

    /// Parses a vector string, or returns `nil` when it is not a valid vector (see
    /// ``init(parsing:)`` for the reason).
    public init?(_ description: String) {
        guard let vector = try? CVSSVector(parsing: description) else { return nil }
        self = vector
    }
}

extension CVSSVector: Codable {
    /// Decodes a vector from a single string, which must parse.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let string = try container.decode(String.self)
        do {
            try self.init(parsing: string)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.message)
        }
    }

    /// Encodes the vector as its ``normalized`` string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(normalized)
    }
}
