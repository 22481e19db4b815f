import BulwarkModel
import Yams

extension ManifestDecoder {
    // MARK: Information assets

    mutating func decodeInformationAssets(_ node: Node) {
        guard let items = reader.sequence(node, "information assets") else { return }
        for item in items {
            guard let f = reader.fields(item, "an information asset", required: ["name", "classification", "cia"],
                                        optional: ["loss", "hosts", "description"]) else { continue }
            let name = f["name"].flatMap { reader.name($0, "an information asset name") }
            if let name { define(.informationAsset, name, f["name"]!) }
            let classification: M.Classification? = f["classification"].flatMap { reader.choice($0, "the classification") }
            let cia = f["cia"].flatMap { decodeCIA($0) }
            var loss: M.Loss?
            var lossBroken = false
            if let l = f["loss"] {
                loss = decodeLoss(l)
                lossBroken = loss == nil
            }
            var hosts: [String] = []
            if let h = f["hosts"], let list = reader.sequence(h, "the hosts that hold the asset") {
                for n in list {
                    guard let host = reader.name(n, "a host name") else { continue }
                    refer(.host, host, n, "information asset")
                    hosts.append(host)
                }
            }
            let description = f["description"].flatMap { reader.text($0, "a description") }
            guard let name, let classification, let cia, !lossBroken else { continue }
            if hosts.isEmpty {
                reader.warning(item, "information asset '\(name)' lives on no host, so no attack path can reach it; list its hosts")
            }
            informationAssets.append(M.InformationAsset(name: name, classification: classification, cia: cia, loss: loss, hosts: hosts,
                                                        description: description, location: reader.location(item)))
        }
    }

    private mutating func decodeCIA(_ node: Node) -> M.CIA? {
        guard let f = reader.fields(node, "the CIA impact", required: ["confidentiality", "integrity", "availability"]) else { return nil }
        let c: M.Impact? = f["confidentiality"].flatMap { reader.choice($0, "the confidentiality impact") }
        let i: M.Impact? = f["integrity"].flatMap { reader.choice($0, "the integrity impact") }
        let a: M.Impact? = f["availability"].flatMap { reader.choice($0, "the availability impact") }
        guard let c, let i, let a else { return nil }
        return M.CIA(confidentiality: c, integrity: i, availability: a)
    }

    private mutating func decodeLoss(_ node: Node) -> M.Loss? {
        let (estimate, f) = decodeEstimate(node, "the loss", extra: ["currency"], optional: ["distribution"])
        guard let c = f?["currency"], let currency = reader.text(c, "a currency code") else { return nil }
        var distribution = M.LossDistribution.pert
        if let d = f?["distribution"] {
            guard let value: M.LossDistribution = reader.choice(d, "the loss distribution") else { return nil }
            distribution = value
            if value == .lognormal, let estimate, estimate.min <= 0 {
                reader.error(d, "a lognormal loss needs min above 0 (min and max are its 5th and 95th percentiles)")
                return nil
            }
        }
        guard currency.utf8.count == 3, currency.utf8.allSatisfy({ $0 >= 65 && $0 <= 90 }) else {
            reader.error(c, "expected a currency as an ISO 4217 code of three capital letters, like EUR or USD (not '\(currency)')")
            return nil
        }
        guard let estimate else { return nil }
        return M.Loss(estimate: estimate, currency: currency, distribution: distribution, location: reader.location(node))
    }

    // MARK: Entry points

