import Foundation

/// The shared folder of real-world inputs (`../shared` from the project root), when present.
enum SharedFixtures {
    /// The project root: three levels above this file (Tests/FirewallTests/…).
    static let projectRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static var root: String { ProcessInfo.processInfo.environment["BULWARK_SHARED"] ?? projectRoot + "/../shared" }

    static var isAvailable: Bool { FileManager.default.fileExists(atPath: root + "/fixtures/iptables") }

    static func path(_ relative: String) -> String { root + "/fixtures/" + relative }

    /// A file of the project's own test inputs.
    static func input(_ name: String) -> String { projectRoot + "/Tests/FirewallTests/Inputs/" + name }
}
