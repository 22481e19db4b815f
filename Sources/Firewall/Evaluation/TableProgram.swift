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
    /// The table it belongs to and, for nftables, the table's family.
    public let table: String
    public let family: String?
    /// Where the chain is declared, when the export says.
    public let line: Int?
    public var isBuiltin: Bool { policy != nil }
    /// Family (nftables only), table and chain: what names the chain across a whole ruleset.
    public var qualifiedName: [String] { (family.map { [$0] } ?? []) + [table, name] }
}

/// A base chain in the order the kernel runs them for a filter hook.
public struct Stage: Sendable, Hashable {
    public let chain: Int
    /// The hook it is attached to (PREROUTING before INPUT and FORWARD).
    public let hook: Hook
    public let priority: Int
    /// Address families whose packets it sees; nil for all.
    public let families: Set<AddressFamily>?
    /// nat chains see only the first packet of a connection.
    public let newConnectionsOnly: Bool
}

/// The chains of a ruleset that one analysis covers, ready for the evaluator and the analyses: chains
/// by index, jumps resolved, each chain indexed by address, and for each filter hook the base chains
/// a packet passes, in order. For iptables that is the filter table (other tables are kept to see what
/// they do to packets before it); for nftables, every table of the ip, ip6 and inet families.
public final class TableProgram: Sendable {
    public let ruleset: Ruleset
    public let table: String
    public let chains: [ProgramChain]
    /// Chain positions by name, in the first analysed table (iptables has only one).
    public let chainIndex: [String: Int]
    /// Address families the analysed tables see.
    public let families: [AddressFamily]
    /// The main family (the only one for iptables).
    public var family: AddressFamily { families.first ?? ruleset.family }
    /// For each filter hook, the base chains a packet passes, in the kernel's order.
    public let stages: [Hook: [Stage]]
    /// Rules of this table that change what the filter table sees (for tables before it).
    let effectRules: [RuleRef]
    /// The chains of other tables a packet passes before each filter hook (raw, mangle, nat; iptables).
    let preceding: [Hook: [(program: TableProgram, chain: Int)]]

