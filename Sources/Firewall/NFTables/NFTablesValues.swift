import BulwarkModel
import PacketSpace

/// What the left side of an nftables match reads from a packet, in Bulwark's packet space.
struct NFTSelector {
    /// How the values it is compared with are read and laid out.
    enum Kind: Equatable {
        case address(AddressFamily)
        case port
        case protocolNumber
        case icmpType(v6: Bool)
        case icmpCode(v6: Bool)
        case interface
        case family
        case connectionState
    }

    var field: PacketField
    var kind: Kind
    /// What the kernel checks before it can read the field (the protocol of a transport header,
    /// the family of an address …): a packet failing it does not match, whatever the operator.
    var dependency: PacketCube
    /// The whole range of the field's values, for complements.
    var domain: ClosedRange<UInt128>

    /// How the selector is written in nft syntax.
    var text: String
    /// `th sport`/`th dport`: the first bytes of any transport header, ports only for protocols that have them.
    var readsRawTransport = false
}

/// The values nftables writes in JSON: names of protocols, ICMP types, states and families.
enum NFTNames {
    static let icmpTypes: [String: UInt8] = [
        "echo-reply": 0, "destination-unreachable": 3, "source-quench": 4, "redirect": 5, "echo-request": 8,
        "router-advertisement": 9, "router-solicitation": 10, "time-exceeded": 11, "parameter-problem": 12,
        "timestamp-request": 13, "timestamp-reply": 14, "info-request": 15, "info-reply": 16,
        "address-mask-request": 17, "address-mask-reply": 18,
    ]
    static let icmpv6Types: [String: UInt8] = [
        "destination-unreachable": 1, "packet-too-big": 2, "time-exceeded": 3, "parameter-problem": 4,
        "echo-request": 128, "echo-reply": 129, "mld-listener-query": 130, "mld-listener-report": 131,
        "mld-listener-done": 132, "mld-listener-reduction": 132, "nd-router-solicit": 133, "nd-router-advert": 134,
        "nd-neighbor-solicit": 135, "nd-neighbor-advert": 136, "nd-redirect": 137, "router-renumbering": 138,
        "ind-neighbor-solicit": 141, "ind-neighbor-advert": 142, "mld2-listener-report": 143,
    ]
    /// Transport protocols whose header starts with source and destination ports.
    static let transports: [String: UInt128] = ["tcp": 6, "udp": 17, "udplite": 136, "sctp": 132, "dccp": 33]
    static let portProtocols = IntervalSet(ranges: transports.values.sorted().map { $0...$0 })

    /// The selector a `payload`, `meta` or `ct` expression denotes, or nil when Bulwark does not model it.
    static func selector(_ expr: JSONValue) -> NFTSelector? {
        if let p = expr["payload"], let proto = p["protocol"]?.string, let field = p["field"]?.string {
            return payloadSelector(proto, field)
        }
        if let m = expr["meta"], let key = m["key"]?.string {
            var dep = PacketCube()
            switch key {
            case "iif", "iifname":
                return NFTSelector(field: .inInterface, kind: .interface, dependency: dep, domain: 0...UInt128.max, text: "meta \(key)")
            case "oif", "oifname":
                return NFTSelector(field: .outInterface, kind: .interface, dependency: dep, domain: 0...UInt128.max, text: "meta \(key)")
            case "l4proto":
                return NFTSelector(field: .protocolNumber, kind: .protocolNumber, dependency: dep, domain: 0...255, text: "meta l4proto")
            case "nfproto":
                return NFTSelector(field: .family, kind: .family, dependency: dep, domain: 0...1, text: "meta nfproto")
            case "protocol":
                dep.restrict(.family, to: 0...1)
                return NFTSelector(field: .family, kind: .family, dependency: dep, domain: 0...1, text: "meta protocol")
            default:
                return nil
            }
        }
        if let c = expr["ct"], c["key"]?.string == "state", c["dir"] == nil {
            return NFTSelector(field: .connectionState, kind: .connectionState, dependency: PacketCube(),
                               domain: 0...PacketField.connectionState.maximum, text: "ct state")
        }
        return nil
    }

