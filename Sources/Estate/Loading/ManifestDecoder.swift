import BulwarkModel
import PacketSpace
import Yams

/// Turns the YAML tree of `bulwark.yaml` into an ``EstateManifest``, section by section, then
/// checks what the sections say about each other (``ManifestDecoder/crossCheck()``).
///
/// Names that refer to other entries are recorded as they are read and resolved once every
/// section is known, because YAML keys come in any order (facts may precede the hosts they name).
struct ManifestDecoder {
    typealias M = EstateManifest

    var reader: NodeReader
    /// The estate folder, absolute; export files are resolved against it.
    let directory: String
    let manifestPath: String

    // Sections as read; an entry with a broken required part is left out after it is reported.
    var version: Int?
    var name: String?
    var description: String?
    var zones: [M.Zone] = []
    var firewalls: [M.Firewall] = []
    var routes: [M.Route]?
    var policy = M.Policy.empty
    var hosts: [M.Host] = []
    /// Hosts whose zone the manifest leaves out, to be found from their addresses.
    var hostsWithoutZone: Set<Int> = []
    var informationAssets: [M.InformationAsset] = []
    var facts: [M.Fact] = []
    /// The `applies-to` entries of each fact (by index in `facts`; nil for a fact left out as
    /// broken, whose names are still checked), resolved when all names are known.
    var factTargets: [(fact: Int?, targets: [(text: String, node: Node)])] = []
    var entryPoints: [M.EntryPoint] = []
    var treatments: [M.Treatment] = []
    var inventory: [M.InventoryExport]?
    /// Every reference to a named entry, checked at the end.
    var references: [PendingReference] = []
    /// Every defined name with the line where it was defined, to report duplicates.
    var definitions: [Namespace: FirstSeen<String>] = [:]
    /// The defined names in manifest order, for messages that list them.
    var definedNames: [Namespace: [String]] = [:]

    init(file: String, directory: String, manifestPath: String) {
        reader = NodeReader(file: file)
        self.directory = directory
        self.manifestPath = manifestPath
    }

    /// The namespaces names live in; the same name may be a zone and an entry point.
    enum Namespace: String, CaseIterable {
        case zone, host, firewall
        case informationAsset = "information asset"
        case entryPoint = "entry point"
    }

    /// A name used where an entry of `namespace` is expected.
    struct PendingReference {
        var namespace: Namespace
        var name: String
        var node: Node
        var context: String
    }

    static let rootKeys = ["version", "name", "description", "zones", "firewalls", "routes", "policy", "hosts",
                           "information-assets", "facts", "entry-points", "treatments", "inventory"]

    // MARK: Root

    mutating func decode(_ root: Node) {
        guard let f = reader.fields(root, "the manifest", required: ["version", "zones"], optional: Self.rootKeys.filter { $0 != "version" && $0 != "zones" }) else { return }
        if let v = f["version"] {
            if let n = reader.integer(v, "the manifest format version", in: 0...Int.max) {
                if n == 1 { version = n } else { reader.error(v, "unsupported manifest version \(n); this Bulwark reads version 1") }
            }
        }
        name = f["name"].flatMap { reader.text($0, "the estate's name") }
        description = f["description"].flatMap { reader.text($0, "a description") }
        if let z = f["zones"] { decodeZones(z) }
        if let h = f["hosts"] { decodeHosts(h) }
        if let fw = f["firewalls"] { decodeFirewalls(fw) }
        if let r = f["routes"] { decodeRoutes(r) }
        if let p = f["policy"] { decodePolicy(p) }
        if let a = f["information-assets"] { decodeInformationAssets(a) }
        if let e = f["entry-points"] { decodeEntryPoints(e) }
        if let x = f["facts"] { decodeFacts(x) }
        if let t = f["treatments"] { decodeTreatments(t) }
        if let i = f["inventory"] { decodeInventory(i) }
    }

    // MARK: Zones

