import BulwarkModel
import PacketSpace

/// Finds concrete packets that prove a rule may fire: a packet inside the rule that the evaluator
/// carries all the way to it, every uncertain rule on the way behaving as it really may. Most live rules are proven this way in microseconds;
/// the exact set computation is kept for the rest.
struct WitnessSearch {
    let program: TableProgram
    let evaluator: Evaluator
    let callGraph: CallGraph
    private let wellFormed: [PacketCube]

    init(program: TableProgram, callGraph: CallGraph) {
        self.program = program
        evaluator = Evaluator(program: program, packetDefaultsAreExact: false)
        self.callGraph = callGraph
        wellFormed = WellFormedPackets.cubes(family: program.family)
    }

    /// A typical packet for the hook: TCP SYN from 40000 to 80, state NEW, documentation addresses,
    /// interfaces no ruleset names.
    static func typicalPacket(family: AddressFamily, hook: Hook) -> Packet {
        var v = [UInt128](repeating: 0, count: PacketField.allCases.count)
        func set(_ f: PacketField, _ x: UInt128) { v[f.rawValue] = x }
        set(.family, family.rawValue)
        set(.inInterface, hook == .output ? 0 : QueryPacket.unknownInterface)
        set(.outInterface, hook == .input ? 0 : QueryPacket.unknownInterface)
        set(.connectionState, ConnectionState.new.rawValue)
        set(.protocolNumber, 6)
        if family == .ipv4 {
            set(.sourceAddress, IPAddress.v4(0xC633_6407))       // 198.51.100.7
            set(.destinationAddress, IPAddress.v4(0xCB00_7109))  // 203.0.113.9
        } else {
            set(.sourceAddress, 0x2001_0DB8 << 96 | 7)
            set(.destinationAddress, 0x2001_0DB8 << 96 | 9)
        }
        set(.sourcePort, 40000)
        set(.destinationPort, 80)
        set(.tcpFlags, UInt128(TCPFlags.syn.rawValue))
        set(.sourceAddressType, hook == .output ? AddressType.local.rawValue : AddressType.unicast.rawValue)
        set(.destinationAddressType, hook == .input ? AddressType.local.rawValue : AddressType.unicast.rawValue)
        set(.sourceMAC, QueryPacket.unknownMAC)
        return Packet(values: v)
    }

    /// Makes the transport fields and address types agree with protocol and addresses, within `target`.
    private func normalize(_ p: inout Packet, target: PacketCube, hook: Hook) {
        let proto = p[.protocolNumber]
        let icmp: UInt128 = program.family == .ipv4 ? 1 : 58
        func pick(_ f: PacketField, _ preferred: UInt128) {
            p[f] = PacketCube.value(in: target.values(f) ?? IntervalSet(0...f.maximum), dimension: f.rawValue, preferring: preferred) ?? preferred
        }
        if p[.fragment] == 1 || !NetfilterNames.portProtocols.contains(UInt8(truncatingIfNeeded: proto)) {
            p[.sourcePort] = 0
            p[.destinationPort] = 0
        }
        if proto != 6 || p[.fragment] == 1 { p[.tcpFlags] = 0 }
        if proto != icmp || p[.fragment] == 1 { p[.icmpTypeCode] = 0 } else if target.values(.icmpTypeCode) == nil {
            p[.icmpTypeCode] = (program.family == .ipv4 ? 8 : 128) << 8
        }
        for (address, type, fallback) in [(PacketField.sourceAddress, PacketField.sourceAddressType, hook == .output ? AddressType.local : .unicast),
                                          (.destinationAddress, .destinationAddressType, hook == .input ? AddressType.local : .unicast)] {
            let forced = QueryPacket.addressType(p[address], family: program.family, fallback: .unspec)
            if forced != .unspec { p[type] = forced.rawValue } else { pick(type, fallback.rawValue) }
        }
    }

    private func isValid(_ p: Packet, target: PacketCube, hook: Hook) -> Bool {
        target.contains(p) && hook.context.contains { $0.contains(p) } && wellFormed.contains { $0.contains(p) }
    }

