public import BulwarkModel

/// One nmap run as its XML output (`nmap -oX`) records it: xmloutputversion 1.03 to 1.05.
///
/// Times are Unix epoch seconds as nmap writes them; the `…Text` fields keep nmap's own
/// human-readable rendering.
public struct NmapScan: Hashable, Sendable {
    /// `scanner` of `<nmaprun>`: "nmap" (or "masscan" for masscan's nmap-style output).
    public var scanner: String?
    /// The nmap version, e.g. "7.91".
    public var version: String?
    /// The command line, e.g. "nmap -sV -O 10.0.0.0/24".
    public var arguments: String?
    public var startTime: Int?
    public var startText: String?
    /// The XML format version: "1.03", "1.04" or "1.05".
    public var xmlOutputVersion: String?
    public var scanInfo: [NmapScanInfo]
    /// The hosts in file order (empty when the hosts were streamed to a callback instead).
    public var hosts: [NmapHost]
    /// How many `<host>` elements were read (streamed or kept).
    public var hostCount: Int
    /// NSE scripts run before and after the host scans.
    public var preScripts: [NmapScript]
    public var postScripts: [NmapScript]
    /// `<runstats><finished>`.
    public var finishedTime: Int?
    public var finishedText: String?
    public var elapsedSeconds: Double?
    /// "success" or "error".
    public var exitStatus: String?
    public var summary: String?
    public var errorMessage: String?
    /// `<runstats><hosts>` as nmap counted them.
    public var hostTotals: NmapHostTotals?
    /// Recoverable problems: bad values, skipped elements.
    public var diagnostics: [Diagnostic]

    public init(
        scanner: String? = nil, version: String? = nil, arguments: String? = nil, startTime: Int? = nil,
        startText: String? = nil, xmlOutputVersion: String? = nil, scanInfo: [NmapScanInfo] = [],
        hosts: [NmapHost] = [], hostCount: Int = 0, preScripts: [NmapScript] = [], postScripts: [NmapScript] = [],
        finishedTime: Int? = nil, finishedText: String? = nil, elapsedSeconds: Double? = nil,
        exitStatus: String? = nil, summary: String? = nil, errorMessage: String? = nil,
        hostTotals: NmapHostTotals? = nil, diagnostics: [Diagnostic] = []
    ) {
        self.scanner = scanner
        self.version = version
        self.arguments = arguments
        self.startTime = startTime
        self.startText = startText
        self.xmlOutputVersion = xmlOutputVersion
        self.scanInfo = scanInfo
        self.hosts = hosts
        self.hostCount = hostCount
        self.preScripts = preScripts
        self.postScripts = postScripts
        self.finishedTime = finishedTime
        self.finishedText = finishedText
        self.elapsedSeconds = elapsedSeconds
        self.exitStatus = exitStatus
        self.summary = summary
        self.errorMessage = errorMessage
        self.hostTotals = hostTotals
        self.diagnostics = diagnostics
    }
}

/// `<scaninfo>`: one scan type and the ports it covered.
public struct NmapScanInfo: Hashable, Sendable {
    /// "syn", "connect", "udp", …
    public var type: String
    /// "tcp", "udp", "sctp", "ip".
    public var `protocol`: String
    public var serviceCount: Int?
    /// nmap's port list, e.g. "1,3-4,6-7,9".
    public var services: String

    public init(type: String, protocol: String, serviceCount: Int?, services: String) {
        self.type = type
        self.protocol = `protocol`
        self.serviceCount = serviceCount
        self.services = services
    }
}

/// `<runstats><hosts up= down= total=>`.
public struct NmapHostTotals: Hashable, Sendable {
    public var up: Int
    public var down: Int
    public var total: Int

    public init(up: Int, down: Int, total: Int) {
        self.up = up
        self.down = down
        self.total = total
    }
}