    mutating func decodeZones(_ node: Node) {
        guard let items = reader.sequence(node, "zones") else { return }
        if items.isEmpty { reader.error(node, "an estate needs at least one zone") }
        for item in items {
            guard let f = reader.fields(item, "a zone", required: ["name", "kind", "trust"], optional: ["cidrs", "description"]) else { continue }
            let name = f["name"].flatMap { reader.name($0, "a zone name") }
            if let name { define(.zone, name, f["name"]!) }
            let kind: M.ZoneKind? = f["kind"].flatMap { reader.choice($0, "the zone kind") }
            let trust: M.TrustLevel? = f["trust"].flatMap { reader.choice($0, "the zone's trust level") }
            var networks: [M.Network] = []
            var seen = FirstSeen<[UInt128]>()
            if let c = f["cidrs"], let list = reader.sequence(c, "the zone's networks (cidrs)") {
                for n in list {
                    guard let network = decodeNetwork(n) else { continue }
                    let key = [network.family.rawValue, network.range.lowerBound, network.range.upperBound]
                    if let first = seen.repeated(key, line: network.location.line) {
                        reader.warning(n, "network \(network) is listed twice in this zone (first at line \(first))")
                        continue
                    }
                    networks.append(network)
                }
            }
            let description = f["description"].flatMap { reader.text($0, "a description") }
            guard let name, let kind, let trust else { continue }
            zones.append(M.Zone(name: name, kind: kind, trust: trust, networks: networks, description: description,
                                location: reader.location(item)))
        }
    }

    /// `10.0.0.0/8`, `2001:db8::/32`, or a single address (a /32 or /128).
    mutating func decodeNetwork(_ node: Node) -> M.Network? {
        guard let text = reader.text(node, "a network like 10.0.0.0/8 or 2001:db8::/32") else { return nil }
        let family: AddressFamily = text.contains(":") ? .ipv6 : .ipv4
        guard let range = IPAddress.parseNetwork(text[...], family: family) else {
            reader.error(node, "'\(text)' is not a network; expected an IPv4 or IPv6 prefix like 10.0.0.0/8 or 2001:db8::/32")
            return nil
        }
        let span = range.upperBound - range.lowerBound
        let hostBits = span == .max ? 128 : (span + 1).trailingZeroBitCount
        let network = M.Network(family: family, range: range, prefixLength: (family == .ipv4 ? 32 : 128) - hostBits,
                                location: reader.location(node))
        // 10.1.2.3/8 is accepted by most tools as 10.0.0.0/8, but it is often a typo for a /24 or
        // a /32; say what it is read as.
        let written = text.split(separator: "/", maxSplits: 1).first.flatMap { IPAddress.parse($0) }?.value
        if let written, written != range.lowerBound {
            reader.warning(node, "'\(text)' has host bits set; read as \(network)")
        }
        return network
    }

    // MARK: Hosts

    mutating func decodeHosts(_ node: Node) {
        guard let items = reader.sequence(node, "hosts") else { return }
        for item in items {
            guard let f = reader.fields(item, "a host", required: ["name"],
                                        optional: ["addresses", "zone", "role", "crown-jewel", "tags", "description"]) else { continue }
            let name = f["name"].flatMap { reader.name($0, "a host name") }
            if let name { define(.host, name, f["name"]!) }
            var addresses: [M.HostAddress] = []
            var written = 0
            if let a = f["addresses"], let list = reader.sequence(a, "the host's addresses") {
                written = list.count
                for n in list {
                    guard let text = reader.text(n, "an IP address") else { continue }
                    guard let (value, family) = IPAddress.parse(text[...]) else {
                        reader.error(n, "'\(text)' is not an address; expected one IPv4 or IPv6 address like 172.16.1.10 (networks belong to zones)")
                        continue
                    }
                    addresses.append(M.HostAddress(family: family, value: value, location: reader.location(n)))
                }
            }
            let zone = f["zone"].flatMap { reader.name($0, "a zone name") }
            if let z = f["zone"], let zone { refer(.zone, zone, z, "host") }
            let role = f["role"].flatMap { reader.text($0, "the host's role") }
            let crownJewel = f["crown-jewel"].flatMap { reader.bool($0, "crown-jewel") } ?? false
            var tags: [String] = []
            if let t = f["tags"], let list = reader.sequence(t, "tags") {
                tags = list.compactMap { reader.text($0, "a tag") }
            }
            let description = f["description"].flatMap { reader.text($0, "a description") }
            guard let name else { continue }
            let addressesNotAList = f["addresses"].map { $0.sequence == nil } ?? false  // reported above
            if written == 0 && f["zone"] == nil && !addressesNotAList {
                reader.error(item, "host '\(name)' needs addresses or a zone (or both): where it is decides what can reach it")
                continue
            }
            if zone == nil { hostsWithoutZone.insert(hosts.count) }
            hosts.append(M.Host(name: name, addresses: addresses, zone: zone ?? "", role: role, crownJewel: crownJewel, tags: tags,
                                description: description, location: reader.location(item)))
        }
    }

