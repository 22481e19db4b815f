import BulwarkModel
public import Foundation

/// What one source says about one host: a scanned address, a Nessus report host, an AD computer,
/// a manifest host.
public struct HostSighting: Sendable, Hashable {
    public enum Source: String, Sendable, Hashable, CaseIterable {
        case manifest, nmap, nessus, activeDirectory = "active-directory"
    }

    public var source: Source
    /// The file it comes from, as reports name it.
    public var file: String
    /// Canonical address text (`IPAddress.format`).
    public var addresses: [String] = []
    public var macs: [String] = []
    /// Fully qualified names, lower case.
    public var fqdns: [String] = []
    /// Short host names (NetBIOS, a hostname without domain), lower case.
    public var names: [String] = []
    /// The AD object id (SID) of a computer.
    public var objectID: String?
    /// The manifest host's name.
    public var manifestName: String?
    public var operatingSystem: String?
    /// When the source saw it (the scan's time).
    public var seen: Date?
    /// False for a host a scan found down.
    public var isUp = true

    public init(source: Source, file: String) {
        self.source = source
        self.file = file
    }
}

/// Hosts merged across sources: sightings that share an address, a MAC address, a fully qualified
/// name, an AD object id or a manifest name are one host. A sighting without an address (an AD
/// computer, say) is also joined by its short name to the one host that has it (as a name or as its
/// FQDN's first label); when several do, it joins none and the name is reported. Short names alone
/// never join two sightings that have addresses: two hosts called `web` in two networks stay two.
public struct HostMerge: Sendable {
    /// Indices into the sightings, one list per host, in order of each host's first sighting.
    public let groups: [[Int]]
    /// Short names that matched several hosts and joined none.
    public let ambiguousNames: [(name: String, sighting: Int, hosts: Int)]

    public init(_ sightings: [HostSighting]) {
        var parent = Array(sightings.indices)
        func find(_ x: Int) -> Int {
            var x = x
            while parent[x] != x {
                parent[x] = parent[parent[x]]
                x = parent[x]
            }
            return x
        }
        func union(_ a: Int, _ b: Int) {
            let (ra, rb) = (find(a), find(b))
            if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
        }
        var owner: [String: Int] = [:]
        for (i, s) in sightings.enumerated() {
            var keys = s.addresses.map { "ip:" + $0 } + s.macs.map { "mac:" + $0.lowercased() } + s.fqdns.map { "fqdn:" + $0.lowercased() }
            if let id = s.objectID { keys.append("sid:" + id.uppercased()) }
            if let m = s.manifestName { keys.append("manifest:" + m) }
            for key in keys {
                if let first = owner[key] { union(first, i) } else { owner[key] = i }
            }
        }
        // Short names: the hosts (as merged so far) that carry each one.
        var carriers: [String: Set<Int>] = [:]
        for (i, s) in sightings.enumerated() {
            for n in s.names + s.fqdns.compactMap({ $0.split(separator: ".").first.map(String.init) }) {
                carriers[n.lowercased(), default: []].insert(find(i))
            }
        }
        var ambiguous: [(String, Int, Int)] = []
        for (i, s) in sightings.enumerated() where s.addresses.isEmpty {
            for n in s.names {
                let others = Set((carriers[n.lowercased()] ?? []).map(find)).subtracting([find(i)])
                if others.count == 1 {
                    union(i, others.first!)
                } else if others.count > 1 {
                    ambiguous.append((n, i, others.count))
                }
            }
        }
        var byRoot: [Int: Int] = [:]
        var groups: [[Int]] = []
        for i in sightings.indices {
            let r = find(i)
            if let g = byRoot[r] { groups[g].append(i) } else {
                byRoot[r] = groups.count
                groups.append([i])
            }
        }
        self.groups = groups
        ambiguousNames = ambiguous
    }
}
