import AWS
import BulwarkModel
import Estate
import Firewall
import PacketSpace

/// Follows one packet through the estate, hop by hop, with each control's concrete evaluation: the
/// rule that accepts it, or the rule or policy that stops it.
extension ReachabilityEngine {
    /// The most blocked ways a witness's trace lists in a matrix cell (`path` lists them all).
    static let blockedPathLimit = 1

    func trace(_ packet: Packet, from: Int, to: Int, sets: ServiceSets) -> [PathTrace] {
        if let routes = network.manifest.routes(from: network.zoneNames[from], to: network.zoneNames[to]) {
            return routes.map { traceRoute($0, packet: packet, from: from, to: to) }
        }
        let a = algebra
        if a.contains(sets.arrival[to].possible, packet) {
            guard let path = backtrack(packet, from: from, to: to, sets: sets) else { return [] }
            return [follow(packet, links: path, from: from, to: to, declared: false)]
        }
        // Stopped on the way: follow the shortest ways toward the destination while the packet gets
        // through, and collect the links where it is stopped, nearest the destination first.
        let distance = distances(to: to)
        guard distance[from] != Int.max else { return [] }
        var frontier: [(Int, Int)] = []
        var visited = [Bool](repeating: false, count: distance.count)
        visited[from] = true
        var queue = [from]
        var head = 0
        while head < queue.count {
            let z = queue[head]
            head += 1
            for k in outgoing[z] where distance[links[k].to] == distance[z] - 1 {
                if a.contains(sets.linkStages[k].possible, packet) {
                    if !visited[links[k].to] {
                        visited[links[k].to] = true
                        queue.append(links[k].to)
                    }
                } else {
                    frontier.append((distance[links[k].to], k))
                }
            }
        }
        frontier.sort { $0 < $1 }
        var out: [PathTrace] = []
        for (_, k) in frontier.prefix(Self.blockedPathLimit) {
            let l = links[k]
            guard let before = l.from == from ? [] : backtrack(packet, from: from, to: l.from, sets: sets) else { continue }
            out.append(follow(packet, links: before + [k], from: from, to: to, declared: false))
        }
        return out
    }

    /// The most ways ``allPaths(_:from:to:)`` lists.
    static let pathLimit = 16

    /// Every simple path between the zones (shortest first, at most ``pathLimit``), each followed
    /// with the packet up to the hop that stops it; the declared routes when the manifest has them.
    func allPaths(_ packet: Packet, from: Int, to: Int) -> (paths: [PathTrace], more: Bool) {
        if let routes = network.manifest.routes(from: network.zoneNames[from], to: network.zoneNames[to]) {
            return (routes.map { traceRoute($0, packet: packet, from: from, to: to) }, false)
        }
        var found: [[Int]] = []
        var more = false
        // Breadth first over partial paths, so shorter paths come first.
        var queue: [(zone: Int, links: [Int], seen: Set<Int>)] = [(from, [], [from])]
        var head = 0
        while head < queue.count {
            let (z, path, seen) = queue[head]
            head += 1
            if z == to {
                if found.count == Self.pathLimit { more = true; break }
                found.append(path)
                continue
            }
            if queue.count > 20_000 { more = true; break }
            for k in outgoing[z] where !seen.contains(links[k].to) {
                queue.append((links[k].to, path + [k], seen.union([links[k].to])))
            }
        }
        return (found.map { follow(packet, links: $0, from: from, to: to, declared: false) }, more)
    }

    /// Links from `from` to `to` that the packet gets through, when it can arrive in `to`: a
    /// depth-first search forward over the links that let it through, trying first the links that
    /// lead closest to `to`, so that it usually walks straight down a shortest way.
    private func backtrack(_ packet: Packet, from: Int, to: Int, sets: ServiceSets) -> [Int]? {
        let a = algebra
        let distance = distances(to: to)
        var visited = [Bool](repeating: false, count: distance.count)
        visited[from] = true
        var path: [Int] = []
        func through(_ k: Int) -> Bool {
            let l = links[k]
            guard !visited[l.to], a.contains(sets.linkStages[k].possible, packet) else { return false }
            visited[l.to] = true
            path.append(k)
            if go(l.to) { return true }
            path.removeLast()
            return false
        }
        func go(_ z: Int) -> Bool {
            if z == to { return true }
            // Links one step closer first (no link leads closer than that), then the others,
            // nearest first.
            let closer = distance[z] - 1
            for k in outgoing[z] where distance[links[k].to] == closer {
                if through(k) { return true }
            }
            let others = outgoing[z].filter { distance[links[$0].to] != Int.max && distance[links[$0].to] != closer }
            for k in others.sorted(by: { distance[links[$0].to] < distance[links[$1].to] }) where through(k) { return true }
            return false
        }
        return go(from) ? path : nil
    }