    // MARK: Routes

    mutating func decodeRoutes(_ node: Node) {
        guard let items = reader.sequence(node, "routes") else { return }
        var out: [M.Route] = []
        var seen = FirstSeen<[String]>()
        for item in items {
            guard let f = reader.fields(item, "a route", required: ["from", "to", "via"]) else { continue }
            let from = zoneReference(f["from"], "route")
            let to = zoneReference(f["to"], "route")
            var via: [String]?
            if let v = f["via"], let list = reader.sequence(v, "the firewalls a route passes (via), in order; [] for none") {
                via = []
                for n in list {
                    guard let fw = reader.name(n, "a firewall name") else { via = nil; break }
                    refer(.firewall, fw, n, "route")
                    via?.append(fw)
                }
            }
            guard let from, let to, let via else { continue }
            let route = M.Route(from: from, to: to, via: via, location: reader.location(item))
            if let first = seen.repeated([from, to] + via, line: route.location.line) {
                reader.warning(item, "this route repeats the one at line \(first)")
                continue
            }
            out.append(route)
        }
        routes = out
    }

    // MARK: Policy

    mutating func decodePolicy(_ node: Node) {
        guard let f = reader.fields(node, "the policy", optional: ["default", "rules", "required"]) else { return }
        if let d = f["default"], let action: M.DefaultAction = reader.choice(d, "the policy default") {
            policy.defaultAction = action
        }
        var pairs = FirstSeen<ZonePair>()
        if let r = f["rules"], let items = reader.sequence(r, "policy rules") {
            for item in items {
                guard let rule = decodePolicyRule(item), reader.spend(rule.from.count * rule.to.count, for: item) else { continue }
                // One report a rule: a rule of many zones could otherwise repeat thousands of pairs.
                var repeats: [(ZonePair, Int)] = []
                for from in rule.from {
                    for to in rule.to {
                        if let first = pairs.repeated(ZonePair(from: from, to: to), line: rule.location.line) { repeats.append((ZonePair(from: from, to: to), first)) }
                    }
                }
                if let (pair, first) = repeats.first {
                    let more = repeats.count > 1 ? " (and \(repeats.count - 1) more pairs)" : ""
                    reader.error(item, "zone pair \(pair.from) → \(pair.to) already has a policy rule (line \(first))\(more); give each pair one rule")
                }
                policy.rules.append(rule)
            }
        }
        if let r = f["required"], let items = reader.sequence(r, "required flows") {
            var seen = FirstSeen<[String]>()
            for item in items {
                guard let g = reader.fields(item, "a required flow", required: ["from", "to", "service"], optional: ["reason"]) else { continue }
                let from = zoneReference(g["from"], "required flow")
                let to = zoneReference(g["to"], "required flow")
                let service = g["service"].flatMap { reader.service($0, "the required service") }
                let reason = g["reason"].flatMap { reader.text($0, "a reason") }
                guard let from, let to, let service else { continue }
                let flow = M.RequiredFlow(from: from, to: to, service: service, reason: reason, location: reader.location(item))
                if let first = seen.repeated([from, to, service.description], line: flow.location.line) {
                    reader.warning(item, "this required flow repeats the one at line \(first)")
                    continue
                }
                policy.required.append(flow)
            }
        }
    }

