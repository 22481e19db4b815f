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
}
