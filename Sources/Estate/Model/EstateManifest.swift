public import BulwarkModel
public import PacketSpace

/// The organization as `bulwark.yaml` describes it: its zones, where each firewall sits, what the
/// segmentation is meant to be, the hosts and information assets that matter, facts about controls
/// and where an attacker may start.
///
/// A manifest comes from ``EstateLoader``, which has checked it: names are unique and every name
/// it refers to exists, addresses and services parse, export files exist. Its properties are
/// constants because the look-ups below use tables derived from them when the manifest was made. Every element keeps the
/// ``FileLocation`` of its YAML node so that findings can point back into the manifest.
///
/// The format is documented in `docs/estate.md` and `docs/schema/estate.schema.json`.
public struct EstateManifest: Sendable, Hashable {
    /// The manifest format version (1).
    public let version: Int
    /// The organization's name, for reports.
    public let name: String?
    public let description: String?
    /// The manifest file, absolute.
    public let manifestPath: String
    /// The estate folder (the manifest's folder), absolute; export files are relative to it.
    public let directory: String
    public let zones: [Zone]
    public let firewalls: [Firewall]
    /// The declared paths between zones; nil when the manifest declares none, which means any path
    /// through the placed firewalls may be taken.
    public let routes: [Route]?
    public let policy: Policy
    public let hosts: [Host]
    public let informationAssets: [InformationAsset]
    public let facts: [Fact]
    public let entryPoints: [EntryPoint]
    /// Risk treatment decisions, by information asset and objective.
    public let treatments: [Treatment]
    /// The inventory exports the manifest names (`inventory:`); nil when it names none, in which
    /// case the estate folder's files are looked through for them.
    public let inventory: [InventoryExport]?

    /// Derived lookups, built once when the manifest is made.
    let index: ManifestIndex

    init(version: Int, name: String?, description: String?, manifestPath: String, directory: String, zones: [Zone],
         firewalls: [Firewall], routes: [Route]?, policy: Policy, hosts: [Host], informationAssets: [InformationAsset],
         facts: [Fact], entryPoints: [EntryPoint], treatments: [Treatment] = [], inventory: [InventoryExport]? = nil) {
        self.version = version
        self.name = name
        self.description = description
        self.manifestPath = manifestPath
        self.directory = directory
        self.zones = zones
        self.firewalls = firewalls
        self.routes = routes
        self.policy = policy
        self.hosts = hosts
        self.informationAssets = informationAssets
        self.facts = facts
        self.entryPoints = entryPoints
        self.treatments = treatments
        self.inventory = inventory
        index = ManifestIndex(zones: zones, firewalls: firewalls, hosts: hosts, informationAssets: informationAssets,
                              entryPoints: entryPoints, policy: policy)
    }

    /// The manifest without one of its facts: what the analysis says when that control is not there.
    public func removingFact(at index: Int) -> EstateManifest {
        var facts = self.facts
        facts.remove(at: index)
        return EstateManifest(version: version, name: name, description: description, manifestPath: manifestPath, directory: directory,
                              zones: zones, firewalls: firewalls, routes: routes, policy: policy, hosts: hosts,
                              informationAssets: informationAssets, facts: facts, entryPoints: entryPoints, treatments: treatments,
                              inventory: inventory)
    }

    // MARK: Lookups by name

    public func zone(named name: String) -> Zone? { index.zoneByName[name].map { zones[$0] } }
    public func firewall(named name: String) -> Firewall? { index.firewallByName[name].map { firewalls[$0] } }
    public func host(named name: String) -> Host? { index.hostByName[name].map { hosts[$0] } }
    public func informationAsset(named name: String) -> InformationAsset? { index.assetByName[name].map { informationAssets[$0] } }
    public func entryPoint(named name: String) -> EntryPoint? { index.entryPointByName[name].map { entryPoints[$0] } }

    /// The treatment decided for one objective of an asset: one naming the objective, else one for
    /// the whole asset.
    public func treatment(of asset: String, _ objective: Objective) -> Treatment? {
        treatments.first { $0.asset == asset && $0.objective == objective } ?? treatments.first { $0.asset == asset && $0.objective == nil }
    }

    // MARK: Addresses

    /// The zone an address belongs to: the zone with the most specific network holding it (longest
    /// prefix, as routing decides), or nil when no zone holds it.
    ///
    /// So `internet: 0.0.0.0/0` is whatever no other zone claims.
    public func zone(containing address: UInt128, family: AddressFamily) -> Zone? {
        index.zoneMap.zone(containing: address, family: family).map { zones[$0] }
    }

