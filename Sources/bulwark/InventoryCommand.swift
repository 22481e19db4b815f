import ArgumentParser
import BulwarkModel
import Foundation
import Inventory
import Reports

struct InventoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inventory",
        abstract: "What runs where, what is vulnerable, who can do what: scans, AD collections and threat intelligence merged.",
        discussion: """
            ESTATE is a folder with bulwark.yaml (its inventory: section names the exports), or a bare folder of exports: \
            nmap XML, .nessus, SharpHound JSON or zip, a KEV catalog, EPSS scores. Hosts are merged across sources by address, \
            MAC, FQDN, AD object id and manifest name. Exit status 2 when an export cannot be used; nothing is written then.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: "The estate: a folder (with or without bulwark.yaml) or the manifest file.")
    var estate: String
    @Option(help: "text or json.") var format: Format?
    @Option(name: .customLong("max-scan-age"), help: "Warn about scans older than this many days.") var maxScanAge = 90

    func run() throws {
        let inventory = try EstateInputs.inventory(estate, maxScanAgeDays: maxScanAge)
        let clock = Date()
        switch format ?? (IO.stdoutIsTerminal ? .text : .json) {
        case .json: InventoryReport.writeJSON(inventory, toolVersion: BulwarkVersion.current) { IO.write($0) }
        case .text: IO.write(InventoryReport.text(inventory))
        }
        EstateInputs.stat("report written", since: clock)
    }
}
