import Archive
import BulwarkModel
import Foundation
import Identity
import Testing
import TestSupport

/// Inputs that are broken or hostile: each fails cleanly, naming the file, place and what was expected.
@Suite struct HostileInputTests {
    /// The error `body` throws (nil when it throws none, or another type).
    static func refusal(_ body: () throws -> Void) -> IdentityInputError? {
        do { try body() } catch { return error as? IdentityInputError }
        return nil
    }

    static func single(_ json: String, name: String = "t_users.json") -> IdentityInputError? {
        refusal { _ = try Fixtures.load([Fixtures.file(name, json)]) }
    }

    @Test func truncatedJSON() throws {
        let json = #"{"data":[{"ObjectIdentifier":"S-1-5-21-1-2-3-1105","Properties":{"name":"ALICE"#
        let error = try #require(Self.single(json))
        #expect(error.code == .nothingReadable)
        #expect(error.message == "no collector file could be read: t_users.json:1:79: error: expected a closing '\"' (the file ends here); the file was not read")
        // Cut anywhere, the file fails cleanly.
        let whole = #"{"data":[{"ObjectIdentifier":"S-1","Aces":[{"PrincipalSID":"S-2","RightName":"GenericAll"}]}],"meta":{"type":"users","count":1,"version":6}}"#
        for cut in 0..<whole.utf8.count {
            let e = Self.single(String(decoding: Array(whole.utf8).prefix(cut), as: UTF8.self))
            #expect(e?.code == .nothingReadable, "cut at \(cut)")
        }
    }

    @Test func wronglyTypedData() throws {
        let object = try #require(Self.single(#"{"data": {}, "meta": {"type": "users", "count": 0, "version": 6}}"#))
        #expect(object.message == "no collector file could be read: t_users.json:1:10: error: 'data' should be an array of objects; found an object")
        let number = try #require(Self.single(#"{"data": 42}"#))
        #expect(number.message.hasSuffix("'data' should be an array of objects; found a number"))
        let array = try #require(Self.single("[1, 2, 3]"))
        #expect(array.message.hasSuffix("t_users.json:1:1: error: expected a JSON object with 'data' and 'meta' members; found an array"))
        let none = try #require(Self.single(#"{"meta": {"type": "users"}}"#))
        #expect(none.message.contains("no 'data' array"))
        let type = try #require(Self.single(#"{"data": [], "meta": {"type": "azure", "version": 6}}"#, name: "x.json"))
        #expect(type.message.contains("meta.type 'azure' is not a collector type Bulwark reads"))
        let anonymous = try #require(Self.single(#"{"data": []}"#, name: "x.json"))
        #expect(anonymous.message.contains("cannot tell what the objects are"))
    }

