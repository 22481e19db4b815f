import ArgumentParser
import BulwarkModel
import CVSS

struct CVSSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cvss",
        abstract: "Score a CVSS v2, v3.0, v3.1 or v4.0 vector as FIRST's specifications define.",
        discussion: "Exit status 2 when the vector does not parse; the message says what was expected."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: "The vector, e.g. CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H.")
    var vector: String
    @Option(help: "text or json.") var format: Format?

    func run() throws {
        let v: CVSSVector
        do { v = try CVSSVector(parsing: vector) } catch { throw unusableInput("not a CVSS vector: \(error.description)") }
        switch format ?? (IO.stdoutIsTerminal ? .text : .json) {
        case .json:
            var w = JSONWriter()
            w.object { w in
                w.key("version"); w.string(v.version.rawValue)
                w.key("base_score"); w.double(v.baseScore)
                w.key("severity"); w.string(v.severity.rawValue)
                w.key("vector"); w.string(v.normalized)
                if let t = v.temporalScore { w.key("temporal_score"); w.double(t) }
                if let t = v.threatScore { w.key("threat_score"); w.double(t) }
                if let e = v.environmentalScore { w.key("environmental_score"); w.double(e) }
                w.key("score"); w.double(v.score)
                w.key("score_severity"); w.string(v.scoreSeverity.rawValue)
                if let n = v.nomenclature { w.key("nomenclature"); w.string(n.rawValue) }
                if let m = v.macroVector { w.key("macro_vector"); w.string(m) }
            }
            IO.write(w.text + "\n")
        case .text:
            var lines = ["CVSS \(v.version.rawValue)  \(v.normalized)", "base score \(Self.decimal(v.baseScore)) (\(v.severity.rawValue))"]
            if let t = v.temporalScore { lines.append("temporal score \(Self.decimal(t))") }
            if let t = v.threatScore { lines.append("threat score (CVSS-BT) \(Self.decimal(t))") }
            if let e = v.environmentalScore { lines.append("environmental score\(v.nomenclature.map { " (\($0.rawValue))" } ?? "") \(Self.decimal(e))") }
            if let m = v.macroVector { lines.append("macro vector \(m)") }
            IO.write(lines.joined(separator: "\n") + "\n")
        }
    }

    /// Scores are written with one decimal, as the specifications publish them.
    static func decimal(_ x: Double) -> String {
        let tenths = Int((x * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
