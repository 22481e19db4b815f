import PacketSpace

/// Facts about the whole file that give some matches their meaning.
struct CompileContext {
    var family: AddressFamily
    /// Names of `recent` lists that some rule adds to (`--set`); other lists stay empty.
    var recentListsSet: Set<String>
    /// Whether the nat table rewrites destinations before the filter table sees packets (DNAT,
    /// REDIRECT, NETMAP): then a connection's original destination may differ from the packet's.
    var natRewritesDestination: Bool

    var addressRange: ClosedRange<UInt128> { family == .ipv4 ? IPAddress.ipv4Range : 0...UInt128.max }
    var icmpProtocol: UInt128 { family == .ipv4 ? 1 : 58 }
}

/// A rule's meaning could not be read; the column and what was expected there.
struct CompileError: Error {
    var column: Int
    var message: String
}

/// The outcome of compiling one `-m` module.
struct ModuleMeaning {
    var terms: [MatchTerm] = []
    /// Things worth telling the user that do not break the rule (unknown options …).
    var warnings: [(column: Int, message: String)] = []
    var comment: String?
}

extension CompileContext {
    func addresses(_ token: Token) throws(CompileError) -> IntervalSet {
        if !token.text.utf8.contains(UInt8(ascii: ",")), let r = IPAddress.parseNetwork(token.text, family: family) {
            return IntervalSet(r)
        }
        var ranges: [ClosedRange<UInt128>] = []
        for part in token.text.split(separator: ",") {
            guard let r = IPAddress.parseNetwork(part, family: family) else {
                throw CompileError(column: token.column, message: "an \(family == .ipv4 ? "IPv4" : "IPv6") address or network (found '\(part)')")
            }
            ranges.append(r)
        }
        guard !ranges.isEmpty else { throw CompileError(column: token.column, message: "an address") }
        return IntervalSet(ranges: ranges)
    }

    func negated(_ set: IntervalSet, _ negate: Bool, within domain: ClosedRange<UInt128>) -> IntervalSet {
        negate ? IntervalSet(domain).subtracting(set) : set
    }

