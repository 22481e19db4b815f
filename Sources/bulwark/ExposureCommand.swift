import ArgumentParser
import AttackGraph
import BulwarkModel
import Foundation
import Identity
import Inventory
import Reports

struct ExposureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exposure",
        abstract: "How far every principal is from Tier Zero, with one shortest path each, and the share of users and computers exposed.",
        discussion: """
            ESTATE is an estate folder or manifest, or just a folder (or zip) of SharpHound JSON. Hops are counted over \
            BloodHound's traversable edges as its shortest-path search counts them; Tier Zero principals are at 0. \
            exposure_percent is the share of enabled users and computers outside Tier Zero with a path to Tier Zero. \
            Exit status 2 when the estate cannot be used or has no AD collection; nothing is written then.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: "The estate: a folder (with or without bulwark.yaml), the manifest, or a SharpHound folder.")
    var estate: String
    @Option(help: "text or json.") var format: Format?
    @Option(help: "How many of the closest users and computers the text shows with their paths.") var limit = 10

    func run() throws {
        let inventory = try EstateInputs.inventory(estate)
        guard let identity = inventory.identity else {
            throw unusableInput("\(estate): no AD collection (SharpHound JSON or zip) in this estate: exposure to Tier Zero needs one")
        }
        let clock = Date()
        var exposure = PrincipalExposure(TierZeroExposure(identity), in: identity)
        // In an estate, lateral movement also needs its port reachable from where the attacker stands.
        if EstateInputs.hasNetwork(inventory), case let (graph, oracle?, _) = try EstateInputs.attackGraph(of: inventory), !graph.conditions.isEmpty {
            if let withPorts = graph.tierZeroExposureWithPorts(oracle: oracle) {
                exposure = withPorts
            } else {
                exposure = PrincipalExposure(hops: exposure.hops, next: exposure.next, exact: false,
                                             notes: ["the estate is too large for a search from every principal: lateral movement was counted without its port check, so these hops are lower bounds"],
                                             witness: exposure.witness)
            }
        }
        EstateInputs.stat("exposure search", since: clock)
        let input = ExposureReport.Input(estate: inventory.estate, graph: identity, exposure: exposure, diagnostics: inventory.diagnostics)
        switch format ?? (IO.stdoutIsTerminal ? .text : .json) {
        case .json: ExposureReport.writeJSON(input, toolVersion: BulwarkVersion.current) { IO.write($0) }
        case .text: IO.write(ExposureReport.text(input, limit: limit))
        }
    }
}
