import BulwarkModel
import PacketSpace

/// Compiles one nftables rule (its JSON `expr` list) into IR rules: one, or one per element of a
/// verdict map. Statements run in order: matches narrow the packets, statements that let the
/// packet go on (counter, log, set updates, mangling) change nothing Bulwark models, and the first
/// verdict ends the rule.
struct NFTRuleCompiler {
    let family: String
    let table: String
    let sets: [String: NFTablesReader.NamedSet]
    private(set) var warnings: [String] = []

    init(family: String, table: String, sets: [String: NFTablesReader.NamedSet]) {
        self.family = family
        self.table = table
        self.sets = sets
    }

    struct Part {
        var text: String
        var match: RuleMatch
        var target: Target
        var options: [String]
        var part: String?
        var isBroken = false
        var brokenReason: String?
    }

    /// One branch of a verdict map: the packets of its key and the verdict.
    private struct Branch {
        var term: MatchTerm
        var target: Target
        var text: String
    }

    mutating func compile(_ exprs: [JSONValue]) -> [Part] {
        var builder = MatchBuilder()
        switch family {
        case "ip": builder.base.restrict(.family, to: AddressFamily.ipv4.rawValue)
        case "ip6": builder.base.restrict(.family, to: AddressFamily.ipv6.rawValue)
        default: break
        }
        var target = Target.none
        var options: [String] = []
        var branches: [Branch]?
        var texts: [String] = []
        for e in exprs {
            guard let (name, body) = e.object?.first else {
                warnings.append("expected a statement object, found \(NFTSyntax.render(e))")
                return [Part(text: texts.joined(separator: " "), match: .unknown("unreadable statement"), target: .unknown("?"),
                             options: [], isBroken: true, brokenReason: "a statement could not be read")]
            }
            texts.append(NFTSyntax.statement(name, body))
            switch name {
            case "match":
                builder.add(matchTerm(body))
            case "counter", "log", "set", "map", "mangle", "meta", "ct", "notrack", "dup", "secmark":
                options.append(name)
            case "limit":
                let over = body["inv"]?.bool == true
                builder.add(.opaque("limit: whether the rate limit is exceeded depends on traffic (assumed not exceeded)", assume: !over))
            case "quota":
                let over = body["inv"]?.bool == true
                builder.add(.opaque("quota: whether the quota is used up depends on traffic (assumed not)", assume: !over))
            case "accept": target = .accept
            case "drop": target = .drop
            case "reject": target = .reject(body["type"]?.string.map { t in body["expr"]?.string.map { "\(t) \($0)" } ?? t })
            case "return": target = .returnFromChain
            case "continue": target = .none
            case "jump", "goto":
                guard let t = body["target"]?.string else {
                    warnings.append("expected a \(name) target chain")
                    target = .unknown(name)
                    break
                }
                target = name == "jump" ? .jump(t) : .goto(t)
            case "queue": target = .queue("queue")
            case "snat", "dnat", "masquerade", "redirect":
                // NAT statements end the rule and accept the packet (after rewriting it).
                target = .accept
                options.append(name)
            case "vmap":
                branches = vmapBranches(body)
            default:
                warnings.append("statement \(name) is not modelled: what it does to the packet is unknown")
                target = .unknown(name)
            }
            if target != .none || branches != nil { break }
        }
        let text = texts.joined(separator: " ")
        guard let branches else {
            return [Part(text: text, match: builder.build(), target: target, options: options, part: nil)]
        }
        return branches.map { b in
            var each = builder
            each.add(b.term)
            return Part(text: text, match: each.build(), target: b.target, options: options, part: b.text)
        }
    }

    // MARK: - Matches