    mutating func decodeEntryPoints(_ node: Node) {
        guard let items = reader.sequence(node, "entry points") else { return }
        for item in items {
            guard let f = reader.fields(item, "an entry point", required: ["name", "kind"],
                                        optional: ["zone", "host", "group", "click-rate", "frequency", "description"]) else { continue }
            let name = f["name"].flatMap { reader.name($0, "an entry point name") }
            if let name { define(.entryPoint, name, f["name"]!) }
            let kind: M.EntryPointKind? = f["kind"].flatMap { reader.choice($0, "the entry point kind") }
            var target: M.EntryPoint.Target?
            let given = [f["zone"], f["host"], f["group"]].compactMap { $0 }
            if given.count > 1 {
                reader.error(given[1], "an entry point is one of a zone, a host or a group")
            } else if let z = f["zone"] {
                target = zoneReference(z, "entry point").map { .zone($0) }
            } else if let h = f["host"] {
                if let host = reader.name(h, "a host name") {
                    refer(.host, host, h, "entry point")
                    target = .host(host)
                }
            } else if let g = f["group"] {
                // An AD group: checked against the collection when the attack graph is built.
                target = reader.text(g, "an AD group's name or object id").map { .group($0) }
            } else {
                reader.error(item, "an entry point needs 'zone' (where an attacker starts on the network), 'host' (a machine they start on) or 'group' (AD users who may be phished)")
            }
            var clickRate: Double?
            var clickRateBroken = false
            if let c = f["click-rate"] {
                if f["group"] == nil {
                    reader.error(c, "a click rate belongs to a group entry point")
                    clickRateBroken = true
                } else if let x = reader.amount(c, "the click rate (the share of the group's users who fall for one attempt)") {
                    if x <= 1 { clickRate = x } else { reader.error(c, "expected the click rate as a number from 0 to 1") }
                    clickRateBroken = x > 1
                } else {
                    clickRateBroken = true
                }
            }
            var frequency: M.Estimate?
            var frequencyBroken = false
            if let q = f["frequency"] {
                frequency = decodeEstimate(q, "the frequency (attempts a year)").estimate
                frequencyBroken = frequency == nil
            }
            let description = f["description"].flatMap { reader.text($0, "a description") }
            guard let name, let kind, let target, !frequencyBroken, !clickRateBroken else { continue }
            entryPoints.append(M.EntryPoint(name: name, kind: kind, target: target, frequency: frequency, clickRate: clickRate,
                                            description: description, location: reader.location(item)))
        }
    }

    // MARK: Facts

    /// The keys each kind of fact takes besides `kind`, `applies-to` and `evidence`; the first
    /// `required` of them must be present.
    private static let factKeys: [M.FactKind: (required: [String], optional: [String])] = [
        .backup: ([], ["offline", "immutable", "tested"]),
        .encryption: ([], ["at-rest", "in-transit"]),
        .mfa: ([], ["enforced", "phishing-resistant"]),
        .edr: ([], ["product", "mode"]),
        .patching: (["within-days"], []),
        .control: (["framework", "id", "status"], ["name", "justification"]),
    ]

    mutating func decodeFacts(_ node: Node) {
        guard let items = reader.sequence(node, "facts") else { return }
        for item in items {
            guard let kindNode = item.mapping?["kind"] else {
                _ = reader.fields(item, "a fact", required: ["kind"], optional: ["applies-to", "evidence", "owner"])
                continue
            }
            guard let kind: M.FactKind = reader.choice(kindNode, "the fact kind"), let keys = Self.factKeys[kind] else { continue }
            guard let f = reader.fields(item, (kind == .edr ? "an " : "a ") + "\(kind.rawValue) fact", required: ["kind"] + keys.required,
                                        optional: ["applies-to", "evidence", "owner"] + keys.optional) else { continue }
            let detail = decodeFactDetail(kind, f)
            var targets: [(String, Node)] = []
            if let a = f["applies-to"], let list = reader.oneOrMany(a, "what the fact applies to") {
                targets = list.compactMap { n in reader.text(n, "a name, or kind:name (zone:, host:, firewall:, asset:, entry-point:)").map { ($0, n) } }
            }
            let evidence = f["evidence"].flatMap { reader.text($0, "where the fact can be checked") }
            let owner = f["owner"].flatMap { reader.text($0, "who answers for the control") }
            guard let detail else {
                factTargets.append((nil, targets))
                continue
            }
            factTargets.append((facts.count, targets))
            facts.append(M.Fact(detail: detail, appliesTo: [], evidence: evidence, owner: owner, location: reader.location(item)))
        }
    }

