public import BulwarkModel

/// One scenario of a Netflix riskquant CSV: an event with an annual probability and a loss range.
public struct SimpleScenario: Sendable, Hashable {
    public var identifier: String
    public var name: String
    /// The probability the event happens in a year, 0...1.
    public var probability: Double
    public var loss: LognormalLoss
    public var location: FileLocation

    /// probability × the mean loss: riskquant's `SimpleModel.annualized_loss()`.
    public var annualizedLoss: Double { probability * loss.mean }
}

/// An input that cannot be used at all.
public struct RiskInputError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Reads riskquant's CSV: a header with `Identifier,Name,Probability,Low_loss,High_loss` (any
/// order and case; other columns ignored), then one scenario a row. Fields may be quoted as RFC
/// 4180 says. A bad row is a diagnostic naming its line and is left out; a file without the header
/// or without one usable row throws.
public enum RiskQuantCSV {
    public static func read(_ text: String, file: String) throws(RiskInputError) -> (scenarios: [SimpleScenario], diagnostics: [Diagnostic]) {
        try CSVTable.read(text, file: file, format: "riskquant CSV", columns: ["Identifier", "Name", "Probability", "Low_loss", "High_loss"]) { f, location in
            guard let p = Double(f[2]), (0...1).contains(p) else { return .failure("expected the probability as a number from 0 to 1, not '\(f[2])'; row left out") }
            guard let low = Double(f[3]), let high = Double(f[4]), let loss = LognormalLoss(low: low, high: high) else {
                return .failure("expected losses with 0 < Low_loss ≤ High_loss, not '\(f[3])' and '\(f[4])'; row left out")
            }
            return .success(SimpleScenario(identifier: f[0], name: f[1], probability: p, loss: loss, location: location))
        }
    }
}

/// A CSV file of scenarios: a header naming the columns (any order and case, others ignored), then
/// one scenario a row.
enum CSVTable {
    struct RowProblem: Error { var message: String }

    static func read<Row>(_ text: String, file: String, format: String, columns: [String],
                          row make: ([String], FileLocation) -> Result<Row, RowProblem>) throws(RiskInputError) -> ([Row], [Diagnostic]) {
        var rows = CSVRows(text)
        var diagnostics: [Diagnostic] = []
        var index: [Int]?
        var out: [Row] = []
        let header = columns.joined(separator: ",")
        while let (line, fields) = rows.next() {
            let location = FileLocation(file: file, line: line)
            if let problem = rows.problem {
                diagnostics.append(Diagnostic(.error, location, problem))
                rows.problem = nil
                continue
            }
            if fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            guard let cols = index else {
                let names = fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                let found = columns.map { names.firstIndex(of: $0.lowercased()) }
                let missing = zip(columns, found).filter { $0.1 == nil }.map(\.0)
                guard missing.isEmpty else {
                    throw RiskInputError("\(file):\(line): not a \(format): expected the header \(header) (missing \(missing.joined(separator: ", ")))")
                }
                index = found.map { $0! }
                continue
            }
            guard fields.count > cols.max()! else {
                diagnostics.append(Diagnostic(.error, location, "expected \(cols.max()! + 1) fields, found \(fields.count); row left out"))
                continue
            }
            switch make(cols.map { fields[$0].trimmingCharacters(in: .whitespaces) }, location) {
            case .success(let r): out.append(r)
            case .failure(let p): diagnostics.append(Diagnostic(.error, location, p.message))
            }
        }
        guard index != nil else { throw RiskInputError("\(file): not a \(format): expected the header \(header)") }
        guard !out.isEmpty else { throw RiskInputError("\(file): no usable scenario row") }
        return (out, diagnostics)
    }
}

extension Result where Failure == CSVTable.RowProblem {
    static func failure(_ message: String) -> Self { .failure(CSVTable.RowProblem(message: message)) }
}

/// Reads FAIR scenarios: a header with `Identifier,Name,LEF_low,LEF_mode,LEF_high,LM_low,LM_mode,LM_high`
/// (loss events a year and the loss of one event, each a PERT estimate), then one scenario a row.
public enum FAIRCSV {
    public static func read(_ text: String, file: String, shape: PERT.Shape = .classic) throws(RiskInputError) -> (scenarios: [FAIRScenario], diagnostics: [Diagnostic]) {
        let columns = ["Identifier", "Name", "LEF_low", "LEF_mode", "LEF_high", "LM_low", "LM_mode", "LM_high"]
        return try CSVTable.read(text, file: file, format: "FAIR scenario CSV", columns: columns) { f, location in
            let v = f[2...].map { Double($0) }
            guard v.allSatisfy({ $0 != nil }) else { return .failure("expected numbers for LEF_low … LM_high; row left out") }
            guard v[0]! >= 0, let lef = PERT(low: v[0]!, mode: v[1]!, high: v[2]!, shape: shape) else {
                return .failure("expected 0 ≤ LEF_low ≤ LEF_mode ≤ LEF_high (loss events a year); row left out")
            }
            guard v[3]! >= 0, let lm = PERT(low: v[3]!, mode: v[4]!, high: v[5]!, shape: shape) else {
                return .failure("expected 0 ≤ LM_low ≤ LM_mode ≤ LM_high (the loss of one event); row left out")
            }
            return .success(FAIRScenario(identifier: f[0], name: f[1], lossEventFrequency: lef, magnitude: .pert(lm), location: location))
        }
    }
}

/// The records of a CSV text (RFC 4180: quoted fields may hold commas, doubled quotes and line
/// breaks), each with the line it starts on.
struct CSVRows {
    private let bytes: [UInt8]
    private var at = 0
    private var line = 1
    /// What was wrong with the record just returned (an unterminated quote).
    var problem: String?

    init(_ text: String) {
        var b = Array(text.utf8)
        if b.starts(with: [0xEF, 0xBB, 0xBF]) { b.removeFirst(3) }
        bytes = b
    }

    mutating func next() -> (line: Int, fields: [String])? {
        guard at < bytes.count else { return nil }
        let start = line
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false
        while at < bytes.count {
            let c = bytes[at]
            at += 1
            if quoted {
                if c == UInt8(ascii: "\"") {
                    if at < bytes.count && bytes[at] == UInt8(ascii: "\"") { field.append(c); at += 1 } else { quoted = false }
                } else {
                    if c == 0x0A { line += 1 }
                    field.append(c)
                }
                continue
            }
            switch c {
            case UInt8(ascii: "\""): quoted = true
            case UInt8(ascii: ","):
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll()
            case 0x0D: continue
            case 0x0A:
                line += 1
                fields.append(String(decoding: field, as: UTF8.self))
                return (start, fields)
            default: field.append(c)
            }
        }
        if quoted { problem = "a quoted field is not closed before the end of the file" }
        fields.append(String(decoding: field, as: UTF8.self))
        return (start, fields)
    }
}

import Foundation