    /// The packets a `match` statement selects.
    private mutating func matchTerm(_ body: JSONValue) -> MatchTerm {
        let op = body["op"]?.string ?? "=="
        guard let left = body["left"], let right = body["right"] else {
            warnings.append("expected a match with \"left\" and \"right\"")
            return .opaque("an unreadable match", assume: false)
        }
        let shown = "\(NFTSyntax.render(left)) \(op == "==" || op == "in" ? "" : op + " ")\(NFTSyntax.render(right))"
        if let items = left["concat"]?.array {
            let selectors = items.map { NFTNames.selector($0) }
            guard selectors.allSatisfy({ $0 != nil }), op == "==" || op == "in" else { return unmodelled(shown, left, op, right) }
            guard let (cubes, dynamic) = concatCubes(right, selectors.map { $0! }) else { return unreadable(shown) }
            return term(cubes, selectors: selectors.map { $0! }, dynamic: dynamic, shown: shown)
        }
        guard let selector = NFTNames.selector(left) else { return unmodelled(shown, left, op, right) }
        guard case (var values, let dynamic)? = valueSet(right, selector.kind) else { return unreadable(shown) }
        switch op {
        case "==", "in": break
        case "!=": values = IntervalSet(selector.domain).subtracting(values)
        case "<", "<=", ">", ">=":
            guard let lo = values.min, let hi = values.max else { return unreadable(shown) }
            let top = selector.domain.upperBound
            let r: ClosedRange<UInt128>? = switch op {
            case "<": lo == 0 ? nil : 0...(lo - 1)
            case "<=": 0...hi
            case ">": hi >= top ? nil : (hi + 1)...top
            default: lo...top
            }
            values = r.map { IntervalSet($0) } ?? IntervalSet()
        default:
            return unmodelled(shown, left, op, right)
        }
        var cube = selector.dependency
        cube.restrict(selector.field, to: values)
        return term([cube], selectors: [selector], dynamic: dynamic, shown: shown)
    }

    private func term(_ cubes: [PacketCube], selectors: [NFTSelector], dynamic: String?, shown: String) -> MatchTerm {
        var certain = cubes, assumed = cubes, possible = cubes
        var reasons: [String] = []
        if selectors.contains(where: \.readsRawTransport) {
            // Ports are exact for protocols that have them; for others `th` reads other header bytes.
            let ported = cubes.map { c -> PacketCube in var p = c; p.restrict(.protocolNumber, to: NFTNames.portProtocols); return p }.filter { !$0.isEmpty }
            // The same packets but for the port fields, on protocols without ports: any bytes may match.
            let other = cubes.map { c -> PacketCube in
                var o = PacketCube()
                for k in c.constraints where k.dimension != PacketField.sourcePort.rawValue && k.dimension != PacketField.destinationPort.rawValue {
                    o.restrict(k.dimension, to: k.values)
                }
                o.restrict(.protocolNumber, to: IntervalSet(0...255).subtracting(NFTNames.portProtocols))
                return o
            }.filter { !$0.isEmpty }
            if !other.isEmpty {
                certain = ported
                assumed = ported
                possible = ported + other
                reasons.append("\(shown): for protocols without ports, th reads other header bytes (assumed not to match)")
            }
        }
        if let dynamic {
            certain = []
            possible = [dependency(selectors)]
            reasons.append("\(shown): \(dynamic) (assumed to hold what the export lists)")
        }
        if reasons.isEmpty { return .exact(cubes) }
        return MatchTerm(certain: certain, assumed: assumed, possible: possible, reason: reasons.joined(separator: "; "))
    }

    private func dependency(_ selectors: [NFTSelector]) -> PacketCube {
        selectors.reduce(PacketCube()) { $0.intersection($1.dependency) }
    }

    private mutating func unreadable(_ shown: String) -> MatchTerm {
        warnings.append("\(shown): a value is not of the kind its left side reads")
        return .opaque("\(shown) could not be read", assume: false)
    }

