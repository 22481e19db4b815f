public import BulwarkModel
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
                        w.key("line"); w.int(s.location.line ?? 0)
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

    public static func simulationJSON(file: String, result: SimulationResult, diagnostics: [Diagnostic], seconds: Double, notes: [String] = [],
                                      toolVersion: String) -> [UInt8] {
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
            w.key("pert"); w.string(result.scenarios.first?.scenario.lossMagnitude.shape.rawValue ?? "classic")
            w.key("trials"); w.int(result.trials)
            w.key("seed"); w.int(Int(truncatingIfNeeded: result.seed))
            w.key("seconds"); w.double(seconds)
            w.key("scenarios")
            w.array { w in
                for s in result.scenarios {
                    w.object { w in
                        w.key("identifier"); w.string(s.scenario.identifier)
                        w.key("name"); w.string(s.scenario.name)
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

    public static func simulationText(file: String, result: SimulationResult, diagnostics: [Diagnostic], seconds: Double, notes: [String] = []) -> String {
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
            w.key("controls")
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
        return w.bytes + [0x0A]
    }

    public static func controlsText(estate: String, values: [ControlValue], lossBefore: Double) -> String {
        var out = ["What each control would save — \(estate)", String(format: "  annualized loss now: %.2f", lossBefore), ""]
        for (k, v) in values.enumerated() {
            out.append(String(format: "  %2d. %@ %@   saves %.2f a year (expected %.2f); cost %g%@", k + 1, v.action, v.change, v.value, v.expectedReduction, v.cost,
                              v.valuePerCost.map { String(format: ", %.2f per unit of cost", $0) } ?? ""))
        }
        if values.isEmpty { out.append("  no change on an attack path to an information asset") }
        return out.joined(separator: "\n") + "\n"
    }
}