    mutating func decodePolicyRule(_ item: Node) -> M.PolicyRule? {
        guard let f = reader.fields(item, "a policy rule", required: ["from", "to", "allow"], optional: ["reason"]) else { return nil }
        let from = zoneReferences(f["from"], "policy rule")
        let to = zoneReferences(f["to"], "policy rule")
        var allow: [Service]?
        if let a = f["allow"] {
            allow = decodeAllowance(a)
        }
        let reason = f["reason"].flatMap { reader.text($0, "a reason") }
        guard let from, let to, let allow else { return nil }
        return M.PolicyRule(from: from, to: to, allow: allow, reason: reason, location: reader.location(item))
    }

    /// `none`, `any`, one service or a list of services.
    mutating func decodeAllowance(_ node: Node) -> [Service]? {
        if node.scalar != nil, node.tagName == .str, node.scalar?.string == "none" { return [] }
        guard let items = reader.oneOrMany(node, "the allowed services (none, any, or a list like [tcp/80, tcp/443])") else { return nil }
        var services: [Service] = []
        for n in items {
            if n.scalar?.string == "none" {
                reader.error(n, "'none' stands alone (allow: none), not in a list of services")
                return nil
            }
            guard let s = reader.service(n, "allowed service") else { return nil }
            services.append(s)
        }
        return services
    }

    // MARK: References and names

    /// One zone name, recorded for checking.
    mutating func zoneReference(_ node: Node?, _ context: String) -> String? {
        guard let node, let name = reader.name(node, "a zone name") else { return nil }
        refer(.zone, name, node, context)
        return name
    }

    /// A zone name or a list of them.
    mutating func zoneReferences(_ node: Node?, _ context: String) -> [String]? {
        guard let node, let items = reader.oneOrMany(node, "a zone name or a list of zone names") else { return nil }
        var names: [String] = []
        for n in items {
            guard let name = zoneReference(n, context) else { return nil }
            if !names.contains(name) { names.append(name) }
        }
        if names.isEmpty {
            reader.error(node, "expected at least one zone name")
            return nil
        }
        return names
    }

    mutating func refer(_ namespace: Namespace, _ name: String, _ node: Node, _ context: String) {
        references.append(PendingReference(namespace: namespace, name: name, node: node, context: context))
    }

    /// Records a definition, reporting a name already defined in the same namespace.
    mutating func define(_ namespace: Namespace, _ name: String, _ node: Node) {
        if let first = definitions[namespace, default: FirstSeen()].repeated(name, line: reader.location(node).line) {
            reader.error(node, "duplicate \(namespace.rawValue) name '\(name)' (first defined at line \(first)); names must be unique")
            return
        }
        definedNames[namespace, default: []].append(name)
    }

    func isDefined(_ namespace: Namespace, _ name: String) -> Bool {
        definitions[namespace]?.contains(name) ?? false
    }

    func names(_ namespace: Namespace) -> [String] { definedNames[namespace] ?? [] }

    /// Three-point estimates: `{min, most-likely, max}` plus any `extra` keys the caller reads
    /// from the returned fields (even when the estimate itself is broken, so that every problem
    /// of the mapping is reported).
    mutating func decodeEstimate(_ node: Node, _ what: String, extra: [String] = [], optional: [String] = []) -> (estimate: M.Estimate?, fields: Fields?) {
        guard let f = reader.fields(node, what, required: ["min", "most-likely", "max"] + extra, optional: optional) else { return (nil, nil) }
        let lo = f["min"].flatMap { reader.amount($0, "min") }
        let mode = f["most-likely"].flatMap { reader.amount($0, "most-likely") }
        let hi = f["max"].flatMap { reader.amount($0, "max") }
        guard let lo, let mode, let hi else { return (nil, f) }
        guard lo <= mode, mode <= hi else {
            reader.error(node, "\(what): expected min ≤ most-likely ≤ max (found \(Self.number(lo)), \(Self.number(mode)), \(Self.number(hi)))")
            return (nil, f)
        }
        return (M.Estimate(min: lo, mostLikely: mode, max: hi), f)
    }

    /// A number as the manifest would write it (no `.0` on whole amounts).
    static func number(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
    }
}
