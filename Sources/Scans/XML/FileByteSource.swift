#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file through its descriptor, chunk by chunk; the descriptor closes with the source.
final class FileByteSource: XMLByteSource {
    private let descriptor: Int32
    private let path: String

    init(path: String) throws(ScanError) {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw ScanError(.unreadable, file: path, line: nil, column: nil, "cannot open: \(Self.errorText(errno))")
        }
        descriptor = fd
    }

    deinit { close(descriptor) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            #if canImport(Darwin)
            let n = Darwin.read(descriptor, base, buffer.count)
            #elseif canImport(Musl)
            let n = Musl.read(descriptor, base, buffer.count)
            #else
            let n = Glibc.read(descriptor, base, buffer.count)
            #endif
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw ScanError(.unreadable, file: path, line: nil, column: nil, "cannot read: \(Self.errorText(errno))")
        }
    }

    static func errorText(_ code: Int32) -> String {
        guard let s = strerror(code) else { return "error \(code)" }
        return String(cString: s)
    }
}
