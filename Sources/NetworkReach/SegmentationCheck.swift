public import BulwarkModel
import Estate
public import PacketSpace
import Firewall

/// A place where the estate's firewalls and the intended segmentation policy disagree.
public struct SegmentationViolation: Sendable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// New connections the policy forbids get through.
        case forbiddenFlowOpen = "forbidden-flow-open"
        /// A flow the policy requires is blocked for every address pair.
        case requiredFlowBlocked = "required-flow-blocked"
        /// A required flow gets through for some address pairs only (reported, not a failure).
        case requiredFlowPartlyOpen = "required-flow-partly-open"

        /// Whether the check fails (exit status 1) on it.
        public var failsCheck: Bool { self != .requiredFlowPartlyOpen }
    }

    /// Stable across runs and unrelated edits: kind, zones and service.
    public var id: String
    public var kind: Kind
    public var severity: Severity
    public var from: String
    public var to: String
    /// Forbidden flows: the services that are open against the policy; required flows: the service.
    public var services: [String]
    public var message: String
    public var fix: String
    public var exact: Bool
    public var reasons: [String]
    /// A packet of the violation: an open forbidden one, or a blocked required one.
    public var witness: Packet?
    public var paths: [PathTrace]
    /// The policy rule or required flow of the manifest this is about (nil: the policy's default).
    public var policyLocation: FileLocation?
    public var policyReason: String?
    /// For partly open required flows: the destination hosts that cannot be reached.
    public var unreachableHosts: [String]
}

/// The intended segmentation against computed reachability.
public struct SegmentationReport: Sendable {
    public var estate: String?
    public var violations: [SegmentationViolation]
    /// Ordered zone pairs compared with the policy.
    public var pairsChecked: Int
    public var requiredFlowsChecked: Int
    public var notes: [String]

    /// Whether a violation fails the check.
    public var failed: Bool { violations.contains { $0.kind.failsCheck } }
}

