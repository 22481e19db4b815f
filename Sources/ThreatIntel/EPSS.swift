public import BulwarkModel
import Foundation

/// FIRST's Exploit Prediction Scoring System: for each CVE, the probability of exploitation
/// activity in the next 30 days, and its percentile among all scored CVEs, as of one day.
public struct EPSSScores: Sendable {
    public struct Score: Sendable, Hashable {
        /// Probability of exploitation activity in the next 30 days, 0...1.
        public var probability: Double
        /// The share of scored CVEs with a probability no higher, 0...1.
        public var percentile: Double

        public init(probability: Double, percentile: Double) {
            self.probability = probability
            self.percentile = percentile
        }
    }

    /// The model that produced the scores (`model_version` of the file's `#` line), e.g. "v2025.03.14".
    public let modelVersion: String?
    /// The day the scores are for (`score_date`), as written (ISO 8601).
    public let scoreDate: String?
    private let scores: [String: Score]

    public init(modelVersion: String?, scoreDate: String?, scores: [String: Score]) {
        self.modelVersion = modelVersion
        self.scoreDate = scoreDate
        self.scores = scores
    }

    public var count: Int { scores.count }

    /// The score of a CVE (any letter case), when it is scored.
    public func score(_ cve: String) -> Score? { scores[cve.uppercased()] }

    /// Every score, in CVE order (for storing).
    public var all: [(cve: String, score: Score)] { scores.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }

    /// Reads FIRST's CSV (already decompressed): `#model_version:…,score_date:…` line(s), the
    /// header `cve,epss,percentile` (columns found by name), then one row per CVE. A bad row is a
    /// diagnostic naming its line and is left out; a file without the header, or without a single
    /// usable row, throws.
    public static func read(bytes: [UInt8], file: String) throws(ThreatIntelError) -> (EPSSScores, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var metadata: [String: String] = [:]
        var columns: (cve: Int, epss: Int, percentile: Int, count: Int)?
        var scores: [String: Score] = [:]
        scores.reserveCapacity(bytes.count / 30)
        var lineNumber = 0
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        func problem(_ message: String) {
            if diagnostics.count < 1000 {
                diagnostics.append(Diagnostic(.error, FileLocation(file: file, line: lineNumber), message))
            } else if diagnostics.count == 1000 {
                diagnostics.append(Diagnostic(.error, FileLocation(file: file, line: lineNumber), "more bad rows follow; not listed"))
            }
        }
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            lineNumber += 1
            var stop = end
            if stop > start && bytes[stop - 1] == 0x0D { stop -= 1 }
            let line = bytes[start..<stop]
            start = end + 1
            if line.isEmpty { continue }
            if line.first == UInt8(ascii: "#") {
                for pair in String(decoding: line.dropFirst(), as: UTF8.self).split(separator: ",") {
                    guard let colon = pair.firstIndex(of: ":") else { continue }
                    metadata[pair[..<colon].trimmingCharacters(in: .whitespaces)] = pair[pair.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
                continue
            }
            let fields = line.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
            guard let c = columns else {
                let names = fields.map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespaces).lowercased() }
                guard let cve = names.firstIndex(of: "cve"), let epss = names.firstIndex(of: "epss"), let pct = names.firstIndex(of: "percentile") else {
                    throw ThreatIntelError("\(file):\(lineNumber): not an EPSS file: expected the header cve,epss,percentile")
                }
                columns = (cve, epss, pct, names.count)
                continue
            }
            guard fields.count >= c.count else { problem("expected \(c.count) comma-separated fields (cve,epss,percentile); row skipped"); continue }
            let cve = String(decoding: fields[c.cve], as: UTF8.self).uppercased()
            guard cve.hasPrefix("CVE-"), cve.count >= 13 else { problem("expected a CVE id like CVE-2024-12345, not '\(cve)'; row skipped"); continue }
            guard let p = Double(String(decoding: fields[c.epss], as: UTF8.self)), (0...1).contains(p) else {
                problem("expected the EPSS probability of \(cve) as a number from 0 to 1; row skipped")
                continue
            }
            guard let q = Double(String(decoding: fields[c.percentile], as: UTF8.self)), (0...1).contains(q) else {
                problem("expected the percentile of \(cve) as a number from 0 to 1; row skipped")
                continue
            }
            if scores.updateValue(Score(probability: p, percentile: q), forKey: cve) != nil {
                diagnostics.append(Diagnostic(.warning, FileLocation(file: file, line: lineNumber), "\(cve) is scored twice; the later row is used"))
            }
        }
        if columns == nil { throw ThreatIntelError("\(file): not an EPSS file: expected the header cve,epss,percentile") }
        if scores.isEmpty { throw ThreatIntelError("\(file): no usable row of EPSS scores") }
        if metadata["score_date"] == nil {
            diagnostics.append(Diagnostic(.warning, FileLocation(file: file, line: 1), "expected a '#model_version:…,score_date:…' line; the scores' date is unknown"))
        }
        return (EPSSScores(modelVersion: metadata["model_version"], scoreDate: metadata["score_date"], scores: scores), diagnostics)
    }
}