    /// Order in which fields are changed to step out of a rule that caught the candidate.
    private static let adjustOrder: [PacketField] = [
        .destinationPort, .sourcePort, .sourceAddress, .destinationAddress, .icmpTypeCode, .tcpFlags, .protocolNumber,
        .connectionState, .inInterface, .outInterface, .sourceMAC, .fragment, .sourceAddressType, .destinationAddressType,
    ]

    /// Moves `p` out of every blocker's certain match while staying in `target`.
    private func avoid(_ blockers: [RuleRef], _ p: inout Packet, target: PacketCube, hook: Hook) -> Bool {
        for _ in 0..<(2 * blockers.count + 2) {
            guard let b = blockers.first(where: { program[$0].certain.contains { $0.contains(p) } }) else { return true }
            guard let cube = program[b].certain.first(where: { $0.contains(p) }) else { return true }
            var moved = false
            for f in WitnessSearch.adjustOrder {
                guard let theirs = cube.values(f) else { continue }
                let mine = target.values(f) ?? IntervalSet(0...f.maximum)
                if let v = PacketCube.value(in: mine.subtracting(theirs), dimension: f.rawValue, preferring: p[f]) {
                    p[f] = v
                    moved = true
                    break
                }
            }
            if !moved { return false }
            normalize(&p, target: target, hook: hook)
        }
        return !blockers.contains { b in program[b].certain.contains { $0.contains(p) } }
    }

    /// A packet in `target` (a sub-cube of the rule's match) that may reach the rule and match it —
    /// every rule on its way behaving as it really may — with the evaluation that shows it.
    /// Whether one of a few packets of the set, nearest to the typical packet and to random ones,
    /// may reach the rule (a quick yes; no answer is not a no).
    func someReaches(_ set: UInt32, ref: RuleRef, hook: Hook, algebra: PacketAlgebra, tries: Int = 6) -> Bool {
        var preferred = WitnessSearch.typicalPacket(family: program.family, hook: hook)
        var rng = SplitMix64(seed: UInt64(truncatingIfNeeded: set) << 32 ^ UInt64(ref.index))
        for attempt in 0..<tries {
            if attempt > 0 {
                for f in [PacketField.sourceAddress, .destinationAddress, .destinationPort, .sourcePort] {
                    let r = UInt128(rng.next())
                    switch f {
                    case .sourceAddress, .destinationAddress:
                        preferred[f] = program.family == .ipv4 ? IPAddress.v4(UInt32(truncatingIfNeeded: r)) : r << 64 | r
                    default:
                        preferred[f] = r & 0xFFFF
                    }
                }
            }
            guard let p = algebra.witness(set, preferring: preferred) else { return false }
            if evaluator.evaluate(analysing: p, hook: hook, favoring: [ref]).matched.contains(where: { $0.ref == ref }) { return true }
        }
        return false
    }

