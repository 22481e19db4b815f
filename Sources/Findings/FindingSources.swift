public import AttackGraph
public import AWS
public import BulwarkModel
public import Controls
import Estate
import Identity
public import Firewall
import Foundation
public import Frameworks
public import Inventory
public import NetworkReach
public import Risk

/// Findings from each engine's results, routed (docs/frameworks.md#routing).
public enum FindingSources {
    /// A firewall's analysis: each finding as the analyzer made it, with its lens, role and domain,
    /// and the framework entries of its kind.
    public static func firewall(_ analysis: FirewallAnalysis, firewall name: String) -> [Finding] {
        analysis.findings.map { f in
            let rule = "firewall/\(f.kind.rawValue)"
            let entries = Routing.frameworks(ofFinding: rule)
            let place = f.rule.map { "\(f.chain) rule \($0)" } ?? "chain \(f.chain)"
            return Finding(id: f.id, rule: rule, severity: f.severity, title: "\(name): \(f.kind.rawValue) — \(place)", message: f.message,
                           fix: f.fix, subject: "firewall:\(name)", locations: [FileLocation(file: f.file, line: f.line ?? 1, column: f.column)],
                           exact: f.exact, routing: Routing(lens: f.lens, role: f.role, domain: f.domain, mitigations: entries.mitigations,
                                                            csf: entries.csf, annexA: entries.annexA))
        }
    }

    /// A cloud firewall's security-group findings, each at the permission or group in its export.
    public static func aws(_ findings: [AWSFinding], firewall name: String, displayPath: (String) -> String) -> [Finding] {
        findings.map { f in
            let rule = "aws/\(f.kind.rawValue)"
            let entries = Routing.frameworks(ofFinding: rule)
            let place = f.permission.map(\.description) ?? f.groupId
            return Finding(id: f.id, rule: rule, severity: f.severity, title: "\(name): \(f.kind.rawValue) — \(place)", message: f.message, fix: f.fix,
                           subject: "firewall:\(name)", locations: [FileLocation(file: displayPath(f.location.file), line: f.location.line, column: f.location.column)],
                           exact: f.exact, routing: Routing(lens: f.lens, role: f.role, domain: f.domain, mitigations: entries.mitigations,
                                                            csf: entries.csf, annexA: entries.annexA))
        }
    }

    /// The segmentation check's violations, against the policy line they break.
    public static func segmentation(_ report: SegmentationReport, manifestPath: String) -> [Finding] {
        report.violations.map { v in
            let rule = "segmentation/\(v.kind.rawValue)"
            let entries = Routing.frameworks(ofFinding: rule)
            let location = v.policyLocation.map { FileLocation(file: manifestPath, line: $0.line, column: $0.column) }
                ?? FileLocation(file: manifestPath, line: 1)
            return Finding(id: v.id, rule: rule, severity: v.severity, title: "\(v.from) → \(v.to): \(v.services.joined(separator: ", "))",
                           message: v.message, fix: v.fix, subject: "\(v.from) -> \(v.to)", locations: [location], exact: v.exact,
                           routing: Routing(lens: .itSecurity, role: .networkSecurityEngineer, domain: .communicationAndNetworkSecurity,
                                            mitigations: entries.mitigations, csf: entries.csf, annexA: entries.annexA))
        }
    }

