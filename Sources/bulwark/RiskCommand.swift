import ArgumentParser
import BulwarkModel
import Foundation
import Reports
import Risk

struct RiskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "risk",
        abstract: "Quantified risk.",
        subcommands: [RiskQuantify.self]
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