    /// The meaning of one `-m NAME` module.
    func compile(_ module: ParsedModule) throws(CompileError) -> ModuleMeaning {
        var meaning = ModuleMeaning()
        let name = module.name.lowercased()
        func arg(_ o: ModuleOption, _ n: Int = 0) throws(CompileError) -> Token {
            guard n < o.args.count else { throw CompileError(column: o.column, message: "a value after --\(o.name)") }
            return o.args[n]
        }
        func exact(_ field: PacketField, _ values: IntervalSet) -> MatchTerm {
            var c = PacketCube()
            c.restrict(field, to: values)
            return .exact(c)
        }
        func ports(_ o: ModuleOption) throws(CompileError) -> IntervalSet {
            let t = try arg(o)
            guard let r = NetfilterNames.portRange(t.text) else {
                throw CompileError(column: t.column, message: "a port or port range like 22 or 1024:65535 (found '\(t.text)')")
            }
            return negated(IntervalSet(r), o.negated, within: 0...65535)
        }
        func unknownOption(_ o: ModuleOption) {
            meaning.warnings.append((o.column, "unknown option --\(o.name) of match '\(module.name)': the rule is treated as uncertain"))
            meaning.terms.append(.opaque("-m \(module.name) --\(o.name) is not modelled", assume: true))
        }
        // Matches that read the transport header fail on second and later fragments.
        var firstFragment: MatchTerm {
            var c = PacketCube()
            c.restrict(.fragment, to: 0)
            return .exact(c)
        }

        switch name {
        case "tcp", "udp", "udplite", "sctp", "dccp":
            let proto: UInt128 = switch name {
            case "tcp": 6
            case "udp": 17
            case "udplite": 136
            case "sctp": 132
            default: 33
            }
            var c = PacketCube()
            c.restrict(.protocolNumber, to: proto)
            c.restrict(.fragment, to: 0)
            meaning.terms.append(.exact(c))
            for o in module.options {
                switch o.name {
                case "sport", "source-port", "source-ports":
                    meaning.terms.append(exact(.sourcePort, try ports(o)))
                case "dport", "destination-port", "destination-ports":
                    meaning.terms.append(exact(.destinationPort, try ports(o)))
                case "tcp-flags" where name == "tcp":
                    let m = try arg(o, 0)
                    let v = try arg(o, 1)
                    guard let mask = TCPFlags(names: String(m.text)) else { throw CompileError(column: m.column, message: "TCP flag names such as SYN,ACK,FIN,RST (found '\(m.text)')") }
                    guard let comp = TCPFlags(names: String(v.text)) else { throw CompileError(column: v.column, message: "TCP flag names such as SYN (found '\(v.text)')") }
                    meaning.terms.append(exact(.tcpFlags, negated(TCPFlags.matching(mask: mask, compare: comp), o.negated, within: 0...255)))
                case "syn" where name == "tcp":
                    let set = TCPFlags.matching(mask: [.syn, .rst, .ack, .fin], compare: .syn)
                    meaning.terms.append(exact(.tcpFlags, negated(set, o.negated, within: 0...255)))
                case "tcp-option" where name == "tcp":
                    meaning.terms.append(.opaque("-m tcp --tcp-option: TCP options are not modelled", assume: o.negated))
                case "chunk-types" where name == "sctp":
                    meaning.terms.append(.opaque("-m sctp --chunk-types: SCTP chunks are not modelled", assume: true))
                default:
                    unknownOption(o)
                }
            }
        case "multiport":
            meaning.terms.append(firstFragment)
            for o in module.options {
                let t = try arg(o)
                var ranges: [ClosedRange<UInt128>] = []
                for part in t.text.split(separator: ",") {
                    guard let r = NetfilterNames.portRange(part) else { throw CompileError(column: t.column, message: "a comma-separated list of ports (found '\(part)')") }
                    ranges.append(r)
                }
                let set = IntervalSet(ranges: ranges)
                switch o.name {
                case "sports", "source-ports":
                    meaning.terms.append(exact(.sourcePort, negated(set, o.negated, within: 0...65535)))
                case "dports", "destination-ports":
                    meaning.terms.append(exact(.destinationPort, negated(set, o.negated, within: 0...65535)))
                case "ports":
                    // Either port in the list: a union of two cubes; negated, neither port is.
                    if o.negated {
                        let rest = IntervalSet(0...65535).subtracting(set)
                        var c = PacketCube()
                        c.restrict(.sourcePort, to: rest)
                        c.restrict(.destinationPort, to: rest)
                        meaning.terms.append(.exact(c))
                    } else {
                        var s = PacketCube()
                        s.restrict(.sourcePort, to: set)
                        var d = PacketCube()
                        d.restrict(.destinationPort, to: set)
                        meaning.terms.append(.exact([s, d]))
                    }
                default:
                    unknownOption(o)
                }
            }
        case "icmp", "icmp6", "icmpv6":
            let v6 = name != "icmp"
            var c = PacketCube()
            c.restrict(.protocolNumber, to: v6 ? 58 : 1)
            c.restrict(.fragment, to: 0)
            meaning.terms.append(.exact(c))
            for o in module.options {
                guard o.name == "icmp-type" || o.name == "icmpv6-type" else { unknownOption(o); continue }
                let t = try arg(o)
                guard let r = NetfilterNames.icmpRange(t.text, v6: v6) else {
                    throw CompileError(column: t.column, message: "an ICMP type such as 8, 3/4 or echo-request (found '\(t.text)')")
                }
                meaning.terms.append(exact(.icmpTypeCode, negated(IntervalSet(r), o.negated, within: 0...0xFFFF)))
            }
        case "state":
            for o in module.options {
                guard o.name == "state" else { unknownOption(o); continue }
                let (states, natBits) = try stateList(try arg(o))
                guard natBits.isEmpty else { throw CompileError(column: o.column, message: "states INVALID, NEW, ESTABLISHED, RELATED or UNTRACKED") }
                meaning.terms.append(exact(.connectionState, negated(states, o.negated, within: 0...4)))
            }
        case "conntrack":
            meaning.terms.append(try conntrack(module))
        case "iprange":
            for o in module.options {
                let t = try arg(o)
                let bounds = t.text.split(separator: "-", maxSplits: 1)
                guard bounds.count == 2, let lo = IPAddress.parse(bounds[0]), let hi = IPAddress.parse(bounds[1]),
                      lo.family == family, hi.family == family, lo.value <= hi.value else {
                    throw CompileError(column: t.column, message: "an address range like 10.0.0.1-10.0.0.9 (found '\(t.text)')")
                }
                let set = negated(IntervalSet(lo.value...hi.value), o.negated, within: addressRange)
                switch o.name {
                case "src-range": meaning.terms.append(exact(.sourceAddress, set))
                case "dst-range": meaning.terms.append(exact(.destinationAddress, set))
                default: unknownOption(o)
                }
            }
        case "comment":
            meaning.comment = module.options.first { $0.name == "comment" }.flatMap { $0.args.first }.map { String($0.text) }
        case "mac":
            for o in module.options {
                guard o.name == "mac-source" else { unknownOption(o); continue }
                let t = try arg(o)
                if let mac = MACAddress.parse(t.text) {
                    meaning.terms.append(exact(.sourceMAC, negated(IntervalSet(value: mac), o.negated, within: 0...PacketField.sourceMAC.maximum)))
                } else if t.text.uppercased().allSatisfy({ $0 == "X" || $0 == ":" }) {
                    meaning.terms.append(.opaque("-m mac --mac-source \(t.text): the MAC address is censored in the export", assume: o.negated))
                } else {
                    throw CompileError(column: t.column, message: "a MAC address like 00:11:22:33:44:55 (found '\(t.text)')")
                }
            }
        case "limit":
            meaning.terms.append(.opaque("-m limit: whether the rate limit is exceeded depends on traffic (assumed not exceeded)", assume: true))
        case "hashlimit":
            let above = module.options.contains { $0.name == "hashlimit-above" }
            meaning.terms.append(.opaque("-m hashlimit: whether the rate limit is exceeded depends on traffic (assumed not exceeded)", assume: !above))
        case "connlimit":
            let above = module.options.contains { $0.name == "connlimit-above" }
            meaning.terms.append(.opaque("-m connlimit: the number of open connections depends on traffic (assumed low)", assume: !above))
        case "recent":
            meaning.terms.append(contentsOf: recent(module))
        case "set":
            let names = module.options.filter { $0.name == "match-set" || $0.name == "set" }.compactMap { $0.args.first.map { String($0.text) } }
            let negated = module.options.first { $0.name == "match-set" || $0.name == "set" }?.negated ?? false
            meaning.terms.append(.opaque("-m set \(names.joined(separator: ",")): the ipset's members are not in the export (assumed not a member)", assume: negated))
        case "addrtype":
            for o in module.options {
                switch o.name {
                case "src-type", "dst-type":
                    let t = try arg(o)
                    var values: [ClosedRange<UInt128>] = []
                    for part in t.text.split(separator: ",") {
                        guard let type = AddressType(name: String(part)) else { throw CompileError(column: t.column, message: "address types such as LOCAL, UNICAST, BROADCAST, MULTICAST (found '\(part)')") }
                        values.append(type.rawValue...type.rawValue)
                    }
                    let set = negated(IntervalSet(ranges: values), o.negated, within: 0...PacketField.sourceAddressType.maximum)
                    meaning.terms.append(exact(o.name == "src-type" ? .sourceAddressType : .destinationAddressType, set))
                case "limit-iface-in", "limit-iface-out":
                    meaning.terms.append(.opaque("-m addrtype --\(o.name): address types of one interface are not modelled", assume: true))
                default:
                    unknownOption(o)
                }
            }
        case "owner":
            meaning.terms.append(.opaque("-m owner: the sending process is not part of the packet (assumed another owner)", assume: module.options.allSatisfy(\.negated)))
        case "policy":
            // Without IPsec in the export, packets are assumed not to be IPsec-processed.
            let none = module.options.contains { $0.name == "pol" && $0.args.first?.text == "none" }
            meaning.terms.append(.packetDefault("-m policy: IPsec processing is not modelled (a query packet is not IPsec-protected unless said)", assume: none))
        case "pkttype":
            // The link-layer type usually follows the destination address type.
            let t = try arg(module.options.first { $0.name == "pkt-type" } ?? ModuleOption(name: "pkt-type", negated: false, args: [], column: module.column))
            let negate = module.options.first { $0.name == "pkt-type" }?.negated ?? false
            var assumed = PacketCube()
            switch t.text.lowercased() {
            case "broadcast": assumed.restrict(.destinationAddressType, to: AddressType.broadcast.rawValue)
            case "multicast": assumed.restrict(.destinationAddressType, to: AddressType.multicast.rawValue)
            case "unicast", "host":
                assumed.restrict(.destinationAddressType, to: IntervalSet(0...PacketField.destinationAddressType.maximum)
                    .subtracting(IntervalSet(ranges: [AddressType.broadcast.rawValue...AddressType.broadcast.rawValue, AddressType.multicast.rawValue...AddressType.multicast.rawValue])))
            case "otherhost": assumed.restrict(.fragment, to: IntervalSet())
            default: throw CompileError(column: t.column, message: "a packet type: unicast, broadcast, multicast, host or otherhost")
            }
            var assumedSet = [assumed]
            if negate, let c = assumed.constraints.first {
                var rest = PacketCube()
                rest.restrict(c.dimension, to: IntervalSet(0...PacketField.allCases[c.dimension].maximum).subtracting(c.values))
                assumedSet = [rest]
            }
            var term = MatchTerm(certain: [], assumed: assumedSet, possible: [PacketCube()],
                                 reason: "-m pkttype: the link-layer packet type is not modelled (a query packet's follows its destination address type)")
            term.isPacketDefault = true
            meaning.terms.append(term)
        case "physdev":
            meaning.terms.append(.packetDefault("-m physdev: bridge ports are not modelled (a query packet is routed, not bridged, unless said)",
                                                assume: module.options.allSatisfy(\.negated) && !module.options.isEmpty))
        case "rpfilter":
            let invert = module.options.contains { $0.name == "invert" }
            meaning.terms.append(.opaque("-m rpfilter: reverse-path checks depend on routes (assumed to pass)", assume: !invert))
        case "mark", "connmark":
            meaning.terms.append(.opaque("-m \(name): packet marks are not modelled (assumed mark 0)", assume: markMatchesZero(module)))
        case "length":
            meaning.terms.append(.opaque("-m length: packet length is not modelled (assumed to match)", assume: true))
        case "ttl", "hl":
            meaning.terms.append(.opaque("-m \(name): TTL/hop limit is not modelled (assumed 64)", assume: ttlMatches64(module)))
        case "tos", "dscp", "ecn":
            meaning.terms.append(.opaque("-m \(name): TOS/DSCP/ECN bits are not modelled (assumed 0)", assume: module.options.allSatisfy(\.negated) && !module.options.isEmpty))
        case "helper":
            meaning.terms.append(.opaque("-m helper: conntrack helpers are not modelled (assumed none)", assume: false))
        case "frag", "hbh", "dst", "rt", "ipv6header", "mh", "ah", "esp":
            meaning.terms.append(.opaque("-m \(name): IPv6 extension headers and IPsec headers are not modelled (assumed absent)", assume: module.options.allSatisfy(\.negated) && !module.options.isEmpty))
        case "string", "u32", "bpf", "time", "statistic", "quota", "connbytes", "cpu", "devgroup", "realm", "cgroup",
             "socket", "nfacct", "cluster", "osf", "ipvs", "l2tp", "connlabel", "rateest", "nfqueue", "condition", "geoip":
            meaning.terms.append(.opaque("-m \(name): not modelled (assumed not to match)", assume: false))
        default:
            meaning.warnings.append((module.column, "unknown match module '\(module.name)': the rule is treated as uncertain"))
            meaning.terms.append(.opaque("-m \(module.name) is not known to Bulwark (assumed not to match)", assume: false))
        }
        return meaning
    }