/// One scanned host.
public struct NmapHost: Hashable, Sendable {
    /// Where the `<host>` element starts.
    public var location: FileLocation
    public var startTime: Int?
    public var endTime: Int?
    /// "up", "down", "unknown" or "skipped"; nil when the file has no `<status>`.
    public var state: String?
    /// Why nmap thinks so: "arp-response", "syn-ack", "localhost-response", …
    public var reason: String?
    public var addresses: [NmapAddress]
    public var hostnames: [NmapHostname]
    public var ports: [NmapPort]
    /// Ports summarised rather than listed ("992 closed ports").
    public var extraPorts: [NmapExtraPorts]
    /// OS guesses, best first (xmloutputversion 1.04 and later nest classes in them).
    public var osMatches: [NmapOSMatch]
    /// OS classes written directly under `<os>` (xmloutputversion 1.03 and earlier).
    public var osClasses: [NmapOSClass]
    /// Ports the OS detection used.
    public var portsUsed: [NmapPortUsed]
    public var osFingerprint: String?
    public var uptimeSeconds: Int?
    public var lastBoot: String?
    /// Network distance in hops.
    public var distance: Int?
    public var hostScripts: [NmapScript]
    public var trace: [NmapHop]
    /// `<times>`: smoothed round-trip time, its variance and the timeout, in microseconds.
    public var roundTripTime: Int?
    public var roundTripVariance: Int?
    public var timeout: Int?

    public init(location: FileLocation) {
        self.location = location
        addresses = []
        hostnames = []
        ports = []
        extraPorts = []
        osMatches = []
        osClasses = []
        portsUsed = []
        hostScripts = []
        trace = []
    }

    public var isUp: Bool { state == "up" }
    public var ipv4: String? { addresses.first { $0.type == .ipv4 }?.address }
    public var ipv6: String? { addresses.first { $0.type == .ipv6 }?.address }
    public var mac: NmapAddress? { addresses.first { $0.type == .mac } }
    public var openPorts: [NmapPort] { ports.filter { $0.state == "open" } }
}

public struct NmapAddress: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case ipv4
        case ipv6
        case mac
        case other(String)

        init(_ text: String) {
            switch text {
            case "ipv4": self = .ipv4
            case "ipv6": self = .ipv6
            case "mac": self = .mac
            default: self = .other(text)
            }
        }
    }

    public var address: String
    public var type: Kind
    /// The hardware vendor nmap derived from a MAC address.
    public var vendor: String?

    public init(address: String, type: Kind, vendor: String? = nil) {
        self.address = address
        self.type = type
        self.vendor = vendor
    }
}

public struct NmapHostname: Hashable, Sendable {
    public var name: String
    /// "user" (given on the command line) or "PTR" (reverse DNS).
    public var type: String?

    public init(name: String, type: String?) {
        self.name = name
        self.type = type
    }
}

public struct NmapPort: Hashable, Sendable {
    /// Where the `<port>` element starts.
    public var location: FileLocation
    /// "tcp", "udp", "sctp" or "ip".
    public var `protocol`: String
    public var number: Int
    /// "open", "closed", "filtered", "unfiltered", "open|filtered", "closed|filtered".
    public var state: String?
    public var reason: String?
    public var reasonTTL: Int?
    public var service: NmapService?
    public var scripts: [NmapScript]
    /// The owning user (ident scans).
    public var owner: String?

    public init(location: FileLocation, protocol: String, number: Int) {
        self.location = location
        self.protocol = `protocol`
        self.number = number
        scripts = []
    }
}

/// What nmap's service detection found on a port.
public struct NmapService: Hashable, Sendable {
    public var name: String?
    public var product: String?
    public var version: String?
    public var extraInfo: String?
    public var osType: String?
    public var hostname: String?
    public var deviceType: String?
    /// "probed" (version detection matched) or "table" (guessed from the port number).
    public var method: String?
    /// Confidence 0–10.
    public var confidence: Int?
    /// "ssl" when the service runs over TLS.
    public var tunnel: String?
    /// nmap's service fingerprint for unrecognised services.
    public var fingerprint: String?
    public var cpes: [String]

