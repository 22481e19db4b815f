public import BulwarkModel
import PacketSpace

extension EstateManifest {
    /// The intended segmentation: which services each zone pair should allow, what is meant for the
    /// pairs no rule names, and which flows the business needs open.
    public struct Policy: Sendable, Hashable {
        public var defaultAction: DefaultAction
        public var rules: [PolicyRule]
        public var required: [RequiredFlow]

        public static let empty = Policy(defaultAction: .deny, rules: [], required: [])
    }

    /// What is intended for zone pairs that no rule names.
    public enum DefaultAction: String, Sendable, Hashable, CaseIterable {
        case deny, allow
    }

    /// The services intended from each zone of `from` to each zone of `to`. An empty `allow` means
    /// nothing is (`allow: none`); `[.any]` means everything is.
    public struct PolicyRule: Sendable, Hashable {
        public var from: [String]
        public var to: [String]
        public var allow: [Service]
        /// Why the rule is as it is, in the organization's words.
        public var reason: String?
        public var location: FileLocation
    }

    /// A flow that must stay open: removing it breaks the business.
    public struct RequiredFlow: Sendable, Hashable {
        public var from: String
        public var to: String
        public var service: Service
        public var reason: String?
        public var location: FileLocation
    }
}

/// What the policy intends for one service from one zone to another.
public struct PolicyIntent: Sendable, Hashable {
    public enum Access: String, Sendable, Hashable {
        /// Every packet of the service is in a required flow (so it is allowed too).
        case required
        /// Every packet of the service is allowed.
        case allowed
        /// Some packets of the service are allowed and some are not (`tcp` asked, `tcp/443` allowed).
        case partlyAllowed = "partly-allowed"
        /// No packet of the service is allowed.
        case forbidden
    }

    public var access: Access
    /// The rule for the zone pair; nil when the policy's default decides.
    public var rule: EstateManifest.PolicyRule?
    /// The required flows of the pair that share packets with the service.
    public var requirements: [EstateManifest.RequiredFlow]
}

extension EstateManifest.PolicyRule {
    /// Every packet the rule allows, as one set (see `Service.footprint`).
    var footprint: IntervalSet { allow.reduce(IntervalSet()) { $0.union($1.footprint) } }
}

extension EstateManifest.Policy {
    /// The index of the rule for each zone pair a rule names (the first such rule: the loader
    /// reports a pair named twice as an error).
    func ruleIndexByPair() -> [ZonePair: Int] {
        var out: [ZonePair: Int] = [:]
        for (i, rule) in rules.enumerated() {
            for from in rule.from {
                for to in rule.to where out[ZonePair(from: from, to: to)] == nil { out[ZonePair(from: from, to: to)] = i }
            }
        }
        return out
    }

    /// The intent for a pair, given the index of its rule (the manifest keeps that index).
    ///
    /// Required flows are allowed even when the pair's rule does not list them: a requirement is the
    /// stronger statement, and the loader warns where the two disagree.
    func intent(from: String, to: String, service: Service, ruleIndex: Int?) -> PolicyIntent {
        let rule = ruleIndex.map { rules[$0] }
        let requirements = required.filter { $0.from == from && $0.to == to }
        let asked = service.footprint
        let requiredSpace = requirements.reduce(IntervalSet()) { $0.union($1.service.footprint) }
        var allowedSpace: IntervalSet
        if let rule {
            allowedSpace = rule.footprint
        } else {
            allowedSpace = defaultAction == .allow ? Service.any.footprint : IntervalSet()
        }
        allowedSpace = allowedSpace.union(requiredSpace)
        let access: PolicyIntent.Access
        if asked.isSubset(of: requiredSpace) {
            access = .required
        } else if asked.isSubset(of: allowedSpace) {
            access = .allowed
        } else if asked.overlaps(allowedSpace) {
            access = .partlyAllowed
        } else {
            access = .forbidden
        }
        let touching = requirements.filter { $0.service.footprint.overlaps(asked) }
        return PolicyIntent(access: access, rule: rule, requirements: touching)
    }
}