    /// States and the SNAT/DNAT virtual states of a `--state`/`--ctstate` list.
    func stateList(_ t: Token) throws(CompileError) -> (IntervalSet, Set<String>) {
        var values: [ClosedRange<UInt128>] = []
        var nat: Set<String> = []
        for part in t.text.split(separator: ",") {
            if let s = ConnectionState(name: String(part)) {
                values.append(s.rawValue...s.rawValue)
            } else if part.uppercased() == "SNAT" || part.uppercased() == "DNAT" {
                nat.insert(part.uppercased())
            } else {
                throw CompileError(column: t.column, message: "connection states such as NEW,ESTABLISHED,RELATED (found '\(part)')")
            }
        }
        return (IntervalSet(ranges: values), nat)
    }

    private func markMatchesZero(_ module: ParsedModule) -> Bool {
        for o in module.options where o.name == "mark" {
            guard let t = o.args.first else { continue }
            let parts = t.text.split(separator: "/")
            func num(_ s: Substring) -> UInt64? { s.hasPrefix("0x") ? UInt64(s.dropFirst(2), radix: 16) : UInt64(s) }
            let value = num(parts[0]) ?? 0
            return (value == 0) != o.negated
        }
        return true
    }

    private func ttlMatches64(_ module: ParsedModule) -> Bool {
        for o in module.options {
            guard let v = o.args.first.flatMap({ Int($0.text) }) else { continue }
            let r: Bool
            switch o.name {
            case "ttl-eq", "hl-eq": r = 64 == v
            case "ttl-lt", "hl-lt": r = 64 < v
            case "ttl-gt", "hl-gt": r = 64 > v
            default: r = true
            }
            if r == o.negated { return false }
        }
        return true
    }

