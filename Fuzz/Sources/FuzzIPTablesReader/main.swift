// libFuzzer entry point for Bulwark's iptables-save reader and the analyses that consume it.
//
// Every input is read with IPTablesReader (which must accept any bytes). Small rulesets (at most
// `maxAnalysedRules` filter rules) also go through the rest of the pipeline: TableProgram
// compilation, FirewallAnalyzer.analyze() and packet evaluation at INPUT and FORWARD, so a crash
// anywhere between the bytes and the findings is caught while each input stays fast.
//
// libFuzzer supplies `main`; build with -sanitize=fuzzer and -parse-as-library (docs/fuzzing.md).

import Firewall
import PacketSpace

/// Larger rulesets are only read: the analyses grow faster than linearly with the rule count.
private let maxAnalysedRules = 60

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let ruleset = IPTablesReader().read(bytes: bytes, file: "fuzz.iptables-save")

    guard let filter = ruleset.filter, filter.ruleCount <= maxAnalysedRules else { return 0 }
    let program = TableProgram(ruleset: ruleset)
    let analysis = FirewallAnalyzer(program: program).analyze()
    precondition(analysis.ruleCount == filter.ruleCount, "analysis counted \(analysis.ruleCount) rules, the table has \(filter.ruleCount)")

    let evaluator = Evaluator(program: program)
    for (description, hook) in packets(for: ruleset.family) {
        guard let query = try? QueryPacket(description, hook: hook) else {
            preconditionFailure("fixed fuzz packet rejected for \(hook.rawValue)")
        }
        _ = evaluator.evaluate(query.packet, unknown: query.unknown, hook: hook)
    }
    return 0
}

/// One inbound TCP packet to a local service and one forwarded UDP packet, in the ruleset's family.
private func packets(for family: AddressFamily) -> [(PacketDescription, Hook)] {
    let v6 = family == .ipv6
    var ssh = PacketDescription(source: v6 ? "2001:db8:1::7" : "198.51.100.7", destination: v6 ? "2001:db8::1" : "192.0.2.1", proto: "tcp")
    ssh.destinationPort = 22
    ssh.inInterface = "eth0"
    var dns = PacketDescription(source: v6 ? "2001:db8:2::5" : "10.0.0.5", destination: v6 ? "2001:db8:3::53" : "203.0.113.53", proto: "udp")
    dns.destinationPort = 53
    dns.inInterface = "eth1"
    dns.outInterface = "eth0"
    return [(ssh, .input), (dns, .forward)]
}