    private mutating func decodeFactDetail(_ kind: M.FactKind, _ f: Fields) -> M.FactDetail? {
        func flag(_ key: String) -> Bool?? {
            guard let n = f[key] else { return .some(nil) }
            return reader.bool(n, key).map { .some($0) }
        }
        switch kind {
        case .backup:
            var tested: CalendarDate?
            if let t = f["tested"] {
                guard let d = reader.date(t, "the day a restore was last tested") else { return nil }
                tested = d
            }
            guard let offline = flag("offline"), let immutable = flag("immutable") else { return nil }
            return .backup(offline: offline, immutable: immutable, tested: tested)
        case .encryption:
            guard let atRest = flag("at-rest"), let inTransit = flag("in-transit") else { return nil }
            return .encryption(atRest: atRest, inTransit: inTransit)
        case .mfa:
            guard let enforced = flag("enforced"), let resistant = flag("phishing-resistant") else { return nil }
            return .mfa(enforced: enforced ?? true, phishingResistant: resistant)
        case .edr:
            let product = f["product"].flatMap { reader.text($0, "the EDR product") }
            var mode: M.EDRMode?
            if let m = f["mode"] {
                guard let value: M.EDRMode = reader.choice(m, "the EDR mode") else { return nil }
                mode = value
            }
            if f["product"] != nil && product == nil { return nil }
            return .edr(product: product, mode: mode)
        case .patching:
            guard let d = f["within-days"], let days = reader.integer(d, "within-days", in: 0...3650) else { return nil }
            return .patching(withinDays: days)
        case .control:
            let framework = f["framework"].flatMap { reader.text($0, "the framework (iso27001, nist-csf …)") }
            let id = f["id"].flatMap { reader.text($0, "the control's id in its framework") }
            let status: M.ControlStatus? = f["status"].flatMap { reader.choice($0, "the control status") }
            let name = f["name"].flatMap { reader.text($0, "what the control is called") }
            let justification = f["justification"].flatMap { reader.text($0, "why the control is not applicable or not implemented") }
            guard let framework, let id, let status, f["name"] == nil || name != nil, f["justification"] == nil || justification != nil else { return nil }
            if status == .notApplicable && justification == nil, let s = f["status"] {
                reader.warning(s, "a control that is not applicable needs a 'justification' for the Statement of Applicability")
            }
            return .control(framework: framework, id: id, status: status, name: name, justification: justification)
        }
    }
}

extension ManifestDecoder {
    // MARK: Treatments

    mutating func decodeTreatments(_ node: Node) {
        guard let items = reader.sequence(node, "treatments") else { return }
        for item in items {
            guard let f = reader.fields(item, "a treatment", required: ["asset", "decision", "owner"],
                                        optional: ["objective", "record", "reason", "decided", "review"]) else { continue }
            var asset: String?
            if let a = f["asset"], let name = reader.name(a, "an information asset name") {
                refer(.informationAsset, name, a, "treatment")
                asset = name
            }
            var objective: M.Objective?
            var broken = false
            if let o = f["objective"] {
                objective = reader.choice(o, "the objective")
                broken = objective == nil
            }
            let decision: M.TreatmentDecision? = f["decision"].flatMap { reader.choice($0, "the treatment decision") }
            let owner = f["owner"].flatMap { reader.text($0, "who owns the decision") }
            func text(_ key: String, _ what: String) -> String?? {
                guard let n = f[key] else { return .some(nil) }
                return reader.text(n, what).map { .some($0) }
            }
            func day(_ key: String, _ what: String) -> CalendarDate?? {
                guard let n = f[key] else { return .some(nil) }
                return reader.date(n, what).map { .some($0) }
            }
            guard let record = text("record", "where the decision is on record"), let reason = text("reason", "why it was decided"),
                  let decided = day("decided", "the day it was decided"), let review = day("review", "the day it must be reviewed") else { continue }
            if decision == .accept && record == nil, let d = f["decision"] {
                reader.warning(d, "an accepted risk needs a 'record' of the acceptance (a signed memo, a ticket)")
            }
            guard let asset, let decision, let owner, !broken else { continue }
            if let other = treatments.first(where: { $0.asset == asset && $0.objective == objective }) {
                reader.error(item, "a second treatment for \(asset)\(objective.map { " " + $0.rawValue } ?? "") (the first at line \(other.location.line))")
                continue
            }
            treatments.append(M.Treatment(asset: asset, objective: objective, decision: decision, owner: owner, record: record,
                                          reason: reason, decided: decided, review: review, location: reader.location(item)))
        }
    }
}
