import BulwarkModel
import Estate
public import Controls
import Foundation
import Frameworks
public import Risk

/// `bulwark controls`: the control inventory, the Statement of Applicability, CSF 2.0 coverage and
/// the value of the controls in place (docs/controls.md).
public enum ControlsReport {
    public static let schemaVersion = "1.0.0"

    // MARK: The inventory

    public static func inventoryJSON(estate: String, records: [ControlRecord], toolVersion: String) -> [UInt8] {
        var w = JSONWriter()
        w.object { w in
            ReportJSON.header(&w, schemaVersion: schemaVersion, estate: estate, toolVersion: toolVersion)
            w.key("counts"); w.object { w in
                for kind in ControlRecord.Kind.allCases {
                    w.key(kind.rawValue); w.int(records.lazy.filter { $0.kind == kind }.count)
                }
            }
            w.key("controls")
            w.array { w in
                for r in records {
                    w.object { w in
                        w.key("id"); w.string(r.id)
                        w.key("kind"); w.string(r.kind.rawValue)
                        w.key("name"); w.string(r.name)
                        w.key("status"); w.string(r.status.rawValue)
                        w.key("owner"); if let o = r.owner { w.string(o) } else { w.null() }
                        w.key("evidence"); w.array { w in for e in r.evidence { w.string(e) } }
                        w.key("applies_to"); w.array { w in for a in r.appliesTo { w.string(a) } }
                        ReportJSON.routing(r.routing, into: &w)
                        w.key("notes"); w.array { w in for n in r.notes { w.string(n) } }
                    }
                }
            }
        }
        return w.bytes + [0x0A]
    }

    public static func inventoryText(estate: String, records: [ControlRecord]) -> String {
        var out = ["Controls — \(estate)", ""]
        for kind in ControlRecord.Kind.allCases {
            let list = records.filter { $0.kind == kind }
            guard !list.isEmpty else { continue }
            let byStatus = Dictionary(grouping: list, by: \.status).map { "\($0.value.count) \($0.key.rawValue)" }.sorted().joined(separator: ", ")
            out.append("\(title(kind)) (\(byStatus))")
            let shown = list.prefix(kind == .rule || kind == .permission ? 20 : 40)
            for r in shown {
                let owner = r.owner.map { ", owner \($0)" } ?? ""
                out.append("  [\(r.status.rawValue)] \(r.id)  \(r.name)  (\(r.evidence.first ?? "no evidence")\(owner))")
                for n in r.notes where r.status != .implemented { out.append("      \(n)") }
            }
            if list.count > shown.count { out.append("  … and \(list.count - shown.count) more (--format json lists all)") }
            out.append("")
        }
        if records.isEmpty { out.append("  no control found") }
        return out.joined(separator: "\n") + "\n"
    }

    private static func title(_ kind: ControlRecord.Kind) -> String {
        switch kind {
        case .rule: "Firewall rules"
        case .permission: "Security-group permissions"
        case .patch: "Patches"
        case .mfa: "Multi-factor authentication"
        case .backup: "Backups"
        case .encryption: "Encryption"
        case .edr: "Endpoint detection and response"
        case .right: "AD rights on Tier Zero held outside it"
        case .attested: "Attested controls"
        }
    }

    // MARK: Statement of Applicability and CSF coverage

    public static func applicabilityJSON(estate: String, framework: String, entries: [ApplicabilityEntry], toolVersion: String) -> [UInt8] {
        var w = JSONWriter()
        w.object { w in
            ReportJSON.header(&w, schemaVersion: schemaVersion, estate: estate, toolVersion: toolVersion)
            w.key("framework"); w.string(framework)
            w.key("summary"); w.object { w in
                w.key("applicable"); w.int(entries.lazy.filter(\.applicable).count)
                for i in Implementation.allCases {
                    w.key(i.rawValue); w.int(entries.lazy.filter { $0.applicable && $0.implemented == i }.count)
                }
            }
            w.key("controls")
            w.array { w in
                for e in entries {
                    w.object { w in
                        w.key("id"); w.string(e.id)
                        w.key("title"); w.string(e.title)
                        w.key("applicable"); w.bool(e.applicable)
                        w.key("implemented"); w.string(e.implemented.rawValue)
                        w.key("justification"); w.string(e.justification)
                        w.key("evidence"); w.array { w in for x in e.evidence { w.string(x) } }
                        w.key("controls"); w.array { w in for c in e.controls { w.string(c) } }
                        w.key("control_count"); w.int(e.controlCount)
                        w.key("owner"); if let o = e.owner { w.string(o) } else { w.null() }
                        ReportJSON.routing(e.routing, into: &w)
                        w.key("notes"); w.array { w in for n in e.notes { w.string(n) } }
                    }
                }
            }
        }
        return w.bytes + [0x0A]
    }

