import Foundation
import Scans
import TestSupport

/// The module's own test inputs (Tests/ScansTests/Inputs) and the shared real-world fixtures.
enum ScanInputs {
    static func path(_ name: String) -> String { TestSupport.projectRoot + "/Tests/ScansTests/Inputs/" + name }

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path(name))))
    }

    static var nmapFixtures: String { TestSupport.sharedRoot + "/fixtures/nmap" }
    static var nessusFixtures: String { TestSupport.sharedRoot + "/fixtures/nessus" }
    static var hasNmapFixtures: Bool { FileManager.default.fileExists(atPath: nmapFixtures) }
    static var hasNessusFixtures: Bool { FileManager.default.fileExists(atPath: nessusFixtures) }

    static func nmapFixture(_ name: String) -> String { nmapFixtures + "/" + name }
    static func nessusFixture(_ name: String) -> String { nessusFixtures + "/" + name }

    /// Every event of `reader`, to the end.
    static func events(_ reader: XMLPullReader) throws -> [XMLEvent] {
        var all: [XMLEvent] = []
        while let e = try reader.next() { all.append(e) }
        return all
    }

    /// The error `body` throws, or nil.
    static func error<T>(_ body: () throws -> T) -> ScanError? {
        do {
            _ = try body()
            return nil
        } catch let e as ScanError {
            return e
        } catch {
            return nil
        }
    }
}

/// Hands out `bytes` at most `step` bytes per read, as a pipe or socket might.
struct ChunkedSource: XMLByteSource {
    let bytes: [UInt8]
    let step: Int
    var offset = 0

    init(_ bytes: [UInt8], step: Int) {
        self.bytes = bytes
        self.step = step
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(step, buffer.count, bytes.count - offset)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBytes { source in
            buffer.baseAddress!.copyMemory(from: source.baseAddress! + offset, byteCount: n)
        }
        offset += n
        return n
    }
}