    /// A match on something Bulwark does not model (marks, fib lookups, packet types …). Concrete
    /// answers assume what an ordinary packet on a quiet network would show.
    private func unmodelled(_ shown: String, _ left: JSONValue, _ op: String, _ right: JSONValue) -> MatchTerm {
        var assume = false
        let key = left["meta"]?["key"]?.string ?? left["ct"]?["key"]?.string
        if key == "mark" || key == "secmark" || key == "skgid" || key == "skuid" {
            // Marks are 0 unless something set them.
            let zero = right.int == 0
            assume = op == "!=" ? !zero : (op == "==" && zero)
        } else if left["fib"] != nil {
            // Reverse-path and address-type lookups: an ordinary routed packet passes them.
            assume = !(right.bool == false || right.string == "missing")
        } else if key == "pkttype" {
            assume = right.string == "host" ? op != "!=" : op == "!="
        }
        return .opaque("\(shown) is not modelled (assumed \(assume ? "to match" : "not to match") an ordinary packet)", assume: assume)
    }

    /// The values of the right side of a single-field match, with why they may change at run time.
    private func valueSet(_ right: JSONValue, _ kind: NFTSelector.Kind) -> (IntervalSet, String?)? {
        if let name = right.string, name.hasPrefix("@") {
            guard let set = sets[String(name.dropFirst())] else { return nil }
            var out = IntervalSet()
            for e in set.elements {
                guard let v = NFTNames.values(element(e), kind: kind) else { return nil }
                out = out.union(v)
            }
            return (out, set.isDynamic ? "set \(name) changes at run time" : nil)
        }
        if let items = right["set"]?.array {
            var out = IntervalSet()
            for e in items {
                guard let v = NFTNames.values(element(e), kind: kind) else { return nil }
                out = out.union(v)
            }
            return (out, nil)
        }
        guard let v = NFTNames.values(right, kind: kind) else { return nil }
        return (v, nil)
    }

    /// The key of a set element, without its per-element options (`{"elem": {"val": …, "counter": …}}`).
    private func element(_ e: JSONValue) -> JSONValue {
        if let inner = e["elem"] { return inner["val"] ?? inner }
        return e
    }

    /// Cubes of a concatenation match: one per element.
    private func concatCubes(_ right: JSONValue, _ selectors: [NFTSelector]) -> ([PacketCube], String?)? {
        var elements: [JSONValue]
        var dynamic: String?
        if let name = right.string, name.hasPrefix("@") {
            guard let set = sets[String(name.dropFirst())] else { return nil }
            elements = set.elements
            if set.isDynamic { dynamic = "set \(name) changes at run time" }
        } else if let items = right["set"]?.array {
            elements = items
        } else {
            elements = [right]
        }
        var cubes: [PacketCube] = []
        for e in elements {
            guard let c = concatCube(element(e), selectors) else { return nil }
            if !c.isEmpty { cubes.append(c) }
        }
        return (cubes, dynamic)
    }

    private func concatCube(_ value: JSONValue, _ selectors: [NFTSelector]) -> PacketCube? {
        guard let parts = value["concat"]?.array, parts.count == selectors.count else { return nil }
        var cube = dependency(selectors)
        for (s, v) in zip(selectors, parts) {
            guard let values = NFTNames.values(v, kind: s.kind) else { return nil }
            cube.restrict(s.field, to: values)
        }
        return cube
    }

    // MARK: - Verdict maps

