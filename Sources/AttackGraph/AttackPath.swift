public import BulwarkModel
import Identity

/// One step of a witness way, spelled out for reports.
public struct PathStep: Sendable, Hashable {
    public var from: AttackGraph.Node
    public var to: AttackGraph.Node
    /// `MemberOf`, `exploit`, `position`, `data access (confidentiality)` …
    public var step: String
    public var technique: String?
    public var probability: Double
    public var probabilitySource: String
    public var facts: [String]
    /// For a step that needs a second foothold: the zone position used, and what it needed.
    public var needs: String?
    public var inexact: String?
    /// For a step over the network (an exploit, lateral movement): the services it uses and the zone
    /// (the estate network's index) its packets come from, or -1.
    public var services: [Service] = []
    public var fromZone: Int32 = -1
}

extension AttackGraph {
    /// The name of a step kind as reports write it.
    public static func stepName(_ kind: StepKind) -> String {
        switch kind {
        case .identity(let k): k.name
        case .exploit: "Exploit"
        case .position: "StandsIn"
        case .dataAccess(let impact): "DataAccess(\(impact.rawValue))"
        }
    }

    /// Edge `e` as a report step; `position` is the zone node that satisfied its condition, if any.
    public func pathStep(_ e: Int, position: Int32 = -1) -> PathStep {
        let s = step(ofEdge: e)
        var needs: String?
        let ci = edgeConditions[e]
        if ci >= 0 {
            let c = conditions[Int(ci)]
            let ports = c.services.map(\.description).joined(separator: " or ")
            needs = position >= 0 ? "\(ports) reachable from zone \(nodes[Int(position)].name)" : "\(ports) reachable from a zone the attacker stands in"
        }
        var step = PathStep(from: nodes[Int(edgeSources[e])], to: nodes[Int(edgeTargets[e])], step: Self.stepName(s.kind),
                            technique: s.technique.isEmpty ? nil : s.technique, probability: s.probability, probabilitySource: s.probabilitySource,
                            facts: s.facts, needs: needs, inexact: s.inexact)
        if case .exploit = s.kind, let service = s.service {
            step.services = [service]
            step.fromZone = step.from.zone
        } else if ci >= 0, position >= 0 {
            step.services = conditions[Int(ci)].services
            step.fromZone = nodes[Int(position)].zone
        }
        return step
    }

    /// The witness way to `node` found by `search`, as report steps.
    public func witness(to node: Int32, in search: AttackSearch) -> [PathStep] {
        search.path(to: node, in: self).map { e in pathStep(e, position: search.position[Int(edgeTargets[e])]) }
    }

    /// Nodes that are Tier Zero principals (as the identity graph marks them).
    public var tierZeroNodes: [Int32] {
        guard let g = identity else { return [] }
        return g.tierZero
    }
}
