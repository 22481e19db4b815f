import PacketSpace

/// Names iptables accepts for protocols, ICMP types and services.
enum NetfilterNames {
    /// Protocol names iptables knows itself, plus the common entries of `/etc/protocols`.
    static let protocols: [String: UInt8] = [
        "all": 0, "ip": 0, "icmp": 1, "igmp": 2, "ipencap": 4, "tcp": 6, "egp": 8, "igp": 9, "pup": 12, "udp": 17,
        "hmp": 20, "xns-idp": 22, "rdp": 27, "iso-tp4": 29, "dccp": 33, "xtp": 36, "ddp": 37, "idpr-cmtp": 38,
        "ipv6": 41, "ipv6-route": 43, "ipv6-frag": 44, "idrp": 45, "rsvp": 46, "gre": 47, "esp": 50, "ah": 51,
        "skip": 57, "ipv6-icmp": 58, "icmpv6": 58, "icmp6": 58, "ipv6-nonxt": 59, "ipv6-opts": 60, "rspf": 73,
        "vmtp": 81, "eigrp": 88, "ospf": 89, "ax.25": 93, "ipip": 94, "etherip": 97, "encap": 98, "pim": 103,
        "ipcomp": 108, "vrrp": 112, "l2tp": 115, "isis": 124, "sctp": 132, "fc": 133, "mh": 135,
        "mobility-header": 135, "ipv6-mh": 135, "udplite": 136, "mpls-in-ip": 137, "manet": 138, "hip": 139,
        "shim6": 140, "wesp": 141, "rohc": 142, "ethernet": 143,
    ]

    /// Protocols whose packets carry ports.
    static let portProtocols: Set<UInt8> = [6, 17, 33, 132, 136]

    static func protocolNumber(_ text: Substring) -> UInt8? {
        if let n = UInt8(text) { return n }
        return protocols[text.lowercased()]
    }

    static func protocolName(_ number: UInt128) -> String {
        switch number {
        case 1: "icmp"
        case 6: "tcp"
        case 17: "udp"
        case 58: "ipv6-icmp"
        case 132: "sctp"
        default: protocols.first { UInt128($0.value) == number && $0.key != "ip" && $0.key != "all" }?.key ?? "\(number)"
        }
    }

    /// ICMP type names (type, code or nil for every code).
    static let icmpTypes: [String: (UInt8, UInt8?)] = [
        "echo-reply": (0, nil), "pong": (0, nil), "destination-unreachable": (3, nil), "network-unreachable": (3, 0),
        "host-unreachable": (3, 1), "protocol-unreachable": (3, 2), "port-unreachable": (3, 3),
        "fragmentation-needed": (3, 4), "source-route-failed": (3, 5), "network-unknown": (3, 6),
        "host-unknown": (3, 7), "network-prohibited": (3, 9), "host-prohibited": (3, 10),
        "TOS-network-unreachable": (3, 11), "TOS-host-unreachable": (3, 12), "communication-prohibited": (3, 13),
        "host-precedence-violation": (3, 14), "precedence-cutoff": (3, 15), "source-quench": (4, nil),
        "redirect": (5, nil), "network-redirect": (5, 0), "host-redirect": (5, 1), "TOS-network-redirect": (5, 2),
        "TOS-host-redirect": (5, 3), "echo-request": (8, nil), "ping": (8, nil), "router-advertisement": (9, nil),
        "router-solicitation": (10, nil), "time-exceeded": (11, nil), "ttl-exceeded": (11, nil),
        "ttl-zero-during-transit": (11, 0), "ttl-zero-during-reassembly": (11, 1), "parameter-problem": (12, nil),
        "ip-header-bad": (12, 0), "required-option-missing": (12, 1), "timestamp-request": (13, nil),
        "timestamp-reply": (14, nil), "address-mask-request": (17, nil), "address-mask-reply": (18, nil),
    ]

