import BulwarkModel
import Foundation
import Identity
import TestSupport

/// Shared inputs of the Identity tests: the shared corpus (read in place) and small JSON written here.
enum Fixtures {
    static let sampleFolder = TestSupport.sharedRoot + "/fixtures/bloodhound/ad-sample-v6"
    static let minimalFolder = TestSupport.sharedRoot + "/fixtures/bloodhound/minimal"
    static var hasShared: Bool { FileManager.default.fileExists(atPath: sampleFolder + "/20240305110018_users.json") }

    /// The BloodHound CE sample, loaded once for every test that reads it.
    static let sample: IdentityGraph? = hasShared ? try? SharpHoundLoader().load(path: sampleFolder) : nil

    static func file(_ name: String, _ json: String) -> CollectorFile {
        CollectorFile(name: name, bytes: Array(json.utf8))
    }

    static func load(_ files: [CollectorFile], rules: TierZeroRules = TierZeroRules()) throws(IdentityInputError) -> IdentityGraph {
        try SharpHoundLoader(options: .init(tierZero: rules)).load(files: files)
    }
}

extension IdentityGraph {
    /// The id of the principal named `name` (BloodHound's `NAME@DOMAIN`).
    func id(named name: String) -> String? { principals.first { $0.name == name }?.id }

    /// The edge kinds from `source` to `target`.
    func kinds(from source: String, to target: String) -> Set<EdgeKind> {
        Set(edges(from: source).filter { self[$0.target].id == target }.map(\.kind))
    }

    func messages(_ file: String? = nil) -> [String] {
        diagnostics.filter { file == nil || $0.location.file.hasSuffix(file!) }.map(\.message)
    }
}
