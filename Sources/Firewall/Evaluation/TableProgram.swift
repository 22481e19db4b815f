import BulwarkModel
public import PacketSpace

/// A rule's place: chain and 0-based index in a ``TableProgram``.
public struct RuleRef: Hashable, Sendable, Comparable {
    public var chain: Int
    public var index: Int
    public init(chain: Int, index: Int) {
        self.chain = chain
        self.index = index
    }
    public static func < (a: RuleRef, b: RuleRef) -> Bool { (a.chain, a.index) < (b.chain, b.index) }
}

/// What the engine does when a rule matches.
public enum RuleAction: Hashable, Sendable {
    case verdict(Verdict)
    case returnFromChain
    case jump(Int)
    case goto(Int)
    case continuing
    /// A target Bulwark does not know: the packet's fate is undecided.
    case unknown

    /// Whether the packet may leave the chain here (anything but going on to the next rule).
    var leavesChain: Bool {
        switch self {
        case .verdict, .returnFromChain, .goto: true
        case .jump, .continuing, .unknown: false
        }
    }
}

/// One rule, compiled for evaluation and analysis. A class: the engine hands rules around in its
/// hottest loops, and a reference costs one retain where a copy of the record would cost dozens.
public final class ProgramRule: Sendable {
    public let rule: Rule
    public let action: RuleAction
    public let certain: [PacketCube]
    public let assumed: [PacketCube]
    public let possible: [PacketCube]
    public let isExact: Bool
    /// Dimensions the rule tests (a bit per ``PacketField`` raw value).
    public let constrained: UInt32
    /// Address bounds of `possible`.
    let bounds: ChainIndex.Bounds

    init(rule: Rule, action: RuleAction, certain: [PacketCube], assumed: [PacketCube], possible: [PacketCube],
         isExact: Bool, constrained: UInt32, bounds: ChainIndex.Bounds) {
        self.rule = rule
        self.action = action
        self.certain = certain
        self.assumed = assumed
        self.possible = possible
        self.isExact = isExact
        self.constrained = constrained
        self.bounds = bounds
    }

    /// Whether some cube of this rule may share a packet with some of `cubes` (a cheap test before sets).
    func mayOverlap(_ cubes: [PacketCube]) -> Bool {
        possible.contains { mine in cubes.contains { mine.overlaps($0) } }
    }
}

/// A chain, compiled.
public struct ProgramChain: Sendable {
    public let name: String
    public let policy: Verdict?
    public let rules: [ProgramRule]
    /// Lines of this chain that could not be read.
    public let brokenLines: [Int]
    let index: ChainIndex
    public var isBuiltin: Bool { policy != nil }
}

/// One table of a ruleset, ready for the evaluator and the analyses: chains by index, jumps resolved,
/// each chain indexed by address.
public final class TableProgram: Sendable {
    public let ruleset: Ruleset
    public let table: String
    public let chains: [ProgramChain]
    public let chainIndex: [String: Int]
    public let family: AddressFamily
    /// Rules of this table that change what the filter table sees (for tables before it).
    let effectRules: [RuleRef]
    /// The chains of other tables a packet passes before each filter hook (raw, mangle, nat).
    let preceding: [Hook: [(program: TableProgram, chain: Int)]]

