public import Foundation

/// What the test targets share: where the project and the shared real-world corpus are, and running
/// a child process (the `bulwark` binary, python3 for schema checks) without blocking on its output.
public enum TestSupport {
    /// The project root: three levels above this file (Tests/TestSupport/…).
    public static let projectRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The shared folder (`../shared` from the project root; `BULWARK_SHARED` overrides it).
    public static var sharedRoot: String { ProcessInfo.processInfo.environment["BULWARK_SHARED"] ?? projectRoot + "/../shared" }

    /// A finished child process.
    public struct Run: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs `executable` with `arguments` and waits. Standard output is read as it comes; standard
    /// error goes to a file, so that a large output on one pipe cannot block the child.
    public static func run(_ executable: URL, _ arguments: [String], in directory: String? = nil) throws -> Run {
        let p = Process()
        p.executableURL = executable
        p.arguments = arguments
        if let directory { p.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe()
        p.standardOutput = out
        let errFile = FileManager.default.temporaryDirectory.appendingPathComponent("bulwark-test-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: errFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errFile) }
        let errHandle = try FileHandle(forWritingTo: errFile)
        p.standardError = errHandle
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        try errHandle.close()
        let e = (try? Data(contentsOf: errFile)) ?? Data()
        return Run(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    /// `python3 -c script arguments…`.
    public static func runPython(_ script: String, _ arguments: [String]) throws -> Run {
        try run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script] + arguments)
    }

    /// Writes `text` to a new file `name` in a fresh temporary folder and returns its path.
    public static func temporary(_ name: String, _ text: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bulwark-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