    /// The zone of an address written as text (`10.1.2.3`, `2001:db8::1`), or nil when the text is
    /// not an address or no zone holds it.
    public func zone(containing address: String) -> Zone? {
        guard let (value, family) = IPAddress.parse(address[...]) else { return nil }
        return zone(containing: value, family: family)
    }

    /// The addresses of one family that belong to a zone: its networks less the parts that more
    /// specific networks of other zones claim. Empty for an unknown zone.
    public func addresses(ofZone name: String, family: AddressFamily) -> IntervalSet {
        guard let i = index.zoneByName[name] else { return IntervalSet() }
        return index.zoneMap.owned(zone: i, family: family)
    }

    /// The hosts whose zone is `zone`.
    public func hosts(inZone zone: String) -> [Host] { hosts.filter { $0.zone == zone } }

    // MARK: Firewalls and routes

    /// The absolute paths of a firewall's export files (one file, or the AWS exports in the order
    /// security groups, instances, subnets, network ACLs). Empty for an unknown firewall.
    public func exportPaths(ofFirewall name: String) -> [String] {
        firewall(named: name)?.exports.map(\.path) ?? []
    }

    /// The declared routes from one zone to another; nil when the manifest declares no routes at
    /// all (any placed path may be taken).
    public func routes(from: String, to: String) -> [Route]? {
        routes.map { $0.filter { $0.from == from && $0.to == to } }
    }

    // MARK: Intended policy

    /// What the policy intends for new connections of `service` from zone `from` to zone `to`.
    public func intent(from: String, to: String, service: Service) -> PolicyIntent {
        policy.intent(from: from, to: to, service: service, ruleIndex: index.ruleByPair[ZonePair(from: from, to: to)])
    }

    /// The facts that name `target` in `applies-to`, and those that apply to the whole estate (no
    /// `applies-to`). Facts about a host's zone are not included: whether they reach the host is
    /// the engine's question, not the manifest's.
    public func facts(about target: Reference) -> [Fact] {
        facts.filter { $0.appliesTo.isEmpty || $0.appliesTo.contains(target) }
    }
}

/// A thing in the manifest that another entry can name: `applies-to` of a fact takes any of them.
public enum Reference: Sendable, Hashable, CustomStringConvertible {
    case zone(String)
    case host(String)
    case firewall(String)
    case informationAsset(String)
    case entryPoint(String)

    /// The qualifier of the written form `zone:corp`, `host:db01` …
    public var kind: String {
        switch self {
        case .zone: "zone"
        case .host: "host"
        case .firewall: "firewall"
        case .informationAsset: "asset"
        case .entryPoint: "entry-point"
        }
    }

    public var name: String {
        switch self {
        case .zone(let n), .host(let n), .firewall(let n), .informationAsset(let n), .entryPoint(let n): n
        }
    }

    public var description: String { "\(kind):\(name)" }
}

/// An ordered pair of zone names.
struct ZonePair: Hashable, Sendable {
    var from: String
    var to: String
}

/// Name tables and the address map, derived from the manifest's lists.
struct ManifestIndex: Sendable, Hashable {
    var zoneByName: [String: Int] = [:]
    var firewallByName: [String: Int] = [:]
    var hostByName: [String: Int] = [:]
    var assetByName: [String: Int] = [:]
    var entryPointByName: [String: Int] = [:]
    var ruleByPair: [ZonePair: Int] = [:]
    var zoneMap: ZoneMap

    init(zones: [EstateManifest.Zone], firewalls: [EstateManifest.Firewall], hosts: [EstateManifest.Host],
         informationAssets: [EstateManifest.InformationAsset], entryPoints: [EstateManifest.EntryPoint],
         policy: EstateManifest.Policy) {
        // The first of a duplicated name wins; the loader has reported the duplicate as an error.
        func table(_ names: [String]) -> [String: Int] {
            Dictionary(names.enumerated().map { ($1, $0) }) { first, _ in first }
        }
        zoneByName = table(zones.map(\.name))
        firewallByName = table(firewalls.map(\.name))
        hostByName = table(hosts.map(\.name))
        assetByName = table(informationAssets.map(\.name))
        entryPointByName = table(entryPoints.map(\.name))
        ruleByPair = policy.ruleIndexByPair()
        zoneMap = ZoneMap(zones: zones)
    }
}
