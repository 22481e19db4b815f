import ArgumentParser
import AttackGraph
import BulwarkModel
import Estate
import Foundation
import Inventory
import Reports
import Risk

struct RiskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "risk",
        abstract: "Quantified risk.",
        subcommands: [RiskQuantify.self, RiskSimulate.self, RiskRegisterCommand.self, RiskControls.self]
    )
}

struct RiskQuantify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quantify",
        abstract: "Annualized loss of each scenario of a Netflix riskquant CSV (Identifier,Name,Probability,Low_loss,High_loss).",
        discussion: """
            Each row's annualized loss is its probability times the mean of a lognormal loss whose 5th and 95th percentiles \
            are Low_loss and High_loss, as riskquant's SimpleModel computes it. A bad row is a diagnostic (file and line) and \
            is left out; a file with no usable row exits with status 2 and writes nothing.
            """
    )

    @Argument(help: "The CSV file.") var file: String
    @Option(help: "text or json.") var format: Format?

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    func run() throws {
        guard let data = FileManager.default.contents(atPath: file) else { throw unusableInput("\(file): cannot be read") }
        let (scenarios, diagnostics): ([SimpleScenario], [Diagnostic])
        do { (scenarios, diagnostics) = try RiskQuantCSV.read(String(decoding: data, as: UTF8.self), file: file) } catch {
            throw unusableInput(error.description)
        }
        for d in diagnostics { IO.error(d.description) }
        switch format ?? (IO.stdoutIsTerminal ? .text : .json) {
        case .json: IO.write(RiskReport.quantifyJSON(file: file, scenarios: scenarios, diagnostics: diagnostics, toolVersion: BulwarkVersion.current))
        case .text: IO.write(RiskReport.quantifyText(file: file, scenarios: scenarios, diagnostics: diagnostics))
        }
    }
}

struct RiskSimulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Seeded Monte Carlo of FAIR scenarios (Identifier,Name,LEF_low,LEF_mode,LEF_high,LM_low,LM_mode,LM_high).",
        discussion: """
            Each trial's annual loss of a scenario is its loss event frequency times its loss magnitude, each drawn from a \
            PERT estimate (gamma 4), as pyfair's FairModel computes it; the total is the sum over scenarios in the same \
            trial. Each scenario draws from its own stream (seed and identifier), so runs are reproducible and comparisons \
            use common random numbers. Gives the annualized loss expectancy, VaR 95/99 and the loss-exceedance curve.
            """
    )

    @Argument(help: "The CSV file.") var file: String
    @Option(help: "Trials per scenario.") var trials = 100_000
    @Option(help: "The seed.") var seed: UInt64 = 1
    @Option(help: "PERT parametrization: classic (α = 1 + 4·(mode − low)/range) or moments (pyfair's: mean and standard deviation).")
    var pert: PERTShapeArgument = .classic
    @Option(help: "text or json.") var format: RiskQuantify.Format?

    func validate() throws {
        if trials < 1 || trials > 100_000_000 { throw ValidationError("--trials must be from 1 to 100000000") }
    }

    func run() throws {
        guard let data = FileManager.default.contents(atPath: file) else { throw unusableInput("\(file): cannot be read") }
        let (scenarios, diagnostics): ([FAIRScenario], [Diagnostic])
        do { (scenarios, diagnostics) = try FAIRCSV.read(String(decoding: data, as: UTF8.self), file: file, shape: pert.shape) } catch {
            throw unusableInput(error.description)
        }
        for d in diagnostics { IO.error(d.description) }
        let clock = Date()
        let result = MonteCarlo.simulate(scenarios, trials: trials, seed: seed)
        let seconds = Date().timeIntervalSince(clock)
        switch format ?? (IO.stdoutIsTerminal ? .text : .json) {
        case .json: IO.write(RiskReport.simulationJSON(file: file, result: result, diagnostics: diagnostics, seconds: seconds, toolVersion: BulwarkVersion.current))
        case .text: IO.write(RiskReport.simulationText(file: file, result: result, diagnostics: diagnostics, seconds: seconds))
        }
    }
}

