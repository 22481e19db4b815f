public import BulwarkModel
import Foundation
public import Identity

/// A change to the estate's controls, as `bulwark whatif` takes it.
///
/// - `patch CVE-2021-41773` or `patch CVE-2021-41773 on web01`: the finding's exploits are gone.
/// - `block zone:corp -> ws02 tcp/445`: a firewall rule that drops the service from the zone to
///   the host; exploits of it from there, and lateral movement needing it from there, are gone.
/// - `mfa on ws02`: phishing-resistant MFA for interactive logons to the host; RDP with stolen
///   credentials no longer works there.
/// - `HELPDESK@LAB.LOCAL -AdminTo-> WS02.LAB.LOCAL`: an AD relationship (an ACE, a membership, a
///   session, a local group right), removed or added.
public enum Control: Sendable, Hashable, CustomStringConvertible {
    case patch(cve: String, host: Int32?)
    case mfa(host: Int32)
    case block(zone: Int32, host: Int32, service: Service)
    case relationship(from: Int32, kind: EdgeKind, to: Int32)

    public var description: String {
        switch self {
        case .patch(let cve, let host): "patch \(cve)\(host.map { " on node \($0)" } ?? "")"
        case .mfa(let h): "mfa on node \(h)"
        case .block(let z, let h, let s): "block node \(z) -> node \(h) \(s)"
        case .relationship(let f, let k, let t): "node \(f) -\(k.name)-> node \(t)"
        }
    }

    /// Reads a control, resolving names in `graph`; the error says what was expected.
    public init(parsing text: String, in graph: AttackGraph) throws(ControlError) {
        let t = text.trimmingCharacters(in: .whitespaces)
        func node(_ name: String) throws(ControlError) -> Int32 {
            let n = name.trimmingCharacters(in: .whitespaces)
            guard let i = graph.node(named: n) else { throw ControlError("'\(n)': no principal, host or zone of the estate has that name or id") }
            return i
        }
        if t.lowercased().hasPrefix("patch ") {
            let rest = t.dropFirst(6).trimmingCharacters(in: .whitespaces)
            let parts = rest.components(separatedBy: " on ")
            let cve = parts[0].trimmingCharacters(in: .whitespaces).uppercased()
            guard cve.hasPrefix("CVE-"), parts.count <= 2 else { throw ControlError("'\(text)': expected `patch CVE-YYYY-NNNN` or `patch CVE-YYYY-NNNN on HOST`") }
            self = .patch(cve: cve, host: parts.count == 2 ? try node(parts[1]) : nil)
            return
        }
        if t.lowercased().hasPrefix("mfa on ") {
            self = .mfa(host: try node(String(t.dropFirst(7))))
            return
        }
        if t.lowercased().hasPrefix("block ") {
            let rest = t.dropFirst(6)
            let sides = rest.components(separatedBy: "->")
            let right = sides.count == 2 ? sides[1].split(separator: " ", omittingEmptySubsequences: true) : []
            guard sides.count == 2, right.count == 2, let service = Service(String(right[1])) else {
                throw ControlError("'\(text)': expected `block ZONE -> HOST SERVICE`, such as `block zone:corp -> ws02 tcp/445`")
            }
            var zoneName = sides[0].trimmingCharacters(in: .whitespaces)
            if !zoneName.hasPrefix("zone:") { zoneName = "zone:" + zoneName }
            let zone = try node(zoneName)
            guard graph.nodes[Int(zone)].kind == .zone else { throw ControlError("'\(zoneName)' is not a zone") }
            self = .block(zone: zone, host: try node(String(right[0])), service: service)
            return
        }
        // FROM -KIND-> TO
        guard let open = t.range(of: " -"), let close = t.range(of: "-> ", range: open.upperBound..<t.endIndex) else {
            throw ControlError("'\(text)': expected `patch CVE-…`, `block ZONE -> HOST SERVICE`, `mfa on HOST` or an AD relationship `FROM -KIND-> TO`")
        }
        let kindName = String(t[open.upperBound..<close.lowerBound])
        guard let kind = EdgeKind.allCases.first(where: { $0.name.lowercased() == kindName.lowercased() }) else {
            throw ControlError("'\(kindName)': not a BloodHound relationship (MemberOf, AdminTo, HasSession, GenericAll …)")
        }
        self = .relationship(from: try node(String(t[..<open.lowerBound])), kind: kind, to: try node(String(t[close.upperBound...])))
    }
}

public struct ControlError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// What a change of controls does: each target's shortest and most likely way before and after,
/// and (with an AD collection) the exposure to Tier Zero before and after.
public struct WhatIfResult: Sendable {
    public struct Change: Sendable {
        public var before: PathAnswer
        public var after: PathAnswer
        public var changed: Bool {
            before.hops != after.hops || before.probability != after.probability
        }
    }

