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
        let (estimate, f) = decodeEstimate(node, "the loss", extra: ["currency"])
        guard let c = f?["currency"], let currency = reader.text(c, "a currency code") else { return nil }
        guard currency.utf8.count == 3, currency.utf8.allSatisfy({ $0 >= 65 && $0 <= 90 }) else {
            reader.error(c, "expected a currency as an ISO 4217 code of three capital letters, like EUR or USD (not '\(currency)')")
            return nil
        }
        guard let estimate else { return nil }
        return M.Loss(estimate: estimate, currency: currency, location: reader.location(node))
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
        .control: (["framework", "id", "status"], []),
    ]

    mutating func decodeFacts(_ node: Node) {
        guard let items = reader.sequence(node, "facts") else { return }
        for item in items {
            guard let kindNode = item.mapping?["kind"] else {
                _ = reader.fields(item, "a fact", required: ["kind"], optional: ["applies-to", "evidence"])
                continue
            }
            guard let kind: M.FactKind = reader.choice(kindNode, "the fact kind"), let keys = Self.factKeys[kind] else { continue }
            guard let f = reader.fields(item, "a \(kind.rawValue) fact", required: ["kind"] + keys.required,
                                        optional: ["applies-to", "evidence"] + keys.optional) else { continue }
            let detail = decodeFactDetail(kind, f)
            var targets: [(String, Node)] = []
            if let a = f["applies-to"], let list = reader.oneOrMany(a, "what the fact applies to") {
                targets = list.compactMap { n in reader.text(n, "a name, or kind:name (zone:, host:, firewall:, asset:, entry-point:)").map { ($0, n) } }
            }
            let evidence = f["evidence"].flatMap { reader.text($0, "where the fact can be checked") }
            guard let detail else {
                factTargets.append((nil, targets))
                continue
            }
            factTargets.append((facts.count, targets))
            facts.append(M.Fact(detail: detail, appliesTo: [], evidence: evidence, location: reader.location(item)))
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
            guard let framework, let id, let status else { return nil }
            return .control(framework: framework, id: id, status: status)
        }
    }
}
