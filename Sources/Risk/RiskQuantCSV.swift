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
    static let columns = ["identifier", "name", "probability", "low_loss", "high_loss"]

    public static func read(_ text: String, file: String) throws(RiskInputError) -> (scenarios: [SimpleScenario], diagnostics: [Diagnostic]) {
        var rows = CSVRows(text)
        var diagnostics: [Diagnostic] = []
        var index: [Int]?
        var scenarios: [SimpleScenario] = []
        while let (line, fields) = rows.next() {
            if let problem = rows.problem {
                diagnostics.append(Diagnostic(.error, FileLocation(file: file, line: line), problem))
                rows.problem = nil
                continue
            }
            if fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            guard let cols = index else {
                let names = fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                let found = columns.map { names.firstIndex(of: $0) }
                guard found.allSatisfy({ $0 != nil }) else {
                    let missing = zip(columns, found).filter { $0.1 == nil }.map(\.0)
                    throw RiskInputError("\(file):\(line): not a riskquant CSV: expected the header Identifier,Name,Probability,Low_loss,High_loss (missing \(missing.joined(separator: ", ")))")
                }
                index = found.map { $0! }
                continue
            }
            func field(_ k: Int) -> String { cols[k] < fields.count ? fields[cols[k]].trimmingCharacters(in: .whitespaces) : "" }
            let location = FileLocation(file: file, line: line)
            guard fields.count > cols.max()! else {
                diagnostics.append(Diagnostic(.error, location, "expected \(cols.max()! + 1) fields, found \(fields.count); row left out"))
                continue
            }
            guard let p = Double(field(2)), (0...1).contains(p) else {
                diagnostics.append(Diagnostic(.error, location, "expected the probability as a number from 0 to 1, not '\(field(2))'; row left out"))
                continue
            }
            guard let low = Double(field(3)), let high = Double(field(4)), let loss = LognormalLoss(low: low, high: high) else {
                diagnostics.append(Diagnostic(.error, location, "expected losses with 0 < Low_loss ≤ High_loss, not '\(field(3))' and '\(field(4))'; row left out"))
                continue
            }
            scenarios.append(SimpleScenario(identifier: field(0), name: field(1), probability: p, loss: loss, location: location))
        }
        guard index != nil else { throw RiskInputError("\(file): not a riskquant CSV: expected the header Identifier,Name,Probability,Low_loss,High_loss") }
        guard !scenarios.isEmpty else { throw RiskInputError("\(file): no usable scenario row") }
        return (scenarios, diagnostics)
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