    public var action: String
    public var control: String
    /// Attack edges the change takes out or adds (a blocked port also fails the lateral movement
    /// that needs it from that zone, which is not counted here).
    public var edgesAffected: Int
    /// Whether the change adds attack steps (an AD right granted) rather than taking them out.
    public var addsSteps: Bool
    public var targets: [Change]
    public var exposureBefore: TierZeroExposure.Exposure?
    public var exposureAfter: TierZeroExposure.Exposure?
    /// Principals whose hops to Tier Zero change.
    public var principalsChanged: Int
    /// Wall-clock seconds of the what-if itself (the graph already built).
    public var seconds: Double
}

extension AttackGraph {
    /// Compares the graph with and without (`adding == false`) or with an added control, from
    /// `sources` to `targets`. Defensive controls (patch, block) can only be added; AD
    /// relationships can be removed or added.
    public func whatIf(_ control: Control, adding: Bool, text: String, from sources: [Int32], to targets: [Int32],
                       oracle: ConditionOracle?, startingProbability: [Int32: Double] = [:]) throws(ControlError) -> WhatIfResult {
        let clock = Date()
        var after = self
        var blocked = Set<Int>()
        var afterOracle = oracle
        if case .relationship(let f, let k, let t) = control, adding {
            if outgoing(f).contains(where: { edgeTargets[$0] == t && step(ofEdge: $0).kind == .identity(k) }) {
                throw ControlError("\(nodes[Int(f)].name) already has \(k.name) on \(nodes[Int(t)].name)")
            }
            after = self.adding(from: f, kind: k, to: t)
        } else {
            (blocked, afterOracle) = try removal(control, adding: adding, oracle: oracle)
        }
        let affected = blocked.count + (after.edgeCount - edgeCount)
        var result = compare(with: after, oracle: oracle, afterOracle: afterOracle, afterUsable: { !blocked.contains($0) },
                             from: sources, to: targets, startingProbability: startingProbability)
        result.action = adding ? "add" : "remove"
        result.control = text
        result.edgesAffected = affected
        result.addsSteps = after.edgeCount > edgeCount
        result.seconds = Date().timeIntervalSince(clock)
        return result
    }

    /// This graph against `after` (the same estate with a control changed; the same nodes): each
    /// target's ways and the exposure to Tier Zero, before and after. `action`, `control` and
    /// `edgesAffected` are left for the caller.
    public func compare(with after: AttackGraph, oracle: ConditionOracle?, afterOracle: ConditionOracle?, afterUsable usable: @escaping (Int) -> Bool = { _ in true },
                        from sources: [Int32], to targets: [Int32], startingProbability: [Int32: Double] = [:]) -> WhatIfResult {
        let clock = Date()
        let before = paths(from: sources, to: targets, oracle: oracle, startingProbability: startingProbability)
        let afterAnswers = after.paths(from: sources, to: targets, oracle: afterOracle, startingProbability: startingProbability, usable: usable)
        let byID = Dictionary(afterAnswers.map { ($0.target.id, $0) }) { a, _ in a }
        var expBefore: TierZeroExposure.Exposure?, expAfter: TierZeroExposure.Exposure?
        var changed = 0
        if let g = identity {
            // In an estate, as `bulwark exposure` counts: lateral movement needs its port.
            let portAware = oracle.flatMap { o in afterOracle.flatMap { ao in
                tierZeroExposureWithPorts(oracle: o).flatMap { b in after.tierZeroExposureWithPorts(oracle: ao, usable: usable).map { (b.hops, $0.hops) } }
            } }
            let (b, a) = portAware ?? (identityDistances { _ in true }, after.identityDistances(usable))
            expBefore = TierZeroExposure.Exposure(g) { b[$0] }
            expAfter = TierZeroExposure.Exposure(g) { a[$0] }
            for p in 0..<g.principalCount where a[p] != b[p] { changed += 1 }
        }
        return WhatIfResult(action: "", control: "", edgesAffected: 0, addsSteps: false,
                            targets: before.compactMap { b in byID[b.target.id].map { WhatIfResult.Change(before: b, after: $0) } },
                            exposureBefore: expBefore, exposureAfter: expAfter, principalsChanged: changed,
                            seconds: Date().timeIntervalSince(clock))
    }

