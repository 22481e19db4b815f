import PacketSpace

/// The fields of one packet that security groups and network ACLs test, from the near side's view.
struct PacketView {
    var protocolNumber: UInt8
    var destinationPort: UInt16
    var icmpType: UInt8
    var icmpCode: UInt8
    /// The far side's address (the source of inbound traffic, the destination of outbound traffic).
    var peer: AWSAddress
}

extension AWSEstate {
    /// The client ports a reply is checked against when a flow does not name one: 1024-65535, the
    /// range AWS recommends network ACLs allow for replies (it covers Linux's 32768-60999, Windows'
    /// 49152-65535 and the 1024-65535 of NAT gateways and Elastic Load Balancing).
    public static let defaultEphemeralPorts: ClosedRange<UInt16> = 1024...65535

    /// Where an address is: a known interface, an address in a known subnet, or outside the estate.
    /// The second value says why the answer is uncertain (several interfaces share the address).
    public func endpoint(for address: AWSAddress) -> (endpoint: AWSEndpoint, reasons: [String]) {
        let found = interfaces(at: address)
        if let first = found.first {
            let reasons = found.count > 1 ? ["\(address) is on \(found.count) interfaces (\(found.map(\.id).joined(separator: ", "))); \(first.id) is used"] : []
            return (.interface(first), reasons)
        }
        if let s = subnets(containing: address).first { return (.unknownHost(address, subnetId: s.id), []) }
        return (.external(address), [])
    }

    /// Whether a flow gets through: the source's security groups (egress), the network ACLs of the
    /// source and destination subnets on the request, the destination's security groups (ingress),
    /// and the network ACLs again on the replies — stateless, so they see each reply packet: from the
    /// service port to the client port, which is the flow's source port or, when it has none, each
    /// port of `ephemeralPorts`. Security groups are stateful and let replies through. Within one
    /// subnet no network ACL applies. Routing (route tables, gateways) is not modelled.
    public func decide(_ flow: AWSFlow, ephemeralPorts: ClosedRange<UInt16> = AWSEstate.defaultEphemeralPorts) -> AWSFlowDecision {
        let (source, r1) = endpoint(for: flow.source)
        let (destination, r2) = endpoint(for: flow.destination)
        var decision = decide(flow, from: source, to: destination, ephemeralPorts: ephemeralPorts)
        decision.reasons = r1 + r2 + decision.reasons
        return decision
    }

    /// ``decide(_:ephemeralPorts:)`` with the endpoints given (for addresses several interfaces share).
    public func decide(_ flow: AWSFlow, from source: AWSEndpoint, to destination: AWSEndpoint,
                       ephemeralPorts: ClosedRange<UInt16> = AWSEstate.defaultEphemeralPorts) -> AWSFlowDecision {
        var decision = AWSFlowDecision(flow: flow, verdict: .blocked, source: source, destination: destination, outcomes: [],
                                       clientPorts: nil, clientPortsAllowed: nil, reasons: [])
        // No packet has addresses of two families: such a flow is blocked, trivially.
        guard flow.source.family == flow.destination.family else { return decision }
        let request = PacketView(protocolNumber: flow.protocolNumber, destinationPort: flow.destinationPort, icmpType: flow.icmpType,
                                 icmpCode: flow.icmpCode, peer: flow.destination)
        var inbound = request
        inbound.peer = flow.source
        var outcomes: [StageOutcome] = []
        if let o = securityGroupOutcome(.sourceSecurityGroups, endpoint: source, direction: .egress, packet: request) { outcomes.append(o) }
        let crossesSubnets = source.subnetId != destination.subnetId
        if crossesSubnets, let s = source.subnetId {
            outcomes.append(networkACLOutcome(.requestLeavesSourceSubnet, subnetId: s, direction: .egress, packet: request))
        }
        if crossesSubnets, let s = destination.subnetId {
            outcomes.append(networkACLOutcome(.requestEntersDestinationSubnet, subnetId: s, direction: .ingress, packet: inbound))
        }
        if let o = securityGroupOutcome(.destinationSecurityGroups, endpoint: destination, direction: .ingress, packet: inbound) { outcomes.append(o) }
        let requestPasses = outcomes.allSatisfy(\.allowed)

        // Replies: stateless ACLs see them; security groups let them through.
        var replyOutcomes: [StageOutcome] = []
        let reply = replyPacket(flow)
        let clientPorts: ClosedRange<UInt16>? = flow.hasPorts ? (flow.sourcePort.map { $0...$0 } ?? ephemeralPorts) : nil
        if crossesSubnets, let reply {
            let legs: [(DecisionStage, String?, TrafficDirection, AWSAddress)] = [
                (.returnLeavesDestinationSubnet, destination.subnetId, .egress, flow.source),
                (.returnEntersSourceSubnet, source.subnetId, .ingress, flow.destination),
            ]
            for (stage, subnet, direction, peer) in legs {
                guard let subnet else { continue }
                var packet = reply
                packet.peer = peer
                replyOutcomes += portOutcomes(stage, subnetId: subnet, direction: direction, packet: packet, clientPorts: clientPorts)
            }
        }
        decision.outcomes = outcomes + replyOutcomes
        decision.clientPorts = clientPorts

        // The verdict, and whether it is certain. An interface whose subnet is unknown may sit
        // behind a network ACL nobody can name.
        let unplaced = [source, destination].compactMap { e -> String? in
            if case .interface(let i) = e, i.subnetId == nil { return "the subnet of \(i.id) is unknown: a network ACL may apply to it" }
            return nil
        }
        let sureBlock = outcomes.contains { !$0.allowed && $0.exact }
        if !requestPasses {
            decision.verdict = .blocked
            if clientPorts != nil { decision.clientPortsAllowed = IntervalSet() }
            if !sureBlock { decision.reasons = unique(outcomes.flatMap(\.reasons) + unplaced) }
            return decision
        }
        decision.reasons = unique((outcomes + replyOutcomes).flatMap(\.reasons) + unplaced)
        if let ports = clientPorts {
            var passing = IntervalSet(UInt128(ports.lowerBound)...UInt128(ports.upperBound))
            for stage in [DecisionStage.returnLeavesDestinationSubnet, .returnEntersSourceSubnet] {
                let stageOutcomes = replyOutcomes.filter { $0.stage == stage }
                guard !stageOutcomes.isEmpty else { continue }
                let allowed = IntervalSet(ranges: stageOutcomes.filter(\.allowed).compactMap { $0.clientPorts.map { UInt128($0.lowerBound)...UInt128($0.upperBound) } })
                passing = passing.intersection(allowed)
            }
            decision.clientPortsAllowed = passing
            decision.verdict = passing.count == UInt128(ports.count) ? .allowed : passing.isEmpty ? .blocked : .allowedForSomeClientPorts
        } else {
            decision.verdict = replyOutcomes.allSatisfy(\.allowed) ? .allowed : .blocked
        }
        return decision
    }

