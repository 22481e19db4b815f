import BulwarkModel
import CVSS
import Estate
import Foundation
import Identity
import PacketSpace
import Scans
import ThreatIntel

/// What the builder has read so far.
struct State {
    var options: InventoryOptions
    let displayPath: (String) -> String
    var manifest: EstateManifest?
    var estate: String?
    var threatData: ThreatData
    var sightings: [HostSighting] = []
    /// Services and vulnerabilities by the sighting that found them.
    var services: [(sighting: Int, service: InventoryService)] = []
    var vulnerabilities: [(sighting: Int, vulnerability: InventoryVulnerability)] = []
    var identity: IdentityGraph?
    /// The sighting of each AD computer, by its index in the identity graph.
    var computerSightings: [Int32: Int] = [:]
    var sources: [InventorySource] = []
    var warnings: [InventoryWarning] = []
    var diagnostics: [Diagnostic] = []
    /// Every vector scored once.
    var scored: [String: CVSSVector?] = [:]

    init(options: InventoryOptions, displayPath: @escaping (String) -> String) {
        self.options = options
        self.displayPath = displayPath
        threatData = options.threatData
    }

    // MARK: Threat intelligence

    mutating func readThreatData(_ e: EstateManifest.InventoryExport) throws(InventoryError) {
        let name = displayPath(e.path)
        do throws(ThreatIntelError) {
            guard let data = FileManager.default.contents(atPath: e.path) else { throw ThreatIntelError("\(name): cannot be read") }
            if e.format == .kev {
                let (kev, d) = try KEVCatalog.read(bytes: [UInt8](data), file: name)
                threatData.kev = kev
                threatData.kevOrigin = .estate(path: e.relativePath)
                diagnostics += d
                sources.append(InventorySource(file: name, format: "kev", summary: "KEV catalog \(kev.catalogVersion): \(kev.entries.count) CVEs", collected: nil))
            } else {
                let bytes = [UInt8](data)
                let plain = try ThreatDataStore.decompressed(bytes, file: name)
                let (epss, d) = try EPSSScores.read(bytes: plain, file: name)
                threatData.epss = epss
                threatData.epssOrigin = .estate(path: e.relativePath)
                diagnostics += d
                sources.append(InventorySource(file: name, format: "epss", summary: "EPSS scores for \(epss.scoreDate.map { String($0.prefix(10)) } ?? "an unknown day"): \(epss.count) CVEs", collected: nil))
            }
        } catch {
            throw InventoryError(error.description)
        }
    }

    // MARK: Scans

    mutating func readNmap(_ e: EstateManifest.InventoryExport) throws(InventoryError) {
        let name = displayPath(e.path)
        var up = 0, open = 0
        var found: [(HostSighting, [InventoryService])] = []
        let scan: NmapScan
        do {
            scan = try NmapReader().read(path: e.path) { host in
                var s = HostSighting(source: .nmap, file: name)
                for a in host.addresses {
                    switch a.type {
                    case .ipv4, .ipv6: if let c = Self.canonical(a.address) { s.addresses.append(c) }
                    case .mac: s.macs.append(a.address.uppercased())
                    default: break
                    }
                }
                for h in host.hostnames { Self.addName(h.name, to: &s) }
                s.operatingSystem = host.osMatches.first?.name
                s.isUp = host.isUp
                s.seen = (host.endTime ?? host.startTime).map { Date(timeIntervalSince1970: TimeInterval($0)) }
                var services: [InventoryService] = []
                if host.isUp {
                    up += 1
                    for p in host.ports where p.state == "open" {
                        open += 1
                        services.append(InventoryService(host: "", transport: p.protocol, port: p.number, name: p.service?.name, product: p.service?.product,
                                                         version: p.service?.version, cpes: p.service?.cpes ?? [], sources: [name]))
                    }
                }
                // Down hosts are only addresses the scan tried: not hosts of the inventory.
                if host.isUp { found.append((s, services)) }
            }
        } catch {
            throw InventoryError(error.description)
        }
        let when = scan.startTime.map { Date(timeIntervalSince1970: TimeInterval($0)) }
        for (var s, list) in found {
            if s.seen == nil { s.seen = when }
            let i = sightings.count
            sightings.append(s)
            services += list.map { (i, $0) }
        }
        diagnostics += scan.diagnostics
        sources.append(InventorySource(file: name, format: "nmap", summary: "\(up) of \(scan.hostCount) hosts up, \(open) open ports", collected: when))
        checkAge(when, file: name)
    }