    /// Hops from each zone to `to`, ignoring what the firewalls do (breadth first, backwards; kept
    /// per destination).
    func distances(to: Int) -> [Int] {
        if let d = distanceCache[to] { return d }
        var d = Array(repeating: Int.max, count: network.zoneNames.count)
        d[to] = 0
        var queue = [to]
        var head = 0
        while head < queue.count {
            let z = queue[head]
            head += 1
            for k in incoming[z] where d[links[k].from] == Int.max {
                d[links[k].from] = d[z] + 1
                queue.append(links[k].from)
            }
        }
        distanceCache[to] = d
        return d
    }

    /// The packet along the given links, then the endpoints' controls, stopping at the first hop that
    /// stops it.
    private func follow(_ packet: Packet, links path: [Int], from: Int, to: Int, declared: Bool) -> PathTrace {
        // The zones of the whole way, whether or not the packet gets to the end of it.
        let zones = [network.zoneNames[from]] + path.map { network.zoneNames[links[$0].to] }
        let via = path.map { network.manifest.firewalls[links[$0].firewall].name }
        var hops: [Hop] = []
        var passes = true
        for hop in sourceEndpointHops(packet, from: from) {
            hops.append(hop)
            if hop.passes != true { passes = false; break }
        }
        if passes {
            for k in path {
                let l = links[k]
                guard let (i, o) = l.interfaces else { continue }
                if let direct = deliversDirectly(l.firewall, packet), direct != l.to {
                    hops.append(Hop(firewall: network.manifest.firewalls[l.firewall].name, kind: .network, detail: "FORWARD \(i) → \(o)", passes: false, deciding: [],
                                    reasons: [], routing: "\(network.zoneNames[direct]) is connected: the packet leaves toward it, not toward \(network.zoneNames[l.to])"))
                    passes = false
                    break
                }
                let hop = forwardHop(l.firewall, in: i, out: o, packet: packet)
                hops.append(hop)
                if hop.passes != true { passes = false; break }
            }
        }
        if passes && zones.last == network.zoneNames[to] {
            for hop in destinationEndpointHops(packet, to: to, from: from) {
                hops.append(hop)
                if hop.passes != true { passes = false; break }
            }
        } else if zones.last != network.zoneNames[to] {
            passes = false
        }
        return PathTrace(zones: zones, via: via, hops: hops, passes: passes, declared: declared)
    }

    /// A declared route: its firewalls in order, each network firewall entered from the zone the
    /// packet is in and left toward the next firewall's zone (the destination after the last).
    private func traceRoute(_ route: EstateManifest.Route, packet: Packet, from: Int, to: Int) -> PathTrace {
        let manifest = network.manifest
        let via = route.via.compactMap { name in manifest.firewalls.firstIndex { $0.name == name } }
        let networkHops = via.filter { if case .network = manifest.firewalls[$0].placement { return true }; return false }
        // Each network firewall is entered from the zone the packet is in and left toward a zone the
        // next one faces (the destination after the last); where several zones qualify, a choice
        // the packet gets through is shown, else the first.
        func choices(_ n: Int, from here: Int) -> [[Int]] {
            guard n < networkHops.count else { return [[]] }
            let f = networkHops[n]
            var out: [[Int]] = []
            for (k, l) in links.enumerated() where l.firewall == f && l.from == here {
                let onward = n + 1 < networkHops.count ? links.contains { $0.firewall == networkHops[n + 1] && $0.from == l.to } : l.to == to
                if onward { out += choices(n + 1, from: l.to).map { [k] + $0 } }
                if out.count >= 16 { break }
            }
            return out
        }
        let candidates = choices(0, from: from)
        let chosen = candidates.first { c in c.allSatisfy { forwardHop(links[$0].firewall, in: links[$0].interfaces!.in, out: links[$0].interfaces!.out, packet: packet).passes == true } }
            ?? candidates.first ?? []
        var trace = follow(packet, links: chosen, from: from, to: networkHops.isEmpty ? from : to, declared: true)
        if networkHops.isEmpty {
            // Directly connected: the destination's controls only.
            trace.zones = [network.zoneNames[from], network.zoneNames[to]]
            trace.via = [route.via.isEmpty ? "(direct)" : route.via.joined(separator: ", ")]
            if trace.passes {
                for hop in destinationEndpointHops(packet, to: to, from: from) {
                    trace.hops.append(hop)
                    if hop.passes != true { trace.passes = false; break }
                }
            }
        } else if candidates.isEmpty {
            trace.passes = false
            trace.hops.append(Hop(firewall: route.via.joined(separator: ", "), kind: .network,
                                  detail: "the route's firewalls face no chain of zones from \(network.zoneNames[from]) to \(network.zoneNames[to])",
                                  passes: false, deciding: [], reasons: []))
        }
        return trace
    }

