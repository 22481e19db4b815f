import Archive
import Foundation
import Testing

/// The bounded gzip and zip readers: contents, limits, refusals, and no trap on damaged bytes.
@Suite struct ArchiveTests {
    static let inputs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Inputs").path

    static func input(_ name: String) throws -> [UInt8] {
        try #require(FileManager.default.contents(atPath: inputs + "/" + name).map { [UInt8]($0) }, "missing input \(name)")
    }

    /// The error `body` throws (nil when it throws none, or another type).
    static func refusal(_ body: () throws -> Void) -> ArchiveError? {
        do { try body() } catch { return error as? ArchiveError }
        return nil
    }

    // MARK: gzip

    @Test func gzipInflatesOneMember() throws {
        let out = try Gzip.decompress(try Self.input("hello.txt.gz"), maxOutputBytes: 1 << 20)
        #expect(String(decoding: out, as: UTF8.self) == String(repeating: "Hello, Bulwark.\n", count: 4))
    }

    @Test func gzipConcatenatesMembers() throws {
        let out = try Gzip.decompress(try Self.input("two-members.gz"), maxOutputBytes: 1 << 20)
        #expect(String(decoding: out, as: UTF8.self) == "first member\nsecond member\n")
        // Zero padding after the last member is tolerated.
        let padded = try Gzip.decompress(try Self.input("two-members.gz") + [0, 0, 0, 0], maxOutputBytes: 1 << 20)
        #expect(padded == out)
    }

    @Test func gzipStopsAtTheOutputLimit() throws {
        let bytes = try Self.input("zeros-2MiB.gz")
        let error = try #require(Self.refusal { _ = try Gzip.decompress(bytes, maxOutputBytes: 1 << 20, name: "zeros.gz") })
        #expect(error.code == .limitExceeded)
        #expect(error.message == "'zeros.gz' decompresses to more than 1048576 bytes, the limit")
        #expect(try Gzip.decompress(bytes, maxOutputBytes: 2 << 20).count == 2 << 20)
    }

    @Test func gzipRefusesTruncatedCorruptAndForeignInput() throws {
        let bytes = try Self.input("hello.txt.gz")
        let cut = try #require(Self.refusal { _ = try Gzip.decompress(Array(bytes.prefix(bytes.count - 6)), maxOutputBytes: 1 << 20) })
        #expect(cut.code == .truncated)
        #expect(cut.message.contains("truncated"))

        var damaged = bytes
        damaged[damaged.count - 8] ^= 0xFF  // the CRC-32 in the trailer
        let crc = try #require(Self.refusal { _ = try Gzip.decompress(damaged, maxOutputBytes: 1 << 20) })
        #expect(crc.code == .checksumMismatch || crc.code == .corrupt)

        let trailing = try #require(Self.refusal { _ = try Gzip.decompress(bytes + Array("junk".utf8), maxOutputBytes: 1 << 20) })
        #expect(trailing.message.contains("after the last gzip member"))

        let foreign = try #require(Self.refusal { _ = try Gzip.decompress(Array("plain text".utf8), maxOutputBytes: 10) })
        #expect(foreign.message.contains("does not start with the bytes 1f 8b"))
        #expect(Self.refusal { _ = try Gzip.decompress([], maxOutputBytes: 10) } != nil)
    }

    // MARK: zip

    @Test func zipReadsStoredAndDeflatedEntries() throws {
        let zip = try ZipArchive(bytes: try Self.input("small.zip"))
        #expect(zip.entries.map(\.name) == ["collection/", "collection/20240305110018_users.json", "collection/readme.txt"])
        #expect(zip.entries.map(\.isDirectory) == [true, false, false])
        let users = try #require(zip.entry(named: "collection/20240305110018_users.json"))
        #expect(users.method == .deflated)
        #expect(String(decoding: try zip.contents(of: users), as: UTF8.self).hasPrefix("{\"data\":[{\"ObjectIdentifier\""))
        let readme = try #require(zip.entry(named: "collection/readme.txt"))
        #expect(readme.method == .stored)
        #expect(try zip.contents(of: readme).count == 64)
        #expect(ZipArchive.isZip(try Self.input("small.zip")))
        #expect(!ZipArchive.isZip(try Self.input("hello.txt.gz")))
    }