    public init(ruleset: Ruleset, table name: String = "filter") {
        self.ruleset = ruleset
        table = name
        family = ruleset.family
        let table = ruleset.table(named: name) ?? Table(name: name, line: 0)
        var index: [String: Int] = [:]
        for (i, c) in table.chains.enumerated() { index[c.name] = i }
        chainIndex = index
        chains = table.chains.map { TableProgram.compile($0, chainIndex: index) }
        var effects: [RuleRef] = []
        for (c, chain) in chains.enumerated() {
            for (i, r) in chain.rules.enumerated() where TableProgram.changesFilterInput(r.rule) { effects.append(RuleRef(chain: c, index: i)) }
        }
        effectRules = effects
        var preceding: [Hook: [(program: TableProgram, chain: Int)]] = [:]
        if name == "filter" {
            var others: [String: TableProgram] = [:]
            for hook in Hook.filterHooks {
                for (tableName, chainName) in hook.precedingChains where ruleset.table(named: tableName) != nil {
                    let other = others[tableName] ?? TableProgram(ruleset: ruleset, table: tableName)
                    others[tableName] = other
                    if let c = other.chainIndex[chainName], !other.chains[c].rules.isEmpty {
                        preceding[hook, default: []].append((other, c))
                    }
                }
            }
        }
        self.preceding = preceding
    }

    static func compile(_ chain: Chain, chainIndex: [String: Int]) -> ProgramChain {
        var rules: [ProgramRule] = []
        rules.reserveCapacity(chain.rules.count)
        var broken: [Int] = []
        for r in chain.rules {
            if r.isBroken { broken.append(r.line) }
            rules.append(compile(r, chainIndex: chainIndex))
        }
        return ProgramChain(name: chain.name, policy: chain.policy, rules: rules, brokenLines: broken,
                            index: ChainIndex(bounds: rules.map(\.bounds)))
    }

    static func compile(_ r: Rule, chainIndex: [String: Int]) -> ProgramRule {
        let action: RuleAction
        switch r.target {
        case .accept: action = .verdict(.accept)
        case .drop: action = .verdict(.drop)
        case .reject: action = .verdict(.reject)
        case .queue: action = .verdict(.queue)
        case .returnFromChain: action = .returnFromChain
        case .jump(let c): action = chainIndex[c].map { .jump($0) } ?? .unknown
        case .goto(let c): action = chainIndex[c].map { .goto($0) } ?? .unknown
        case .continuing, .none: action = .continuing
        case .unknown: action = .unknown
        }
        var sLo = UInt128.max, sHi = UInt128(0), dLo = UInt128.max, dHi = UInt128(0)
        for cube in r.match.possible {
            let s = cube.values(.sourceAddress)
            let d = cube.values(.destinationAddress)
            sLo = min(sLo, s?.min ?? 0)
            sHi = max(sHi, s?.max ?? .max)
            dLo = min(dLo, d?.min ?? 0)
            dHi = max(dHi, d?.max ?? .max)
        }
        if r.match.possible.isEmpty { sLo = 0; sHi = 0; dLo = 0; dHi = 0 }
        return ProgramRule(rule: r, action: action, certain: r.match.certain, assumed: r.match.assumed,
                           possible: r.match.possible, isExact: r.match.isExact,
                           constrained: r.match.constrainedDimensions,
                           bounds: ChainIndex.Bounds(source: sLo...sHi, destination: dLo...dHi))
    }

    /// Whether a rule of another table changes what the filter table sees: it drops the packet,
    /// rewrites its addresses or takes it out of connection tracking.
    static func changesFilterInput(_ r: Rule) -> Bool {
        switch r.target {
        case .drop, .reject, .queue, .unknown: return true
        case .continuing(let t): return ["DNAT", "REDIRECT", "NETMAP", "NOTRACK", "TPROXY"].contains(t) || (t == "CT" && r.targetOptions.contains("--notrack"))
        default: return false
        }
    }

    /// The filter chain a hook runs, if the table has it.
    public func chain(for hook: Hook) -> Int? { chainIndex[hook.rawValue] }

    public subscript(ref: RuleRef) -> ProgramRule { chains[ref.chain].rules[ref.index] }

    /// Chains each chain jumps or goes to, without duplicates.
    public var callees: [[Int]] {
        chains.map { chain in
            var out: [Int] = []
            for r in chain.rules {
                switch r.action {
                case .jump(let c), .goto(let c): if !out.contains(c) { out.append(c) }
                default: break
                }
            }
            return out
        }
    }
}