    // MARK: - Hops

    /// The zone a network firewall faces that holds the packet's destination, if any: the firewall
    /// delivers it there (a connected route) whatever interface pair a path would use.
    func deliversDirectly(_ f: Int, _ packet: Packet) -> Int? {
        let family = Int(packet[.family])
        return facedZones[f].first { network.zoneAddresses[$0][family].contains(packet[.destinationAddress]) }
    }

    func forwardHop(_ f: Int, in i: String, out o: String, packet: Packet) -> Hop {
        var p = packet
        p[.inInterface] = concreteInterface(i)
        p[.outInterface] = concreteInterface(o)
        p[.sourceAddressType] = AddressType.unicast.rawValue
        p[.destinationAddressType] = AddressType.unicast.rawValue
        return rulesetHop(f, hook: .forward, packet: p, detail: "FORWARD \(i) → \(o)")
    }

    private func concreteInterface(_ name: String) -> UInt128 {
        let base = name.hasSuffix("+") ? String(name.dropLast()) : name
        return InterfaceName.value(base.isEmpty ? "eth0" : base[...]) ?? QueryPacket.unknownInterface
    }

    private func rulesetHop(_ f: Int, hook: Hook, packet: Packet, detail: String) -> Hop {
        let name = network.manifest.firewalls[f].name
        guard let evaluator = evaluators[f], case .ruleset(let ruleset, let program) = network.firewalls[f] else {
            return Hop(firewall: name, kind: .network, detail: detail, passes: nil, deciding: [], reasons: ["\(name) has no ruleset"])
        }
        let kind: Hop.Kind = hook == .forward ? .network : .host
        if !program.families.contains(packet[.family] == 0 ? .ipv4 : .ipv6) {
            return Hop(firewall: name, kind: kind, detail: detail, passes: nil, deciding: [],
                       reasons: ["\(name) has no \(packet[.family] == 0 ? "IPv4" : "IPv6") ruleset"])
        }
        let e = evaluator.evaluate(packet, hook: hook)
        var deciding: [DecidingRule] = []
        if let d = e.decidedBy {
            if let ref = d.ref {
                let rule = program.chains[ref.chain].rules[ref.index].rule
                deciding.append(DecidingRule(file: ruleset.file, line: rule.line, column: rule.column, place: d.place, rule: d.rule, policy: nil,
                                             text: rule.text, action: (e.verdict?.rawValue ?? rule.target.name).lowercased()))
            } else {
                let line = ruleset.tables.first { $0.name == d.table && $0.family == d.family }?.chain(named: d.chain)?.line
                let policy = d.policy?.rawValue ?? "ACCEPT"
                deciding.append(DecidingRule(file: ruleset.file, line: line, column: nil, place: d.place, rule: nil, policy: policy,
                                             text: "policy \(policy)", action: policy.lowercased()))
            }
        }
        return Hop(firewall: name, kind: kind, detail: detail, passes: e.verdict.map { $0 == .accept }, deciding: deciding, reasons: e.uncertainties)
    }

    /// The source host's firewall (OUTPUT) and, for a cloud source, its VPC.
    private func sourceEndpointHops(_ packet: Packet, from: Int) -> [Hop] {
        var hops: [Hop] = []
        for (f, fw) in network.manifest.firewalls.enumerated() {
            guard case .host(let host) = fw.placement, hostHas(host, packet[.sourceAddress], family: packet[.family]), programFilters(f, packet) else { continue }
            var p = packet
            p[.inInterface] = 0
            p[.outInterface] = QueryPacket.unknownInterface
            p[.sourceAddressType] = AddressType.local.rawValue
            p[.destinationAddressType] = AddressType.unicast.rawValue
            hops.append(rulesetHop(f, hook: .output, packet: p, detail: "OUTPUT of \(host)"))
        }
        return hops
    }

