import ArgumentParser
import AttackGraph
import Inventory
import BulwarkModel
import Controls
import Estate
import Foundation
import Frameworks
import NetworkReach
import Reports
import Risk

struct ControlsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "controls",
        abstract: "The estate's controls: every one found or attested, the Statement of Applicability, CSF 2.0 coverage, and what each control in place is worth.",
        subcommands: [ControlsList.self, ControlsSoA.self, ControlsCSF.self, ControlsValue.self],
        defaultSubcommand: ControlsList.self
    )

    /// What the exports show falling short of a control: the segmentation check's violations (8.22,
    /// 8.20; PR.IR-01) when the manifest states a policy.
    static func gaps(_ attack: EstateInputs.Attack) -> [ControlGap] {
        guard let engine = attack.builder.engine, !engine.network.manifest.policy.rules.isEmpty || !engine.network.manifest.policy.required.isEmpty else { return [] }
        return ControlGap.segmentation(engine.check(), manifestPath: EstateInputs.display(engine.network.manifest.manifestPath))
    }

    /// The control inventory of an estate, with the attack graph's inputs for the valuation.
    static func records(_ estate: String) throws -> (attack: EstateInputs.Attack, records: [ControlRecord], name: String) {
        let attack = try EstateInputs.attack(estate)
        let records = ControlInventory.build(manifest: attack.inventory.manifest, inventory: attack.inventory,
                                             network: attack.builder.engine?.network, displayPath: EstateInputs.display)
        return (attack, records, attack.inventory.estate ?? estate)
    }
}

struct ControlsList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Every control: firewall rules, security-group permissions, patches (missing ones are CVEs found), MFA, backups, encryption, EDR, AD rights on Tier Zero, attested controls — with status, owner, evidence and framework mapping."
    )

    @Argument(help: "The estate: a folder with bulwark.yaml, or the manifest.") var estate: String
    @Option(help: "Only controls of this kind (rule, permission, patch, mfa, backup, encryption, edr, right, attested).") var kind: String?
    @Option(help: "text or json.") var format: RiskQuantify.Format?

    func run() throws {
        var (_, records, name) = try ControlsCommand.records(estate)
        if let kind {
            guard let k = ControlRecord.Kind(rawValue: kind) else {
                throw unusableInput("'\(kind)': expected one of " + ControlRecord.Kind.allCases.map(\.rawValue).joined(separator: ", "))
            }
            records = records.filter { $0.kind == k }
        }
        switch format ?? (IO.stdoutIsTerminal ? .text : .json) {
        case .json: IO.write(ControlsReport.inventoryJSON(estate: name, records: records, toolVersion: BulwarkVersion.current))
        case .text: IO.write(ControlsReport.inventoryText(estate: name, records: records))
        }
    }
}

struct ControlsSoA: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "soa",
        abstract: "The ISO/IEC 27001:2022 Statement of Applicability: each Annex A control applicable or not, implemented or not, with evidence and justification.",
        discussion: "Attested controls (manifest facts of kind control) decide where they exist; otherwise the technical controls found in the exports. Short titles are Bulwark's own, not the standard's text."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, csv }

    @Argument(help: "The estate: a folder with bulwark.yaml, or the manifest.") var estate: String
    @Option(help: "text, json or csv.") var format: Format?

    func run() throws {
        let (attack, records, name) = try ControlsCommand.records(estate)
        let entries = Applicability.statement(records, gaps: ControlsCommand.gaps(attack))
        let framework = "ISO/IEC 27001:2022 Annex A — Statement of Applicability"
        switch format ?? (IO.stdoutIsTerminal ? .text : .json) {
        case .json: IO.write(ControlsReport.applicabilityJSON(estate: name, framework: framework, entries: entries, toolVersion: BulwarkVersion.current))
        case .text: IO.write(ControlsReport.applicabilityText(estate: name, framework: framework, entries: entries))
        case .csv: IO.write(ControlsReport.applicabilityCSV(entries: entries))
        }
    }
}

struct ControlsCSF: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "csf",
        abstract: "NIST CSF 2.0 coverage: each subcategory with the controls that serve it, implemented or not, and the evidence."
    )

    @Argument(help: "The estate: a folder with bulwark.yaml, or the manifest.") var estate: String
    @Option(help: "text or json.") var format: RiskQuantify.Format?

    func run() throws {
        let (attack, records, name) = try ControlsCommand.records(estate)
        let entries = Applicability.csfCoverage(records, gaps: ControlsCommand.gaps(attack))
        let framework = "NIST CSF 2.0 coverage"
        switch format ?? (IO.stdoutIsTerminal ? .text : .json) {
        case .json: IO.write(ControlsReport.applicabilityJSON(estate: name, framework: framework, entries: entries, toolVersion: BulwarkVersion.current))
        case .text: IO.write(ControlsReport.applicabilityText(estate: name, framework: framework, entries: entries))
        }
    }
}

struct ControlsValue: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "value",
        abstract: "What every control is worth a year: each control in place (the risk register without it minus with it) and each change on an attack path not yet in place (with it minus without), on the same random numbers.",
        discussion: """
            Valued: MFA and backup facts (the attack graph rebuilt without the fact) and the DROP/REJECT rules of iptables-save \
            filter tables whose match meets a flow an attack step could use (the network rebuilt without the rule). Every other \
            dropping rule is worth 0 (no attack step can use what it drops) and is counted; controls the model does not use are \
            listed as not valued, with the reason.
            """
    )

    @Argument(help: "The estate: a folder with bulwark.yaml, or the manifest.") var estate: String
    @Option(help: "Trials per scenario.") var trials = 100_000
    @Option(help: "The seed.") var seed: UInt64 = 1
    @Option(help: "KIND=COST for patch, block, right, membership or session (repeatable), for the changes not yet in place.") var cost: [String] = []
    @Option(help: "Stop rebuilding the network for rules after this many seconds; the rest are listed as not valued and the result is marked inexact.")
    var timeLimit: Double?
    @Option(help: "text or json.") var format: RiskQuantify.Format?

    func run() throws {
        let (attack, records, name) = try ControlsCommand.records(estate)
        guard let manifest = attack.inventory.manifest else { throw unusableInput("\(estate): valuing controls needs the estate's manifest (bulwark.yaml)") }
        let clock = Date()
        let result = InPlaceValue.rank(.init(inventory: attack.inventory, engine: attack.builder.engine, graph: attack.graph, oracle: attack.oracle,
                                             displayPath: EstateInputs.display),
                                       records: records, trials: trials, seed: seed, timeLimit: timeLimit) { EstateInputs.stat($0, since: clock) }
        EstateInputs.stat("controls in place valued (\(result.values.count), \(result.rulesScreenedOut) screened out)", since: clock)
        var costs = ControlCosts()
        do { for c in cost { try costs.set(c) } } catch { throw unusableInput(error.description) }
        let proposed = ControlValue.rank(graph: attack.graph, manifest: manifest, oracle: attack.oracle, costs: costs,
                                         trials: trials, seed: seed).values
        EstateInputs.stat("changes not in place valued (\(proposed.count))", since: clock)
        switch format ?? (IO.stdoutIsTerminal ? .text : .json) {
        case .json: IO.write(ControlsReport.valueJSON(estate: name, result: result, proposed: proposed, trials: trials, seed: seed, toolVersion: BulwarkVersion.current))
        case .text: IO.write(ControlsReport.valueText(estate: name, result: result, proposed: proposed))
        }
    }
}
