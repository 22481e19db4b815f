import BulwarkModel
import Estate
import Foundation
import Identity
import ThreatIntel

extension State {
    /// Manifest hosts joined in, hosts merged, services and findings attached to them, findings
    /// enriched with KEV and EPSS, and the data-quality warnings.
    mutating func finish() -> Inventory {
        let scanned = sightings.contains { $0.source == .nmap || $0.source == .nessus }
        if let manifest {
            for h in manifest.hosts {
                var s = HostSighting(source: .manifest, file: displayPath(manifest.manifestPath))
                s.manifestName = h.name
                s.addresses = h.addresses.map(\.description)
                Self.addName(h.name, to: &s)
                sightings.append(s)
            }
        }
        let merge = HostMerge(sightings)
        var hostOf = Array(repeating: "", count: sightings.count)
        var hosts: [InventoryHost] = []
        var usedIDs = Set<String>()
        var hostIndex: [String: Int] = [:]
        for group in merge.groups {
            let members = group.map { sightings[$0] }
            func unique(_ values: [String]) -> [String] {
                var seen = Set<String>()
                return values.filter { seen.insert($0).inserted }
            }
            let addresses = unique(members.flatMap(\.addresses))
            let fqdns = unique(members.flatMap(\.fqdns))
            let names = unique(members.flatMap(\.names))
            let manifestName = members.compactMap(\.manifestName).first
            var id = "host:" + (manifestName ?? fqdns.first ?? names.first ?? addresses.first ?? members.compactMap(\.objectID).first ?? "unknown")
            if usedIDs.contains(id) {
                var k = 2
                while usedIDs.contains("\(id)#\(k)") { k += 1 }
                id = "\(id)#\(k)"
            }
            usedIDs.insert(id)
            for i in group { hostOf[i] = id }
            hostIndex[id] = hosts.count
            let m = manifest
            let zone = manifestName.flatMap { m?.host(named: $0)?.zone } ?? addresses.lazy.compactMap { m?.zone(containing: $0)?.name }.first
            hosts.append(InventoryHost(
                id: id, addresses: addresses, macs: unique(members.flatMap(\.macs)), fqdns: fqdns, names: names,
                operatingSystems: unique(members.compactMap(\.operatingSystem)), objectID: members.compactMap(\.objectID).first,
                manifestName: manifestName, zone: zone, crownJewel: manifestName.flatMap { manifest?.host(named: $0)?.crownJewel } ?? false,
                seenBy: unique(members.map(\.source.rawValue)), files: unique(members.map(\.file)), lastSeen: members.compactMap(\.seen).max()))
        }

        // Services: one per host, transport and port, what the sources say merged.
        var serviceIndex: [String: Int] = [:]
        var mergedServices: [InventoryService] = []
        for (i, var s) in services {
            s.host = hostOf[i]
            let key = "\(s.host) \(s.transport) \(s.port)"
            if let k = serviceIndex[key] {
                var m = mergedServices[k]
                m.name = m.name ?? s.name
                m.product = m.product ?? s.product
                m.version = m.version ?? s.version
                m.cpes += s.cpes.filter { !m.cpes.contains($0) }
                m.sources += s.sources.filter { !m.sources.contains($0) }
                mergedServices[k] = m
            } else {
                serviceIndex[key] = mergedServices.count
                mergedServices.append(s)
            }
        }

        // Findings: attached to their host, enriched per CVE.
        let kev = threatData.kev
        let epss = threatData.epss
        let findings = vulnerabilities.map { (i, v) -> InventoryVulnerability in
            var v = v
            v.host = hostOf[i]
            v.kev = v.cves.compactMap { cve in
                kev.entry(cve).map { .init(cve: cve, dateAdded: $0.dateAdded, dueDate: $0.dueDate, knownRansomwareUse: $0.knownRansomwareUse) }
            }
            v.epss = v.cves.compactMap { cve in epss?.score(cve).map { InventoryVulnerability.EPSSMatch(cve: cve, probability: $0.probability, percentile: $0.percentile) } }
                .max { $0.probability < $1.probability }
            return v
        }

        // Data quality.
        for (name, i, count) in merge.ambiguousNames {
            warnings.append(InventoryWarning(kind: .ambiguousName, message: "\(sightings[i].file): the name \(name) matches \(count) hosts; not joined to any", subject: name))
        }
        if let manifest, !manifest.zones.isEmpty {
            for h in hosts where h.zone == nil && !h.addresses.isEmpty {
                warnings.append(InventoryWarning(kind: .hostInNoZone, message: "\(h.id) (\(h.addresses.joined(separator: ", "))) is in no zone of the manifest", subject: h.id))
            }
        }
        var computerHosts: [String: String] = [:]
        if let identity {
            for (k, i) in computerSightings.sorted(by: { $0.key < $1.key }) {
                let p = identity.principals[Int(k)]
                computerHosts[p.id] = hostOf[i]
                if p.enabled != false, hostIndex[hostOf[i]].map({ hosts[$0].addresses.isEmpty }) ?? true {
                    warnings.append(InventoryWarning(kind: .computerWithoutAddress,
                                                     message: "AD computer \(p.name.isEmpty ? p.id : p.name) matches no scanned or manifest host by name: its address is unknown", subject: p.id))
                }
            }
        }
        if scanned {
            for h in hosts where h.seenBy == ["manifest"] {
                warnings.append(InventoryWarning(kind: .manifestHostNotScanned, message: "manifest host \(h.manifestName ?? h.id) was seen by no scan", subject: h.id))
            }
        }
        if let days = ThreatData.days(since: kev.dateReleased, now: options.now), days > 30 {
            warnings.append(InventoryWarning(kind: .oldThreatData, message: "the KEV catalog \(kev.catalogVersion) is \(days) days old: import a newer one with `bulwark data import kev FILE`", subject: "kev"))
        }
        if let e = epss, let date = e.scoreDate, let days = ThreatData.days(since: date, now: options.now), days > 7 {
            warnings.append(InventoryWarning(kind: .oldThreatData, message: "the EPSS scores are \(days) days old: import newer ones with `bulwark data import epss FILE`", subject: "epss"))
        }
        return Inventory(estate: estate, hosts: hosts, services: mergedServices, vulnerabilities: findings, identity: identity, computerHosts: computerHosts,
                         sources: sources, threatData: threatData.provenance(now: options.now), warnings: warnings, diagnostics: diagnostics, manifest: manifest)
    }
}
