import BulwarkModel
import PacketSpace
import Yams

extension ManifestDecoder {
    /// Checks what the sections say about each other, once all are read: names refer to entries
    /// that exist, no network belongs to two zones, hosts sit where their zone says, required flows
    /// agree with the rules, facts name what they apply to without ambiguity.
    mutating func crossCheck() {
        checkReferences()
        checkNetworks()
        let map = ZoneMap(zones: zones)
        placeHosts(map)
        resolveFactTargets()
        checkRequiredFlows()
    }

    /// The manifest, when nothing was an error.
    func manifest() -> EstateManifest? {
        guard let version, !reader.hasErrors else { return nil }
        return EstateManifest(version: version, name: name, description: description, manifestPath: manifestPath, directory: directory,
                              zones: zones, firewalls: firewalls, routes: routes, policy: policy, hosts: hosts,
                              informationAssets: informationAssets, facts: facts, entryPoints: entryPoints, treatments: treatments, inventory: inventory)
    }

    // MARK: Names

    private mutating func checkReferences() {
        for r in references where !isDefined(r.namespace, r.name) {
            reader.error(r.node, "unknown \(r.namespace.rawValue) '\(r.name)' in \(r.context)" + suggestion(r.name, names(r.namespace), r.namespace))
        }
    }

    /// "; did you mean …" or the list of names there are.
    private func suggestion(_ name: String, _ known: [String], _ namespace: Namespace) -> String {
        if known.isEmpty { return "; the manifest defines no \(namespace.rawValue)" }
        if let near = NodeReader.closest(to: name, among: known) { return "; did you mean '\(near)'?" }
        let shown = known.prefix(12).joined(separator: ", ")
        return "; expected one of \(shown)\(known.count > 12 ? ", …" : "")"
    }

    // MARK: Zones and hosts

    /// Nested networks are how zones refine each other; the same network in two zones says
    /// nothing about which one an address belongs to, so it is an error.
    private mutating func checkNetworks() {
        var owner: [AddressFamily: [ClosedRange<UInt128>: String]] = [:]
        for zone in zones {
            for n in zone.networks {
                if let other = owner[n.family]?[n.range], other != zone.name {
                    reader.report(.error, n.location, "network \(n) is in zone \(other) and in zone \(zone.name); a network belongs to one zone (a more specific network may sit inside it)")
                } else {
                    owner[n.family, default: [:]][n.range] = zone.name
                }
            }
        }
        let mappedByCloud = Set(firewalls.flatMap { fw -> [String] in
            if case .cloud(let subnets) = fw.placement { return subnets.map(\.zone) }
            return []
        })
        for zone in zones where zone.networks.isEmpty && !mappedByCloud.contains(zone.name) {
            reader.report(.warning, zone.location, "zone \(zone.name) has no networks (cidrs) and no cloud subnet maps to it, so no address belongs to it")
        }
    }

    /// Gives hosts without a zone the zone of their first address, and reports addresses that the
    /// zone map puts elsewhere than the host's zone.
    private mutating func placeHosts(_ map: ZoneMap) {
        var addressOwner: [UInt128: String] = [:]
        for i in hosts.indices {
            let host = hosts[i]
            if hostsWithoutZone.contains(i) {
                // No first address: every address was broken, and each has been reported.
                guard let first = host.addresses.first else { continue }
                guard let z = map.zone(containing: first.value, family: first.family) else {
                    reader.report(.error, first.location, "no zone holds \(first), the address of host \(host.name); give the host a zone or add a network to a zone")
                    continue
                }
                hosts[i].zone = zones[z].name
            }
            let zone = hosts[i].zone
            for a in host.addresses {
                if let other = addressOwner[a.value], other != host.name {
                    reader.report(.warning, a.location, "address \(a) of host \(host.name) is also an address of host \(other)")
                }
                addressOwner[a.value] = host.name
                guard isDefined(.zone, zone) else { continue }
                guard let z = map.zone(containing: a.value, family: a.family) else {
                    reader.report(.warning, a.location, "address \(a) of host \(host.name) lies in no zone's networks (zone \(zone) does not hold it)")
                    continue
                }
                if zones[z].name != zone {
                    reader.report(.warning, a.location, "address \(a) of host \(host.name) belongs to zone \(zones[z].name) (its most specific network), not to the host's zone \(zone)")
                }
            }
        }
    }

    // MARK: Facts

    private static let qualifiers: [(prefix: String, namespace: Namespace)] = [
        ("zone", .zone), ("host", .host), ("firewall", .firewall), ("asset", .informationAsset), ("entry-point", .entryPoint),
    ]

    /// `applies-to` names any kind of entry: `db01`, or `host:db01` where a name is ambiguous.
    private mutating func resolveFactTargets() {
        for (i, targets) in factTargets {
            var resolved: [Reference] = []
            for (text, node) in targets {
                let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
                var candidates: [Namespace]
                let name: String
                if parts.count == 2 {
                    guard let q = Self.qualifiers.first(where: { $0.prefix == parts[0] }) else {
                        reader.error(node, "unknown qualifier '\(parts[0])' in '\(text)'; expected zone:, host:, firewall:, asset: or entry-point:")
                        continue
                    }
                    name = String(parts[1])
                    candidates = [q.namespace]
                } else {
                    name = text
                    candidates = Namespace.allCases
                }
                let asked = candidates
                candidates = candidates.filter { isDefined($0, name) }
                switch candidates.count {
                case 0 where asked.count == 1:
                    reader.error(node, "unknown \(asked[0].rawValue) '\(name)' in applies-to" + suggestion(name, names(asked[0]), asked[0]))
                case 0:
                    var all: [String] = []
                    for n in Namespace.allCases.flatMap(names) where !all.contains(n) { all.append(n) }
                    reader.error(node, "'\(text)' names nothing the manifest defines" + suggestion(name, all, .zone))
                case 1:
                    let reference = Self.reference(candidates[0], name)
                    if !resolved.contains(reference) { resolved.append(reference) }
                default:
                    let options = candidates.map { ns in "\(Self.qualifiers.first { $0.namespace == ns }!.prefix):\(name)" }
                    reader.error(node, "'\(name)' is ambiguous: write \(options.joined(separator: " or "))")
                }
            }
            if let i { facts[i].appliesTo = resolved }
        }
    }

    private static func reference(_ namespace: Namespace, _ name: String) -> Reference {
        switch namespace {
        case .zone: .zone(name)
        case .host: .host(name)
        case .firewall: .firewall(name)
        case .informationAsset: .informationAsset(name)
        case .entryPoint: .entryPoint(name)
        }
    }

    // MARK: Policy

    /// A required flow that its pair's rule does not allow is a contradiction in the intent: the
    /// requirement wins (so the analysis does not report the needed flow as a violation), and the
    /// manifest's author hears about it.
    private mutating func checkRequiredFlows() {
        let ruleByPair = policy.ruleIndexByPair()
        for flow in policy.required {
            guard let r = ruleByPair[ZonePair(from: flow.from, to: flow.to)] else { continue }
            let rule = policy.rules[r]
            if !flow.service.footprint.isSubset(of: rule.footprint) {
                reader.report(.warning, flow.location, "required flow \(flow.from) → \(flow.to) \(flow.service) is not allowed by the policy rule at line \(rule.location.line); the requirement wins")
            }
        }
    }
}