    public init(
        name: String? = nil, product: String? = nil, version: String? = nil, extraInfo: String? = nil,
        osType: String? = nil, hostname: String? = nil, deviceType: String? = nil, method: String? = nil,
        confidence: Int? = nil, tunnel: String? = nil, fingerprint: String? = nil, cpes: [String] = []
    ) {
        self.name = name
        self.product = product
        self.version = version
        self.extraInfo = extraInfo
        self.osType = osType
        self.hostname = hostname
        self.deviceType = deviceType
        self.method = method
        self.confidence = confidence
        self.tunnel = tunnel
        self.fingerprint = fingerprint
        self.cpes = cpes
    }
}

/// `<extraports>`: ports in one state that nmap counted instead of listing.
public struct NmapExtraPorts: Hashable, Sendable {
    public var state: String
    public var count: Int
    /// Why they are in that state, with counts ("resets": 992).
    public var reasons: [NmapExtraReason]

    public init(state: String, count: Int, reasons: [NmapExtraReason]) {
        self.state = state
        self.count = count
        self.reasons = reasons
    }
}

public struct NmapExtraReason: Hashable, Sendable {
    public var reason: String
    public var count: Int
    /// The protocol and port list, in nmap 7.90 and later.
    public var `protocol`: String?
    public var ports: String?

    public init(reason: String, count: Int, protocol: String? = nil, ports: String? = nil) {
        self.reason = reason
        self.count = count
        self.protocol = `protocol`
        self.ports = ports
    }
}

/// One OS guess.
public struct NmapOSMatch: Hashable, Sendable {
    public var name: String
    /// Accuracy in percent.
    public var accuracy: Int?
    /// The line of nmap-os-db the guess comes from.
    public var line: Int?
    public var classes: [NmapOSClass]

    public init(name: String, accuracy: Int?, line: Int?, classes: [NmapOSClass]) {
        self.name = name
        self.accuracy = accuracy
        self.line = line
        self.classes = classes
    }
}

public struct NmapOSClass: Hashable, Sendable {
    /// "general purpose", "router", "WAP", …
    public var type: String?
    public var vendor: String?
    public var family: String?
    public var generation: String?
    public var accuracy: Int?
    public var cpes: [String]

    public init(type: String?, vendor: String?, family: String?, generation: String?, accuracy: Int?, cpes: [String]) {
        self.type = type
        self.vendor = vendor
        self.family = family
        self.generation = generation
        self.accuracy = accuracy
        self.cpes = cpes
    }
}

public struct NmapPortUsed: Hashable, Sendable {
    public var state: String
    public var `protocol`: String
    public var number: Int

    public init(state: String, protocol: String, number: Int) {
        self.state = state
        self.protocol = `protocol`
        self.number = number
    }
}

/// One traceroute hop.
public struct NmapHop: Hashable, Sendable {
    public var ttl: Int
    public var address: String?
    public var roundTripMilliseconds: Double?
    public var host: String?

    public init(ttl: Int, address: String?, roundTripMilliseconds: Double?, host: String?) {
        self.ttl = ttl
        self.address = address
        self.roundTripMilliseconds = roundTripMilliseconds
        self.host = host
    }
}

/// The output of one NSE script: its text and, for scripts that return structured results,
/// the `<elem>`/`<table>` tree.
public struct NmapScript: Hashable, Sendable {
    public var id: String
    public var output: String
    public var elements: [NmapScriptNode]

    public init(id: String, output: String, elements: [NmapScriptNode] = []) {
        self.id = id
        self.output = output
        self.elements = elements
    }

    /// The first element (searching depth-first) with `key`.
    public func value(forKey key: String) -> String? {
        func search(_ nodes: [NmapScriptNode]) -> String? {
            for node in nodes {
                switch node {
                case .elem(let k, let v): if k == key { return v }
                case .table(_, let children): if let v = search(children) { return v }
                }
            }
            return nil
        }
        return search(elements)
    }
}

/// A node of a script's structured output. Text written directly inside `<script>` becomes an
/// `elem` without a key.
public indirect enum NmapScriptNode: Hashable, Sendable {
    case elem(key: String?, value: String)
    case table(key: String?, [NmapScriptNode])
}
