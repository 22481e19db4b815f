public import AttackGraph
import BulwarkModel
public import Estate

/// A risk register from the attack graph: one FAIR scenario for each information asset and each of
/// its confidentiality, integrity and availability that some entry point can reach.
///
/// - Threat events: each entry point with a `frequency` (attempts a year, a three-point estimate)
///   is a source; the probability that an attempt becomes a loss event is the most likely way's
///   probability from that entry point to the asset's impact (FAIR's vulnerability; the searches'
///   assumptions apply, docs/attack-graph.md).
/// - Loss magnitude: the asset's `loss` (min, most likely, max) as a PERT, or with `distribution:
///   lognormal` a lognormal whose 5th and 95th percentiles are min and max, for each objective.
public enum RiskRegister {
    public struct Entry: Sendable {
        public var scenario: FAIRScenario
        public var asset: String
        public var objective: AttackGraph.AssetImpact
        public var currency: String
        /// What the organization decided about the risk (the manifest's `treatments`); nil: open.
        public var treatment: EstateManifest.Treatment?
    }

    /// An asset's loss range as the manifest reads it: a PERT, or a lognormal with min and max as
    /// its 5th and 95th percentiles.
    static func magnitude(_ loss: EstateManifest.Loss) -> LossMagnitude? {
        switch loss.distribution {
        case .pert: PERT(low: loss.estimate.min, mode: loss.estimate.mostLikely, high: loss.estimate.max).map { .pert($0) }
        case .lognormal: LognormalLoss(low: loss.estimate.min, high: loss.estimate.max).map { .lognormal($0) }
        }
    }

    /// `usable` takes attack steps out (a control in place), as in `bulwark whatif`.
    public static func build(graph: AttackGraph, manifest: EstateManifest, oracle: ConditionOracle?,
                             usable: (Int) -> Bool = { _ in true }) -> (entries: [Entry], notes: [String]) {
        buildWithSearches(graph: graph, manifest: manifest, oracle: oracle, usable: usable).register
    }

    /// The register with the searches it came from (for the witnesses behind each probability).
    static func buildWithSearches(graph: AttackGraph, manifest: EstateManifest, oracle: ConditionOracle?,
                                  usable: (Int) -> Bool) -> (register: (entries: [Entry], notes: [String]), searches: [(name: String, search: AttackSearch)]) {
        var notes: [String] = []
        // One likelihood search from each entry point with a frequency.
        let entryNodes = graph.entryNodes(manifest)
        var searches: [(name: String, frequency: PERT, search: AttackSearch)] = []
        for e in manifest.entryPoints {
            let nodes = entryNodes.filter { $0.name == e.name }
            guard !nodes.isEmpty else { continue }
            guard let f = e.frequency, let tef = PERT(low: f.min, mode: f.mostLikely, high: f.max) else {
                notes.append("entry point \(e.name) has no frequency: it adds no threat events to the register")
                continue
            }
            let starting = AttackGraph.startingProbabilities(nodes)
            searches.append((e.name, tef, AttackSearch(graph, from: nodes.map(\.node), metric: .likelihood, oracle: oracle,
                                                       startingProbability: starting, usable: usable)))
        }
        var entries: [Entry] = []
        for asset in manifest.informationAssets {
            guard let loss = asset.loss, let lm = magnitude(loss) else {
                notes.append("\(asset.name) has no loss estimate: not in the register")
                continue
            }
            for objective in AttackGraph.AssetImpact.allCases {
                guard let node = graph.node(named: "asset:\(asset.name)/\(objective.rawValue)") else { continue }
                let sources = searches.compactMap { s in
                    s.search.value(node).map { FAIRScenario.ThreatEvents(source: s.name, frequency: s.frequency, probability: $0) }
                }
                guard !sources.isEmpty else { continue }
                let scenario = FAIRScenario(identifier: "\(asset.name)/\(objective.rawValue)", name: "\(asset.name): \(objective.rawValue)",
                                            lossEventFrequency: sources[0].frequency, magnitude: lm, threatEvents: sources, location: asset.location)
                let treatment = EstateManifest.Objective(rawValue: objective.rawValue).flatMap { manifest.treatment(of: asset.name, $0) }
                entries.append(Entry(scenario: scenario, asset: asset.name, objective: objective, currency: loss.currency, treatment: treatment))
            }
        }
        for t in manifest.treatments {
            let matched = entries.contains { $0.asset == t.asset && (t.objective == nil || $0.objective.rawValue == t.objective?.rawValue) }
            if !matched {
                notes.append("the treatment of \(t.asset)\(t.objective.map { "/" + $0.rawValue } ?? "") (line \(t.location.line)) names no scenario of the register: no attack path reaches it, or the asset has no loss estimate")
            }
        }
        return ((entries, notes), searches.map { ($0.name, $0.search) })
    }
}