    // MARK: - Stages

    /// The security groups of an endpoint; nil for an endpoint outside the estate.
    func securityGroupOutcome(_ stage: DecisionStage, endpoint: AWSEndpoint, direction: TrafficDirection, packet: PacketView) -> StageOutcome? {
        switch endpoint {
        case .external:
            return nil
        case .unknownHost(let address, let subnet):
            let why = "no known interface has \(address) in \(subnet): its security groups (if a host is there) are unknown"
            return StageOutcome(stage: stage, subject: "\(address)", clientPorts: nil, allowed: true, deciding: [.unknown(why)], reasons: [why])
        case .interface(let interface):
            let (groups, missing) = groups(of: interface)
            var matching: [(PermissionLocator, MatchCertainty, [String])] = []
            for g in groups {
                for p in g.permissions(direction) {
                    var best = MatchCertainty.no
                    var reasons: [String] = []
                    for term in terms(of: p, in: g) {
                        let c = term.certainty(protocolNumber: packet.protocolNumber, destinationPort: packet.destinationPort,
                                               icmpType: packet.icmpType, icmpCode: packet.icmpCode, peer: packet.peer)
                        if c > .no && c < .certainly { reasons += term.reasons }
                        best = max(best, c)
                    }
                    if best > .no { matching.append((p.locator, best, reasons)) }
                }
            }
            let best = matching.map(\.1).max() ?? .no
            let missingReasons = missing.map { "\($0) is not in the security-group export: what it allows is unknown" }
            if best.counts {
                let reasons = best == .certainly ? [] : unique(matching.filter { $0.1 == .assumed }.flatMap(\.2))
                return StageOutcome(stage: stage, subject: interface.description, clientPorts: nil, allowed: true,
                                    deciding: matching.filter { $0.1.counts }.map { .permission($0.0) }, reasons: reasons)
            }
            let reasons = unique(matching.filter { $0.1 == .possibly }.flatMap(\.2) + missingReasons)
            return StageOutcome(stage: stage, subject: interface.description, clientPorts: nil, allowed: false,
                                deciding: [.noPermission(groupIds: interface.groupIds)], reasons: reasons)
        }
    }