    @Test func zipRefusesABombByRatio() throws {
        let error = try #require(Self.refusal { _ = try ZipArchive(bytes: try! Self.input("bomb-ratio.zip")) })
        #expect(error.code == .limitExceeded)
        #expect(error.entry == "20240305110018_users.json")
        #expect(error.message == "entry '20240305110018_users.json' inflates 1028 times (20387 to 20971520 bytes), more than the compression ratio limit of 250: a zip bomb?")
        // With the ratio allowed, the per-entry and total limits still apply.
        let entryLimit = try #require(Self.refusal {
            _ = try ZipArchive(bytes: try! Self.input("bomb-ratio.zip"), limits: .init(maxEntryBytes: 1 << 20, maxCompressionRatio: 2_000))
        })
        #expect(entryLimit.message == "entry '20240305110018_users.json' inflates to 20971520 bytes, more than the per-entry limit of 1048576")
        let totalLimit = try #require(Self.refusal {
            _ = try ZipArchive(bytes: try! Self.input("bomb-ratio.zip"), limits: .init(maxTotalUncompressedBytes: 1 << 20, maxCompressionRatio: 2_000))
        })
        #expect(totalLimit.message.contains("more than the archive limit of 1048576"))
    }

    @Test func zipRefusesTooManyEntries() throws {
        let error = try #require(Self.refusal { _ = try ZipArchive(bytes: try! Self.input("five-entries.zip"), limits: .init(maxEntries: 3)) })
        #expect(error.code == .limitExceeded)
        #expect(error.message == "the archive has 5 entries, more than the limit of 3")
        #expect(try ZipArchive(bytes: try Self.input("five-entries.zip"), limits: .init(maxEntries: 5)).entries.count == 5)
    }

    @Test(arguments: [
        ("traversal.zip", "entry '../20240305110018_users.json' has a '..' component, which could escape the extraction folder"),
        ("absolute.zip", "entry '/tmp/20240305110018_users.json' has an absolute path"),
        ("backslash.zip", "entry 'ad\\20240305110018_users.json' has a backslash in its name; expected '/' separators"),
        ("nul-name.zip", "entry 'bad\\u{0}name_users.json' has a NUL byte in its name"),
    ])
    func zipRefusesUnsafeNames(file: String, message: String) throws {
        let error = try #require(Self.refusal { _ = try ZipArchive(bytes: try! Self.input(file)) })
        #expect(error.code == .unsafeName)
        #expect(error.message == message)
    }

    /// Offset of the first central directory header of `bytes`.
    static func centralDirectory(_ bytes: [UInt8]) -> Int {
        (0..<(bytes.count - 4)).first { bytes[$0] == 0x50 && bytes[$0 + 1] == 0x4B && bytes[$0 + 2] == 1 && bytes[$0 + 3] == 2 }!
    }

    @Test func zipRefusesEncryptedZip64AndDamagedArchives() throws {
        let good = try Self.input("five-entries.zip")
        let cd = Self.centralDirectory(good)

        var encrypted = good
        encrypted[cd + 8] |= 1
        let e1 = try #require(Self.refusal { _ = try ZipArchive(bytes: encrypted) })
        #expect(e1.code == .encrypted)
        #expect(e1.message == "entry '0_users.json' is encrypted; encrypted archives are not read")

        var zip64 = good
        let eocd = zip64.count - 22
        zip64[eocd + 8] = 0xFF; zip64[eocd + 9] = 0xFF; zip64[eocd + 10] = 0xFF; zip64[eocd + 11] = 0xFF
        let e2 = try #require(Self.refusal { _ = try ZipArchive(bytes: zip64) })
        #expect(e2.code == .unsupported)
        #expect(e2.message.hasPrefix("zip64 archives are not supported"))

        var badCRC = good
        badCRC[cd + 16] ^= 0xFF
        let zip = try ZipArchive(bytes: badCRC)
        let e3 = try #require(Self.refusal { _ = try zip.contents(of: zip.entries[0]) })
        #expect(e3.code == .checksumMismatch)
        #expect(e3.message.hasPrefix("entry '0_users.json': CRC-32"))

        let e4 = try #require(Self.refusal { _ = try ZipArchive(bytes: Array(good.prefix(good.count - 30))) })
        #expect(e4.message.contains("no end of central directory record"))
        let e5 = try #require(Self.refusal { _ = try ZipArchive(bytes: Array("PK".utf8)) })
        #expect(e5.code == .truncated)

        var method = good
        method[cd + 10] = 12  // bzip2
        let e6 = try #require(Self.refusal { _ = try ZipArchive(bytes: method) })
        #expect(e6.message == "entry '0_users.json' uses compression method 12; only stored (0) and deflated (8) are read")

        // A size that lies: the entry inflates past what its header claims.
        var lying = good
        lying[cd + 24] = 10; lying[cd + 25] = 0; lying[cd + 26] = 0; lying[cd + 27] = 0
        let liar = try ZipArchive(bytes: lying)
        let e7 = try #require(Self.refusal { _ = try liar.contents(of: liar.entries[0]) })
        #expect(e7.message == "entry '0_users.json': inflates past its declared size of 10 bytes")
    }

    /// Every single-byte change and every truncation of a valid archive reads or fails cleanly.
    @Test func zipNeverTrapsOnDamagedBytes() throws {
        let good = try Self.input("small.zip")
        var outcomes = 0
        func attempt(_ bytes: [UInt8]) {
            do {
                let zip = try ZipArchive(bytes: bytes)
                for entry in zip.entries { _ = try? zip.contents(of: entry) }
            } catch {
                #expect(!error.message.isEmpty)
            }
            outcomes += 1
        }
        for i in good.indices {
            for flip: UInt8 in [0x01, 0x80, 0xFF] {
                var bytes = good
                bytes[i] ^= flip
                attempt(bytes)
            }
            attempt(Array(good.prefix(i)))
        }
        #expect(outcomes == good.count * 4)
    }
}
