public import PacketSpace

/// What a rule matches, with Bulwark's honesty about it.
///
/// A rule whose matches all have exact meaning in the packet space has `certain == possible`.
/// A match with no such meaning (a rate limit, an unknown ipset, a censored MAC address …) makes the
/// rule uncertain: it surely matches `certain`, surely not outside `possible`, and in between its
/// outcome depends on state Bulwark cannot see. `assumed` is the answer Bulwark gives for a concrete
/// packet in between (a quiet network: rate limits not exceeded, recent lists empty …), always
/// reported as inexact. Each set is a union of cubes, and `certain ⊆ assumed ⊆ possible`.
public struct RuleMatch: Hashable, Sendable {
    public var certain: [PacketCube]
    public var assumed: [PacketCube]
    public var possible: [PacketCube]
    /// Why the rule is uncertain, one plain-language reason per opaque match; empty when exact.
    public var uncertainties: [String]
    /// Whether every uncertainty is about a property of the packet that a query fixes by default
    /// (bridged or not, link-layer type, IPsec or not): then `assumed` is exact for such a query.
    public var onlyPacketDefaults = false
    /// Facts about the file that decided the match (a recent list no rule fills …), for messages.
    public var notes: [String] = []

    public init(certain: [PacketCube], assumed: [PacketCube], possible: [PacketCube], uncertainties: [String]) {
        self.certain = certain
        self.assumed = assumed
        self.possible = possible
        self.uncertainties = uncertainties
    }

    /// An exact match of a union of cubes.
    public init(exactly cubes: [PacketCube]) {
        self.init(certain: cubes, assumed: cubes, possible: cubes, uncertainties: [])
    }

    /// A rule Bulwark could not read: it may match anything and is never relied on.
    public static func unknown(_ reason: String) -> RuleMatch {
        RuleMatch(certain: [], assumed: [], possible: [PacketCube()], uncertainties: [reason])
    }

    public var isExact: Bool { uncertainties.isEmpty }

    /// Dimensions that some cube of `possible` constrains.
    public var constrainedDimensions: UInt32 {
        var mask: UInt32 = 0
        for cube in possible { for c in cube.constraints { mask |= 1 << UInt32(c.dimension) } }
        for cube in certain { for c in cube.constraints { mask |= 1 << UInt32(c.dimension) } }
        return mask
    }
}

/// One conjunct of a rule's match while it is being compiled: `certain ⊆ assumed ⊆ possible`.
struct MatchTerm {
    var certain: [PacketCube]
    var assumed: [PacketCube]
    var possible: [PacketCube]
    var reason: String?
    /// The uncertainty is a property of the packet that queries fix by default (documented).
    var isPacketDefault = false
    /// A fact about the file that decided this term, for messages.
    var note: String?

    static func exact(_ cubes: [PacketCube]) -> MatchTerm { MatchTerm(certain: cubes, assumed: cubes, possible: cubes, reason: nil) }
    static func exact(_ cube: PacketCube) -> MatchTerm { exact([cube]) }

    /// A match Bulwark cannot evaluate from the packet: anything in `possible` may match; concrete
    /// answers assume it matches (`assume`) or not.
    static func opaque(_ reason: String, assume: Bool, within possible: [PacketCube] = [PacketCube()]) -> MatchTerm {
        MatchTerm(certain: [], assumed: assume ? possible : [], possible: possible, reason: reason)
    }

    /// A match on a property of the packet that a query packet has a documented default for.
    static func packetDefault(_ reason: String, assume: Bool) -> MatchTerm {
        var t = opaque(reason, assume: assume)
        t.isPacketDefault = true
        return t
    }
}

/// Builds a rule's match as the conjunction of its terms.
struct MatchBuilder {
    private(set) var terms: [MatchTerm] = []
    private(set) var notes: [String] = []
    /// Constraints that are plain products (addresses, protocol, interfaces …) gathered in one cube.
    var base = PacketCube()

    mutating func add(_ term: MatchTerm) {
        if let n = term.note { notes.append(n) }
        // An exact single cube is a product like the base: fold it in.
        if term.reason == nil && term.certain.count == 1 {
            base = base.intersection(term.certain[0])
        } else {
            terms.append(term)
        }
    }

    /// The conjunction: each union is intersected cube by cube, empty cubes dropped.
    func build() -> RuleMatch {
        func conjoin(_ pick: (MatchTerm) -> [PacketCube]) -> [PacketCube] {
            var acc = base.isEmpty ? [] : [base]
            for term in terms {
                var next: [PacketCube] = []
                for a in acc {
                    for b in pick(term) {
                        let c = a.intersection(b)
                        if !c.isEmpty && !next.contains(c) { next.append(c) }
                    }
                }
                acc = next
                if acc.isEmpty { break }
            }
            return acc
        }
        let certain = conjoin(\.certain)
        let possible = conjoin(\.possible)
        let reasons = terms.compactMap(\.reason)
        var match = reasons.isEmpty ? RuleMatch(exactly: certain)
            : RuleMatch(certain: certain, assumed: conjoin(\.assumed), possible: possible, uncertainties: reasons)
        match.onlyPacketDefaults = terms.allSatisfy { $0.reason == nil || $0.isPacketDefault }
        match.notes = notes
        return match
    }
}