    /// The edges a control takes out, and the oracle that answers port conditions after it: a patch
    /// or a firewall rule added, an AD relationship removed.
    public func removal(_ control: Control, adding: Bool, oracle: ConditionOracle?) throws(ControlError) -> (Set<Int>, ConditionOracle?) {
        var blocked = Set<Int>()
        var afterOracle = oracle
        switch (control, adding) {
        case (.patch(let cve, let host), true):
            for e in 0..<edgeCount where step(ofEdge: e).cves.contains(cve) && (host == nil || edgeTargets[e] == host) { blocked.insert(e) }
        case (.block(let zone, let host, let service), true):
            for e in outgoing(zone) where edgeTargets[e] == host && step(ofEdge: e).service.map({ $0.overlaps(service) }) == true { blocked.insert(e) }
            let h = nodes[Int(host)].host, z = Int(nodes[Int(zone)].zone)
            if let oracle {
                afterOracle = ConditionOracle { zone, condition in
                    if zone == z && condition.host == h && condition.services.contains(where: { $0.overlaps(service) }) {
                        let rest = condition.services.filter { !$0.overlaps(service) }
                        return rest.isEmpty ? (false, true) : oracle.holds(zone: zone, AttackGraph.Condition(services: rest, host: condition.host))
                    }
                    return oracle.holds(zone: zone, condition)
                }
            }
        case (.mfa(let host), true):
            for e in incoming(host) {
                let e = Int(e)
                if case .identity(let k) = step(ofEdge: e).kind, k == .canRDP || k == .remoteInteractiveLogonRight { blocked.insert(e) }
            }
        case (.relationship(let f, let k, let t), false):
            for e in outgoing(f) where edgeTargets[e] == t && step(ofEdge: e).kind == .identity(k) { blocked.insert(e) }
            if blocked.isEmpty { throw ControlError("there is no \(k.name) relationship from \(nodes[Int(f)].name) to \(nodes[Int(t)].name) to remove") }
        case (.relationship, true):
            throw ControlError("granting an AD relationship adds steps; it is not a removal")
        case (.patch, false), (.block, false), (.mfa, false):
            throw ControlError("removing a patch or a firewall rule changes what the exports say: edit the export and run the analysis again (only AD relationships can be removed here)")
        }
        return (blocked, afterOracle)
    }

    /// Hops to Tier Zero over the identity steps alone (BloodHound's semantics), by principal.
    func identityDistances(_ usable: (Int) -> Bool) -> [Int32] {
        guard let g = identity else { return [] }
        var distance = [Int32](repeating: -1, count: g.principalCount)
        var queue: [Int32] = []
        for t in g.tierZero where distance[Int(t)] < 0 {
            distance[Int(t)] = 0
            queue.append(t)
        }
        var head = 0
        while head < queue.count {
            let v = queue[head]
            head += 1
            for e in incoming(v) {
                let e = Int(e)
                let u = Int(edgeSources[e])
                guard u < g.principalCount, distance[u] < 0, usable(e) else { continue }
                let s = step(ofEdge: e)
                guard case .identity = s.kind, s.traversable else { continue }
                distance[u] = distance[Int(v)] + 1
                queue.append(Int32(u))
            }
        }
        return distance
    }

    /// The graph with one more AD relationship (with its port condition when it is lateral movement
    /// to a placed host).
    func adding(from f: Int32, kind k: EdgeKind, to t: Int32) -> AttackGraph {
        var a = Assembly(identity: identity)
        a.nodes = nodes
        a.index = nodeIndex
        a.steps = steps
        for (i, s) in steps.enumerated() { a.stepIndex[s] = Int32(i) }
        a.sources = edgeSources
        a.targets = edgeTargets
        a.edgeSteps = edgeSteps
        a.edgeConditions = edgeConditions
        a.conditions = conditions
        a.notes = notes
        let existing = steps.firstIndex { $0.kind == .identity(k) && $0.inexact == nil }
        let step = existing.map(Int32.init) ?? a.step(.init(kind: .identity(k), technique: Techniques.identity(k) ?? "", probability: 1,
                                                                 probabilitySource: "an AD right held (BloodHound's \(k.name) edge); its abuse is assumed to succeed",
                                                                 facts: [], traversable: k.isTraversable))
        var condition: Int32 = -1
        if let services = Techniques.lateralServices(k), nodes[Int(t)].host >= 0, nodes[Int(t)].zone >= 0, !zoneNodes.isEmpty, nodes[Int(zoneNodes[0])].zone >= 0 {
            let c = Condition(services: services, host: nodes[Int(t)].host)
            if let i = conditions.firstIndex(of: c) {
                condition = Int32(i)
            } else {
                a.conditions.append(c)
                condition = Int32(a.conditions.count - 1)
            }
        }
        a.edge(f, t, step, condition: condition)
        return a.finish(zoneNodes: zoneNodes, hostNodes: hostNodes, crownJewels: crownJewels)
    }
}
