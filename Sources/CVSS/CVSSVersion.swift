/// A version of the Common Vulnerability Scoring System that a vector is written in.
///
/// The raw value is the version as FIRST writes it ("2.0", "3.0", "3.1", "4.0"), which is also what
/// `bulwark cvss --format json` reports.
public enum CVSSVersion: String, Sendable, Hashable, Codable, CaseIterable, Comparable, CustomStringConvertible {
    /// CVSS v2.0 (2007): `AV:N/AC:L/Au:N/C:P/I:P/A:P`, no prefix.
    case v2_0 = "2.0"
    /// CVSS v3.0 (2015): `CVSS:3.0/…`.
    case v3_0 = "3.0"
    /// CVSS v3.1 (2019): `CVSS:3.1/…`.
    case v3_1 = "3.1"
    /// CVSS v4.0 (2023): `CVSS:4.0/…`.
    case v4_0 = "4.0"

    /// The version string, e.g. "3.1".
    public var description: String { rawValue }

    /// Orders versions by release.
    public static func < (lhs: CVSSVersion, rhs: CVSSVersion) -> Bool {
        lhs.order < rhs.order
    }

    private var order: Int {
        switch self {
        case .v2_0: 0
        case .v3_0: 1
        case .v3_1: 2
        case .v4_0: 3
        }
    }
}