    /// The destination's VPC (both sides of a cloud flow are decided there) and host firewall (INPUT).
    private func destinationEndpointHops(_ packet: Packet, to: Int, from: Int) -> [Hop] {
        var hops: [Hop] = []
        var clouds = Set<Int>()
        if let f = network.cloudZones[from] { clouds.insert(f) }
        if let f = network.cloudZones[to] { clouds.insert(f) }
        for f in clouds.sorted() { hops.append(cloudHop(f, packet: packet)) }
        for (f, fw) in network.manifest.firewalls.enumerated() {
            guard case .host(let host) = fw.placement, hostHas(host, packet[.destinationAddress], family: packet[.family]), programFilters(f, packet) else { continue }
            var p = packet
            p[.inInterface] = QueryPacket.unknownInterface
            p[.outInterface] = 0
            p[.sourceAddressType] = AddressType.unicast.rawValue
            p[.destinationAddressType] = AddressType.local.rawValue
            hops.append(rulesetHop(f, hook: .input, packet: p, detail: "INPUT of \(host)"))
        }
        return hops
    }

    private func programFilters(_ f: Int, _ packet: Packet) -> Bool {
        guard case .ruleset(_, let program) = network.firewalls[f] else { return false }
        return program.families.contains(packet[.family] == 0 ? .ipv4 : .ipv6)
    }

    private func hostHas(_ host: String, _ address: UInt128, family: UInt128) -> Bool {
        network.manifest.host(named: host)?.addresses.contains { $0.value == address && $0.family.rawValue == family } ?? false
    }

    func cloudHop(_ f: Int, packet: Packet) -> Hop {
        let name = network.manifest.firewalls[f].name
        guard case .cloud(let aws) = network.firewalls[f] else {
            return Hop(firewall: name, kind: .cloud, detail: "security groups and network ACLs", passes: nil, deciding: [], reasons: [])
        }
        let family: AddressFamily = packet[.family] == 0 ? .ipv4 : .ipv6
        let proto = UInt8(truncatingIfNeeded: packet[.protocolNumber])
        let flow = AWSFlow(source: AWSAddress(family: family, value: packet[.sourceAddress]), destination: AWSAddress(family: family, value: packet[.destinationAddress]),
                           protocolNumber: proto, destinationPort: UInt16(truncatingIfNeeded: packet[.destinationPort]),
                           sourcePort: proto == 6 || proto == 17 ? UInt16(truncatingIfNeeded: packet[.sourcePort]) : nil,
                           icmpType: UInt8(truncatingIfNeeded: packet[.icmpTypeCode] >> 8), icmpCode: UInt8(truncatingIfNeeded: packet[.icmpTypeCode] & 0xFF))
        let decision = aws.decide(flow)
        var deciding: [DecidingRule] = []
        var reasons = decision.reasons
        for o in decision.outcomes {
            for r in o.reasons where !reasons.contains(r) { reasons.append(r) }
            for d in o.deciding {
                switch d {
                case .permission(let p):
                    deciding.append(DecidingRule(file: p.location.file, line: p.location.line, column: p.location.column, place: "\(o.stage.rawValue) \(p.groupId)",
                                                 rule: p.index + 1, policy: nil, text: aws.group(id: p.groupId)?.permissions(p.direction).first { $0.locator == p }?.description ?? p.description,
                                                 action: "allow"))
                case .noPermission(let ids):
                    deciding.append(DecidingRule(file: aws.group(id: ids.first ?? "")?.location.file ?? "", line: aws.group(id: ids.first ?? "")?.location.line, column: nil,
                                                 place: "\(o.stage.rawValue) \(ids.joined(separator: ", "))", rule: nil, policy: "deny",
                                                 text: d.description, action: "deny"))
                case .networkACLEntry(let acl, let n, let action, let location):
                    let entry = aws.networkACLs.first { $0.id == acl }?.entries.first { $0.location == location }
                    deciding.append(DecidingRule(file: location.file, line: location.line, column: location.column, place: "\(o.stage.rawValue) \(acl)",
                                                 rule: n, policy: nil, text: entry?.description ?? "rule \(n) \(action.rawValue)", action: action.rawValue))
                case .networkACLEnd(let acl):
                    let where_ = aws.networkACLs.first { $0.id == acl }?.location
                    deciding.append(DecidingRule(file: where_?.file ?? "", line: where_?.line, column: nil, place: "\(o.stage.rawValue) \(acl)",
                                                 rule: nil, policy: "deny", text: d.description, action: "deny"))
                case .unknown(let why):
                    if !reasons.contains(why) { reasons.append(why) }
                }
            }
        }
        return Hop(firewall: name, kind: .cloud, detail: "security groups and network ACLs (\(decision.source) → \(decision.destination))",
                   passes: decision.verdict == .allowed, deciding: deciding, reasons: reasons)
    }
}
