import BulwarkModel
import CVSS
import Foundation
import Testing

@Suite("Parsing")
struct ParsingTests {
    // MARK: Accepted forms

    @Test(
        "CVSS v2.0 as NVD, NVD pages and Nessus write it",
        arguments: [
            "AV:N/AC:L/Au:N/C:P/I:P/A:P",
            "(AV:N/AC:L/Au:N/C:P/I:P/A:P)",
            "CVSS2#AV:N/AC:L/Au:N/C:P/I:P/A:P",
            "(CVSS2#AV:N/AC:L/Au:N/C:P/I:P/A:P)",
            "  AV:N/AC:L/Au:N/C:P/I:P/A:P\n",
            "AV:N/AC:L/Au:N/C:P/I:P/A:P/",
            "A:P/I:P/C:P/Au:N/AC:L/AV:N",
            "AV:N/AC:L/Au:N/C:P/I:P/A:P/E:ND/RL:ND/RC:ND/CDP:ND/TD:ND/CR:ND/IR:ND/AR:ND",
        ])
    func v2Forms(_ input: String) throws {
        let vector = try CVSSVector(parsing: input)
        #expect(vector.version == .v2_0)
        #expect(vector.normalized == "AV:N/AC:L/Au:N/C:P/I:P/A:P")
        #expect(vector.baseScore == 7.5)
        #expect(vector.severity == .high)
    }

    @Test("Versions are told by prefix")
    func versions() throws {
        #expect(try CVSSVector(parsing: "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").version == .v3_0)
        #expect(try CVSSVector(parsing: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").version == .v3_1)
        #expect(try CVSSVector(parsing: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N").version == .v4_0)
        #expect(CVSSVersion.allCases.map(\.rawValue) == ["2.0", "3.0", "3.1", "4.0"])
        #expect(CVSSVersion.v2_0 < .v3_1 && CVSSVersion.v3_1 < .v4_0)
    }

    @Test("Normalization: canonical order, Not Defined dropped")
    func normalization() throws {
        let vector = try CVSSVector(
            parsing: "CVSS:3.1/S:C/C:H/I:H/A:N/AV:P/AC:H/PR:H/UI:R/MAV:X/CR:H/RC:R/RL:O/E:H")
        #expect(vector.normalized == "CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:C/C:H/I:H/A:N/E:H/RL:O/RC:R/CR:H")
        #expect(vector.description == vector.normalized)
        #expect(vector["E"] == "H")
        #expect(vector["MAV"] == nil)
        #expect(vector["Au"] == nil)
        #expect(vector.metrics.map(\.description).prefix(3) == ["AV:P", "AC:H", "PR:H"])

        let same = try CVSSVector(parsing: "CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:C/C:H/I:H/A:N/E:H/RL:O/RC:R/CR:H/MAV:X")
        #expect(vector == same)
        #expect(vector.hashValue == same.hashValue)
        let otherVersion = try CVSSVector(parsing: "CVSS:3.0/AV:P/AC:H/PR:H/UI:R/S:C/C:H/I:H/A:N/E:H/RL:O/RC:R/CR:H")
        #expect(vector != otherVersion)
    }

    @Test("CVSS v4.0 keeps supplemental metrics, which do not change the score")
    func supplemental() throws {
        let plain = try CVSSVector(parsing: "CVSS:4.0/AV:P/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:H/SA:N")
        let tagged = try CVSSVector(
            parsing: "CVSS:4.0/AV:P/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:H/SA:N/S:P/AU:Y/R:I/V:D/RE:H/U:Amber")
        #expect(tagged["U"] == "Amber")
        #expect(tagged["S"] == "P")
        #expect(tagged.normalized.hasSuffix("/S:P/AU:Y/R:I/V:D/RE:H/U:Amber"))
        #expect(tagged.score == plain.score)
        #expect(tagged.nomenclature == .base)
        #expect(tagged != plain)
    }

