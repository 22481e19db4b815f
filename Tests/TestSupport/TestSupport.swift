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

    /// Compares rendered output with its golden file (a path from the project root); with
    /// `RECORD_SNAPSHOTS` set, writes the file instead. Returns where they first differ, or nil.
    public static func goldenDifference(_ actual: String, _ path: String) throws -> String? {
        let file = projectRoot + "/" + path
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] != nil {
            try actual.write(toFile: file, atomically: true, encoding: .utf8)
            return nil
        }
        let expected = try String(contentsOfFile: file, encoding: .utf8)
        guard actual != expected else { return nil }
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let first = zip(a, e).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, e.count)
        return "\(path) differs from the golden file at line \(first + 1):\n  expected: \(first < e.count ? e[first] : "<end>")\n  actual:   \(first < a.count ? a[first] : "<end>")"
    }

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
