public import BulwarkModel
public import Identity

/// What an attacker can do in an estate, as a graph: nodes are footholds (a principal's
/// credentials or rights, control of a host, a position in a zone, an impact on an information
/// asset), edges are attack steps, each with its ATT&CK technique, the facts it rests on and a
/// success probability with its source. See docs/attack-graph.md for the rules and
/// docs/design/0007-attack-graph.md for the representation.
///
/// Principals of the identity graph keep their numbers (`0..<principalCount`); an AD computer
/// that matches a scanned or manifest host *is* that host's node (BloodHound's Computer node means
/// "the attacker controls the machine"). Other hosts, zones and asset impacts follow.
///
/// A step may need a second foothold: lateral movement with AdminTo, CanRDP, CanPSRemote or
/// ExecuteDCOM needs the attacker to stand in a zone from which the computer's port is reachable.
/// Such a step carries a ``Condition``; searches treat it as an AND (MulVAL's logical attack
/// graph): the step can be taken once both its source and a qualifying position are held.
public struct AttackGraph: Sendable {
    public enum NodeKind: String, Sendable, Hashable {
        /// An AD principal (users, groups, domains, GPOs …; a computer with no known host).
        case principal
        /// Control of a host (for an AD-joined host, also its computer object).
        case host
        /// A position in a zone: the attacker can send from (some address of) it.
        case zone
        /// An impact on an information asset: its confidentiality, integrity or availability.
        case asset
    }

    public struct Node: Sendable, Hashable {
        public var kind: NodeKind
        /// Stable id: the principal's object id, `host:NAME`, `zone:NAME`, `asset:NAME/confidentiality`.
        public var id: String
        /// For people: the principal's or host's name, the zone's name, `customer-records (confidentiality)`.
        public var name: String
        /// The principal index in the identity graph, or -1.
        public var principal: Int32
        /// The inventory host index, or -1.
        public var host: Int32
        /// The zone index (the estate network's), for zone nodes and hosts in a zone, or -1.
        public var zone: Int32
    }

    /// What kind of step an edge is.
    public enum StepKind: Sendable, Hashable {
        /// An AD relationship as BloodHound defines it (MemberOf, AdminTo, HasSession, GenericAll …).
        case identity(EdgeKind)
        /// Remote code execution through a vulnerable, reachable service.
        case exploit
        /// The attacker on a host can send from its zone.
        case position
        /// Reading, changing or destroying an information asset on a host the attacker controls.
        case dataAccess(AssetImpact)
    }

    public enum AssetImpact: String, Sendable, Hashable, CaseIterable {
        case confidentiality, integrity, availability
    }

    /// A second foothold a step needs: a position in a zone from which `service` on the target
    /// host's address is reachable.
    public struct Condition: Sendable, Hashable {
        /// The service the step uses (tcp/445 for AdminTo …).
        public var services: [Service]
        /// The host (inventory index) whose port must be reachable.
        public var host: Int32
    }

    public struct Step: Sendable, Hashable {
        public var kind: StepKind
        /// The ATT&CK technique id (`T1021.002`).
        public var technique: String
        /// Success probability, 0...1.
        public var probability: Double
        /// Where the probability comes from.
        public var probabilitySource: String
        /// The facts the step rests on: the rule, the CVE, the ACE, the session.
        public var facts: [String]
        /// Whether a search may take it (BloodHound's traversable edges; always for non-AD steps).
        public var traversable: Bool
        /// Why the step may not be as stated (an unknown address, an uncertain firewall match).
        public var inexact: String?
        /// For an exploit: the CVEs of the finding and the service it is reached on.
        public var cves: [String] = []
        public var service: Service? = nil
    }

    public internal(set) var nodes: [Node]
    /// Edges sorted by source; `outStart[n]..<outStart[n + 1]` leave node `n`.
    public internal(set) var edgeSources: ContiguousArray<Int32>
    public internal(set) var edgeTargets: ContiguousArray<Int32>
    /// Index into ``steps`` for each edge (steps are shared: every MemberOf edge is one step).
    public internal(set) var edgeSteps: ContiguousArray<Int32>
    public internal(set) var steps: [Step]
    /// Index into ``conditions`` for each edge, or -1 when the step needs no second foothold.
    public internal(set) var edgeConditions: ContiguousArray<Int32>
    public internal(set) var conditions: [Condition]
    var outStart: ContiguousArray<Int>
    var inStart: ContiguousArray<Int>
    var inEdges: ContiguousArray<Int32>
    /// The identity graph the principal nodes come from, when the estate has one.
    public let identity: IdentityGraph?
    /// Node of each zone (by the estate network's zone index).
    public internal(set) var zoneNodes: [Int32]
    /// Node of each inventory host.
    public internal(set) var hostNodes: [Int32]
    /// Hosts the manifest marks as crown jewels.
    public internal(set) var crownJewels: [Int32]
    /// The information assets' impact nodes.
    public internal(set) var assetNodes: [Int32]
    /// What the construction noticed: steps it could not check, hosts it could not place.
    public internal(set) var notes: [String]

    public var nodeCount: Int { nodes.count }
    public var edgeCount: Int { edgeSources.count }

    public func outgoing(_ n: Int32) -> Range<Int> { outStart[Int(n)]..<outStart[Int(n) + 1] }
    public func incoming(_ n: Int32) -> ArraySlice<Int32> { inEdges[inStart[Int(n)]..<inStart[Int(n) + 1]] }
    public func step(ofEdge e: Int) -> Step { steps[Int(edgeSteps[e])] }

    /// The node whose id is `id`, or whose name is `id` (any case), or a host known by that name or address.
    public func node(named text: String) -> Int32? {
        if let i = nodeIndex[text] { return i }
        return nodeIndex[text.lowercased()]
    }

    var nodeIndex: [String: Int32]
}
