import CVSS
import Testing

/// Scores against the values FIRST's specification and example documents publish (sources in
/// `PublishedExamples.swift`).
@Suite("Published examples")
struct PublishedExampleTests {
    @Test("CVSS v2.0 guide: base, temporal and environmental", arguments: PublishedExamples.v2Guide)
    func v2Guide(_ example: PublishedScore) throws {
        let vector = try CVSSVector(parsing: example.vector)
        #expect(vector.version == .v2_0)
        #expect(vector.baseScore == example.base)
        #expect(vector.temporalScore == example.temporal)
        #expect(vector.environmentalScore == example.environmental)
    }

    @Test("CVSS v2.0 base vectors of the v3.x examples", arguments: PublishedExamples.v2FromV3Examples)
    func v2Base(_ example: PublishedScore) throws {
        let vector = try CVSSVector(parsing: example.vector)
        #expect(vector.version == .v2_0)
        #expect(vector.baseScore == example.base)
        #expect(vector.temporalScore == nil)
        #expect(vector.environmentalScore == nil)
    }

    @Test("CVSS v3.0 examples", arguments: PublishedExamples.v3_0)
    func v3_0(_ example: PublishedScore) throws {
        let vector = try CVSSVector(parsing: example.vector)
        #expect(vector.version == .v3_0)
        #expect(vector.baseScore == example.base)
        #expect(vector.severity == CVSSSeverity(score: example.base, version: .v3_0))
    }

    @Test("CVSS v3.1 examples", arguments: PublishedExamples.v3_1)
    func v3_1(_ example: PublishedScore) throws {
        let vector = try CVSSVector(parsing: example.vector)
        #expect(vector.version == .v3_1)
        #expect(vector.baseScore == example.base)
        #expect(vector.score == example.base)
    }

    @Test("CVSS v4.0 examples", arguments: PublishedExamples.v4_0)
    func v4_0(_ example: PublishedV4Score) throws {
        let vector = try CVSSVector(parsing: example.vector)
        #expect(vector.version == .v4_0)
        #expect(vector.score == example.score)
    }

    @Test("Enough published vectors per version")
    func coverage() {
        #expect(PublishedExamples.v2Guide.count + PublishedExamples.v2FromV3Examples.count >= 20)
        #expect(PublishedExamples.v3_0.count >= 20)
        #expect(PublishedExamples.v3_1.count >= 20)
        #expect(PublishedExamples.v4_0.count >= 20)
    }

    /// The v4.0 examples document labels each score by the metric groups it includes.
    @Test("CVSS v4.0 nomenclature of the examples")
    func v4Nomenclature() throws {
        let base = try CVSSVector(parsing: "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N")
        let threat = try CVSSVector(parsing: "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U")
        let environmental = try CVSSVector(
            parsing: "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:L/VA:L/SC:N/SI:N/SA:N/CR:H/IR:L/AR:L/MAV:N/MAC:H/MVC:H/MVI:L/MVA:L")
        let all = try CVSSVector(
            parsing: "CVSS:4.0/AV:N/AC:H/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:P/MAC:L/MAT:N/MVC:N/MVI:N/MVA:L")
        let supplementalOnly = try CVSSVector(
            parsing: "CVSS:4.0/AV:P/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:H/SA:N/S:P/V:D")

        #expect(base.nomenclature == .base)
        #expect(threat.nomenclature == .baseThreat)
        #expect(environmental.nomenclature == .baseEnvironmental)
        #expect(all.nomenclature == .baseThreatEnvironmental)
        #expect(supplementalOnly.nomenclature == .base)

        // CVE-2020-3549: CVSS-B 7.7, CVSS-BT 5.2.
        #expect(threat.baseScore == 7.7)
        #expect(threat.threatScore == 5.2)
        #expect(threat.environmentalScore == nil)
        // CVE-2023-3089: CVSS-B 8.3, CVSS-BE 8.1.
        #expect(environmental.baseScore == 8.3)
        #expect(environmental.threatScore == nil)
        #expect(environmental.environmentalScore == 8.1)
        // CVE-2021-44228: the CVSS-BTE score is the score of the whole vector.
        #expect(all.environmentalScore == 5.5)
        #expect(all.score == 5.5)
        #expect(all.scoreSeverity == .medium)
    }
}
