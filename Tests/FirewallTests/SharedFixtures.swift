import Foundation
import TestSupport

/// The shared folder of real-world inputs (`../shared` from the project root), when present.
enum SharedFixtures {
    static var projectRoot: String { TestSupport.projectRoot }

    static var root: String { TestSupport.sharedRoot }

    static var isAvailable: Bool { FileManager.default.fileExists(atPath: root + "/fixtures/iptables") }

    static func path(_ relative: String) -> String { root + "/fixtures/" + relative }

    /// A file of the project's own test inputs.
    static func input(_ name: String) -> String { projectRoot + "/Tests/FirewallTests/Inputs/" + name }
}
