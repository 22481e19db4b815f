public import Frameworks
import BulwarkModel
import Estate
public import NetworkReach

/// Whether a control of a framework is in place, as far as the evidence shows.
public enum Implementation: String, Sendable, Hashable, CaseIterable {
    case yes, partial, no
    /// Nothing in the exports or the manifest says either way.
    case unknown
}

/// One line of a Statement of Applicability, or of a CSF 2.0 coverage table.
public struct ApplicabilityEntry: Sendable, Hashable {
    /// `8.20` (Annex A) or `PR.IR-01` (CSF).
    public var id: String
    /// Bulwark's short title (Annex A) or the subcategory's outcome (CSF).
    public var title: String
    public var applicable: Bool
    public var implemented: Implementation
    /// `file:line` of the exports and the manifest, and the evidence attested facts name.
    public var evidence: [String]
    /// Why it is or is not applicable, and how implemented was decided.
    public var justification: String
    /// The controls behind it, by id (`ControlRecord.id`); `controlCount` is their number when the
    /// list is cut short.
    public var controls: [String]
    public var controlCount: Int
    public var owner: String?
    public var routing: Routing
    /// Where the exports and the attestation disagree.
    public var notes: [String]
}

/// A finding that shows a control falling short, whatever controls are in place: a segmentation
/// violation for 8.22, a KEV-listed vulnerability for 8.8.
public struct ControlGap: Sendable, Hashable {
    public var annexA: [String]
    public var csf: [String]
    public var description: String
    public var evidence: String

    public init(annexA: [String], csf: [String], description: String, evidence: String) {
        self.annexA = annexA
        self.csf = csf
        self.description = description
        self.evidence = evidence
    }
}

extension ControlGap {
    /// The segmentation check's failing violations, against 8.22/8.20 and PR.IR-01, each with the
    /// policy line it breaks (`manifestPath:LINE`).
    public static func segmentation(_ report: SegmentationReport, manifestPath: String) -> [ControlGap] {
        report.violations.filter(\.kind.failsCheck).map { v in
            let e = Routing.frameworks(ofFinding: "segmentation/\(v.kind.rawValue)")
            return ControlGap(annexA: e.annexA, csf: e.csf, description: v.message,
                              evidence: v.policyLocation.map { "\(manifestPath):\($0.line)" } ?? "\(manifestPath) (\(v.from) -> \(v.to))")
        }
    }
}

/// The ISO/IEC 27001:2022 Statement of Applicability and CSF 2.0 coverage from the control inventory.
///
/// A control is applicable unless the manifest attests it `not-applicable` (with a justification).
/// What is implemented comes from the attestation where there is one, else from the technical
/// controls found that implement it: all in place is `yes`, some missing (a patch) `partial`, only
/// missing `no`, none found `unknown` — the absence of evidence is never taken for a gap or a pass.
/// Evidence beats a claim: a control attested or found implemented while the exports show it
/// falling short (a missing patch, a segmentation violation: `gaps`) is `partial`, and says why.
public enum Applicability {
    /// Evidence and control ids kept per line; the rest are counted.
    public static let listed = 10

    public static func statement(_ records: [ControlRecord], gaps: [ControlGap] = []) -> [ApplicabilityEntry] {
        AnnexA.controls.map { control in
            let (m, c) = AnnexA.mapping(of: control.id)
            let routing = Routing(lens: .informationSecurity, role: .auditor, domain: AnnexA.domain(of: control.id),
                                  mitigations: m, csf: c, annexA: [control.id])
            return entry(id: control.id, title: control.title, routing: routing, records: records,
                         gaps: gaps.filter { $0.annexA.contains(control.id) }) { $0.routing.annexA.contains(control.id) }
        }
    }

    public static func csfCoverage(_ records: [ControlRecord], gaps: [ControlGap] = []) -> [ApplicabilityEntry] {
        CSF.bundled.subcategories.map { sub in
            let annex = AnnexA.ids.filter { AnnexA.mapping(of: $0).csf.contains(sub.id) }
            let routing = Routing(lens: .informationSecurity, role: .auditor, domain: .securityAndRiskManagement,
                                  mitigations: [], csf: [sub.id], annexA: annex)
            return entry(id: sub.id, title: sub.text, routing: routing, records: records,
                         gaps: gaps.filter { $0.csf.contains(sub.id) }) { $0.routing.csf.contains(sub.id) }
        }
    }

    private static func entry(id: String, title: String, routing: Routing, records: [ControlRecord], gaps: [ControlGap],
                              maps: (ControlRecord) -> Bool) -> ApplicabilityEntry {
        let related = records.filter(maps)
        let attested = related.filter { $0.kind == .attested }
        let technical = related.filter { $0.kind != .attested }
        var notes: [String] = []
        var applicable = true
        var implemented: Implementation
        var justification: String
        let owner = attested.compactMap(\.owner).first
        let found = technical.filter { $0.status == .implemented || $0.status == .partial }
        let missing = technical.filter { $0.status == .notImplemented || $0.status == .planned }
        let fromExports: Implementation = technical.isEmpty ? .unknown
            : missing.isEmpty ? (technical.allSatisfy { $0.status == .implemented } ? .yes : .partial)
            : found.isEmpty ? .no : .partial
        let kinds = Set(technical.map(\.kind.rawValue)).sorted().joined(separator: ", ")
        if let a = attested.first(where: { $0.status == .notApplicable }) {
            applicable = false
            implemented = .no
            justification = a.notes.first.map { "not applicable (attested): \($0)" } ?? "not applicable (attested, without a justification)"
            if !found.isEmpty { notes.append("attested not applicable, yet \(found.count) control(s) of the exports implement it") }
        } else if let a = attested.first {
            switch a.status {
            case .implemented: implemented = .yes
            case .partial: implemented = .partial
            default: implemented = .no
            }
            justification = "attested \(a.status.rawValue) in the manifest" + (a.notes.first.map { ": \($0)" } ?? "")
            if implemented == .yes && !missing.isEmpty {
                implemented = .partial
                notes.append("attested implemented, but the exports show \(missing.count) gap(s) (\(missing.prefix(3).map(\.id).joined(separator: "; ")))")
            }
        } else if !technical.isEmpty {
            implemented = fromExports
            justification = "\(found.count) in place and \(missing.count) missing among the controls found in the exports (\(kinds))"
        } else {
            implemented = .unknown
            justification = "applicable by default; neither the exports nor the manifest show whether it is in place"
        }
        if applicable, !gaps.isEmpty {
            if implemented == .yes { implemented = .partial }
            if implemented == .unknown { implemented = .no }
            notes.append("\(gaps.count) finding(s) show it falling short: " + gaps.prefix(3).map(\.description).joined(separator: "; "))
        }
        let evidence = Array(((attested + found + missing).flatMap(\.evidence) + gaps.map(\.evidence)).prefix(listed))
        return ApplicabilityEntry(id: id, title: title, applicable: applicable, implemented: implemented, evidence: evidence,
                                  justification: justification, controls: Array(related.prefix(listed).map(\.id)), controlCount: related.count,
                                  owner: owner, routing: routing, notes: notes)
    }
}