    /// A field of the wrong type is a warning; the rest of the object and file are read.
    @Test func wronglyTypedFieldsAreSkippedWithAWarning() throws {
        let json = """
        {"data": [
          {"ObjectIdentifier": "S-1-5-21-1-2-3-1105", "Aces": 5, "Members": "no",
           "PrimaryGroupSID": "S-1-5-21-1-2-3-513", "Properties": [1]},
          7,
          {"Properties": {"name": "NOBODY"}}
        ], "meta": {"type": "users", "count": 3, "version": 6}}
        """
        let g = try Fixtures.load([Fixtures.file("t_users.json", json)])
        #expect(g.hasEdge(from: "S-1-5-21-1-2-3-1105", .memberOf, to: "S-1-5-21-1-2-3-513"))
        #expect(g.count(of: .user) == 1)
        let found = g.diagnostics.map { "\($0.location.line):\($0.location.column ?? 0) \($0.severity.rawValue): \($0.message)" }
        #expect(found == [
            "2:55 warning: 'Aces' should be an array; found a number (ignored)",
            "2:69 warning: 'Members' should be an array; found a string (ignored)",
            "3:59 warning: 'Properties' should be an object; found an array (ignored)",
            "4:3 warning: data[1] is a number; expected an object (skipped)",
            "5:3 warning: data[2] has no ObjectIdentifier; the object and its relationships are skipped",
        ])
    }

    @Test func aBadFileAmongGoodOnesIsAnErrorDiagnostic() throws {
        let good = Fixtures.file("a_users.json", #"{"data":[{"ObjectIdentifier":"S-1-5-21-1-2-3-1105"}],"meta":{"type":"users","count":1,"version":6}}"#)
        let bad = Fixtures.file("b_groups.json", #"{"data":[{"ObjectIdentifier": }],"meta":{}}"#)
        let g = try Fixtures.load([good, bad])
        #expect(g.count(of: .user) == 1)
        #expect(g.files.map(\.used) == [true, false])
        let error = try #require(g.diagnostics.first { $0.severity == .error })
        #expect(error.description == "b_groups.json:1:31: error: expected a value; the file was not read")
    }

    @Test func deepNestingIsBounded() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let json = #"{"data":[{"ObjectIdentifier":"S-1","Extra":"# + deep + #"}],"meta":{"type":"users","count":1,"version":6}}"#
        let error = try #require(Self.single(json))
        #expect(error.message.contains("expected less deeply nested values"))
    }

    @Test func gzipFileOverTheLimit() throws {
        let zeros = try #require(FileManager.default.contents(atPath: ArchiveTests.inputs + "/zeros-2MiB.gz"))
        let loader = SharpHoundLoader(options: .init(maxFileBytes: 1 << 20))
        let error = try #require(Self.refusal { _ = try loader.load(files: [CollectorFile(name: "big_users.json.gz", bytes: [UInt8](zeros))]) })
        #expect(error.message == "no collector file could be read: big_users.json.gz:1: error: big_users.json.gz: 'big_users.json.gz' decompresses to more than 1048576 bytes, the limit")
    }

    @Test func zipBombIsRefusedBeforeInflating() throws {
        let error = try #require(Self.refusal { _ = try SharpHoundLoader().load(path: ArchiveTests.inputs + "/bomb-ratio.zip") })
        #expect(error.code == .archive)
        #expect(error.archiveError?.code == .limitExceeded)
        #expect(error.message.hasSuffix("bomb-ratio.zip: entry '20240305110018_users.json' inflates 1028 times (20387 to 20971520 bytes), more than the compression ratio limit of 250: a zip bomb?"))
    }

    @Test(arguments: ["traversal.zip", "absolute.zip", "backslash.zip", "nul-name.zip"])
    func unsafeEntryNamesAreRefused(file: String) throws {
        let error = try #require(Self.refusal { _ = try SharpHoundLoader().load(path: ArchiveTests.inputs + "/" + file) })
        #expect(error.code == .archive)
        #expect(error.archiveError?.code == .unsafeName)
    }

    @Test func tooManyEntries() throws {
        let loader = SharpHoundLoader(options: .init(archiveLimits: .init(maxEntries: 4)))
        let error = try #require(Self.refusal { _ = try loader.load(path: ArchiveTests.inputs + "/five-entries.zip") })
        #expect(error.message.hasSuffix("five-entries.zip: the archive has 5 entries, more than the limit of 4"))
    }

    @Test func zipOfCollectorFiles() throws {
        let g = try SharpHoundLoader().load(path: ArchiveTests.inputs + "/small.zip")
        #expect(g.files.map { URL(fileURLWithPath: $0.file).lastPathComponent } == ["20240305110018_users.json"])
        #expect(g.principal("S-1-5-21-1-2-3-1105")?.name == "ALICE@CORP.LOCAL")
    }

    @Test func missingOrEmptyInputs() throws {
        let missing = try #require(Self.refusal { _ = try SharpHoundLoader().load(path: "/nonexistent/collection") })
        #expect(missing.code == .notFound)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bulwark-empty-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let empty = try #require(Self.refusal { _ = try SharpHoundLoader().load(path: folder) })
        #expect(empty.code == .noCollectorFiles)
        #expect(empty.message == "the folder \(folder) holds no collector files (*.json, *.json.gz or *.zip)")
    }

    /// Random damage to a valid file never traps: every variant loads or fails with a message.
    @Test func damagedFilesNeverTrap() throws {
        let base = Array(CollectorReadingTests.v6Computer.utf8)
        var rng = SplitMix64(seed: 6)
        for _ in 0..<400 {
            var bytes = base
            for _ in 0..<(1 + Int(rng.next() % 4)) {
                let at = Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 3 {
                case 0: bytes[at] = UInt8(truncatingIfNeeded: rng.next())
                case 1: bytes.remove(at: at)
                default: bytes.insert(Array("{}[],:\"0".utf8)[Int(rng.next() % 8)], at: at)
                }
            }
            do {
                let g = try Fixtures.load([CollectorFile(name: "x_computers.json", bytes: bytes)])
                #expect(g.edgeCount >= 0)
            } catch {
                #expect(!error.message.isEmpty)
            }
        }
    }
}
