import ArgumentParser
import BulwarkModel
import Foundation
import Frameworks
import ThreatIntel

struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Data kept between runs: CISA KEV, FIRST EPSS and MITRE ATT&CK Enterprise.",
        discussion: "Imports go to $BULWARK_DATA_DIR, else $XDG_DATA_HOME/bulwark, else ~/.local/share/bulwark. Until a KEV catalog or an ATT&CK bundle is imported, the one bundled with Bulwark is used.",
        subcommands: [DataImport.self, DataStatus.self]
    )
}

struct DataImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Check a KEV catalog, EPSS scores or an ATT&CK bundle and keep it for later runs; a bad file changes nothing.",
        discussion: "attack reads a full ATT&CK Enterprise STIX 2.x bundle (enterprise-attack.json from github.com/mitre-attack/attack-stix-data or github.com/mitre/cti) and keeps its techniques, tactics, mitigations and which mitigation mitigates which technique; revoked and deprecated objects are left out."
    )

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case kev, epss, attack
    }

    @Argument(help: "kev (CISA's known_exploited_vulnerabilities.json), epss (FIRST's epss_scores CSV, plain or .gz) or attack (MITRE's enterprise-attack.json).")
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
            case .attack:
                let attack = try store.importATTACK(from: file)
                diagnostics = []
                let version = attack.version == "unknown" ? "of an unknown version" : attack.version
                summary = "MITRE ATT&CK Enterprise \(version): \(attack.techniques.count) techniques, \(attack.mitigations.count) mitigations"
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
        abstract: "Which threat intelligence and frameworks the analyses use, where they came from and how old they are."
    )

    func run() throws {
        let store = ThreatDataStore(directory: ThreatDataStore.defaultDirectory())
        let (data, diagnostics) = store.load()
        let (attack, attackOrigin, attackDiagnostics) = store.loadATTACK()
        for d in diagnostics + attackDiagnostics { IO.error(d.description) }
        IO.write("data directory: \(store.directory)\n")
        for line in data.provenance(now: Date()) { IO.write(line + "\n") }
        IO.write(ThreatData.provenance(of: attack, origin: attackOrigin) + "\n")
        let csf = CSF.bundled
        IO.write("NIST CSF \(csf.version): \(csf.subcategories.count) subcategories, bundled with Bulwark\n")
    }
}
