import ArgumentParser
import AttackGraph
import BulwarkModel
import Findings
import Foundation
import Inventory
import Reports

struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Runs every engine on an estate and writes the reports: report.html, report.md, findings.json, findings.sarif, risk-register.csv.",
        discussion: """
            Stages: each firewall's rules, the segmentation check, exploitable vulnerabilities, attack paths from the \
            entry points to Tier Zero and the crown jewels, the risk register, the controls and the Statement of \
            Applicability. On a terminal, each stage is shown with what it found and how long it took. Exit status 1 \
            with --fail-on when a finding is at least that severe, 2 when the estate cannot be used (nothing is written).
            """
    )

    @Argument(help: "The estate: a folder with bulwark.yaml, or the manifest.") var estate: String
    @Option(help: "The folder to write the reports to (created if needed).") var out = "bulwark-report"
    @Option(help: "Exit 1 when a finding is at least this severe: info, low, medium, high, critical.") var failOn: String?
    @Option(help: "Trials per risk scenario.") var trials = 100_000
    @Option(help: "The seed.") var seed: UInt64 = 1

    /// `dot -Tsvg` when Graphviz is installed (on the PATH); nil otherwise, or when it fails.
    static func graphviz(_ dot: String) -> String? {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
            .map { $0 + "/dot" }.first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let path else { return nil }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = ["-Tsvg"]
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return nil }
        input.fileHandleForWriting.write(Data(dot.utf8))
        try? input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    func validate() throws {
        if let failOn, Severity(rawValue: failOn.lowercased()) == nil { throw ValidationError("--fail-on must be one of info, low, medium, high, critical") }
    }

    func run() throws {
        let start = Date()
        let verbose = isatty(2) != 0
        func say(_ line: String) { if verbose { IO.error(line) } }
        let attack = try EstateInputs.attack(estate)
        say(String(format: "read the estate: %d hosts, %d vulnerabilities, attack graph %d nodes (%.2f s)", attack.inventory.hosts.count,
                   attack.inventory.vulnerabilities.count, attack.graph.nodeCount, Date().timeIntervalSince(start)))
        let analysis = EstateAnalysis.run(inventory: attack.inventory, engine: attack.builder.engine, graph: attack.graph, oracle: attack.oracle,
                                          trials: trials, seed: seed, displayPath: EstateInputs.display) { stage in
            say(String(format: "%@: %@ (%.2f s)", stage.name, stage.summary, stage.seconds))
        }
        let name = attack.inventory.estate ?? estate
        let files: [(String, [UInt8])] = [
            ("findings.json", FindingsReport.json(estate: name, analysis: analysis, toolVersion: BulwarkVersion.current)),
            ("findings.sarif", FindingsReport.sarif(analysis, toolVersion: BulwarkVersion.current)),
            ("risk-register.csv", Array(FindingsReport.riskRegisterCSV(analysis).utf8)),
            ("report.md", Array(FindingsReport.markdown(estate: name, analysis: analysis).utf8)),
            ("report.html", Array(HTMLReport.page(estate: name, analysis: analysis, manifest: attack.inventory.manifest,
                                                            toolVersion: BulwarkVersion.current, graphviz: Self.graphviz).utf8)),
        ]
        do {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            for (file, bytes) in files {
                try Data(bytes).write(to: URL(fileURLWithPath: out).appendingPathComponent(file), options: .atomic)
            }
        } catch {
            throw unusableInput("\(out): cannot write the reports: \(error.localizedDescription)")
        }
        say(String(format: "wrote %@ in %@ (%d findings, %.2f s in all)", files.map(\.0).joined(separator: ", "), out, analysis.findings.count,
                   Date().timeIntervalSince(start)))
        if let bar = failOn.flatMap({ Severity(rawValue: $0.lowercased()) }), analysis.findings.contains(where: { $0.severity >= bar }) {
            throw ExitCode(1)
        }
    }
}