    private mutating func vmapBranches(_ body: JSONValue) -> [Branch]? {
        guard let key = body["key"], let data = body["data"] else {
            warnings.append("expected a vmap with \"key\" and \"data\"")
            return nil
        }
        var pairs: [JSONValue] = []
        var dynamic: String?
        if let name = data.string, name.hasPrefix("@") {
            guard let map = sets[String(name.dropFirst())], map.isVerdictMap else {
                warnings.append("vmap \(name): no such verdict map in table \(family) \(table)")
                return [Branch(term: .opaque("vmap \(name) is not declared", assume: false), target: .unknown("vmap"), text: name)]
            }
            pairs = map.elements
            if map.isDynamic { dynamic = "map \(name) changes at run time" }
        } else if let items = data["set"]?.array {
            pairs = items
        }
        let selectors: [NFTSelector?] = key["concat"]?.array.map { $0.map { NFTNames.selector($0) } }
            ?? [NFTNames.selector(key)]
        let shownKey = NFTSyntax.render(key)
        guard selectors.allSatisfy({ $0 != nil }) else {
            // A key Bulwark cannot read: any branch may be taken.
            return pairs.compactMap { p -> Branch? in
                guard let pair = p.array, pair.count == 2 else { return nil }
                return Branch(term: .opaque("\(shownKey) is not modelled", assume: false), target: verdict(pair[1]),
                              text: "\(shownKey) \(NFTSyntax.render(element(pair[0]))) : \(NFTSyntax.render(pair[1]))")
            }
        }
        let sels = selectors.map { $0! }
        let dep = dependency(sels)
        var taken: [PacketCube] = []
        var out: [Branch] = []
        var catchAll: (Target, String)?
        for p in pairs {
            guard let pair = p.array, pair.count == 2 else {
                warnings.append("vmap element: expected [key, verdict]")
                continue
            }
            let k = element(pair[0])
            let target = verdict(pair[1])
            let text = "\(shownKey) \(NFTSyntax.render(k)) : \(NFTSyntax.render(pair[1]))"
            if k.string == "*" { catchAll = (target, text); continue }
            var cubes: [PacketCube]
            if sels.count > 1 {
                guard let c = concatCube(k, sels) else { warnings.append("vmap element \(NFTSyntax.render(k)): not a value of \(shownKey)"); continue }
                cubes = [c]
            } else {
                guard let v = NFTNames.values(k, kind: sels[0].kind) else { warnings.append("vmap element \(NFTSyntax.render(k)): not a value of \(shownKey)"); continue }
                var c = dep
                c.restrict(sels[0].field, to: v)
                cubes = [c]
            }
            // Keys of a map are distinct; what an earlier element took is not this one's.
            for t in taken { cubes = cubes.flatMap { PacketCube.subtracting($0, t) } }
            taken.append(contentsOf: cubes)
            out.append(Branch(term: term(cubes, selectors: sels, dynamic: dynamic, shown: shownKey), target: target, text: text))
        }
        if let (target, text) = catchAll {
            var rest = [dep]
            for t in taken { rest = rest.flatMap { PacketCube.subtracting($0, t) } }
            out.append(Branch(term: term(rest, selectors: sels, dynamic: dynamic, shown: shownKey), target: target, text: text))
        }
        return out
    }

    private mutating func verdict(_ v: JSONValue) -> Target {
        guard let (name, body) = v.object?.first else { return .unknown("?") }
        switch name {
        case "accept": return .accept
        case "drop": return .drop
        case "return": return .returnFromChain
        case "continue": return .none
        case "jump": return body["target"]?.string.map { .jump($0) } ?? .unknown(name)
        case "goto": return body["target"]?.string.map { .goto($0) } ?? .unknown(name)
        default:
            warnings.append("verdict \(name) is not modelled")
            return .unknown(name)
        }
    }
}

extension PacketCube {
    /// `a` minus `b` as disjoint cubes: for each dimension `b` constrains, the packets of `a` that
    /// agree with `b` on the dimensions before it and differ on this one.
    static func subtracting(_ a: PacketCube, _ b: PacketCube) -> [PacketCube] {
        guard a.overlaps(b) else { return [a] }
        var out: [PacketCube] = []
        var prefix = a
        for c in b.constraints {
            let mine = prefix.values(c.dimension) ?? IntervalSet(0...(PacketField(rawValue: c.dimension)?.maximum ?? .max))
            let outside = mine.subtracting(c.values)
            if !outside.isEmpty {
                var piece = prefix
                piece.restrict(c.dimension, to: outside)
                out.append(piece)
            }
            prefix.restrict(c.dimension, to: mine.intersection(c.values))
        }
        return out
    }
}