    mutating func readNessus(_ e: EstateManifest.InventoryExport) throws(InventoryError) {
        let name = displayPath(e.path)
        var hostCount = 0, findings = 0
        var newest: Date?
        let report: NessusReport
        do {
            report = try NessusReader().read(path: e.path) { host in
                hostCount += 1
                var s = HostSighting(source: .nessus, file: name)
                for candidate in [host.ip, host.name].compactMap({ $0 }) {
                    if let c = Self.canonical(candidate), !s.addresses.contains(c) { s.addresses.append(c) }
                }
                if let fqdn = host.fqdn { Self.addName(fqdn, to: &s) }
                if let h = host.hostname { Self.addName(h, to: &s) }
                if let n = host.netbiosName { Self.addName(n, to: &s) }
                if Self.canonical(host.name) == nil { Self.addName(host.name, to: &s) }
                s.macs = (host.macAddress ?? "").split(whereSeparator: { $0 == "\n" || $0 == " " || $0 == "," }).map { $0.uppercased() }
                s.operatingSystem = host.operatingSystem.map { $0.split(separator: "\n").first.map(String.init) ?? $0 }
                s.seen = (host.endTime ?? host.startTime).map { Date(timeIntervalSince1970: TimeInterval($0)) }
                if let seen = s.seen, newest.map({ seen > $0 }) ?? true { newest = seen }
                let i = sightings.count
                sightings.append(s)
                var ports = Set<String>()
                for item in host.items {
                    if let port = item.port, port > 0, ports.insert("\(item.protocol)/\(port)").inserted {
                        services.append((i, InventoryService(host: "", transport: item.protocol, port: port, name: item.serviceName.isEmpty ? nil : item.serviceName,
                                                             product: nil, version: nil, cpes: [], sources: [name])))
                    }
                    guard (item.severity ?? .info) > .info || !item.cves.isEmpty else { continue }
                    findings += 1
                    vulnerabilities.append((i, vulnerability(item, file: name)))
                }
            }
        } catch {
            throw InventoryError(error.description)
        }
        diagnostics += report.diagnostics
        let when = newest ?? report.scanStart.map { Date(timeIntervalSince1970: TimeInterval($0)) }
        sources.append(InventorySource(file: name, format: "nessus", summary: "\(hostCount) host\(hostCount == 1 ? "" : "s"), \(findings) vulnerability finding\(findings == 1 ? "" : "s")", collected: when))
        checkAge(when, file: name)
    }

    private mutating func vulnerability(_ item: NessusItem, file: String) -> InventoryVulnerability {
        var ratings: [InventoryVulnerability.CVSSRating] = []
        for (text, reported) in [(item.cvssVector, item.cvssBaseScore), (item.cvss3Vector, item.cvss3BaseScore), (item.cvss4Vector, item.cvss4BaseScore)] {
            guard let text else { continue }
            let vector = score(text)
            var r = InventoryVulnerability.CVSSRating(version: vector?.version.rawValue ?? "unknown", vector: vector?.normalized ?? text,
                                                      baseScore: vector?.baseScore, severity: vector?.severity.rawValue, reportedScore: nil)
            if let reported, let computed = vector?.baseScore, abs(reported - computed) > 0.05 {
                r.reportedScore = reported
                warnings.append(InventoryWarning(kind: .scoreMismatch, message: "\(file):\(item.location.line): plugin \(item.pluginID.map(String.init) ?? "?") reports \(reported) for \(text), which scores \(computed)", subject: file))
            }
            if vector == nil {
                diagnostics.append(Diagnostic(.warning, item.location, "not a CVSS vector: '\(text)'; kept as text"))
                r.reportedScore = reported
            }
            ratings.append(r)
        }
        return InventoryVulnerability(host: "", transport: item.protocol, port: item.port, pluginID: item.pluginID, name: item.pluginName,
                                      severity: (item.severity ?? .info).description, cves: item.cves.map { $0.uppercased() }, cvss: ratings,
                                      kev: [], epss: nil, exploitAvailable: item.exploitAvailable,
                                      patchPublished: item.patchPublicationDate?.description, solution: item.solution, file: file, location: item.location)
    }

