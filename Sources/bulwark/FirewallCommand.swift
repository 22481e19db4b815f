import ArgumentParser
import Foundation
import BulwarkModel
import Firewall
import PacketSpace
import Reports

struct FirewallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "firewall",
        abstract: "Analyse, query and map firewall rulesets (iptables-save / ip6tables-save).",
        subcommands: [FirewallAnalyze.self, FirewallQuery.self, FirewallMatrix.self]
    )
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, sarif
}

struct RulesetOptions: ParsableArguments {
    @Argument(help: "The ruleset file: iptables-save or ip6tables-save output.")
    var file: String

    @Option(help: "Address family (ipv4 or ipv6); detected from the file when not given.")
    var family: String?

    func load() throws -> Ruleset {
        let text: String
        do { text = try IO.readText(file) } catch { throw unusableInput("\(error)") }
        var fam: AddressFamily?
        if let family {
            switch family.lowercased() {
            case "ipv4", "4", "inet": fam = .ipv4
            case "ipv6", "6", "inet6": fam = .ipv6
            default: throw ValidationError("--family must be ipv4 or ipv6")
            }
        }
        do { return try RulesetLoader.load(text: text, file: file, family: fam) } catch { throw unusableInput(error.description) }
    }
}

struct FirewallQuery: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "The verdict the kernel gives a packet, the rule that decides it and the path through the chains."
    )

    @OptionGroup var ruleset: RulesetOptions
    @Option(help: "The built-in chain the packet enters: INPUT, FORWARD or OUTPUT.") var chain: String
    @Option(name: .customLong("in"), help: "Input interface.") var inInterface: String?
    @Option(name: .customLong("out"), help: "Output interface.") var outInterface: String?
    @Option(help: "Source address.") var src: String?
    @Option(help: "Destination address.") var dst: String?
    @Option(help: "Protocol (tcp, udp, icmp, a number …).") var proto: String = "tcp"
    @Option(help: "Source port (default 40000).") var sport: Int?
    @Option(help: "Destination port.") var dport: Int?
    @Option(help: "Connection state (default NEW).") var state: String?
    @Option(help: "Source MAC address.") var mac: String?
    @Option(help: "Packets to answer, one JSON object per line (netfilter-oracle's format).") var packets: String?
    @Option(help: "text or json.") var format: OutputFormat?

    func run() throws {
        guard let hook = Hook(chain: chain), Hook.filterHooks.contains(hook) else {
            throw ValidationError("--chain must be INPUT, FORWARD or OUTPUT")
        }
        let rules = try ruleset.load()
        let program = TableProgram(ruleset: rules)
        let evaluator = Evaluator(program: program)
        let format = format ?? (packets != nil || !IO.stdoutIsTerminal ? .json : .text)
        if let packets {
            let bytes: [UInt8]
            do { bytes = try IO.readBytes(packets) } catch { throw unusableInput("\(error)") }
            answerLines(bytes, hook: hook, evaluator: evaluator)
            return
        }
        guard let src, let dst else { throw ValidationError("give --src and --dst, or --packets FILE") }
        var d = PacketDescription(source: src, destination: dst, proto: proto)
        d.sourcePort = sport
        d.destinationPort = dport
        d.state = state
        d.inInterface = inInterface
        d.outInterface = outInterface
        d.sourceMAC = mac
        let q: QueryPacket
        do { q = try QueryPacket(d, hook: hook) } catch { throw ValidationError(error.description) }
        let e = evaluator.evaluate(q.packet, unknown: q.unknown, hook: hook)
        if format == .json {
            var w = JSONWriter()
            QueryRenderer.json(e, echo: [], into: &w)
            IO.write(w.text + "\n")
        } else {
            IO.write(QueryRenderer.text(e, style: TextStyle(colored: IO.stdoutIsTerminal)) + "\n")
        }
    }

    /// Answers each line in order; a bad line gets an error object, the others still get answers.
    private func answerLines(_ bytes: [UInt8], hook: Hook, evaluator: Evaluator) {
        var out = JSONWriter()
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 16)
        var start = 0
        var lineNumber = 0
        func flush(force: Bool) {
            if force || buffer.count > 1 << 16 { IO.write(buffer); buffer.removeAll(keepingCapacity: true) }
        }
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            lineNumber += 1
            let line = Array(bytes[start..<end])
            start = end + 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { continue }
            out = JSONWriter()
            switch PacketLines.parse(line) {
            case .failure(let e):
                QueryRenderer.error("line \(lineNumber): \(e.message)", echo: [], into: &out)
            case .success(let (description, echo)):
                var d = description
                if d.inInterface == nil { d.inInterface = inInterface }
                if d.outInterface == nil { d.outInterface = outInterface }
                if hook == .input { d.outInterface = nil }
                if hook == .output { d.inInterface = nil }
                do {
                    let q = try QueryPacket(d, hook: hook)
                    QueryRenderer.json(evaluator.evaluate(q.packet, unknown: q.unknown, hook: hook), echo: echo, into: &out)
                } catch {
                    QueryRenderer.error("line \(lineNumber): \(error.description)", echo: echo, into: &out)
                }
            }
            buffer.append(contentsOf: out.bytes)
            buffer.append(0x0A)
            flush(force: false)
        }
        flush(force: true)
    }
}