extension ReachabilityEngine {
    /// Every zone pair against the policy (over every protocol and port at once), and every
    /// required flow.
    public func check() -> SegmentationReport {
        let a = algebra
        let manifest = network.manifest
        let all = sets(for: .any)
        var violations: [SegmentationViolation] = []
        let n = network.zoneNames.count
        var pairs = 0
        for f in 0..<n {
            for t in 0..<n where f != t {
                pairs += 1
                let from = network.zoneNames[f], to = network.zoneNames[t]
                let intent = manifest.intent(from: from, to: to, service: .any)
                var allowedServices = intent.rule?.allow ?? (manifest.policy.defaultAction == .allow ? [.any] : [])
                allowedServices += intent.requirements.map(\.service)
                var allowed = PacketAlgebra.emptyNode
                for s in allowedServices { for c in s.connectionCubes { allowed = a.union(allowed, a.cube(c)) } }
                let got = arrivals(from: f, to: t, sets: all)
                let open = Stage(sure: a.subtracting(got.sure, allowed), possible: a.subtracting(got.possible, allowed))
                guard open.possible != PacketAlgebra.emptyNode else { continue }
                let services = ServiceText.services(in: open.possible, algebra: a)
                let shownSet = open.sure != 0 ? open.sure : open.possible
                let witness = self.witness(in: shownSet, from: f, to: t, service: .any, port: ServiceText.firstPort(in: shownSet, algebra: a))
                let paths = witness.map { trace($0, from: f, to: t, sets: all) } ?? []
                var reasons = unique(paths.flatMap { $0.hops.flatMap(\.reasons) })
                if open.sure != open.possible && reasons.isEmpty {
                    reasons.append("uncertain matches (rate limits, ipsets, unknown targets, missing exports) decide some of these packets")
                }
                let what = intent.rule.map { $0.allow.isEmpty ? "allows nothing" : "allows only \($0.allow.map(\.description).joined(separator: ", "))" }
                    ?? "has no rule for the pair and denies by default"
                let shown = services.prefix(8).joined(separator: ", ") + (services.count > 8 ? " and \(services.count - 8) more" : "")
                violations.append(SegmentationViolation(
                    id: StableID.make("seg", ["forbidden", from, to]), kind: .forbiddenFlowOpen, severity: severity(from: f, to: t, witness: witness),
                    from: from, to: to, services: services,
                    message: "\(from) → \(to): \(shown) \(open.sure == 0 ? "may be" : "is") open, but the policy \(what)",
                    fix: "Close the rules that accept it (listed on the path), or change the policy if the flow is intended.",
                    exact: open.sure == open.possible && reasons.isEmpty, reasons: reasons, witness: witness, paths: paths,
                    policyLocation: intent.rule?.location, policyReason: intent.rule?.reason, unreachableHosts: []))
            }
        }
        for flow in manifest.policy.required {
            guard let f = network.zone(named: flow.from), let t = network.zone(named: flow.to) else { continue }
            let sets = sets(for: flow.service)
            let region = pairRegion(from: f, to: t, sets: sets)
            let got = arrivals(from: f, to: t, sets: sets)
            if got.sure == region && region != 0 { continue }
            let cell = cell(from: f, to: t, sets: sets)
            let blocked = got.possible == 0
            let kind: SegmentationViolation.Kind = blocked || got.sure == 0 ? .requiredFlowBlocked : .requiredFlowPartlyOpen
            let witness: Packet? = kind == .requiredFlowBlocked
                ? cell.witness
                : self.witness(in: a.subtracting(region, got.sure), from: f, to: t, service: flow.service)
            let paths = kind == .requiredFlowBlocked ? cell.paths : (witness.map { trace($0, from: f, to: t, sets: sets) } ?? [])
            let reasons = unique(cell.reasons + paths.flatMap { $0.hops.flatMap(\.reasons) })
            let message = kind == .requiredFlowBlocked
                ? "\(flow.from) → \(flow.to): the required flow \(flow.service) is \(blocked ? "blocked" : "not surely open")"
                    + (paths.isEmpty ? " (\(noPathNote(from: f, to: t)))" : "")
                : "\(flow.from) → \(flow.to): the required flow \(flow.service) is open for some address pairs only"
                    + (cell.unreachableHosts.isEmpty ? "" : " (not to \(cell.unreachableHosts.joined(separator: ", ")))")
            violations.append(SegmentationViolation(
                id: StableID.make("seg", [kind.rawValue, flow.from, flow.to, flow.service.description]), kind: kind,
                severity: kind == .requiredFlowBlocked ? .medium : .low, from: flow.from, to: flow.to, services: [flow.service.description],
                message: message, fix: "Open the flow on the hop that stops it (listed on the path), or drop the requirement if the business no longer needs it.",
                exact: (got.sure == got.possible) && reasons.isEmpty, reasons: reasons, witness: witness, paths: paths,
                policyLocation: flow.location, policyReason: flow.reason, unreachableHosts: cell.unreachableHosts))
        }
        violations.sort { ($0.kind.failsCheck ? 0 : 1, -$0.severity.rank, $0.from, $0.to) < ($1.kind.failsCheck ? 0 : 1, -$1.severity.rank, $1.from, $1.to) }
        return SegmentationReport(estate: manifest.name, violations: violations, pairsChecked: pairs,
                                  requiredFlowsChecked: manifest.policy.required.count, notes: notes)
    }

    /// Critical when the internet reaches in or an OT zone or a crown jewel is reached; high
    /// otherwise.
    private func severity(from: Int, to: Int, witness: Packet?) -> Severity {
        let zones = network.manifest.zones
        if zones[from].kind == .internet || zones[to].kind == .ot { return .critical }
        if let w = witness, network.manifest.hosts.contains(where: { $0.crownJewel && $0.addresses.contains { $0.value == w[.destinationAddress] } }) {
            return .critical
        }
        return .high
    }
}

/// The strings in first-seen order, without repeats.
func unique(_ strings: [String]) -> [String] {
    var seen: Set<String> = []
    return strings.filter { seen.insert($0).inserted }
}
