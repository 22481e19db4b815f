import CVSS
import Testing

/// Every base vector of a version, built from its metrics' values listed least to most severe.
private struct BaseSpace {
    let prefix: String
    let metrics: [(key: String, values: [String])]

    var count: Int { metrics.reduce(1) { $0 * $1.values.count } }

    /// The vector string for value indices (one per metric).
    func vector(_ indices: [Int]) -> String {
        prefix + zip(metrics, indices).map { "\($0.key):\($0.values[$1])" }.joined(separator: "/")
    }

    /// Every combination of value indices.
    var all: [[Int]] {
        var result: [[Int]] = [[]]
        for metric in metrics {
            result = result.flatMap { partial in metric.values.indices.map { partial + [$0] } }
        }
        return result
    }
}

private let v3Space: [(key: String, values: [String])] = [
    ("AV", ["P", "L", "A", "N"]), ("AC", ["H", "L"]), ("PR", ["H", "L", "N"]), ("UI", ["R", "N"]),
    ("S", ["U", "C"]), ("C", ["N", "L", "H"]), ("I", ["N", "L", "H"]), ("A", ["N", "L", "H"]),
]

private let v2Space: [(key: String, values: [String])] = [
    ("AV", ["L", "A", "N"]), ("AC", ["H", "M", "L"]), ("Au", ["M", "S", "N"]),
    ("C", ["N", "P", "C"]), ("I", ["N", "P", "C"]), ("A", ["N", "P", "C"]),
]

private let v4Space: [(key: String, values: [String])] = [
    ("AV", ["P", "L", "A", "N"]), ("AC", ["H", "L"]), ("AT", ["P", "N"]), ("PR", ["H", "L", "N"]),
    ("UI", ["A", "P", "N"]), ("VC", ["N", "L", "H"]), ("VI", ["N", "L", "H"]), ("VA", ["N", "L", "H"]),
    ("SC", ["N", "L", "H"]), ("SI", ["N", "L", "H"]), ("SA", ["N", "L", "H"]),
]

@Suite("Properties over whole vector spaces")
struct PropertyTests {
    /// All 2,592 base vectors of v3.0 and of v3.1: scores in 0…10, round trip through
    /// `normalized`, severity from the score, and no score falls when one metric becomes more
    /// severe (Scope held fixed, since Scope is not an order of severity).
    @Test("CVSS v3.x base space", arguments: ["CVSS:3.0/", "CVSS:3.1/"])
    func v3BaseSpace(prefix: String) throws {
        let space = BaseSpace(prefix: prefix, metrics: v3Space)
        let all = space.all
        #expect(all.count == 2_592)
        var scores: [[Int]: Double] = [:]
        for indices in all {
            let text = space.vector(indices)
            let vector = try CVSSVector(parsing: text)
            #expect((0...10).contains(vector.baseScore))
            #expect(vector.normalized == text)
            #expect(try CVSSVector(parsing: vector.normalized) == vector)
            #expect(vector.severity == CVSSSeverity(score: vector.baseScore, version: vector.version))
            // No impact, no score; any impact, some score.
            let noImpact = indices[5] == 0 && indices[6] == 0 && indices[7] == 0
            #expect((vector.baseScore == 0) == noImpact, "\(text)")
            scores[indices] = vector.baseScore
        }
        var comparisons = 0
        for indices in all {
            for metric in space.metrics.indices where space.metrics[metric].key != "S" {
                guard indices[metric] + 1 < space.metrics[metric].values.count else { continue }
                var worse = indices
                worse[metric] += 1
                #expect(scores[worse]! >= scores[indices]!, "\(space.vector(indices)) → \(space.vector(worse))")
                comparisons += 1
            }
        }
        #expect(comparisons > 5_000)
    }

    /// All 729 CVSS v2.0 base vectors: in 0…10, round trip, and monotone in every metric.
    @Test("CVSS v2.0 base space")
    func v2BaseSpace() throws {
        let space = BaseSpace(prefix: "", metrics: v2Space)
        let all = space.all
        #expect(all.count == 729)
        var scores: [[Int]: Double] = [:]
        for indices in all {
            let text = space.vector(indices)
            let vector = try CVSSVector(parsing: text)
            #expect((0...10).contains(vector.baseScore))
            #expect(vector.normalized == text)
            scores[indices] = vector.baseScore
        }
        for indices in all {
            for metric in space.metrics.indices where indices[metric] + 1 < space.metrics[metric].values.count {
                var worse = indices
                worse[metric] += 1
                #expect(scores[worse]! >= scores[indices]!, "\(space.vector(indices)) → \(space.vector(worse))")
            }
        }
        #expect(scores[[2, 2, 2, 2, 2, 2]] == 10.0)
        #expect(scores[[0, 0, 0, 0, 0, 0]] == 0.0)
    }

    /// Every 11th of the 104,976 CVSS v4.0 base vectors (all of them take too long in a debug
    /// build): in 0…10, round trip, a MacroVector FIRST's table scores, and the stated identities
    /// (Not Defined threat is Attacked, Not Defined requirements are High, modified metrics that
    /// restate the base change nothing).
    @Test("CVSS v4.0 base space, sampled")
    func v4BaseSpace() throws {
        let space = BaseSpace(prefix: "CVSS:4.0/", metrics: v4Space)
        #expect(space.count == 104_976)
        var checked = 0
        for (offset, indices) in space.all.enumerated() where offset % 11 == 0 {
            let text = space.vector(indices)
            let vector = try CVSSVector(parsing: text)
            let score = vector.score
            #expect((0...10).contains(score))
            #expect(vector.baseScore == score)
            #expect(vector.normalized == text)
            let macroVector = try #require(vector.macroVector)
            #expect(macroVector.count == 6 && macroVector.allSatisfy(\.isNumber))
            let noImpact = indices[5...].allSatisfy { $0 == 0 }
            if noImpact { #expect(score == 0) }

            if offset % 77 == 0 {
                let attacked = try CVSSVector(parsing: text + "/E:A")
                #expect(attacked.score == score)
                #expect(attacked.threatScore == score)
                let restated =
                    text + "/CR:H/IR:H/AR:H/"
                    + zip(space.metrics, indices).map { "M\($0.key):\($0.values[$1])" }.joined(separator: "/")
                let environmental = try CVSSVector(parsing: restated)
                #expect(environmental.environmentalScore == score, "\(restated)")
                #expect(environmental.nomenclature == .baseEnvironmental)
            }
            checked += 1
        }
        #expect(checked == 9_544)
    }

    /// CVSS v3.x, Scope Unchanged: restating the base metrics as modified ones with Medium
    /// requirements gives the temporal score (with Scope Changed, v3.1's modified impact differs
    /// from the base impact by design).
    @Test("CVSS v3.x environmental restating the base", arguments: ["CVSS:3.0/", "CVSS:3.1/"])
    func v3Restated(prefix: String) throws {
        let space = BaseSpace(prefix: prefix, metrics: v3Space)
        for indices in space.all where indices[4] == 0 {
            let text = space.vector(indices) + "/E:P/RL:W/RC:R"
            let vector = try CVSSVector(parsing: text)
            let restated =
                text + "/CR:M/IR:M/AR:M/"
                + zip(space.metrics, indices).map { "M\($0.key):\($0.values[$1])" }.joined(separator: "/")
            let environmental = try CVSSVector(parsing: restated)
            #expect(environmental.environmentalScore == vector.temporalScore, "\(restated)")
        }
    }
}