struct FirewallAnalyze: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Dead, redundant and over-permissive rules, missing default deny, chains never entered."
    )

    @OptionGroup var ruleset: RulesetOptions
    @Option(help: "text, json or sarif (default: text on a terminal, json otherwise).") var format: OutputFormat?
    @Option(help: "Exit 1 when a finding of this severity or worse exists: info, low, medium, high, critical.")
    var failOn: String?
    @Flag(help: "Report every pairwise rule relation (Al-Shaer & Hamed), not only those that explain a finding.")
    var allPairs = false

    func run() throws {
        var threshold: Severity?
        if let failOn {
            guard let s = Severity(rawValue: failOn.lowercased()) else { throw ValidationError("--fail-on must be one of info, low, medium, high, critical") }
            threshold = s
        }
        let rules = try ruleset.load()
        let analyzer = FirewallAnalyzer(program: TableProgram(ruleset: rules), options: AnalysisOptions(allPairs: allPairs))
        analyzer.debugTrace = ProcessInfo.processInfo.environment["BULWARK_STATS"] == "2"
        let analysis = analyzer.analyze()
        if ProcessInfo.processInfo.environment["BULWARK_STATS"] != nil {
            IO.error("\(analyzer.statistics)")
            for l in analyzer.debugLines { IO.error(l) }
        }
        switch format ?? (IO.stdoutIsTerminal ? .text : .json) {
        case .json: FirewallReport.writeJSON(analysis, toolVersion: BulwarkVersion.current, pretty: IO.stdoutIsTerminal) { IO.write($0) }
        case .text: IO.write(FirewallReport.text(analysis, style: TextStyle(colored: IO.stdoutIsTerminal)))
        case .sarif: IO.write(SARIFReport.firewall(analysis, toolVersion: BulwarkVersion.current))
        }
        if let threshold, analysis.findings.contains(where: { $0.severity >= threshold }) {
            throw ExitCode(1)
        }
    }
}

struct FirewallMatrix: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "matrix",
        abstract: "Which zone can open a service on which other zone, with a witness packet and the deciding rule."
    )

    @OptionGroup var ruleset: RulesetOptions
    @Option(help: "YAML file naming the zones: name → address ranges (and optionally interface).") var zones: String
    @Option(help: "The service, e.g. tcp/22, udp/53, tcp/8000-8080, icmp/8 or a name such as ssh.") var service: String
    @Option(help: "text or json.") var format: OutputFormat?

    func run() throws {
        let svc: Service
        do { svc = try Service(parsing: service) } catch { throw ValidationError("--service: \(error.message)") }
        let rules = try ruleset.load()
        let zoneText: String
        do { zoneText = try IO.readText(zones) } catch { throw unusableInput("\(error)") }
        let parsed: [Zone]
        do { parsed = try ZoneFile.parse(zoneText, file: zones, family: rules.family) } catch { throw unusableInput(error.description) }
        let matrix = ServiceMatrix(program: TableProgram(ruleset: rules), zones: parsed, service: svc)
        switch format ?? (IO.stdoutIsTerminal ? .text : .json) {
        case .json, .sarif: IO.write(MatrixReport.json(matrix, family: rules.family, toolVersion: BulwarkVersion.current))
        case .text: IO.write(MatrixReport.text(matrix, family: rules.family, style: TextStyle(colored: IO.stdoutIsTerminal)))
        }
    }
}
