/// Turns a vector string into a version and one value per metric of that version's table.
///
/// Works on `Substring` slices only and indexes nothing it has not bounds-checked, so no input
/// string can make it trap.
enum VectorParser {
    /// No valid vector comes near this length (a full v4.0 vector with every metric is under 200).
    static let maximumLength = 1024

    struct Parsed {
        let version: CVSSVersion
        /// One entry per definition of the version's table; `nil` where the metric is absent or
        /// given as Not Defined.
        let values: [String?]
    }

    static func parse(_ input: String) throws(CVSSError) -> Parsed {
        var text = Substring(input)
        while let first = text.first, first.isWhitespace { text = text.dropFirst() }
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        if text.isEmpty {
            throw CVSSError(
                .emptyVector,
                "empty vector: expected a CVSS vector such as CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")
        }
        if text.utf8.count > maximumLength {
            throw CVSSError(
                .vectorTooLong,
                "vector too long (\(text.utf8.count) bytes): no CVSS vector is longer than \(maximumLength) bytes")
        }

        if text.hasPrefix("CVSS:") {
            let prefixEnd = text.firstIndex(of: "/") ?? text.endIndex
            let prefix = text[..<prefixEnd]
            let version: CVSSVersion
            switch prefix {
            case "CVSS:3.0": version = .v3_0
            case "CVSS:3.1": version = .v3_1
            case "CVSS:4.0": version = .v4_0
            default:
                throw CVSSError(
                    .unknownPrefix,
                    "unknown prefix \(quoted(prefix)): expected CVSS:3.0, CVSS:3.1 or CVSS:4.0 "
                        + "(a CVSS v2.0 vector has no prefix, or CVSS2#)")
            }
            let body = prefixEnd == text.endIndex ? text[prefixEnd...] : text[text.index(after: prefixEnd)...]
            return Parsed(version: version, values: try parseComponents(body, table: MetricTable.forVersion(version)))
        }

        // Something before the prefix, such as the score Red Hat writes first ("6.1/CVSS:3.0/…").
        if let prefixStart = text.firstRange(of: "CVSS:")?.lowerBound {
            throw CVSSError(
                .unknownPrefix,
                "text before the prefix: \(quoted(text[..<prefixStart])) comes before \"CVSS:\"; a vector must "
                    + "start with CVSS:3.0/, CVSS:3.1/ or CVSS:4.0/")
        }

        // CVSS v2.0: bare (NVD), in parentheses (NVD pages), or after "CVSS2#" (Nessus), or both.
        var body = text
        let opens = body.hasPrefix("(")
        let closes = body.hasSuffix(")")
        if opens != closes || (opens && body.count < 2) {
            throw CVSSError(
                .malformedComponent,
                "unbalanced parentheses in \(quoted(text)): a CVSS v2.0 vector may be wrapped in ( ) as a whole")
        }
        if opens {
            body = body.dropFirst().dropLast()
        }
        if body.hasPrefix("CVSS2#") {
            body = body.dropFirst("CVSS2#".count)
        }
        try rejectUnprefixedLaterVersion(body)
        return Parsed(version: .v2_0, values: try parseComponents(body, table: .v2))
    }

    /// A v3 or v4 vector without its prefix would otherwise read as a v2 vector with an unknown
    /// metric; say what is actually missing.
    private static func rejectUnprefixedLaterVersion(_ body: Substring) throws(CVSSError) {
        for component in body.split(separator: "/") {
            guard let colon = component.firstIndex(of: ":") else { continue }
            let key = component[..<colon]
            if MetricTable.v2.index(of: key) == nil,
                MetricTable.v3_1.index(of: key) != nil || MetricTable.v4.index(of: key) != nil
            {
                throw CVSSError(
                    .unknownPrefix,
                    "missing version prefix: \(quoted(key)) is not a CVSS v2.0 metric, and a CVSS v3.x or v4.0 "
                        + "vector must start with CVSS:3.0/, CVSS:3.1/ or CVSS:4.0/")
            }
        }
    }

    private static func parseComponents(_ body: Substring, table: MetricTable) throws(CVSSError) -> [String?] {
        var given = [Substring?](repeating: nil, count: table.definitions.count)
        var components = body.isEmpty ? [] : body.split(separator: "/", omittingEmptySubsequences: false)
        // One trailing slash is common in the wild ("…/A:H/") and harmless.
        if components.count > 1, components.last?.isEmpty == true {
            components.removeLast()
        }
        let versionName = "CVSS \(table.version.rawValue)"
        for component in components {
            guard let colon = component.firstIndex(of: ":") else {
                throw CVSSError(
                    .malformedComponent,
                    component.isEmpty
                        ? "empty component (two slashes in a row) in a \(versionName) vector: expected METRIC:VALUE"
                        : "component \(quoted(component)) in a \(versionName) vector is not of the form METRIC:VALUE")
            }
            let key = component[..<colon]
            let value = component[component.index(after: colon)...]
            if key.isEmpty || value.isEmpty || value.contains(":") {
                throw CVSSError(
                    .malformedComponent,
                    "component \(quoted(component)) in a \(versionName) vector is not of the form METRIC:VALUE")
            }
            guard let index = table.index(of: key) else {
                let known = table.definitions.map(\.key).joined(separator: ", ")
                throw CVSSError(
                    .unknownMetric,
                    "unknown metric \(quoted(key)) in a \(versionName) vector: expected one of \(known)")
            }
            let definition = table.definitions[index]
            guard definition.values.contains(where: { $0 == value }) else {
                throw CVSSError(
                    .invalidValue,
                    "invalid value \(quoted(value)) for \(definition.key) (\(definition.name)) in a \(versionName) "
                        + "vector: expected one of \(definition.values.joined(separator: ", "))")
            }
            if let earlier = given[index] {
                throw CVSSError(
                    .duplicateMetric,
                    "duplicate metric \(definition.key) (\(definition.name)) in a \(versionName) vector: "
                        + "given as \(quoted(earlier)) and again as \(quoted(value))")
            }
            given[index] = value
        }
        for (index, definition) in table.definitions.enumerated() where definition.isMandatory && given[index] == nil {
            let mandatory = table.definitions.filter(\.isMandatory).map(\.key).joined(separator: ", ")
            throw CVSSError(
                .missingBaseMetric,
                "missing base metric \(definition.key) (\(definition.name)): a \(versionName) vector must give "
                    + "all of \(mandatory)")
        }
        return given.map { value in
            guard let value, value != table.notDefined else { return nil }
            return String(value)
        }
    }

    /// The text quoted for a message, shortened and with control characters escaped.
    static func quoted(_ text: Substring) -> String {
        let limit = 40
        let shown = text.count > limit ? String(text.prefix(limit)) + "…" : String(text)
        return shown.debugDescription
    }
}
