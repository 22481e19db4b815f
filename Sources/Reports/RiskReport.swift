public import BulwarkModel
import AttackGraph
import Estate
import Foundation
public import Risk

/// `bulwark risk quantify`: each scenario's annualized loss (docs/risk.md).
public enum RiskReport {
    public static let schemaVersion = "1.0.0"

    public static func quantifyJSON(file: String, scenarios: [SimpleScenario], diagnostics: [Diagnostic], toolVersion: String) -> [UInt8] {
        var w = JSONWriter()
        w.object { w in
            ReportJSON.header(&w, schemaVersion: schemaVersion, estate: nil, toolVersion: toolVersion)
            w.key("file"); w.string(file)
            w.key("model"); w.string("riskquant SimpleModel: probability × mean of a lognormal loss with Low_loss and High_loss as its 5th and 95th percentiles")
            w.key("scenarios")
            w.array { w in
                for s in scenarios {
                    w.object { w in
                        w.key("identifier"); w.string(s.identifier)
                        w.key("name"); w.string(s.name)
                        w.key("probability"); w.double(s.probability)
                        w.key("low_loss"); w.double(s.loss.low)
                        w.key("high_loss"); w.double(s.loss.high)
                        w.key("mu"); w.double(s.loss.mu)
                        w.key("sigma"); w.double(s.loss.sigma)
                        w.key("mean_loss"); w.double(s.loss.mean)
                        w.key("annualized_loss"); w.double(s.annualizedLoss)
                        w.key("line"); w.int(s.location.line)
                    }
                }
            }
            w.key("total_annualized_loss"); w.double(scenarios.reduce(0) { $0 + $1.annualizedLoss })
            w.key("diagnostics"); ReportJSON.diagnostics(diagnostics, into: &w)
        }
        return w.bytes + [0x0A]
    }

    public static func quantifyText(file: String, scenarios: [SimpleScenario], diagnostics: [Diagnostic]) -> String {
        var out = ["Annualized loss — \(file)", ""]
        let width = min(40, scenarios.map { ($0.identifier + " " + $0.name).count }.max() ?? 10)
        for s in scenarios.sorted(by: { $0.annualizedLoss > $1.annualizedLoss }) {
            let label = (s.identifier + " " + s.name).padding(toLength: width, withPad: " ", startingAt: 0)
            out.append(String(format: "  %@  %14.2f   (p %.4g × mean loss %.2f)", label, s.annualizedLoss, s.probability, s.loss.mean))
        }
        out.append("")
        out.append(String(format: "  total %.2f a year", scenarios.reduce(0) { $0 + $1.annualizedLoss }))
        for d in diagnostics { out.append("  \(d)") }
        return out.joined(separator: "\n") + "\n"
    }

    /// `register`: the register's entries by scenario identifier, for their asset, objective,
    /// currency and treatment (`bulwark risk register`).
    public static func simulationJSON(file: String, result: SimulationResult, diagnostics: [Diagnostic], seconds: Double, notes: [String] = [],
                                      register: [String: RiskRegister.Entry] = [:], toolVersion: String) -> [UInt8] {
        var w = JSONWriter()
        func stats(_ s: LossStatistics, _ w: inout JSONWriter) {
            w.key("annualized_loss"); w.double(s.mean)
            w.key("standard_error"); w.double(s.standardError)
            w.key("var_95"); w.double(s.valueAtRisk95)
            w.key("var_99"); w.double(s.valueAtRisk99)
            w.key("max"); w.double(s.maximum)
        }
        w.object { w in
            ReportJSON.header(&w, schemaVersion: schemaVersion, estate: nil, toolVersion: toolVersion)
            w.key("file"); w.string(file)
            w.key("model"); w.string("per trial, loss event frequency × loss magnitude, each from its PERT estimate (gamma 4), as pyfair's FairModel")
            w.key("pert"); w.string(result.scenarios.lazy.compactMap { $0.scenario.magnitude.pert }.first?.shape.rawValue ?? "classic")
            w.key("trials"); w.int(result.trials)
            w.key("seed"); w.int(Int(truncatingIfNeeded: result.seed))
            w.key("seconds"); w.double(seconds)
            w.key("scenarios")
            w.array { w in
                for s in result.scenarios {
                    w.object { w in
                        w.key("identifier"); w.string(s.scenario.identifier)
                        w.key("name"); w.string(s.scenario.name)
                        if let e = register[s.scenario.identifier] { registerEntry(e, into: &w) }
                        stats(s.statistics, &w)
                        w.key("expected_annual_loss"); w.double(s.scenario.expectedAnnualLoss)
                        w.key("threat_events")
                        w.array { w in
                            for t in s.scenario.threatEvents {
                                w.object { w in
                                    w.key("source"); w.string(t.source)
                                    w.key("per_year"); w.object { w in
                                        w.key("low"); w.double(t.frequency.low)
                                        w.key("most_likely"); w.double(t.frequency.mode)
                                        w.key("high"); w.double(t.frequency.high)
                                    }
                                    w.key("probability"); w.double(t.probability)
                                }
                            }
                        }
                    }
                }
            }
            w.key("total"); w.object { w in stats(result.total, &w) }
            w.key("loss_exceedance")
            w.array { w in
                for p in result.exceedance {
                    w.object { w in
                        w.key("loss"); w.double(p.loss)
                        w.key("probability"); w.double(p.probability)
                    }
                }
            }
            w.key("notes"); w.array { w in for n in notes { w.string(n) } }
            w.key("diagnostics"); ReportJSON.diagnostics(diagnostics, into: &w)
        }
        return w.bytes + [0x0A]
    }

