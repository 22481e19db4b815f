public import Estate
public import Inventory
public import NetworkReach
import AWS
import BulwarkModel
import Foundation
import Frameworks
import Firewall
import Identity

/// Every control of an estate, found in its exports or attested in its manifest.
public enum ControlInventory {
    /// The records in a stable order: rules and permissions by firewall and position, then patches,
    /// facts in manifest order, AD rights, attested controls.
    ///
    /// - Parameters:
    ///   - network: the estate's firewalls read (nil without a network model: no rules are listed).
    ///   - displayPath: how file paths are shown in evidence.
    public static func build(manifest: EstateManifest?, inventory: Inventory, network: EstateNetwork?,
                             displayPath: (String) -> String = { $0 }) -> [ControlRecord] {
        var records: [ControlRecord] = []
        if let manifest, let network { records += firewallControls(manifest, network, displayPath) }
        records += patchControls(inventory, displayPath)
        if let manifest { records += factControls(manifest, displayPath) }
        records += rightControls(inventory, displayPath)
        return records
    }

    static func routing(_ kind: ControlRecord.Kind) -> Routing {
        switch kind {
        case .rule, .permission: Routing(.filter, lens: .itSecurity, role: .firewallAdministrator, domain: .communicationAndNetworkSecurity)
        case .patch: Routing(.patch, lens: .itSecurity, role: .systemAdministrator, domain: .securityOperations)
        case .mfa: Routing(.mfa, lens: .itSecurity, role: .identityAdministrator, domain: .identityAndAccessManagement)
        case .backup: Routing(.backup, lens: .itSecurity, role: .systemAdministrator, domain: .securityOperations)
        case .encryption: Routing(.encryption, lens: .itSecurity, role: .systemAdministrator, domain: .securityArchitectureAndEngineering)
        case .edr: Routing(.edr, lens: .itSecurity, role: .systemAdministrator, domain: .securityOperations)
        case .right: Routing(.right, lens: .itSecurity, role: .identityAdministrator, domain: .identityAndAccessManagement)
        case .attested: Routing(lens: .informationSecurity, role: .auditor, domain: .securityAndRiskManagement, mitigations: [], csf: [], annexA: [])
        }
    }

    /// The owner a manifest fact about the firewall names, if any.
    private static func owner(of reference: Reference, _ manifest: EstateManifest) -> String? {
        manifest.facts.first { $0.appliesTo.contains(reference) && $0.owner != nil }?.owner
    }

    // MARK: Firewalls

    private static func firewallControls(_ manifest: EstateManifest, _ network: EstateNetwork, _ display: (String) -> String) -> [ControlRecord] {
        var out: [ControlRecord] = []
        for (fw, loaded) in zip(manifest.firewalls, network.firewalls) {
            let owner = owner(of: .firewall(fw.name), manifest)
            switch loaded {
            case .ruleset(let ruleset, _):
                for table in ruleset.tables {
                    for chain in table.chains where isFiltering(table, chain, ruleset) {
                        for rule in chain.rules {
                            var notes: [String] = []
                            if rule.isBroken { notes.append("the rule could not be read in full; what it matches is not exact") }
                            if rule.target.verdict == .accept { notes.append("an allow rule: it lets the traffic it matches through") }
                            out.append(ControlRecord(id: "\(fw.name):\(chain.name):\(rule.position)", kind: .rule, name: rule.text,
                                                     status: .implemented, owner: owner,
                                                     evidence: ["\(display(ruleset.file)):\(rule.line)"],
                                                     appliesTo: ["firewall:\(fw.name)"], routing: routing(.rule), notes: notes))
                        }
                    }
                }
            case .cloud(let aws):
                for group in aws.securityGroups {
                    for p in group.ingress + group.egress {
                        out.append(ControlRecord(id: "\(group.id):\(p.direction.rawValue):\(p.locator.index)", kind: .permission,
                                                 name: "\(group.name ?? group.id): \(p.description)", status: .implemented, owner: owner,
                                                 evidence: ["\(display(p.locator.location.file)):\(p.locator.location.line)"],
                                                 appliesTo: ["firewall:\(fw.name)"], routing: routing(.permission),
                                                 notes: ["an allow-list entry: security groups allow only what their permissions name"]))
                    }
                }
            }
        }
        return out
    }

