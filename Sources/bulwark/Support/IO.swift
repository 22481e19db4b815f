import ArgumentParser
import Foundation

/// Reading inputs and writing outputs for the commands.
enum IO {
    static func readText(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationFailure("cannot read \(path)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    static func readBytes(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw ValidationFailure("cannot read \(path)") }
        return [UInt8](data)
    }

    /// Whether standard output is a terminal (colour and alignment for people).
    static var stdoutIsTerminal: Bool { isatty(1) != 0 }

    static func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { buf in
            var offset = 0
            while offset < buf.count {
                let n = Foundation.write(1, buf.baseAddress! + offset, buf.count - offset)
                if n <= 0 { return }
                offset += n
            }
        }
    }

    static func write(_ text: String) { write(Array(text.utf8)) }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }
}

/// A failure that ends a command with a message and exit status 2 (unusable input).
struct ValidationFailure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// Prints `failure` and exits 2, writing nothing else.
func unusableInput(_ message: String) -> ExitCode {
    IO.error("bulwark: \(message)")
    return ExitCode(2)
}
