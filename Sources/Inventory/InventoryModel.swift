public import BulwarkModel
public import Foundation
public import Identity
public import Estate

/// What runs where, what is vulnerable, who can do what: one view of the estate's scans, AD
/// collection and threat intelligence, hosts merged across sources.
public struct Inventory: Sendable {
    public var estate: String?
    public var hosts: [InventoryHost]
    public var services: [InventoryService]
    public var vulnerabilities: [InventoryVulnerability]
    /// The identity graph (principals and edges, as BloodHound defines them), when the estate has
    /// an AD collection.
    public var identity: IdentityGraph?
    /// The merged host of each AD computer that matches one, by object id.
    public var computerHosts: [String: String]
    /// Each export read, with what it held.
    public var sources: [InventorySource]
    /// Where the threat intelligence came from and how old it is.
    public var threatData: [String]
    /// Data-quality warnings: hosts in no zone, AD computers with no address, old scans …
    public var warnings: [InventoryWarning]
    /// What the readers reported (file, line, what was expected).
    public var diagnostics: [Diagnostic]
    /// The estate's manifest, when it has one (a bare folder of exports has none).
    public var manifest: EstateManifest?
}

public struct InventorySource: Sendable, Hashable {
    public var file: String
    /// nmap, nessus, sharphound, kev, epss, manifest.
    public var format: String
    /// A line for people: "2 hosts up of 256, 9 open ports".
    public var summary: String
    /// When the data was collected, when the file says.
    public var collected: Date?
}

/// One host as every source together sees it.
public struct InventoryHost: Sendable, Hashable {
    /// Stable within one inventory: `host:` and the host's best name or first address.
    public var id: String
    public var addresses: [String]
    public var macs: [String]
    public var fqdns: [String]
    public var names: [String]
    public var operatingSystems: [String]
    /// The AD computer's object id (SID), when the collection has it.
    public var objectID: String?
    /// The manifest host, when one matches.
    public var manifestName: String?
    /// The estate zone of its first address, when the manifest has zones.
    public var zone: String?
    public var crownJewel: Bool
    /// Which sources saw it (manifest, nmap, nessus, active-directory).
    public var seenBy: [String]
    public var files: [String]
    /// Newest time a scan saw it.
    public var lastSeen: Date?

    /// How reports and the attack graph name it: the manifest's name, else an FQDN, a name, an
    /// address, its id.
    public var displayName: String { manifestName ?? fqdns.first ?? names.first ?? addresses.first ?? id }
}

/// An open port and what answers on it.
public struct InventoryService: Sendable, Hashable {
    public var host: String
    /// tcp, udp, sctp.
    public var transport: String
    public var port: Int
    public var name: String?
    public var product: String?
    public var version: String?
    public var cpes: [String]
    public var sources: [String]
}

/// One vulnerability finding on one host (a Nessus plugin result), with every CVE it names and
/// what threat intelligence says of them.
public struct InventoryVulnerability: Sendable, Hashable {
    public var host: String
    public var transport: String?
    public var port: Int?
    public var pluginID: Int?
    public var name: String
    /// info, low, medium, high, critical (the scanner's rating).
    public var severity: String
    public var cves: [String]
    public var cvss: [CVSSRating]
    /// The CVEs in CISA's KEV catalog, with the date each was added.
    public var kev: [KEVMatch]
    /// The highest EPSS probability among the CVEs, with its CVE and percentile.
    public var epss: EPSSMatch?
    public var exploitAvailable: Bool?
    public var patchPublished: String?
    public var solution: String?
    public var file: String
    public var location: FileLocation

    public struct CVSSRating: Sendable, Hashable {
        /// "2.0", "3.0", "3.1", "4.0".
        public var version: String
        public var vector: String
        /// Computed from the vector by Bulwark (nil when the vector does not parse).
        public var baseScore: Double?
        public var severity: String?
        /// The score the scanner reported, kept when it differs from the computed one.
        public var reportedScore: Double?
    }

    public struct KEVMatch: Sendable, Hashable {
        public var cve: String
        public var dateAdded: String
        public var dueDate: String
        public var knownRansomwareUse: Bool
    }

    public struct EPSSMatch: Sendable, Hashable {
        public var cve: String
        public var probability: Double
        public var percentile: Double
    }
}

public struct InventoryWarning: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case hostInNoZone = "host-in-no-zone"
        case computerWithoutAddress = "computer-without-address"
        case oldScan = "old-scan"
        case ambiguousName = "ambiguous-name"
        case manifestHostNotScanned = "manifest-host-not-scanned"
        case scoreMismatch = "score-mismatch"
        case oldThreatData = "old-threat-data"
    }
    public var kind: Kind
    public var message: String
    /// The host, principal or file it is about.
    public var subject: String
}