    public static func applicabilityText(estate: String, framework: String, entries: [ApplicabilityEntry]) -> String {
        var out = ["\(framework) — \(estate)", ""]
        let applicable = entries.filter(\.applicable)
        out.append("  \(applicable.count) of \(entries.count) applicable; implemented: "
                   + Implementation.allCases.map { i in "\(applicable.filter { $0.implemented == i }.count) \(i.rawValue)" }.joined(separator: ", "))
        out.append("")
        for e in entries {
            let state = e.applicable ? e.implemented.rawValue : "n/a"
            out.append("  \(e.id.padding(toLength: 9, withPad: " ", startingAt: 0)) \(state.padding(toLength: 8, withPad: " ", startingAt: 0)) \(e.title)")
            out.append("            \(e.justification)" + (e.evidence.first.map { " — \($0)" } ?? ""))
            for n in e.notes { out.append("            ! \(n)") }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// The Statement of Applicability as CSV, for the spreadsheet an auditor keeps (RFC 4180 quoting).
    public static func applicabilityCSV(entries: [ApplicabilityEntry]) -> String {
        var out = ["id,title,applicable,implemented,justification,evidence,owner,cissp_domain"]
        for e in entries {
            out.append([e.id, e.title, e.applicable ? "yes" : "no", e.implemented.rawValue, e.justification, e.evidence.joined(separator: "; "),
                        e.owner ?? "", e.routing.domain.description].map(ReportCSV.field).joined(separator: ","))
        }
        return out.joined(separator: "\r\n") + "\r\n"
    }

    // MARK: Value of the controls in place

    public static func valueJSON(estate: String, result: InPlaceValue.Result, proposed: [ControlValue], trials: Int, seed: UInt64, toolVersion: String) -> [UInt8] {
        var w = JSONWriter()
        w.object { w in
            ReportJSON.header(&w, schemaVersion: schemaVersion, estate: estate, toolVersion: toolVersion)
            w.key("trials"); w.int(trials)
            w.key("seed"); w.int(Int(truncatingIfNeeded: seed))
            w.key("annualized_loss"); w.double(result.lossWith)
            w.key("controls")
            w.array { w in
                for v in result.values {
                    w.object { w in
                        w.key("control"); w.string(v.control)
                        w.key("kind"); w.string(v.kind.rawValue)
                        w.key("name"); w.string(v.name)
                        w.key("evidence"); w.array { w in for e in v.evidence { w.string(e) } }
                        w.key("annualized_loss_without"); w.double(v.lossWithout)
                        w.key("value"); w.double(v.value)
                        w.key("expected_value"); w.double(v.expectedValue)
                    }
                }
            }
            w.key("not_valued")
            w.array { w in
                for n in result.notValued {
                    w.object { w in
                        w.key("control"); w.string(n.control)
                        w.key("reason"); w.string(n.reason)
                    }
                }
            }
            w.key("proposed"); RiskReport.changeValues(proposed, into: &w)
            w.key("rules_screened_out"); w.int(result.rulesScreenedOut)
            w.key("rules_without_effect"); w.int(result.rulesWithoutEffect)
            w.key("rules_not_valued"); w.int(result.rulesNotValued)
            w.key("accept_rules"); w.int(result.acceptRules)
            w.key("jump_rules"); w.int(result.jumpRules)
            w.key("exact"); w.bool(result.exact)
        }
        return w.bytes + [0x0A]
    }

    public static func valueText(estate: String, result: InPlaceValue.Result, proposed: [ControlValue]) -> String {
        var out = ["What each control in place is worth — \(estate)", String(format: "  annualized loss as the estate is: %.2f", result.lossWith), ""]
        for (k, v) in result.values.enumerated() {
            out.append(String(format: "  %2d. %@  %@   worth %.2f a year (expected %.2f); without it %.2f", k + 1, v.control, v.name, v.value,
                              v.expectedValue, v.lossWithout))
            if let e = v.evidence.first { out.append("      \(e)") }
        }
        if result.values.isEmpty { out.append("  no control in place stands on an attack path the register rests on") }
        out.append("")
        out.append("  \(result.rulesScreenedOut) dropping rule(s) need no valuation: no attack step can use the packets they drop (worth 0)")
        if result.rulesWithoutEffect > 0 {
            out.append("  \(result.rulesWithoutEffect) more change a firewall's verdict on an attack flow, but taking them out changes no way the register rests on (worth 0)")
        }
        if result.acceptRules + result.jumpRules > 0 {
            out.append("  not valued here: \(result.acceptRules) rule(s) that accept traffic (what one lets in: bulwark why FIREWALL:CHAIN:POSITION) and \(result.jumpRules) jump(s) (the rules of the chains they call are valued)")
        }
        if !result.exact {
            out.append("  NOT EXACT: \(result.rulesNotValued) dropping rule(s) that may be worth something were not valued within the time limit")
        }
        let grouped = Dictionary(grouping: result.notValued, by: \.reason)
        for (reason, list) in grouped.sorted(by: { $0.key < $1.key }) {
            out.append("  not valued (\(list.count)): \(reason)")
        }
        out.append("")
        out.append("What each change not yet in place would save")
        out += RiskReport.changeValueLines(proposed)
        if proposed.isEmpty { out.append("  no change on an attack path to an information asset") }
        return out.joined(separator: "\n") + "\n"
    }
}