    private mutating func score(_ text: String) -> CVSSVector? {
        if let done = scored[text] { return done }
        let v = try? CVSSVector(parsing: text)
        scored[text] = v
        return v
    }

    // MARK: Identity

    /// The AD collection: every collector export (folders, JSON files, zips — SharpHound writes one
    /// file per object type) loaded together as one collection.
    mutating func readIdentity(_ exports: [EstateManifest.InventoryExport]) throws(InventoryError) {
        let folders = Set(exports.map { URL(fileURLWithPath: $0.path).deletingLastPathComponent().path })
        let name = exports.count == 1 ? displayPath(exports[0].path)
            : folders.count == 1 ? "\(displayPath(folders.first!)) (\(exports.count) collector files)" : exports.map { displayPath($0.path) }.joined(separator: ", ")
        let loader = SharpHoundLoader(options: .init(tierZero: TierZeroRules()))
        let graph: IdentityGraph
        do {
            graph = try loader.load(paths: exports.map(\.path))
        } catch {
            throw InventoryError("\(name): \(error.description)")
        }
        identity = graph
        diagnostics += graph.diagnostics
        var computers = 0
        for (k, p) in graph.principals.enumerated() where p.kind == .computer && p.collected {
            computers += 1
            var s = HostSighting(source: .activeDirectory, file: name)
            s.objectID = p.id
            if !p.name.isEmpty { Self.addName(p.name, to: &s) }
            if let sam = p.samAccountName { Self.addName(sam.hasSuffix("$") ? String(sam.dropLast()) : sam, to: &s) }
            s.operatingSystem = p.operatingSystem
            computerSightings[Int32(k)] = sightings.count
            sightings.append(s)
        }
        sources.append(InventorySource(file: name, format: "sharphound",
                                       summary: "\(graph.principalCount) principals (\(computers) computers) in \(graph.domains.count) domain\(graph.domains.count == 1 ? "" : "s"), \(graph.edgeCount) edges", collected: nil))
    }

    // MARK: Helpers

    /// An address in canonical text, or nil when the text is not an address.
    static func canonical(_ text: String) -> String? {
        guard let (value, family) = IPAddress.parse(Substring(text.trimmingCharacters(in: .whitespaces))) else { return nil }
        return IPAddress.format(value, family: family)
    }

    /// A name as an FQDN (it has a dot) or a short name, lower case; addresses are not names.
    static func addName(_ raw: String, to s: inout HostSighting) {
        let name = raw.trimmingCharacters(in: .whitespaces).lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        guard !name.isEmpty, canonical(name) == nil else { return }
        if name.contains(".") {
            if !s.fqdns.contains(name) { s.fqdns.append(name) }
        } else if !s.names.contains(name) {
            s.names.append(name)
        }
    }

    private mutating func checkAge(_ when: Date?, file: String) {
        guard let when else { return }
        let days = Int(options.now.timeIntervalSince(when) / 86_400)
        if days > options.maxScanAgeDays {
            warnings.append(InventoryWarning(kind: .oldScan, message: "\(file) was collected \(days) days ago (more than \(options.maxScanAgeDays))", subject: file))
        }
    }
}