    @Test("String, lossless string and Codable round trips")
    func roundTrips() throws {
        let text = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:P/MSI:S"
        let vector = try CVSSVector(parsing: text)
        #expect(CVSSVector(vector.description) == vector)
        #expect(CVSSVector("CVSS:4.0/AV:N") == nil)

        let data = try JSONEncoder().encode([vector])
        #expect(String(decoding: data, as: UTF8.self) == "[\"\(text.replacingOccurrences(of: "/", with: "\\/"))\"]")
        #expect(try JSONDecoder().decode([CVSSVector].self, from: data) == [vector])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([CVSSVector].self, from: Data("[\"CVSS:9.9/AV:N\"]".utf8))
        }
    }

    // MARK: Errors

    /// Each bad input, the error code and the exact message.
    static let badVectors: [(String, CVSSError.Code, String)] = [
        ("", .emptyVector,
         "empty vector: expected a CVSS vector such as CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
        ("   \t", .emptyVector,
         "empty vector: expected a CVSS vector such as CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
        ("CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", .unknownPrefix,
         "unknown prefix \"CVSS:3.2\": expected CVSS:3.0, CVSS:3.1 or CVSS:4.0 (a CVSS v2.0 vector has no prefix, or CVSS2#)"),
        ("CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P", .unknownPrefix,
         "unknown prefix \"CVSS:2.0\": expected CVSS:3.0, CVSS:3.1 or CVSS:4.0 (a CVSS v2.0 vector has no prefix, or CVSS2#)"),
        ("AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", .unknownPrefix,
         "missing version prefix: \"PR\" is not a CVSS v2.0 metric, and a CVSS v3.x or v4.0 vector must start with CVSS:3.0/, CVSS:3.1/ or CVSS:4.0/"),
        ("CVSS:3.1/AX:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", .unknownMetric,
         "unknown metric \"AX\" in a CVSS 3.1 vector: expected one of AV, AC, PR, UI, S, C, I, A, E, RL, RC, CR, IR, AR, MAV, MAC, MPR, MUI, MS, MC, MI, MA"),
        ("CVSS:3.1/AV:W/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", .invalidValue,
         "invalid value \"W\" for AV (Attack Vector) in a CVSS 3.1 vector: expected one of N, A, L, P"),
        ("CVSS:3.0/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", .invalidValue,
         "invalid value \"X\" for AV (Attack Vector) in a CVSS 3.0 vector: expected one of N, A, L, P"),
        ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:S/SA:N", .invalidValue,
         "invalid value \"S\" for SI (Subsequent System Integrity) in a CVSS 4.0 vector: expected one of H, L, N"),
        ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N/U:red", .invalidValue,
         "invalid value \"red\" for U (Provider Urgency) in a CVSS 4.0 vector: expected one of X, Clear, Green, Amber, Red"),
        ("CVSS:3.1/AV:P/AV:L/AC:H/PR:H/UI:R/S:C/C:H/I:H/A:N", .duplicateMetric,
         "duplicate metric AV (Attack Vector) in a CVSS 3.1 vector: given as \"P\" and again as \"L\""),
        ("AV:N/AC:L/Au:N/C:P/I:P/A:P/E:F/E:ND", .duplicateMetric,
         "duplicate metric E (Exploitability) in a CVSS 2.0 vector: given as \"F\" and again as \"ND\""),
        ("CVSS:3.1/AV:P/AC:H/UI:R/S:C/C:H/I:H/A:N", .missingBaseMetric,
         "missing base metric PR (Privileges Required): a CVSS 3.1 vector must give all of AV, AC, PR, UI, S, C, I, A"),
        ("CVSS:4.0", .missingBaseMetric,
         "missing base metric AV (Attack Vector): a CVSS 4.0 vector must give all of AV, AC, AT, PR, UI, VC, VI, VA, SC, SI, SA"),
        ("AV:N/AC:L/Au:N/C:P/I:P", .missingBaseMetric,
         "missing base metric A (Availability Impact): a CVSS 2.0 vector must give all of AV, AC, Au, C, I, A"),
        ("CVSS:3.0//AC:H/PR:H/UI:R/S:U/C:L/I:N/A:L", .malformedComponent,
         "empty component (two slashes in a row) in a CVSS 3.0 vector: expected METRIC:VALUE"),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/AH", .malformedComponent,
         "component \"AH\" in a CVSS 3.1 vector is not of the form METRIC:VALUE"),
        ("CVSS:3.1/AV:N:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", .malformedComponent,
         "component \"AV:N:L\" in a CVSS 3.1 vector is not of the form METRIC:VALUE"),
        ("(AV:N/AC:L/Au:N/C:P/I:P/A:P", .malformedComponent,
         "unbalanced parentheses in \"(AV:N/AC:L/Au:N/C:P/I:P/A:P\": a CVSS v2.0 vector may be wrapped in ( ) as a whole"),
        ("cvss:3.1/av:n/ac:l/pr:n/ui:n/s:u/c:h/i:h/a:h", .unknownMetric,
         "unknown metric \"cvss\" in a CVSS 2.0 vector: expected one of AV, AC, Au, C, I, A, E, RL, RC, CDP, TD, CR, IR, AR"),
        ("6.1/CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", .unknownPrefix,
         "text before the prefix: \"6.1/\" comes before \"CVSS:\"; a vector must start with CVSS:3.0/, CVSS:3.1/ or CVSS:4.0/"),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:\u{7}", .invalidValue,
         "invalid value \"\\u{07}\" for A (Availability) in a CVSS 3.1 vector: expected one of H, L, N"),
    ]

    @Test("Bad vectors give the expected error", arguments: badVectors)
    func badVector(_ input: String, _ code: CVSSError.Code, _ message: String) {
        #expect {
            _ = try CVSSVector(parsing: input)
        } throws: { error in
            guard let error = error as? CVSSError else { return false }
            #expect(error.code == code)
            #expect(error.message == message)
            #expect(error.description == message)
            return error.code == code && error.message == message
        }
    }

    @Test("Overlong input is refused before it is split")
    func overlong() {
        let input = "CVSS:3.1/" + String(repeating: "AV:N/", count: 300)
        #expect(throws: CVSSError(.vectorTooLong, "vector too long (1509 bytes): no CVSS vector is longer than 1024 bytes")) {
            _ = try CVSSVector(parsing: input)
        }
    }

    @Test("Long quoted fragments are shortened in messages")
    func shortenedQuote() {
        let key = String(repeating: "Z", count: 100)
        #expect {
            _ = try CVSSVector(parsing: "CVSS:3.1/\(key):N")
        } throws: { error in
            (error as? CVSSError)?.message.hasPrefix("unknown metric \"\(String(repeating: "Z", count: 40))…\"") == true
        }
    }

    // MARK: Fuzz

    /// Mutations of valid vectors and random strings never trap; whatever parses scores in
    /// 0…10 and round-trips through its normalized form.
    @Test("Random and mutated inputs never trap")
    func fuzz() throws {
        var random = SplitMix64(seed: 0xC7_55)
        let seeds = [
            "AV:N/AC:L/Au:N/C:P/I:P/A:P/E:F/RL:OF/RC:C/CDP:H/TD:H/CR:M/IR:M/AR:H",
            "CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N/E:P/RL:W/RC:C/CR:H/MAV:A/MS:U",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N/E:P/RL:W/RC:C/CR:H/MAV:A/MS:C",
            "CVSS:4.0/AV:N/AC:H/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:P/MAC:L/MSI:S/U:Red",
        ]
        let alphabet = Array("CVS:/0123456789.ANLPHMUXRTSWOFDIEacdefgilnoprsuvwxyz()#-é\u{0}\u{301}🙂 \t")
        var parsed = 0
        for round in 0..<6_000 {
            var characters: [Character]
            if round % 5 == 4 {
                characters = (0..<Int.random(in: 0...60, using: &random)).map { _ in alphabet.randomElement(using: &random)! }
            } else {
                characters = Array(seeds[round % seeds.count])
                for _ in 0..<Int.random(in: 1...4, using: &random) {
                    let position = Int.random(in: 0...characters.count, using: &random)
                    switch Int.random(in: 0..<3, using: &random) {
                    case 0 where position < characters.count: characters.remove(at: position)
                    case 1: characters.insert(alphabet.randomElement(using: &random)!, at: position)
                    default:
                        if position < characters.count { characters[position] = alphabet.randomElement(using: &random)! }
                    }
                }
            }
            let input = String(characters)
            do {
                let vector = try CVSSVector(parsing: input)
                parsed += 1
                for score in [vector.baseScore, vector.score] + [vector.temporalScore, vector.threatScore, vector.environmentalScore].compactMap({ $0 }) {
                    #expect((0...10).contains(score), "\(input)")
                }
                #expect(try CVSSVector(parsing: vector.normalized) == vector, "\(input)")
            } catch {
                #expect(!error.message.isEmpty)
            }
        }
        // Some mutations keep a vector valid (a changed value that is still allowed), so the
        // success path is exercised too.
        #expect(parsed > 20)
    }

    // MARK: Severity

    @Test("Qualitative severity scales")
    func severityScales() {
        let v3: [(Double, CVSSSeverity)] = [
            (0.0, .none), (0.1, .low), (3.9, .low), (4.0, .medium), (6.9, .medium), (7.0, .high), (8.9, .high),
            (9.0, .critical), (10.0, .critical),
        ]
        for (score, severity) in v3 {
            #expect(CVSSSeverity(score: score, version: .v3_1) == severity)
            #expect(CVSSSeverity(score: score, version: .v4_0) == severity)
        }
        let v2: [(Double, CVSSSeverity)] = [
            (0.0, .low), (3.9, .low), (4.0, .medium), (6.9, .medium), (7.0, .high), (10.0, .high),
        ]
        for (score, severity) in v2 {
            #expect(CVSSSeverity(score: score, version: .v2_0) == severity)
        }
        #expect(CVSSSeverity.none < .low && CVSSSeverity.high < .critical)
        #expect(CVSSSeverity.none.findingSeverity == .info)
        #expect(CVSSSeverity.critical.findingSeverity == .critical)
    }
}
