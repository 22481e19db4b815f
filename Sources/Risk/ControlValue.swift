public import AttackGraph
public import Estate
import Foundation
import Identity

/// What a control not yet in place is worth: the risk register's annualized loss without it minus
/// with it, on the same random numbers (each scenario's stream is fixed by its identifier), and in
/// closed form (Σ Δprobability × E[attempts] × E[loss]), ranked by value and by value per cost.
///
/// The candidates are the changes that stand on some most likely way from an entry point to an
/// asset: a patch or a firewall rule for each exploit step, a firewall rule for the port of each
/// lateral movement, each AD relationship taken away. Only those can lower the register, whose
/// probabilities are the most likely ways'; every other change leaves it as it is.
public struct ControlValue: Sendable {
    public var change: String
    /// `add` (a patch, a firewall rule) or `remove` (an AD relationship).
    public var action: String
    public var kind: String
    public var cost: Double
    /// Annualized loss before and after, simulated on the same random numbers.
    public var lossBefore: Double
    public var lossAfter: Double
    /// The reduction in the closed-form expected annual loss.
    public var expectedReduction: Double

    public var value: Double { lossBefore - lossAfter }
    public var valuePerCost: Double? { cost > 0 ? value / cost : nil }

    /// Values every candidate change; `trials` and `seed` as for the register's simulation.
    public static func rank(graph: AttackGraph, manifest: EstateManifest, oracle: ConditionOracle?, costs: ControlCosts,
                            trials: Int, seed: UInt64) -> (values: [ControlValue], lossBefore: Double) {
        let (before, searches) = RiskRegister.buildWithSearches(graph: graph, manifest: manifest, oracle: oracle, usable: { _ in true })
        let baseline = MonteCarlo.simulate(before.entries.map(\.scenario), trials: trials, seed: seed)
        let expectedBefore = before.entries.reduce(0) { $0 + $1.scenario.expectedAnnualLoss }
        // The candidates: every change on a most likely way the register rests on.
        var candidates: [(text: String, adding: Bool, kind: String, cost: Double)] = []
        func add(_ c: (String, Bool, String, Double)) { if !candidates.contains(where: { $0.text == c.0 }) { candidates.append(c) } }
        for entry in before.entries {
            guard let target = graph.node(named: "asset:\(entry.scenario.identifier)") else { continue }
            for (_, search) in searches where search.isReached(target) {
                for e in search.path(to: target, in: graph) {
                    let s = graph.step(ofEdge: e)
                    let from = graph.nodes[Int(graph.edgeSources[e])], to = graph.nodes[Int(graph.edgeTargets[e])]
                    // Names people read; `bulwark whatif` finds nodes by them.
                    func label(_ n: AttackGraph.Node) -> String { n.kind == .zone ? n.id : n.name }
                    switch s.kind {
                    case .exploit:
                        // One fix removes the finding's exploit step whichever of its CVEs it is named by:
                        // one candidate per finding, named by its first CVE.
                        if let cve = s.cves.first { add(("patch \(cve) on \(label(to))", true, "patch", costs.patch)) }
                        if let service = s.service { add(("block \(from.id) -> \(label(to)) \(service)", true, "block", costs.block)) }
                    case .identity(let k):
                        let (kind, price) = costs.removal(of: k)
                        add(("\(label(from)) -\(k.name)-> \(label(to))", false, kind, price))
                        let ci = graph.edgeConditions[e], z = search.position[Int(graph.edgeTargets[e])]
                        if ci >= 0, z >= 0, let service = graph.conditions[Int(ci)].services.first {
                            add(("block \(graph.nodes[Int(z)].id) -> \(label(to)) \(service)", true, "block", costs.block))
                        }
                    case .position, .dataAccess: continue
                    }
                }
            }
        }
        var values: [ControlValue] = []
        for c in candidates {
            guard let (usable, o) = try? graph.applying([(c.text, c.adding)], oracle: oracle) else { continue }
            let after = RiskRegister.buildWithSearches(graph: graph, manifest: manifest, oracle: o, usable: usable).register
            let result = MonteCarlo.simulate(after.entries.map(\.scenario), trials: trials, seed: seed)
            let expectedAfter = after.entries.reduce(0) { $0 + $1.scenario.expectedAnnualLoss }
            values.append(ControlValue(change: c.text, action: c.adding ? "add" : "remove", kind: c.kind, cost: c.cost,
                                       lossBefore: baseline.total.mean, lossAfter: after.entries.isEmpty ? 0 : result.total.mean,
                                       expectedReduction: expectedBefore - expectedAfter))
        }
        values.sort { ($0.value, $0.valuePerCost ?? 0, $1.change) > ($1.value, $1.valuePerCost ?? 0, $0.change) }
        return (values, baseline.total.mean)
    }
}
