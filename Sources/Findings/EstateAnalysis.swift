public import AttackGraph
import AWS
public import BulwarkModel
public import Controls
import Estate
public import Firewall
import Foundation
import Frameworks
public import Inventory
public import NetworkReach
public import Risk

/// Every engine run on one estate, and the findings they give, for `bulwark analyze`.
public struct EstateAnalysis: Sendable {
    public var firewalls: [(name: String, analysis: FirewallAnalysis)]
    public var segmentation: SegmentationReport?
    /// The ways from the entry points to Tier Zero and the crown jewels.
    public var paths: [PathAnswer]
    public var register: [RiskRegister.Entry]
    public var registerNotes: [String]
    public var simulation: SimulationResult
    /// The changes on attack paths not yet in place, valued (what to fix first, and what it buys).
    public var proposed: [ControlValue]
    /// Zone to zone, any new connection: the reachability heat-map.
    public var matrix: ReachMatrix?
    public var controls: [ControlRecord]
    public var statementOfApplicability: [ApplicabilityEntry]
    public var csfCoverage: [ApplicabilityEntry]
    /// Every finding, most severe first.
    public var findings: [Finding]

    /// The stages, for progress: name, what it found, seconds.
    public struct Stage: Sendable {
        public var name: String
        public var summary: String
        public var seconds: Double
    }

    /// Runs the engines on an estate already read into its inventory, network and attack graph.
    /// `displayPath` makes file names as reports show them; `progress` hears each stage as it ends.
    public static func run(inventory: Inventory, engine: ReachabilityEngine?, graph: AttackGraph, oracle: ConditionOracle?,
                           trials: Int = 100_000, seed: UInt64 = 1, displayPath: @escaping (String) -> String = { $0 },
                           progress: (Stage) -> Void = { _ in }) -> EstateAnalysis {
        var clock = Date()
        func stage(_ name: String, _ summary: String) {
            progress(Stage(name: name, summary: summary, seconds: Date().timeIntervalSince(clock)))
            clock = Date()
        }
        let manifest = inventory.manifest
        let manifestPath = manifest.map { displayPath($0.manifestPath) } ?? "bulwark.yaml"
        var findings: [Finding] = []

        // IT security: each firewall's rules, the segmentation against the policy.
        var firewalls: [(String, FirewallAnalysis)] = []
        if let manifest, let network = engine?.network {
            for (fw, loaded) in zip(manifest.firewalls, network.firewalls) {
                switch loaded {
                case .ruleset(_, let program):
                    let analysis = FirewallAnalyzer(program: program).analyze()
                    firewalls.append((fw.name, analysis))
                    findings += FindingSources.firewall(analysis, firewall: fw.name)
                case .cloud(let aws):
                    findings += FindingSources.aws(aws.findings(), firewall: fw.name, displayPath: displayPath)
                }
            }
        }
        stage("firewalls", "\(firewalls.count) rulesets, \(findings.count) findings")
        var segmentation: SegmentationReport?
        if let engine, let manifest, !manifest.policy.rules.isEmpty || !manifest.policy.required.isEmpty {
            let report = engine.check()
            segmentation = report
            findings += FindingSources.segmentation(report, manifestPath: manifestPath)
            stage("segmentation", "\(report.pairsChecked) zone pairs, \(report.violations.count) violations")
        }
        findings += FindingSources.vulnerabilities(inventory)
        stage("vulnerabilities", "\(inventory.vulnerabilities.count) found by the scans")

        // Cybersecurity: the ways to Tier Zero and the crown jewels, the register.
        let entries = graph.entryNodes(manifest)
        var targets: [Int32] = []
        for n in graph.targets(named: "tier-zero") + graph.targets(named: "crown-jewels") where !targets.contains(n) { targets.append(n) }
        let paths = entries.isEmpty ? [] : graph.paths(from: entries.map(\.node), to: targets, oracle: oracle,
                                                       startingProbability: AttackGraph.startingProbabilities(entries))
        findings += FindingSources.attack(paths, inventory: inventory, manifestPath: manifestPath)
        stage("attack paths", "\(paths.filter { $0.hops != nil }.count) of \(paths.count) targets reachable")
        var register: [RiskRegister.Entry] = [], notes: [String] = []
        if let manifest { (register, notes) = RiskRegister.build(graph: graph, manifest: manifest, oracle: oracle) }
        let simulation = MonteCarlo.simulate(register.map(\.scenario), trials: trials, seed: seed)
        findings += FindingSources.risk(register, simulation: simulation, displayPath: displayPath)
        stage("risk register", String(format: "%d scenarios, %.0f a year", register.count, register.isEmpty ? 0 : simulation.total.mean))
        let proposed = manifest.map { ControlValue.rank(graph: graph, manifest: $0, oracle: oracle, costs: ControlCosts(), trials: trials, seed: seed).values } ?? []
        stage("what to fix first", "\(proposed.count) changes on attack paths valued")
        let matrix = engine?.matrix(services: [.any])
        if let matrix { stage("reachability", "\(matrix.zones.count) zones") }

        // Information security: the controls and the Statement of Applicability.
        let controls = ControlInventory.build(manifest: manifest, inventory: inventory, network: engine?.network, displayPath: displayPath)
        let gaps = segmentation.map { ControlGap.segmentation($0, manifestPath: manifestPath) } ?? []
        findings += FindingSources.tierZeroRights(controls)
        let soa = Applicability.statement(controls, gaps: gaps)
        let csf = Applicability.csfCoverage(controls, gaps: gaps)
        findings += FindingSources.controlGaps(soa, manifestPath: manifestPath)
        stage("controls", "\(controls.count) controls, \(soa.filter { $0.applicable && $0.implemented == Implementation.yes }.count) Annex A controls implemented")

        findings.sort { ($1.severity.rank, $0.rule, $0.title) < ($0.severity.rank, $1.rule, $1.title) }
        return EstateAnalysis(firewalls: firewalls, segmentation: segmentation, paths: paths, register: register, registerNotes: notes,
                              simulation: simulation, proposed: proposed, matrix: matrix, controls: controls, statementOfApplicability: soa, csfCoverage: csf, findings: findings)
    }
}