    /// Packets drawn at random inside the rule (seeded by the rule's place, so runs repeat): for a
    /// broad rule, one of them usually shows a verdict that changes without it — most often the
    /// policy taking over — where a search near one typical packet keeps meeting later rules.
    func randomWitness(changingVerdictOf ref: RuleRef, hook: Hook, count: Int = 12) -> Bool {
        let rule = program[ref]
        guard let cube = rule.certain.first, let path = callGraph.paths[ref.chain][hook]?.first else { return false }
        var t = cube.intersection(hook.context[0])
        for step in path {
            guard let c = program[step].certain.first else { return false }
            t = t.intersection(c)
        }
        if t.isEmpty { return false }
        var rng = SplitMix64(seed: UInt64(ref.chain) << 32 ^ UInt64(ref.index))
        func next() -> UInt64 { rng.next() }
        func random(in set: IntervalSet) -> UInt128? {
            guard !set.intervals.isEmpty else { return nil }
            let r = set.intervals[Int(next() % UInt64(set.intervals.count))]
            let span = r.upperBound - r.lowerBound
            if span == .max { return UInt128(next()) << 64 | UInt128(next()) }
            return r.lowerBound + (UInt128(next()) << 64 | UInt128(next())) % (span + 1)
        }
        let typical = WitnessSearch.typicalPacket(family: program.family, hook: hook)
        let addresses = program.family == .ipv4 ? IntervalSet(IPAddress.ipv4Range) : IntervalSet(0...UInt128.max)
        for _ in 0..<count {
            var p = typical
            for f in [PacketField.sourceAddress, .destinationAddress] {
                p[f] = random(in: (t.values(f) ?? addresses).intersection(addresses)) ?? p[f]
            }
            for f in [PacketField.protocolNumber, .destinationPort, .sourcePort, .connectionState] {
                if let set = t.values(f), let v = random(in: set) { p[f] = v }
            }
            normalize(&p, target: t, hook: hook)
            guard isValid(p, target: t, hook: hook) else { continue }
            let with = evaluator.evaluate(analysing: p, hook: hook, favoring: path + [ref])
            guard with.matched.contains(where: { $0.ref == ref }) else { continue }
            let without = evaluator.evaluate(analysing: p, hook: hook, skipping: ref, favoring: path)
            if without.verdict != with.verdict { return true }
        }
        return false
    }

    ///
    /// With `changingVerdict`, the packet must also get another verdict when the rule is deleted:
    /// proof that the rule is not redundant.
    func witness(for ref: RuleRef, hook: Hook, within target: PacketCube? = nil, attempts: Int = 8,
                 changingVerdict: Bool = false) -> (Packet, Evaluation, [RuleRef])? {
        let rule = program[ref]
        let cubes = target.map { [$0] } ?? (rule.certain.isEmpty ? rule.possible : rule.certain)
        guard let paths = callGraph.paths[ref.chain][hook] else { return nil }
        for cube in cubes.prefix(3) {
            for context in hook.context {
            for path in paths.prefix(2) {
                var t = cube.intersection(context)
                for step in path {
                    guard let c = program[step].certain.first ?? program[step].possible.first else { t = PacketCube(); t.restrict(.family, to: IntervalSet()); break }
                    t = t.intersection(c)
                }
                if t.isEmpty { continue }
                guard var p = t.point(preferring: WitnessSearch.typicalPacket(family: program.family, hook: hook)) else { continue }
                normalize(&p, target: t, hook: hook)
                var blockers: [RuleRef] = []
                for _ in 0..<attempts {
                    guard isValid(p, target: t, hook: hook) else { break }
                    let e = evaluator.evaluate(analysing: p, hook: hook, favoring: path + [ref])
                    let blocker: RuleRef?
                    if e.matched.contains(where: { $0.ref == ref }) {
                        guard changingVerdict else { return (p, e, path + [ref]) }
                        let without = evaluator.evaluate(analysing: p, hook: hook, skipping: ref, favoring: path)
                        if without.verdict != e.verdict { return (p, e, path + [ref]) }
                        // The rule that decides the same way without it: step out of it too.
                        blocker = without.decidedBy?.ref
                    } else {
                        // The rule that took the packet elsewhere.
                        blocker = e.matched.last(where: { program[$0.ref].action.leavesChain && $0.certain })?.ref ?? e.decidedBy?.ref
                    }
                    guard let b = blocker, !blockers.contains(b), b != ref else { break }
                    blockers.append(b)
                    guard avoid(blockers, &p, target: t, hook: hook) else { break }
                }
            }
            }
        }
        return nil
    }
}

extension Evaluator {
    /// Evaluates a fully known packet for the analyses: the filter table alone, no other tables.
    /// Uncertain rules are resolved as not matching, except those in `favoring`, resolved as matching.
    func evaluate(analysing p: Packet, hook: Hook, skipping: RuleRef? = nil, favoring: [RuleRef] = []) -> Evaluation {
        var result = Evaluation(verdict: nil, decidedBy: nil, matched: [], uncertainties: [], certainSteps: .max)
        runForAnalysis(p, hook: hook, skipping: skipping, favoring: favoring, into: &result)
        return result
    }
}