    public init(ruleset: Ruleset, table name: String = "filter") {
        self.ruleset = ruleset
        table = name
        let tables: [Table]
        if ruleset.isNFTables && name == "filter" {
            tables = ruleset.tables.filter { $0.addressFamilies != nil }
        } else {
            tables = [ruleset.table(named: name) ?? Table(name: name, line: 0)]
        }
        var compiled: [ProgramChain] = []
        var firstIndex: [String: Int] = [:]
        var fams: [AddressFamily] = []
        for (t, table) in tables.enumerated() {
            var index: [String: Int] = [:]
            for (i, c) in table.chains.enumerated() where index[c.name] == nil { index[c.name] = compiled.count + i }
            if t == 0 { firstIndex = index }
            compiled += table.chains.map { TableProgram.compile($0, table: table, chainIndex: index) }
            for f in table.addressFamilies ?? [ruleset.family] where !fams.contains(f) { fams.append(f) }
        }
        chains = compiled
        chainIndex = firstIndex
        families = fams.sorted { $0.rawValue < $1.rawValue }
        stages = TableProgram.pipelines(tables: tables, chains: compiled, nft: ruleset.isNFTables, iptablesIndex: firstIndex)
        chainsOnOtherHooks = TableProgram.chainsOnOtherHooks(chains: compiled, stages: stages, calls: TableProgram.callees(of: compiled))
        var effects: [RuleRef] = []
        for (c, chain) in chains.enumerated() {
            for (i, r) in chain.rules.enumerated() where TableProgram.changesFilterInput(r.rule) { effects.append(RuleRef(chain: c, index: i)) }
        }
        effectRules = effects
        var preceding: [Hook: [(program: TableProgram, chain: Int)]] = [:]
        if name == "filter" && !ruleset.isNFTables {
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

    /// The base chains each filter hook runs: iptables, the built-in chain of that name; nftables,
    /// the base chains of PREROUTING (for INPUT and FORWARD) and then of the hook, each by priority.
    static func pipelines(tables: [Table], chains: [ProgramChain], nft: Bool, iptablesIndex: [String: Int]) -> [Hook: [Stage]] {
        var out: [Hook: [Stage]] = [:]
        if !nft {
            for hook in Hook.allCases {
                if let c = iptablesIndex[hook.rawValue], chains[c].isBuiltin {
                    out[hook] = [Stage(chain: c, hook: hook, priority: 0, families: nil, newConnectionsOnly: false)]
                }
            }
            return out
        }
        var bases: [Stage] = []
        var offset = 0
        for table in tables {
            for (i, c) in table.chains.enumerated() {
                if let hook = c.hook, let prio = c.priority, c.policy != nil {
                    bases.append(Stage(chain: offset + i, hook: hook, priority: prio,
                                       families: table.addressFamilies.map(Set.init), newConnectionsOnly: c.type == "nat"))
                }
            }
            offset += table.chains.count
        }
        for hook in Hook.filterHooks {
            let before: [Hook] = hook == .output ? [] : [.prerouting]
            var list: [Stage] = []
            for h in before + [hook] {
                list += bases.filter { $0.hook == h }.sorted { ($0.priority, $0.chain) < ($1.priority, $1.chain) }
            }
            if !list.isEmpty { out[hook] = list }
        }
        return out
    }

    static func compile(_ chain: Chain, table: Table, chainIndex: [String: Int]) -> ProgramChain {
        var rules: [ProgramRule] = []
        rules.reserveCapacity(chain.rules.count)
        var broken: [Int] = []
        for r in chain.rules {
            if r.isBroken { broken.append(r.line) }
            rules.append(compile(r, chainIndex: chainIndex))
        }
        return ProgramChain(name: chain.name, policy: chain.policy, rules: rules, brokenLines: broken,
                            index: ChainIndex(bounds: rules.map(\.bounds)), table: table.name, family: table.family, line: chain.line)
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

    /// The base chains a filter hook runs, in order.
    public func stages(for hook: Hook) -> [Stage] { stages[hook] ?? [] }

    /// The hook's base chain when it runs exactly one (iptables), else nil.
    public func soleStage(for hook: Hook) -> Int? {
        let list = stages(for: hook)
        return list.count == 1 ? list[0].chain : nil
    }

    /// The filter hook (INPUT, FORWARD, OUTPUT) a base chain is attached to, if any.
    public func filterHook(ofBaseChain chain: Int) -> Hook? {
        Hook.filterHooks.first { hook in stages(for: hook).contains { $0.chain == chain && $0.hook == hook } }
    }

    /// Chains that only hooks Bulwark does not analyse (POSTROUTING, ingress …) run: base chains
    /// attached there and the chains only they reach. Their rules are neither dead nor live here.
    public let chainsOnOtherHooks: Set<Int>

    private static func chainsOnOtherHooks(chains: [ProgramChain], stages: [Hook: [Stage]], calls: [[Int]]) -> Set<Int> {
        func reach(_ roots: [Int]) -> Set<Int> {
            var seen = Set(roots)
            var todo = roots
            while let c = todo.popLast() { for d in calls[c] where seen.insert(d).inserted { todo.append(d) } }
            return seen
        }
        let staged = Set(stages.values.joined().map(\.chain))
        let analysed = reach(Array(staged))
        let others = reach(chains.indices.filter { chains[$0].isBuiltin && !staged.contains($0) })
        return others.subtracting(analysed)
    }

    public subscript(ref: RuleRef) -> ProgramRule { chains[ref.chain].rules[ref.index] }

    /// Chains each chain jumps or goes to, without duplicates.
    public var callees: [[Int]] { TableProgram.callees(of: chains) }

    private static func callees(of chains: [ProgramChain]) -> [[Int]] {
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