    /// The chains that filter: iptables' filter table, nftables' chains of type filter and the
    /// regular chains of their tables.
    private static func isFiltering(_ table: Table, _ chain: Chain, _ ruleset: Ruleset) -> Bool {
        if ruleset.isNFTables { return chain.type == nil || chain.type == "filter" }
        return table.name == "filter"
    }

    // MARK: Patches

    private static func patchControls(_ inventory: Inventory, _ display: (String) -> String) -> [ControlRecord] {
        let hosts = Dictionary(inventory.hosts.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var seen = Set<String>()
        var out: [ControlRecord] = []
        for v in inventory.vulnerabilities {
            let host = hosts[v.host]?.displayName ?? v.host
            for cve in v.cves {
                let id = "patch \(cve) on \(host)"
                guard seen.insert(id).inserted else { continue }
                var notes = ["\(cve) is present: the patch is missing (\(v.name))"]
                if !v.kev.isEmpty { notes.append("on CISA's known exploited vulnerabilities list") }
                if let s = v.solution { notes.append("fix: \(s)") }
                out.append(ControlRecord(id: id, kind: .patch, name: "patch for \(cve)", status: .notImplemented,
                                         evidence: ["\(display(v.file)):\(v.location.line)"], appliesTo: ["host:\(host)"],
                                         routing: routing(.patch), notes: notes))
            }
        }
        return out
    }

    // MARK: Facts

    private static func factControls(_ manifest: EstateManifest, _ display: (String) -> String) -> [ControlRecord] {
        var out: [ControlRecord] = []
        for f in manifest.facts {
            let scope = f.appliesTo.isEmpty ? ["the whole estate"] : f.appliesTo.map(\.description)
            var evidence = ["\(display(f.location.file)):\(f.location.line)"]
            if let e = f.evidence { evidence.append(e) }
            var notes: [String] = []
            let kind: ControlRecord.Kind, name: String, status: EstateManifest.ControlStatus
            var route: Routing
            switch f.detail {
            case .backup(let offline, let immutable, let tested):
                kind = .backup
                name = "backup" + (offline == true ? ", offline" : "") + (immutable == true ? ", immutable" : "") + (tested.map { ", restore tested \($0)" } ?? "")
                let protected = (offline == true || immutable == true) && tested != nil
                if offline != true && immutable != true { notes.append("neither offline nor immutable: ransomware can reach it") }
                if tested == nil { notes.append("no restore test on record") }
                status = protected ? .implemented : .partial
                route = routing(.backup)
            case .encryption(let atRest, let inTransit):
                kind = .encryption
                name = "encryption" + (atRest == true ? " at rest" : "") + (atRest == true && inTransit == true ? " and" : "") + (inTransit == true ? " in transit" : "")
                if atRest == false { notes.append("not encrypted at rest") }
                if inTransit == false { notes.append("not encrypted in transit") }
                status = atRest == false || inTransit == false ? .partial : .implemented
                route = routing(.encryption)
            case .mfa(let enforced, let resistant):
                kind = .mfa
                name = "multi-factor authentication" + (resistant == true ? ", phishing-resistant" : "")
                if enforced && resistant != true { notes.append("not phishing-resistant: push fatigue and adversary-in-the-middle get past it") }
                status = enforced ? .implemented : .notImplemented
                route = routing(.mfa)
            case .edr(let product, let mode):
                kind = .edr
                name = "endpoint detection and response" + (product.map { " (\($0))" } ?? "") + (mode.map { ", \($0.rawValue) mode" } ?? "")
                if mode == .detect { notes.append("detects but does not block") }
                status = mode == .detect ? .partial : .implemented
                route = routing(.edr)
            case .patching(let days):
                kind = .patch
                name = "security updates installed within \(days) days of release"
                status = .implemented
                route = routing(.patch)
            case .control(let framework, let id, let controlStatus, let controlName, let justification):
                kind = .attested
                let annex = annexAID(framework: framework, id: id)
                let csfID = csfID(framework: framework, id: id)
                name = controlName ?? annex.flatMap { AnnexA[$0]?.title } ?? csfID.flatMap { CSF.bundled[$0]?.text } ?? "\(framework) \(id)"
                status = controlStatus
                if let justification { notes.append(justification) }
                route = routing(.attested)
                if let annex {
                    let (m, c) = AnnexA.mapping(of: annex)
                    route = Routing(lens: .informationSecurity, role: .auditor, domain: AnnexA.domain(of: annex), mitigations: m, csf: c, annexA: [annex])
                } else if let csfID {
                    route.csf = [csfID]
                } else {
                    notes.append("\(framework) \(id): not an ISO/IEC 27001:2022 Annex A or NIST CSF 2.0 id Bulwark knows; not mapped")
                }
                out.append(ControlRecord(id: "\(framework):\(id)", kind: kind, name: name, status: status, owner: f.owner, evidence: evidence,
                                         appliesTo: scope, routing: route, notes: notes))
                continue
            }
            out.append(ControlRecord(id: "fact:\(f.location.line)", kind: kind, name: name, status: status, owner: f.owner,
                                     evidence: evidence, appliesTo: scope, routing: route, notes: notes))
        }
        return out
    }

    /// The Annex A id an attested control names: framework `iso27001`, `iso27001:2022`, `iso-27001`
    /// or `ISO/IEC 27001`; id `A.8.20` or `8.20`.
    public static func annexAID(framework: String, id: String) -> String? {
        let f = framework.lowercased().filter { $0.isLetter || $0.isNumber }
        guard f.hasPrefix("iso27001") || f.hasPrefix("isoiec27001") else { return nil }
        var i = id.trimmingCharacters(in: .whitespaces)
        if i.lowercased().hasPrefix("a.") { i = String(i.dropFirst(2)) }
        return AnnexA[i]?.id
    }

    /// The CSF 2.0 subcategory an attested control names: framework `nist-csf`, `csf`, `nist-csf-2.0`.
    public static func csfID(framework: String, id: String) -> String? {
        let f = framework.lowercased().filter { $0.isLetter }
        guard f.hasPrefix("nistcsf") || f == "csf" else { return nil }
        return CSF.bundled[id].map(\.id)
    }

    // MARK: AD rights

    /// Rights on Tier Zero objects held by principals outside Tier Zero: each is a way into the
    /// domain's control plane that access control lets stand.
    private static func rightControls(_ inventory: Inventory, _ display: (String) -> String) -> [ControlRecord] {
        guard let g = inventory.identity else { return [] }
        let file = inventory.sources.first { $0.format.lowercased().contains("sharphound") }.map { display($0.file) }
        var out: [ControlRecord] = []
        for t in g.tierZero {
            for e in g.incoming(t) {
                let edge = g.edge(Int(e))
                guard edge.kind.isACL || edge.kind == .adminTo, !g.isTierZero(edge.source) else { continue }
                let from = g.principals[Int(edge.source)], to = g.principals[Int(t)]
                let fromName = from.name.isEmpty ? from.id : from.name, toName = to.name.isEmpty ? to.id : to.name
                out.append(ControlRecord(id: "\(fromName) -\(edge.kind.name)-> \(toName)", kind: .right,
                                         name: "\(fromName) holds \(edge.kind.name) on Tier Zero \(toName)", status: .implemented,
                                         evidence: file.map { [$0] } ?? [], appliesTo: [toName], routing: routing(.right),
                                         notes: ["a principal outside Tier Zero controls a Tier Zero object: take the right away unless it is needed"]))
            }
        }
        return out
    }
}