    /// ICMPv6 type names.
    static let icmpv6Types: [String: (UInt8, UInt8?)] = [
        "destination-unreachable": (1, nil), "no-route": (1, 0), "communication-prohibited": (1, 1),
        "beyond-scope": (1, 2), "address-unreachable": (1, 3), "port-unreachable": (1, 4), "failed-policy": (1, 5),
        "reject-route": (1, 6), "packet-too-big": (2, nil), "time-exceeded": (3, nil), "ttl-exceeded": (3, nil),
        "ttl-zero-during-transit": (3, 0), "ttl-zero-during-reassembly": (3, 1), "parameter-problem": (4, nil),
        "bad-header": (4, 0), "unknown-header-type": (4, 1), "unknown-option": (4, 2), "echo-request": (128, nil),
        "ping": (128, nil), "echo-reply": (129, nil), "pong": (129, nil), "mld-listener-query": (130, nil),
        "mld-listener-report": (131, nil), "mld-listener-done": (132, nil), "mld-listener-reduction": (132, nil),
        "router-solicitation": (133, nil), "router-advertisement": (134, nil), "neighbour-solicitation": (135, nil),
        "neighbor-solicitation": (135, nil), "neighbour-advertisement": (136, nil),
        "neighbor-advertisement": (136, nil), "redirect": (137, nil),
    ]

    /// The `type << 8 | code` interval an ICMP type argument denotes (`8`, `3/4`, a name or `any`).
    static func icmpRange(_ text: Substring, v6: Bool) -> ClosedRange<UInt128>? {
        if text == "any" { return 0...0xFFFF }
        let parts = text.split(separator: "/", maxSplits: 1)
        var type: UInt8
        var code: UInt8?
        if let t = UInt8(parts[0]) {
            type = t
            if parts.count == 2 {
                guard let c = UInt8(parts[1]) else { return nil }
                code = c
            }
        } else if parts.count == 1, let named = (v6 ? icmpv6Types : icmpTypes)[String(text)] {
            (type, code) = named
        } else {
            return nil
        }
        let base = UInt128(type) << 8
        if let code { return (base | UInt128(code))...(base | UInt128(code)) }
        return base...(base | 0xFF)
    }

    /// Well-known service names (as `/etc/services` spells them).
    static let services: [String: UInt16] = [
        "ftp-data": 20, "ftp": 21, "ssh": 22, "telnet": 23, "smtp": 25, "domain": 53, "bootps": 67, "bootpc": 68,
        "tftp": 69, "http": 80, "www": 80, "kerberos": 88, "pop3": 110, "sunrpc": 111, "auth": 113, "nntp": 119,
        "ntp": 123, "epmap": 135, "netbios-ns": 137, "netbios-dgm": 138, "netbios-ssn": 139, "imap": 143, "imap2": 143,
        "snmp": 161, "snmp-trap": 162, "ldap": 389, "https": 443, "microsoft-ds": 445, "isakmp": 500, "syslog": 514,
        "submission": 587, "ldaps": 636, "rsync": 873, "imaps": 993, "pop3s": 995, "openvpn": 1194, "ms-sql-s": 1433,
        "mysql": 3306, "ms-wbt-server": 3389, "postgresql": 5432, "vnc": 5900, "x11": 6000, "http-alt": 8080,
    ]

    /// A port or service name.
    static func port(_ text: Substring) -> UInt16? {
        if let n = UInt16(text) { return n }
        return services[String(text)]
    }

    /// `p`, `p:q`, `:q` or `p:` (iptables), as an interval; `-` is accepted as the separator too.
    static func portRange(_ text: Substring) -> ClosedRange<UInt128>? {
        let sep: Character = text.contains(":") ? ":" : (text.contains("-") && UInt16(text) == nil ? "-" : ":")
        let parts = text.split(separator: sep, maxSplits: 1, omittingEmptySubsequences: false)
        if parts.count == 1 { return port(parts[0]).map { UInt128($0)...UInt128($0) } }
        let lo = parts[0].isEmpty ? 0 : port(parts[0])
        let hi = parts[1].isEmpty ? 65535 : port(parts[1])
        guard let lo, let hi, lo <= hi else { return nil }
        return UInt128(lo)...UInt128(hi)
    }
}