    private static func payloadSelector(_ proto: String, _ field: String) -> NFTSelector? {
        var dep = PacketCube()
        switch (proto, field) {
        case ("ip", "saddr"), ("ip", "daddr"), ("ip6", "saddr"), ("ip6", "daddr"):
            let family: AddressFamily = proto == "ip" ? .ipv4 : .ipv6
            dep.restrict(.family, to: family.rawValue)
            return NFTSelector(field: field == "saddr" ? .sourceAddress : .destinationAddress, kind: .address(family),
                               dependency: dep, domain: 0...UInt128.max, text: "\(proto) \(field)")
        case ("ip", "protocol"), ("ip6", "nexthdr"):
            dep.restrict(.family, to: (proto == "ip" ? AddressFamily.ipv4 : .ipv6).rawValue)
            return NFTSelector(field: .protocolNumber, kind: .protocolNumber, dependency: dep, domain: 0...255, text: "\(proto) \(field)")
        case ("icmp", "type"), ("icmp", "code"), ("icmpv6", "type"), ("icmpv6", "code"):
            let v6 = proto == "icmpv6"
            dep.restrict(.family, to: (v6 ? AddressFamily.ipv6 : .ipv4).rawValue)
            dep.restrict(.protocolNumber, to: v6 ? 58 : 1)
            dep.restrict(.fragment, to: 0)
            return NFTSelector(field: .icmpTypeCode, kind: field == "type" ? .icmpType(v6: v6) : .icmpCode(v6: v6),
                               dependency: dep, domain: 0...0xFFFF, text: "\(proto) \(field)")
        case ("th", "sport"), ("th", "dport"):
            // No protocol dependency: for protocols without ports the bytes mean something else.
            dep.restrict(.fragment, to: 0)
            return NFTSelector(field: field == "sport" ? .sourcePort : .destinationPort, kind: .port, dependency: dep,
                               domain: 0...65535, text: "th \(field)", readsRawTransport: true)
        case (_, "sport"), (_, "dport"):
            guard let number = transports[proto] else { return nil }
            dep.restrict(.protocolNumber, to: number)
            dep.restrict(.fragment, to: 0)
            return NFTSelector(field: field == "sport" ? .sourcePort : .destinationPort, kind: .port, dependency: dep,
                               domain: 0...65535, text: "\(proto) \(field)")
        default:
            return nil
        }
    }

    /// The values one literal denotes for a selector kind: a single value, a prefix, a range, or
    /// (for interface names) a `*` wildcard. Nil when the literal is not a value of that kind.
    static func values(_ v: JSONValue, kind: NFTSelector.Kind) -> IntervalSet? {
        if let r = v["range"]?.array, r.count == 2, let lo = values(r[0], kind: kind)?.min, let hi = values(r[1], kind: kind)?.max, lo <= hi {
            return IntervalSet(lo...hi)
        }
        if let p = v["prefix"], let addr = p["addr"]?.string, let len = p["len"]?.int, case .address(let family) = kind {
            let bits = family == .ipv4 ? 32 : 128
            guard len >= 0, len <= bits, let a = IPAddress.parse(addr[...]), a.family == family else { return nil }
            return IntervalSet(IPAddress.prefix(a.value, length: len, family: family))
        }
        switch kind {
        case .address(let family):
            guard let s = v.string else { return nil }
            if s.contains("/") { return IPAddress.parseNetwork(s[...], family: family).map { IntervalSet($0) } }
            guard let a = IPAddress.parse(s[...]), a.family == family else { return nil }
            return IntervalSet(value: a.value)
        case .port:
            if let n = v.int, (0...65535).contains(n) { return IntervalSet(value: UInt128(n)) }
            if let s = v.string, let p = NetfilterNames.port(s[...]) { return IntervalSet(value: UInt128(p)) }
            return nil
        case .protocolNumber:
            if let n = v.int, (0...255).contains(n) { return IntervalSet(value: UInt128(n)) }
            if let s = v.string, let p = NetfilterNames.protocolNumber(s[...]) { return IntervalSet(value: UInt128(p)) }
            return nil
        case .icmpType(let v6):
            let t: UInt8?
            if let n = v.int, (0...255).contains(n) { t = UInt8(n) } else { t = v.string.flatMap { (v6 ? icmpv6Types : icmpTypes)[$0] } }
            guard let t else { return nil }
            let base = UInt128(t) << 8
            return IntervalSet(base...(base | 0xFF))
        case .icmpCode:
            guard let n = v.int, (0...255).contains(n) else { return nil }
            return IntervalSet(ranges: (0...255).map { (UInt128($0) << 8 | UInt128(n))...(UInt128($0) << 8 | UInt128(n)) })
        case .interface:
            guard let s = v.string else { return nil }
            if s.hasSuffix("*") { return InterfaceName.prefixRange(s.dropLast()).map { IntervalSet($0) } }
            return InterfaceName.value(s[...]).map { IntervalSet(value: $0) }
        case .family:
            if let n = v.int { return n == 2 ? IntervalSet(value: 0) : (n == 10 ? IntervalSet(value: 1) : IntervalSet()) }
            switch v.string {
            case "ipv4", "ip": return IntervalSet(value: AddressFamily.ipv4.rawValue)
            case "ipv6", "ip6": return IntervalSet(value: AddressFamily.ipv6.rawValue)
            case .some: return IntervalSet()  // arp, bridge …: no IP packet of either family
            case nil: return nil
            }
        case .connectionState:
            if let list = v.array {
                var out = IntervalSet()
                for item in list {
                    guard let s = values(item, kind: kind) else { return nil }
                    out = out.union(s)
                }
                return out
            }
            if let flags = v["|"]?.array { return values(.array(flags), kind: kind) }
            guard let s = v.string, let state = ConnectionState(name: s) else { return nil }
            return IntervalSet(value: state.rawValue)
        }
    }
}
