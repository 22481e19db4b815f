public import BulwarkModel
public import PacketSpace

/// What a rule does with the packets it matches.
public enum Target: Hashable, Sendable {
    case accept
    case drop
    /// REJECT, with its `--reject-with` type when given.
    case reject(String?)
    /// RETURN: back to the calling chain (or to the built-in chain's policy).
    case returnFromChain
    /// `-j CHAIN`: run the user chain, then continue here if it returns.
    case jump(String)
    /// `-g CHAIN`: run the user chain; when it returns, return from this chain too.
    case goto(String)
    /// QUEUE / NFQUEUE: a userspace program decides.
    case queue(String)
    /// A target after which the packet goes on to the next rule (LOG, NFLOG, MARK …), by name.
    case continuing(String)
    /// No `-j`: the rule only counts packets.
    case none
    /// A target Bulwark does not know.
    case unknown(String)

    /// The target as written after `-j`/`-g`.
    public var name: String {
        switch self {
        case .accept: "ACCEPT"
        case .drop: "DROP"
        case .reject: "REJECT"
        case .returnFromChain: "RETURN"
        case .jump(let c), .goto(let c): c
        case .queue(let n), .continuing(let n), .unknown(let n): n
        case .none: ""
        }
    }

    /// The verdict of a terminal target.
    public var verdict: Verdict? {
        switch self {
        case .accept: .accept
        case .drop: .drop
        case .reject: .reject
        default: nil
        }
    }
}

/// The fate of a packet in the filter table.
public enum Verdict: String, Hashable, Sendable, Codable, CaseIterable {
    case accept = "ACCEPT"
    case drop = "DROP"
    case reject = "REJECT"
    /// Handed to a userspace queue, whose decision Bulwark cannot know.
    case queue = "QUEUE"
}

/// One rule line of a table.
public struct Rule: Sendable {
    public var table: String
    public var chain: String
    /// 1-based position among the `-A CHAIN` lines of this chain in this table, in file order,
    /// counting lines that did not parse.
    public var position: Int
    /// 1-based line in the file.
    public var line: Int
    /// The line as written, without counters.
    public var text: String
    public var match: RuleMatch
    public var target: Target
    /// Options after the target (`--reject-with`, `--log-prefix` …), as written.
    public var targetOptions: [String]
    /// The `-m comment --comment` text, if any.
    public var comment: String?
    /// Whether the line could not be read; its match is then unknown.
    public var isBroken: Bool
    /// The nftables family of the rule's table (`ip`, `ip6`, `inet` …); nil for iptables.
    public var family: String?
    /// 1-based column where the rule starts, when lines alone do not place it (nftables JSON).
    public var column: Int?
    /// Which alternative of the rule this is, when one written rule compiles to several (an element
    /// of an nftables verdict map); nil otherwise.
    public var part: String?

    public init(table: String, chain: String, position: Int, line: Int, text: String, match: RuleMatch, target: Target,
                targetOptions: [String] = [], comment: String? = nil, isBroken: Bool = false, family: String? = nil,
                column: Int? = nil, part: String? = nil) {
        self.family = family
        self.column = column
        self.part = part
        self.table = table
        self.chain = chain
        self.position = position
        self.line = line
        self.text = text
        self.match = match
        self.target = target
        self.targetOptions = targetOptions
        self.comment = comment
        self.isBroken = isBroken
    }
}

/// A chain: built-in (an nftables base chain) with a policy, or user-defined (regular).
public struct Chain: Sendable {
    public var name: String
    /// ACCEPT or DROP for a built-in chain; nil for a user chain.
    public var policy: Verdict?
    /// Line of the `:NAME POLICY` declaration (nil when only rules named it).
    public var line: Int?
    public var rules: [Rule]
    /// nftables base chains: the hook they are attached to, their priority and type (`filter`, `nat`, `route`).
    public var hook: Hook?
    public var priority: Int?
    public var type: String?

    public var isBuiltin: Bool { policy != nil }

    public init(name: String, policy: Verdict?, line: Int?, rules: [Rule] = [], hook: Hook? = nil, priority: Int? = nil, type: String? = nil) {
        self.name = name
        self.policy = policy
        self.line = line
        self.rules = rules
        self.hook = hook
        self.priority = priority
        self.type = type
    }
}

/// A table (`*filter`, `*nat` …) and its chains in declaration order.
public struct Table: Sendable {
    public var name: String
    public var line: Int
    public var chains: [Chain]
    /// The nftables family (`ip`, `ip6`, `inet`, `bridge`, `arp`, `netdev`); nil for iptables.
    public var family: String?

    public init(name: String, line: Int, chains: [Chain] = [], family: String? = nil) {
        self.name = name
        self.line = line
        self.chains = chains
        self.family = family
    }

    /// Address families the table's packets can have: nftables `ip` IPv4, `ip6` IPv6, `inet` both.
    public var addressFamilies: [AddressFamily]? {
        switch family {
        case "ip": [.ipv4]
        case "ip6": [.ipv6]
        case "inet": [.ipv4, .ipv6]
        default: nil
        }
    }

    public func chain(named name: String) -> Chain? { chains.first { $0.name == name } }
    public var ruleCount: Int { chains.reduce(0) { $0 + $1.rules.count } }
}

/// A whole ruleset file, as read.
public struct Ruleset: Sendable {
    /// The file as named on the command line.
    public var file: String
    public var family: AddressFamily
    /// The format the file was read as, e.g. `iptables-save`.
    public var format: String
    public var tables: [Table]
    public var diagnostics: [Diagnostic]

    public init(file: String, family: AddressFamily, format: String, tables: [Table], diagnostics: [Diagnostic]) {
        self.file = file
        self.family = family
        self.format = format
        self.tables = tables
        self.diagnostics = diagnostics
    }

    public func table(named name: String) -> Table? { tables.first { $0.name == name } }
    public var filter: Table? { table(named: "filter") }
    /// Whether the ruleset came from `nft -j list ruleset`.
    public var isNFTables: Bool { format == "nftables-json" }
}
