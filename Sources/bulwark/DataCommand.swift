import ArgumentParser
import BulwarkModel
import Foundation
import Frameworks
import ThreatIntel

struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Threat intelligence kept between runs: CISA KEV and FIRST EPSS.",
        discussion: "Imports go to $BULWARK_DATA_DIR, else $XDG_DATA_HOME/bulwark, else ~/.local/share/bulwark. Until a KEV catalog is imported, the snapshot bundled with Bulwark is used.",
        subcommands: [DataImport.self, DataStatus.self]
    )
}

struct DataImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Check a KEV catalog or EPSS scores file and keep it for later runs; a bad file changes nothing."
    )

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case kev, epss
    }

    @Argument(help: "kev (CISA's known_exploited_vulnerabilities.json) or epss (FIRST's epss_scores CSV, plain or .gz).")
    var kind: Kind
    @Argument(help: "The file to import.")
    var file: String

    func run() throws {
        let store = ThreatDataStore(directory: ThreatDataStore.defaultDirectory())
        let diagnostics: [Diagnostic]
        let summary: String
        do {
            switch kind {
            case .kev:
                let (kev, d) = try store.importKEV(from: file)
                diagnostics = d
                summary = "KEV catalog \(kev.catalogVersion) released \(kev.releaseDay): \(kev.entries.count) CVEs"
            case .epss:
                let (epss, d) = try store.importEPSS(from: file)
                diagnostics = d
                summary = "EPSS scores \(epss.modelVersion ?? "of an unknown model") for \(epss.scoreDate.map { String($0.prefix(10)) } ?? "an unknown day"): \(epss.count) CVEs"
            }
        } catch {
            throw unusableInput(error.description)
        }
        for d in diagnostics { IO.error(d.description) }
        IO.write("imported \(summary) into \(store.directory)\n")
    }
}

struct DataStatus: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Which threat intelligence the analyses use, where it came from and how old it is."
    )

    func run() throws {
        let store = ThreatDataStore(directory: ThreatDataStore.defaultDirectory())
        let (data, diagnostics) = store.load()
        for d in diagnostics { IO.error(d.description) }
        IO.write("data directory: \(store.directory)\n")
        for line in data.provenance(now: Date()) { IO.write(line + "\n") }
        let attack = ATTACK.bundled, csf = CSF.bundled
        IO.write("MITRE ATT&CK Enterprise \(attack.version): \(attack.techniques.count) techniques, \(attack.mitigations.count) mitigations, bundled with Bulwark\n")
        IO.write("NIST CSF \(csf.version): \(csf.subcategories.count) subcategories, bundled with Bulwark\n")
    }
}
