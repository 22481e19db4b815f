import ArgumentParser
import BulwarkModel
import Estate
import Foundation
import NetworkReach
import Reports

struct NetworkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "network",
        abstract: "Reachability across an estate (bulwark.yaml): zone-pair matrix, segmentation check, paths.",
        subcommands: [NetworkMatrix.self, NetworkCheck.self, NetworkPath.self]
    )
}

struct EstateOptions: ParsableArguments {
    @Argument(help: "The estate: a folder holding bulwark.yaml, or the manifest itself.")
    var estate: String

    /// The estate read and every export loaded; exit status 2 with the problems when it cannot be used.
    func load() throws -> (ReachabilityEngine, [Diagnostic]) {
        let result = EstateLoader.load(estate)
        let cwd = FileManager.default.currentDirectoryPath
        func display(_ path: String) -> String {
            path.hasPrefix(cwd + "/") ? String(path.dropFirst(cwd.count + 1)) : path
        }
        guard let manifest = result.manifest, result.errors.isEmpty else {
            let text = result.errors.map { "\(display($0.location.file)):\($0.location.line)\($0.location.column.map { ":\($0)" } ?? ""): \($0.message)" }
            throw unusableInput("the estate cannot be analysed:\n" + (text.isEmpty ? ["no manifest"] : text).joined(separator: "\n"))
        }
        let network: EstateNetwork
        do { network = try EstateNetwork(manifest: manifest, displayPath: display) } catch { throw unusableInput(error.description) }
        let manifestDiagnostics = result.diagnostics.map { d -> Diagnostic in
            var d = d
            d.location.file = display(d.location.file)
            return d
        }
        return (ReachabilityEngine(network: network), manifestDiagnostics + network.diagnostics)
    }
}

enum NetworkFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, html, sarif
}

func parseServices(_ texts: [String]) throws -> [Service] {
    var out: [Service] = []
    for t in texts.flatMap({ $0.split(separator: " ").map(String.init) }) {
        do { out.append(try Service(parsing: t)) } catch { throw ValidationError("--service: \(error.message)") }
    }
    return out
}

struct NetworkMatrix: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "matrix",
        abstract: "For every ordered pair of zones and each service: all, some or none of its new connections get through, with a witness and the rules on its path."
    )

    @OptionGroup var estate: EstateOptions
    @Option(name: .customLong("service"), help: "A service (tcp/443, udp/53, ssh …); repeat for several. Default: ssh, rdp, smb, http, https.")
    var services: [String] = []
    @Option(help: "text, json or html (a heat-map).") var format: NetworkFormat?

    func run() throws {
        var list = try parseServices(services)
        if list.isEmpty { list = ["ssh", "rdp", "smb", "http", "https"].map { Service($0)! } }
        let loadStart = ContinuousClock.now
        let (engine, diagnostics) = try estate.load()
        let loadTime = ContinuousClock.now - loadStart
        switch format ?? (IO.stdoutIsTerminal ? .text : .json) {
        case .json:
            NetworkReport.matrixJSON(estate: engine.network.manifest.name, services: list, zones: engine.network.zoneNames, notes: engine.notes,
                                     diagnostics: diagnostics, toolVersion: BulwarkVersion.current,
                                     cells: { engine.forEachCell(services: list, transform: $0, $1) }, sink: { IO.write($0) })
            if ProcessInfo.processInfo.environment["BULWARK_STATS"] != nil {
                IO.error("load: \(loadTime), " + engine.timings.sorted { $0.key < $1.key }.map { "\($0.key): \(String(format: "%.3f", $0.value)) s" }.joined(separator: ", ") + "; " + engine.algebraStatistics)
            }
        case .html: IO.write(NetworkReport.matrixHTML(engine.matrix(services: list)))
        case .text: IO.write(NetworkReport.matrixText(engine.matrix(services: list), style: TextStyle(colored: IO.stdoutIsTerminal)))
        case .sarif: throw ValidationError("--format for matrix is text, json or html")
        }
    }
}

struct NetworkCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "The intended segmentation policy against computed reachability; exit status 1 when it is violated."
    )

    @OptionGroup var estate: EstateOptions
    @Option(help: "text, json or sarif.") var format: NetworkFormat?

    func run() throws {
        let (engine, diagnostics) = try estate.load()
        let report = engine.check()
        switch format ?? (IO.stdoutIsTerminal ? .text : .json) {
        case .json: IO.write(NetworkReport.checkJSON(report, diagnostics: diagnostics, toolVersion: BulwarkVersion.current))
        case .sarif: IO.write(NetworkReport.checkSARIF(report, toolVersion: BulwarkVersion.current))
        case .text: IO.write(NetworkReport.checkText(report, style: TextStyle(colored: IO.stdoutIsTerminal)))
        case .html: throw ValidationError("--format for check is text, json or sarif")
        }
        if report.failed { throw ExitCode(1) }
    }
}

struct NetworkPath: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "path",
        abstract: "How new connections of a service get from one zone to another: every hop and the rule that decides it."
    )

    @OptionGroup var estate: EstateOptions
    @Option(help: "The source zone.") var from: String
    @Option(help: "The destination zone.") var to: String
    @Option(help: "The service, e.g. tcp/445.") var service: String
    @Option(help: "text or json.") var format: NetworkFormat?

    func run() throws {
        guard let svc = try parseServices([service]).first else { throw ValidationError("--service is empty") }
        let (engine, diagnostics) = try estate.load()
        for z in [from, to] where engine.network.zone(named: z) == nil {
            throw ValidationError("no zone named '\(z)' (zones: \(engine.network.zoneNames.joined(separator: ", ")))")
        }
        guard let cell = engine.path(from: from, to: to, service: svc) else { return }
        switch format ?? (IO.stdoutIsTerminal ? .text : .json) {
        case .json: IO.write(NetworkReport.pathJSON(cell, notes: engine.notes, estate: engine.network.manifest.name, diagnostics: diagnostics, toolVersion: BulwarkVersion.current))
        case .text: IO.write(NetworkReport.pathText(cell, notes: engine.notes, style: TextStyle(colored: IO.stdoutIsTerminal)))
        case .html, .sarif: throw ValidationError("--format for path is text or json")
        }
    }
}