    /// Vulnerabilities a scan found that give code execution over the network (the attack graph's
    /// exploit rule), KEV-listed ones critical.
    public static func vulnerabilities(_ inventory: Inventory) -> [Finding] {
        let hosts = Dictionary(inventory.hosts.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return inventory.vulnerabilities.compactMap { v in
            guard let rating = AttackGraphBuilder.exploitRating(v) else { return nil }
            let host = hosts[v.host]?.displayName ?? v.host
            let cves = v.cves.isEmpty ? v.name : v.cves.joined(separator: ", ")
            let service = v.port.map { "\(v.transport ?? "tcp")/\($0)" } ?? "the host"
            let severity: Severity = !v.kev.isEmpty ? .critical : (Severity(rawValue: v.severity) ?? .high)
            var message = "\(cves) on \(host) \(service): \(v.name). Exploit success estimated at \(String(format: "%.2f", rating.probability)) (\(rating.source))."
            if !v.kev.isEmpty { message += " On CISA's known exploited vulnerabilities list." }
            return Finding(id: StableID.make("vuln", [v.host, cves, service]), rule: "vulnerability/exploitable", severity: severity,
                           title: "\(host): \(cves) on \(service)", message: message, fix: v.solution ?? "Install the vendor's fix for \(cves).",
                           subject: "host:\(host)", locations: [FileLocation(file: v.file, line: v.location.line)],
                           routing: Routing(.patch, lens: .itSecurity, role: .vulnerabilityManager, domain: .securityOperations))
        }
    }

    /// Crown jewels, information assets and Tier Zero an attacker reaches from the entry points,
    /// with the most likely way. Tier Zero's principals make one finding (the nearest one's way);
    /// hosts and assets one each, at their line in the manifest.
    public static func attack(_ answers: [PathAnswer], inventory: Inventory, manifestPath: String) -> [Finding] {
        let reached = answers.filter { $0.hops != nil }
        let manifest = inventory.manifest
        func finding(_ a: PathAnswer, id: String, title: String, subject: String, extra: String = "") -> Finding {
            let way = a.mostLikely ?? a.shortest ?? []
            let entries = Routing.frameworks(ofTechniques: ((a.shortest ?? []) + (a.mostLikely ?? [])).compactMap(\.technique))
            let steps = way.map { "\($0.from.name) -\($0.step)-> \($0.to.name)" }.joined(separator: "; ")
            let p = a.probability ?? 0
            let severity: Severity = p >= 0.5 ? .critical : (p >= 0.1 ? .high : .medium)
            var line = 1
            if a.target.kind == .host, a.target.host >= 0, let name = inventory.hosts[Int(a.target.host)].manifestName,
               let h = manifest?.host(named: name) { line = h.location.line }
            if a.target.kind == .asset, let assetName = a.target.id.split(separator: ":").dropFirst().first?.split(separator: "/").first,
               let asset = manifest?.informationAsset(named: String(assetName)) { line = asset.location.line }
            return Finding(id: StableID.make("attack", [id]), rule: "attack/target-reachable", severity: severity,
                           title: title + String(format: " — %d step(s), most likely way %.2g", a.hops ?? 0, p),
                           message: "From the entry points an attacker reaches \(a.target.name)\(extra): \(steps).",
                           fix: "Cut the way at a choke point: `bulwark remediate` gives the cheapest set of changes, `bulwark controls value` what each is worth.",
                           subject: subject, locations: [FileLocation(file: manifestPath, line: line)], exact: a.exact,
                           routing: Routing(lens: .cybersecurity, role: .securityArchitect, domain: .securityArchitectureAndEngineering,
                                            mitigations: entries.mitigations, csf: entries.csf, annexA: entries.annexA))
        }
        var out: [Finding] = []
        let tierZero = reached.filter { a in a.target.kind == .principal && inventory.identity.map { $0.isTierZero(a.target.principal) } == true }
        if let nearest = tierZero.min(by: { ($0.hops ?? .max, -($0.probability ?? 0)) < ($1.hops ?? .max, -($1.probability ?? 0)) }) {
            out.append(finding(nearest, id: "tier-zero", title: "Tier Zero reachable: \(tierZero.count) object(s), nearest \(nearest.target.name)",
                               subject: "tier-zero", extra: " (and \(tierZero.count - 1) more Tier Zero object(s))"))
        }
        for a in reached where !(a.target.kind == .principal && inventory.identity.map { $0.isTierZero(a.target.principal) } == true) {
            out.append(finding(a, id: a.target.id, title: "\(a.target.name) reachable", subject: a.target.id))
        }
        return out
    }

    /// The register's scenarios nobody has treated yet, by annualized loss.
    public static func risk(_ register: [RiskRegister.Entry], simulation: SimulationResult, displayPath: (String) -> String) -> [Finding] {
        let stats = Dictionary(simulation.scenarios.map { ($0.scenario.identifier, $0.statistics) }, uniquingKeysWith: { a, _ in a })
        let total = max(simulation.total.mean, 1e-9)
        return register.compactMap { e in
            guard let s = stats[e.scenario.identifier] else { return nil }
            let decision = e.treatment?.decision.rawValue ?? "open"
            let share = s.mean / total
            let severity: Severity = decision != "open" ? .info : (share >= 0.25 ? .high : (share >= 0.05 ? .medium : .low))
            var location = e.treatment?.location ?? e.scenario.location ?? FileLocation(file: "bulwark.yaml", line: 1)
            location.file = displayPath(location.file)
            return Finding(id: StableID.make("risk", [e.scenario.identifier]), rule: "risk/scenario", severity: severity,
                           title: String(format: "%@: %.0f %@ a year (VaR 95 %.0f), %@", e.scenario.identifier, s.mean, e.currency, s.valueAtRisk95, decision),
                           message: "Loss of \(e.objective.rawValue) of \(e.asset): annualized loss \(String(format: "%.0f", s.mean)) \(e.currency), treatment \(decision)"
                               + (e.treatment.map { " by \($0.owner)" } ?? "") + ".",
                           fix: decision == "open" ? "Decide the treatment (mitigate, accept, transfer, avoid) and record it in the manifest's treatments." : "Review the treatment when due.",
                           subject: "asset:\(e.asset)", locations: [location],
                           routing: Routing(lens: .cybersecurity, role: .riskOwner, domain: .securityAndRiskManagement, mitigations: [],
                                            csf: ["ID.RA-05", "ID.RA-06"], annexA: []))
        }
    }

    /// AD rights and AdminTo on Tier Zero objects held by principals outside Tier Zero: each is a
    /// way into the domain's control plane that access control lets stand.
    public static func tierZeroRights(_ controls: [ControlRecord]) -> [Finding] {
        controls.filter { $0.kind == .right }.map { r in
            let file = r.evidence.first ?? "the AD collection"
            return Finding(id: StableID.make("ad", [r.id]), rule: "identity/right-on-tier-zero", severity: .high, title: r.name,
                           message: "\(r.name): whoever controls it controls Tier Zero (\(r.id)).",
                           fix: "Take the right away, or make its holder Tier Zero and protect it as such.", subject: r.appliesTo.first ?? r.id,
                           locations: [FileLocation(file: file, line: 1)], routing: r.routing)
        }
    }

    /// Statement of Applicability lines that are applicable and not (fully) implemented.
    public static func controlGaps(_ soa: [ApplicabilityEntry], manifestPath: String) -> [Finding] {
        soa.compactMap { e in
            guard e.applicable, e.implemented == .partial || e.implemented == .no else { return nil }
            return Finding(id: StableID.make("soa", [e.id]), rule: "control/gap", severity: e.implemented == .no ? .medium : .low,
                           title: "Annex A \(e.id) \(e.title): \(e.implemented.rawValue)", message: ([e.justification] + e.notes).joined(separator: " "),
                           fix: "Implement the control, or record why it is not applicable in the manifest (kind: control, status, justification).",
                           subject: "annex-a:\(e.id)", locations: [FileLocation(file: manifestPath, line: 1)],
                           routing: Routing(lens: .informationSecurity, role: .auditor, domain: e.routing.domain, mitigations: e.routing.mitigations,
                                            csf: e.routing.csf, annexA: [e.id]))
        }
    }
}