    /// `-m recent`: `--set` always matches; checking a list no rule ever fills never matches; checking
    /// a list rules do fill depends on traffic history (assumed empty).
    private func recent(_ module: ParsedModule) -> [MatchTerm] {
        let listName = module.options.first { $0.name == "name" }?.args.first.map { String($0.text) } ?? "DEFAULT"
        for o in module.options {
            switch o.name {
            case "set":
                return o.negated ? [.exact([])] : []
            case "rcheck", "update", "remove":
                if !recentListsSet.contains(listName) {
                    // Nothing ever adds to the list, so it stays empty.
                    var term = MatchTerm.exact(o.negated ? [PacketCube()] : [])
                    term.note = "no rule ever adds to the recent list \(listName), so --\(o.name) on it never matches"
                    return [term]
                }
                return [.opaque("-m recent --\(o.name) --name \(listName): depends on earlier traffic (assumed no history)", assume: o.negated)]
            default:
                continue
            }
        }
        return []
    }

    /// `-m conntrack`, state class by state class (see docs/firewall-semantics.md).
    private func conntrack(_ module: ParsedModule) throws(CompileError) -> MatchTerm {
        var stateSet: IntervalSet?
        var stateNegated = false
        var natStates: Set<String> = []
        // Constraints on the connection's tuples, as they read on a NEW packet.
        var newCube = PacketCube()
        var needsConnection = false
        var opaqueForNew: [String] = []
        // Uncertain only because DNAT may have changed the destination (queries see whether it did).
        var natNew: [String] = []
        var opaqueForOthers: [String] = []
        var protoCube = PacketCube()
        for o in module.options {
            guard let t = o.args.first else {
                throw CompileError(column: o.column, message: "a value after --\(o.name)")
            }
            switch o.name {
            case "ctstate":
                let (s, nat) = try stateList(t)
                stateSet = s
                natStates = nat
                stateNegated = o.negated
            case "ctproto":
                needsConnection = true
                guard let p = NetfilterNames.protocolNumber(t.text) else { throw CompileError(column: t.column, message: "a protocol name or number (found '\(t.text)')") }
                let set = negated(IntervalSet(value: UInt128(p)), o.negated, within: 0...255)
                newCube.restrict(.protocolNumber, to: set)
                protoCube.restrict(.protocolNumber, to: set)
            case "ctorigsrc", "ctrepldst":
                needsConnection = true
                newCube.restrict(.sourceAddress, to: negated(try addresses(t), o.negated, within: addressRange))
                opaqueForOthers.append("--\(o.name)")
            case "ctorigdst", "ctreplsrc":
                needsConnection = true
                newCube.restrict(.destinationAddress, to: negated(try addresses(t), o.negated, within: addressRange))
                if o.name == "ctorigdst" && natRewritesDestination { natNew.append("--ctorigdst (the nat table may rewrite destinations)") }
                opaqueForOthers.append("--\(o.name)")
            case "ctorigsrcport", "ctrepldstport", "ctorigdstport", "ctreplsrcport":
                needsConnection = true
                guard let r = NetfilterNames.portRange(t.text) else { throw CompileError(column: t.column, message: "a port or port range (found '\(t.text)')") }
                let field: PacketField = (o.name == "ctorigsrcport" || o.name == "ctrepldstport") ? .sourcePort : .destinationPort
                newCube.restrict(field, to: negated(IntervalSet(r), o.negated, within: 0...65535))
                if o.name == "ctorigdstport" && natRewritesDestination { natNew.append("--ctorigdstport (the nat table may rewrite destinations)") }
                opaqueForOthers.append("--\(o.name)")
            case "ctdir":
                needsConnection = true
                let original = t.text.uppercased() == "ORIGINAL"
                if original == o.negated { newCube.restrict(.fragment, to: IntervalSet()) }
                opaqueForOthers.append("--ctdir")
            case "ctstatus", "ctexpire":
                needsConnection = true
                opaqueForNew.append("--\(o.name)")
                opaqueForOthers.append("--\(o.name)")
            default:
                opaqueForNew.append("--\(o.name)")
                opaqueForOthers.append("--\(o.name)")
            }
        }
        // Per state class: does the state test pass (certainly, possibly), and do the other options?
        func stateTest(_ s: ConnectionState) -> (certain: Bool, possible: Bool) {
            guard let set = stateSet else { return (true, true) }
            let inSet = set.contains(s.rawValue)
            let hasConnection = s != .invalid && s != .untracked
            let natMayAdd = hasConnection && !natStates.isEmpty
            if !stateNegated { return (inSet, inSet || natMayAdd) }
            return (!inSet && !natMayAdd, !inSet)
        }
        var certain: [PacketCube] = []
        var assumed: [PacketCube] = []
        var possible: [PacketCube] = []
        func add(_ state: ConnectionState, _ cube: PacketCube, certainly: Bool, possibly: Bool, assumedly: Bool? = nil) {
            var c = cube
            c.restrict(.connectionState, to: state.rawValue)
            if c.isEmpty { return }
            if possibly { possible.append(c) }
            if certainly { certain.append(c) }
            if assumedly ?? certainly { assumed.append(c) }
        }
        var reasons: [String] = []
        var onlyNAT = true
        for s in ConnectionState.allCases {
            let (sc, sp) = stateTest(s)
            guard sp else { continue }
            switch s {
            case .invalid, .untracked:
                // Without a connection only a state test can match, and it decides alone.
                if stateSet != nil { add(s, PacketCube(), certainly: sc, possibly: true) }
            case .new:
                let exact = opaqueForNew.isEmpty && natNew.isEmpty && sc
                // Without DNAT a new connection's tuple is the packet's: that is what a query assumes.
                add(s, newCube, certainly: exact, possibly: true, assumedly: opaqueForNew.isEmpty && sc)
                if !opaqueForNew.isEmpty { reasons.append("\(opaqueForNew.joined(separator: ", ")) on new connections"); onlyNAT = false }
                if !natNew.isEmpty { reasons.append("\(natNew.joined(separator: ", ")) on new connections") }
            case .established:
                // Both directions share the protocol; the tuples depend on the direction.
                if opaqueForOthers.isEmpty && opaqueForNew.isEmpty {
                    add(s, protoCube, certainly: sc, possibly: true)
                } else {
                    add(s, protoCube, certainly: false, possibly: true)
                    reasons.append("\(Set(opaqueForOthers + opaqueForNew).sorted().joined(separator: ", ")) on established connections")
                    onlyNAT = false
                }
            case .related:
                if needsConnection || !opaqueForNew.isEmpty {
                    add(s, PacketCube(), certainly: false, possibly: true)
                    reasons.append("connection tuple options on related connections")
                    onlyNAT = false
                } else {
                    add(s, PacketCube(), certainly: sc, possibly: true)
                }
            }
            if sc == false && sp { reasons.append("--ctstate SNAT/DNAT (NAT status is not modelled)"); onlyNAT = false }
        }
        if reasons.isEmpty { return .exact(certain) }
        let reason = "-m conntrack: " + Array(Set(reasons)).sorted().joined(separator: "; ")
        var term = MatchTerm(certain: certain, assumed: assumed, possible: possible, reason: reason)
        term.isPacketDefault = onlyNAT
        return term
    }
}