    /// A subnet's network ACL on one packet: the first entry (by rule number) that matches decides;
    /// none matching is a deny.
    func networkACLOutcome(_ stage: DecisionStage, subnetId: String, direction: TrafficDirection, packet: PacketView,
                           clientPorts: ClosedRange<UInt16>? = nil) -> StageOutcome {
        let (found, unknownReason) = networkACL(forSubnet: subnetId)
        guard let acl = found else {
            let why = unknownReason ?? "the network ACL of \(subnetId) is unknown"
            return StageOutcome(stage: stage, subject: subnetId, clientPorts: clientPorts, allowed: true, deciding: [.unknown(why)], reasons: [why])
        }
        let subject = "\(acl.id) (\(subnetId))"
        var maybes: [NetworkACLEntry] = []
        for entry in acl.entries(direction) {
            let c = min(entry.service.certainty(protocolNumber: packet.protocolNumber, destinationPort: packet.destinationPort,
                                                icmpType: packet.icmpType, icmpCode: packet.icmpCode),
                        entry.addresses.certainty(packet.peer))
            if c == .no { continue }
            if c == .possibly { maybes.append(entry); continue }
            // An earlier entry that may match changes the outcome only if it acts otherwise.
            var reasons = maybes.filter { $0.action != entry.action }.flatMap { e in e.reasons.map { "rule \(e.label) may match: \($0)" } }
            if c == .assumed { reasons += entry.reasons }
            return StageOutcome(stage: stage, subject: subject, clientPorts: clientPorts, allowed: entry.action == .allow,
                                deciding: [.networkACLEntry(aclId: acl.id, ruleNumber: entry.ruleNumber, action: entry.action, location: entry.location)],
                                reasons: unique(reasons))
        }
        let reasons = maybes.filter { $0.action == .allow }.flatMap { e in e.reasons.map { "rule \(e.label) may match: \($0)" } }
        return StageOutcome(stage: stage, subject: subject, clientPorts: clientPorts, allowed: false, deciding: [.networkACLEnd(aclId: acl.id)],
                            reasons: unique(reasons))
    }

    /// A reply leg for every range of client ports the ACL treats alike (one outcome for portless protocols).
    private func portOutcomes(_ stage: DecisionStage, subnetId: String, direction: TrafficDirection, packet: PacketView,
                              clientPorts: ClosedRange<UInt16>?) -> [StageOutcome] {
        guard let ports = clientPorts else { return [networkACLOutcome(stage, subnetId: subnetId, direction: direction, packet: packet)] }
        // Outcomes change only where some entry's port range starts or ends.
        var cuts: Set<Int> = [Int(ports.lowerBound)]
        for entry in networkACL(forSubnet: subnetId).acl?.entries(direction) ?? [] {
            for s in [entry.service.certain, entry.service.assumed, entry.service.possible] {
                guard let r = s?.ports else { continue }
                for cut in [Int(r.lowerBound), Int(r.upperBound) + 1] where cut > Int(ports.lowerBound) && cut <= Int(ports.upperBound) { cuts.insert(cut) }
            }
        }
        let starts = cuts.sorted()
        var out: [StageOutcome] = []
        for (k, start) in starts.enumerated() {
            let end = k + 1 < starts.count ? starts[k + 1] - 1 : Int(ports.upperBound)
            var p = packet
            p.destinationPort = UInt16(start)
            let range = UInt16(start)...UInt16(end)
            let o = networkACLOutcome(stage, subnetId: subnetId, direction: direction, packet: p, clientPorts: range)
            if var last = out.last, last.allowed == o.allowed, last.deciding == o.deciding, last.reasons == o.reasons,
               let lr = last.clientPorts, Int(lr.upperBound) + 1 == start {
                last.clientPorts = lr.lowerBound...UInt16(end)
                out[out.count - 1] = last
            } else {
                out.append(o)
            }
        }
        return out
    }

    /// The reply's fields (its peer is set per leg); nil when the flow expects no reply (ICMP messages
    /// other than requests).
    func replyPacket(_ flow: AWSFlow) -> PacketView? {
        var reply = PacketView(protocolNumber: flow.protocolNumber, destinationPort: 0, icmpType: 0, icmpCode: 0, peer: flow.source)
        switch flow.protocolNumber {
        case 6, 17:
            reply.destinationPort = flow.sourcePort ?? 0
        case 1:
            // Echo, timestamp, information and address-mask requests have replies; other messages do not.
            let replies: [UInt8: UInt8] = [8: 0, 13: 14, 15: 16, 17: 18]
            guard let t = replies[flow.icmpType] else { return nil }
            reply.icmpType = t
        case 58:
            guard flow.icmpType == 128 else { return nil }
            reply.icmpType = 129
        default:
            break
        }
        return reply
    }
}

/// The strings in first-seen order, without repeats.
func unique(_ strings: [String]) -> [String] {
    var seen: Set<String> = []
    return strings.filter { seen.insert($0).inserted }
}
