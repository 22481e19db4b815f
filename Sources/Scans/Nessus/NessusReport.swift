public import BulwarkModel

/// A Nessus v2 export (`.nessus`, root `<NessusClientData_v2>`): the report's name and policy,
/// its hosts, and the diagnostics raised while reading.
///
/// When the hosts are streamed to a callback (``NessusReader/read(path:onHost:)``) `hosts` is
/// empty and only the counts and scan times are filled in.
public struct NessusReport: Hashable, Sendable {
    /// `<Report name=…>`.
    public var name: String?
    /// `<Policy><policyName>`.
    public var policyName: String?
    public var hosts: [NessusHost]
    public var hostCount: Int
    public var itemCount: Int
    /// The earliest host start and the latest host end (epoch seconds), from the hosts'
    /// HOST_START/HOST_END properties.
    public var scanStart: Int?
    public var scanEnd: Int?
    public var diagnostics: [Diagnostic]

    public init(name: String? = nil, policyName: String? = nil, hosts: [NessusHost] = [], hostCount: Int = 0, itemCount: Int = 0,
                scanStart: Int? = nil, scanEnd: Int? = nil, diagnostics: [Diagnostic] = []) {
        self.name = name
        self.policyName = policyName
        self.hosts = hosts
        self.hostCount = hostCount
        self.itemCount = itemCount
        self.scanStart = scanStart
        self.scanEnd = scanEnd
        self.diagnostics = diagnostics
    }
}

/// One `<ReportHost>`: its properties and findings.
public struct NessusHost: Hashable, Sendable {
    /// `name` of `<ReportHost>`: the target as given (an address or a host name).
    public var name: String
    /// Where the `<ReportHost>` element starts.
    public var location: FileLocation
    /// Every `<HostProperties><tag name=…>` value, leading and trailing whitespace removed
    /// (the well-known ones below included).
    public var properties: [String: String]
    public var items: [NessusItem]
    /// HOST_START_TIMESTAMP, or HOST_START read as UTC (the file does not say the zone).
    public var startTime: Int?
    public var endTime: Int?

    public init(name: String, location: FileLocation, properties: [String: String] = [:], items: [NessusItem] = [],
                startTime: Int? = nil, endTime: Int? = nil) {
        self.name = name
        self.location = location
        self.properties = properties
        self.items = items
        self.startTime = startTime
        self.endTime = endTime
    }

    public var ip: String? { properties["host-ip"] }
    public var fqdn: String? { properties["host-fqdn"] }
    public var hostname: String? { properties["hostname"] }
    public var netbiosName: String? { properties["netbios-name"] }
    public var operatingSystem: String? { properties["operating-system"] }
    public var macAddress: String? { properties["mac-address"] }
    /// HOST_START as written, e.g. "Wed Mar 23 14:31:51 2022".
    public var startText: String? { properties["HOST_START"] }
    public var endText: String? { properties["HOST_END"] }
}

/// How severe Nessus rates a finding (`severity` 0–4 of `<ReportItem>`).
public enum NessusSeverity: Int, Hashable, Sendable, Comparable, CaseIterable, CustomStringConvertible {
    case info = 0
    case low = 1
    case medium = 2
    case high = 3
    case critical = 4

    public static func < (a: NessusSeverity, b: NessusSeverity) -> Bool { a.rawValue < b.rawValue }

    /// The severity a `risk_factor` names ("None" is info).
    public init?(riskFactor: String) {
        switch riskFactor.lowercased() {
        case "none", "info", "informational": self = .info
        case "low": self = .low
        case "medium": self = .medium
        case "high": self = .high
        case "critical": self = .critical
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .info: "info"
        case .low: "low"
        case .medium: "medium"
        case .high: "high"
        case .critical: "critical"
        }
    }
}

/// One `<ReportItem>`: a plugin's result on one port of one host.
///
/// CVSS vectors are kept as the strings Nessus writes (`CVSS2#AV:N/…`, `CVSS:3.0/AV:N/…`);
/// scoring them is another module's job. Text fields have leading and trailing whitespace
/// removed. Children the reader has no field for are kept in ``otherFields``.
public struct NessusItem: Hashable, Sendable {
    public var location: FileLocation
    /// `port`: 0 for host-level findings; nil when the attribute is missing or not a port.
    public var port: Int?
    /// `svc_name`: "www", "ssh", "general", …
    public var serviceName: String
    /// `protocol`: "tcp", "udp", "icmp".
    public var `protocol`: String
    /// `severity` 0–4; when that is missing or out of range, the severity `risk_factor` names,
    /// else nil (both with a diagnostic).
    public var severity: NessusSeverity?
    public var pluginID: Int?
    public var pluginName: String
    public var pluginFamily: String

    public var cves: [String] = []
    public var bids: [String] = []
    public var cwes: [String] = []
    /// `<xref>` values, e.g. "CERT:867593", "IAVA:2020-A-0001".
    public var xrefs: [String] = []
    /// `<see_also>` URLs, one per line of the element.
    public var seeAlso: [String] = []

    public var cvssVector: String?
    public var cvssBaseScore: Double?
    public var cvssTemporalVector: String?
    public var cvssTemporalScore: Double?
    public var cvss3Vector: String?
    public var cvss3BaseScore: Double?
    public var cvss3TemporalVector: String?
    public var cvss3TemporalScore: Double?
    public var cvss4Vector: String?
    public var cvss4BaseScore: Double?

    public var exploitAvailable: Bool?
    /// e.g. "Exploits are available", "No known exploits are available".
    public var exploitabilityEase: String?
    /// `exploit_framework_<name>` children by name ("metasploit": "true", "core": "true").
    public var exploitFrameworks: [String: String] = [:]

    public var patchPublicationDate: ScanDate?
    public var vulnPublicationDate: ScanDate?
    public var pluginPublicationDate: ScanDate?
    public var pluginModificationDate: ScanDate?

    public var riskFactor: String?
    public var synopsis: String?
    public var description: String?
    public var solution: String?
    public var pluginOutput: String?
    /// Every other child element's text, by element name, in file order.
    public var otherFields: [String: [String]] = [:]

    public init(location: FileLocation, port: Int?, serviceName: String, protocol: String, severity: NessusSeverity?,
                pluginID: Int?, pluginName: String, pluginFamily: String) {
        self.location = location
        self.port = port
        self.serviceName = serviceName
        self.protocol = `protocol`
        self.severity = severity
        self.pluginID = pluginID
        self.pluginName = pluginName
        self.pluginFamily = pluginFamily
    }
}