    /// A register entry's asset, objective, currency and treatment (`open` when nobody decided).
    static func registerEntry(_ e: RiskRegister.Entry, into w: inout JSONWriter) {
        w.key("asset"); w.string(e.asset)
        w.key("objective"); w.string(e.objective.rawValue)
        w.key("currency"); w.string(e.currency)
        w.key("treatment")
        w.object { w in
            let t = e.treatment
            w.key("decision"); w.string(t?.decision.rawValue ?? "open")
            func text(_ key: String, _ value: String?) {
                w.key(key); if let value { w.string(value) } else { w.null() }
            }
            text("owner", t?.owner)
            text("record", t?.record)
            text("reason", t?.reason)
            text("decided", t?.decided?.description)
            text("review", t?.review?.description)
            text("line", t.map { "\($0.location.file):\($0.location.line)" })
        }
    }

    public static func simulationText(file: String, result: SimulationResult, diagnostics: [Diagnostic], seconds: Double, notes: [String] = [],
                                      register: [String: RiskRegister.Entry] = [:]) -> String {
        var out = ["Monte Carlo — \(file): \(result.trials) trials, seed \(result.seed), \(String(format: "%.2f", seconds)) s", ""]
        out.append("  scenario                                  ALE            VaR 95         VaR 99")
        for s in result.scenarios.sorted(by: { $0.statistics.mean > $1.statistics.mean }) {
            let label = (s.scenario.identifier + " " + s.scenario.name).padding(toLength: 36, withPad: " ", startingAt: 0)
            out.append(String(format: "  %@ %14.2f %14.2f %14.2f", label, s.statistics.mean, s.statistics.valueAtRisk95, s.statistics.valueAtRisk99))
        }
        out.append(String(format: "  %@ %14.2f %14.2f %14.2f", "total".padding(toLength: 36, withPad: " ", startingAt: 0), result.total.mean, result.total.valueAtRisk95, result.total.valueAtRisk99))
        if !result.exceedance.isEmpty {
            out.append("")
            out.append("Loss exceedance (a year's total loss above …)")
            for p in result.exceedance where p.probability > 0 { out.append(String(format: "  %16.2f  %6.2f%%", p.loss, p.probability * 100)) }
        }
        let sourced = result.scenarios.filter { !$0.scenario.threatEvents.isEmpty }
        if !sourced.isEmpty {
            out.append("")
            out.append("Where the loss events come from (the most likely way's probability from each entry point)")
            for s in sourced {
                out.append("  \(s.scenario.identifier): " + s.scenario.threatEvents.map { String(format: "%@ %.3g", $0.source, $0.probability) }.joined(separator: ", "))
            }
        }
        if !register.isEmpty {
            out.append("")
            out.append("Treatment")
            for s in result.scenarios {
                guard let e = register[s.scenario.identifier] else { continue }
                if let t = e.treatment {
                    out.append("  \(s.scenario.identifier): \(t.decision.rawValue) by \(t.owner)" + (t.record.map { ", on record \($0)" } ?? "")
                               + (t.review.map { ", review \($0)" } ?? "") + (t.reason.map { " — \($0)" } ?? ""))
                } else {
                    out.append("  \(s.scenario.identifier): open (no decision in the manifest)")
                }
            }
        }
        for n in notes { out.append("  note: \(n)") }
        for d in diagnostics { out.append("  \(d)") }
        return out.joined(separator: "\n") + "\n"
    }

    public static func controlsJSON(estate: String, values: [ControlValue], lossBefore: Double, trials: Int, seed: UInt64, toolVersion: String) -> [UInt8] {
        var w = JSONWriter()
        w.object { w in
            ReportJSON.header(&w, schemaVersion: schemaVersion, estate: estate, toolVersion: toolVersion)
            w.key("trials"); w.int(trials)
            w.key("seed"); w.int(Int(truncatingIfNeeded: seed))
            w.key("annualized_loss"); w.double(lossBefore)
            w.key("controls"); changeValues(values, into: &w)
        }
        return w.bytes + [0x0A]
    }

    /// The changes not yet in place, valued: as `bulwark risk controls` and `bulwark controls value` write them.
    static func changeValues(_ values: [ControlValue], into w: inout JSONWriter) {
        w.array { w in
            for v in values {
                w.object { w in
                    w.key("control"); w.string(v.change)
                    w.key("action"); w.string(v.action)
                    w.key("kind"); w.string(v.kind)
                    w.key("cost"); w.double(v.cost)
                    w.key("annualized_loss_after"); w.double(v.lossAfter)
                    w.key("value"); w.double(v.value)
                    w.key("expected_reduction"); w.double(v.expectedReduction)
                    w.key("value_per_cost"); if let r = v.valuePerCost { w.double(r) } else { w.null() }
                    ReportJSON.frameworks(ofChange: v.kind, into: &w)
                }
            }
        }
    }

    static func changeValueLines(_ values: [ControlValue]) -> [String] {
        values.enumerated().map { k, v in
            String(format: "  %2d. %@ %@   saves %.2f a year (expected %.2f); cost %g%@", k + 1, v.action, v.change, v.value, v.expectedReduction, v.cost,
                   v.valuePerCost.map { String(format: ", %.2f per unit of cost", $0) } ?? "")
        }
    }

    public static func controlsText(estate: String, values: [ControlValue], lossBefore: Double) -> String {
        var out = ["What each control would save — \(estate)", String(format: "  annualized loss now: %.2f", lossBefore), ""]
        out += changeValueLines(values)
        if values.isEmpty { out.append("  no change on an attack path to an information asset") }
        return out.joined(separator: "\n") + "\n"
    }
}