/// PERT.Shape as the command line spells it.
enum PERTShapeArgument: String, ExpressibleByArgument, CaseIterable {
    case classic, moments
    var shape: PERT.Shape { self == .classic ? .classic : .moments }
}

struct RiskRegisterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "The estate's risk register: a FAIR scenario for each information asset and CIA objective the attack graph reaches, simulated.",
        discussion: """
            Threat events come from the manifest's entry points with a frequency; the probability that one becomes a loss \
            event is the most likely attack path's from that entry point to the asset; the loss of one event is the asset's \
            loss estimate (PERT). Seeded Monte Carlo as `bulwark risk simulate`. Exit status 2 when the estate cannot be used.
            """
    )

    @Argument(help: "The estate: a folder with bulwark.yaml, or the manifest.") var estate: String
    @Option(help: "Trials per scenario.") var trials = 100_000
    @Option(help: "The seed.") var seed: UInt64 = 1
    @Option(help: "text or json.") var format: RiskQuantify.Format?

    func run() throws {
        let attack = try EstateInputs.attack(estate)
        guard let manifest = attack.inventory.manifest else { throw unusableInput("\(estate): a risk register needs the estate's manifest (bulwark.yaml)") }
        var (entries, notes) = RiskRegister.build(graph: attack.graph, manifest: manifest, oracle: attack.oracle)
        for k in entries.indices {
            if let file = entries[k].treatment?.location.file { entries[k].treatment?.location.file = EstateInputs.display(file) }
        }
        let clock = Date()
        let result = MonteCarlo.simulate(entries.map(\.scenario), trials: trials, seed: seed)
        let seconds = Date().timeIntervalSince(clock)
        let name = attack.inventory.estate ?? estate
        let register = Dictionary(entries.map { ($0.scenario.identifier, $0) }, uniquingKeysWith: { a, _ in a })
        switch format ?? (IO.stdoutIsTerminal ? .text : .json) {
        case .json: IO.write(RiskReport.simulationJSON(file: name, result: result, diagnostics: [], seconds: seconds, notes: notes, register: register,
                                                       toolVersion: BulwarkVersion.current))
        case .text: IO.write(RiskReport.simulationText(file: name, result: result, diagnostics: [], seconds: seconds, notes: notes, register: register))
        }
    }
}

struct RiskControls: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "controls",
        abstract: "What each change on an attack path would save a year: the risk register without and with it, on the same random numbers, ranked.",
        discussion: """
            The candidates are the patches, firewall rules and AD relationships taken away that stand on a most likely attack \
            path behind the register. Each is valued by the register's annualized loss before minus after (simulated with \
            common random numbers, and in closed form), and ranked by value; costs as `bulwark remediate` takes them.
            """
    )

    @Argument(help: "The estate: a folder with bulwark.yaml, or the manifest.") var estate: String
    @Option(help: "Trials per scenario.") var trials = 100_000
    @Option(help: "The seed.") var seed: UInt64 = 1
    @Option(help: "KIND=COST for patch, block, right, membership or session (repeatable).") var cost: [String] = []
    @Option(help: "text or json.") var format: RiskQuantify.Format?

    func run() throws {
        let attack = try EstateInputs.attack(estate)
        guard let manifest = attack.inventory.manifest else { throw unusableInput("\(estate): valuing controls needs the estate's manifest (bulwark.yaml)") }
        var costs = ControlCosts()
        do { for c in cost { try costs.set(c) } } catch { throw unusableInput(error.description) }
        let clock = Date()
        let (values, before) = ControlValue.rank(graph: attack.graph, manifest: manifest, oracle: attack.oracle, costs: costs, trials: trials, seed: seed)
        EstateInputs.stat("controls valued (\(values.count))", since: clock)
        let name = attack.inventory.estate ?? estate
        switch format ?? (IO.stdoutIsTerminal ? .text : .json) {
        case .json: IO.write(RiskReport.controlsJSON(estate: name, values: values, lossBefore: before, trials: trials, seed: seed, toolVersion: BulwarkVersion.current))
        case .text: IO.write(RiskReport.controlsText(estate: name, values: values, lossBefore: before))
        }
    }
}
