import ArgumentParser
import AttackGraph
import BulwarkModel
import Estate
import Foundation
import Inventory
import NetworkReach
import Reports

enum AttackFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, dot
}

struct PathsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paths",
        abstract: "The shortest and the most likely attack path to a target, one witness each, with counts.",
        discussion: """
            TARGET is a principal (name or SID), a host (name, FQDN or address), `zone:NAME`, an information asset, \
            `tier-zero` or `crown-jewels` (crown-jewel hosts and information assets). The attacker starts from each \
            --from (a host, principal or `zone:NAME`: "assume this one is compromised"), else from the manifest's entry \
            points. Exit status 2 when the estate cannot be used or a name is unknown.
            """
    )

    @Argument(help: "The estate: a folder (with or without bulwark.yaml), the manifest, or a SharpHound folder.")
    var estate: String
    @Option(help: "What the attacker is after.") var to: String
    @Option(help: "Where the attacker starts (repeatable); default: the manifest's entry points.") var from: [String] = []
    @Option(help: "text, json or dot.") var format: AttackFormat?

    func run() throws {
        let attack = try EstateInputs.attack(estate)
        let (inventory, graph, oracle) = (attack.inventory, attack.graph, attack.oracle)
        var sources = try EstateInputs.nodes(from, in: graph, role: "--from")
        var starting: [Int32: Double] = [:]
        var byEntry: [(name: String, nodes: [Int32])] = []
        if from.isEmpty {
            let entries = graph.entryNodes(inventory.manifest)
            sources = entries.map(\.node)
            starting = AttackGraph.startingProbabilities(entries)
            guard !sources.isEmpty else {
                throw unusableInput("\(estate): no entry points in the manifest: say where the attacker starts with --from")
            }
            for e in entries {
                if let i = byEntry.firstIndex(where: { $0.name == e.name }) { byEntry[i].nodes.append(e.node) } else { byEntry.append((e.name, [e.node])) }
            }
        }
        let targets = graph.targets(named: to)
        guard !targets.isEmpty else { throw unusableInput("--to '\(to)': no principal, host, zone or asset of the estate has that name, and it is not tier-zero or crown-jewels") }
        let clock = Date()
        var answers = graph.paths(from: sources, to: targets, oracle: oracle, startingProbability: starting, entries: byEntry.count > 1 ? byEntry : [])
        // The firewall rules behind each step over the network, for the witnesses shown.
        for k in answers.indices {
            answers[k].shortest = answers[k].shortest.map(attack.builder.withDecidingRules)
            answers[k].mostLikely = answers[k].mostLikely.map(attack.builder.withDecidingRules)
        }
        let chokePoints = graph.chokePoints(from: sources, to: targets, oracle: oracle)
        EstateInputs.stat("paths searched", since: clock)
        switch format ?? (IO.stdoutIsTerminal ? .text : .json) {
        case .json: IO.write(AttackReport.pathsJSON(estate: inventory.estate, graph: graph, sources: sources, answers: answers, chokePoints: chokePoints,
                                                    toolVersion: BulwarkVersion.current))
        case .text: IO.write(AttackReport.pathsText(estate: inventory.estate, graph: graph, sources: sources, answers: answers, chokePoints: chokePoints))
        case .dot: IO.write(AttackReport.pathsDOT(graph: graph, sources: sources, answers: answers))
        }
    }
}

struct BlastRadiusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blast-radius",
        abstract: "Everything an attacker holding a node can reach, by steps: for scoping an incident.",
        discussion: "NODE is a host (name, FQDN or address), a principal (name or SID) or `zone:NAME`. Exit status 2 when the estate cannot be used or a name is unknown."
    )

    @Argument(help: "The estate: a folder (with or without bulwark.yaml), the manifest, or a SharpHound folder.")
    var estate: String
    @Option(help: "The compromised node (repeatable).") var from: [String]
    @Option(help: "text, json or dot.") var format: AttackFormat?
    @Option(help: "How many reached nodes the text lists.") var limit = 50

    func validate() throws {
        if from.isEmpty { throw ValidationError("name the compromised node with --from") }
    }

    func run() throws {
        let attack = try EstateInputs.attack(estate)
        let (inventory, graph, oracle) = (attack.inventory, attack.graph, attack.oracle)
        let sources = try EstateInputs.nodes(from, in: graph, role: "--from")
        let clock = Date()
        let radius = graph.blastRadius(from: sources, oracle: oracle)
        EstateInputs.stat("blast radius searched", since: clock)
        switch format ?? (IO.stdoutIsTerminal ? .text : .json) {
        case .json: IO.write(AttackReport.blastRadiusJSON(estate: inventory.estate, graph: graph, radius: radius, toolVersion: BulwarkVersion.current))
        case .text: IO.write(AttackReport.blastRadiusText(estate: inventory.estate, graph: graph, radius: radius, limit: limit))
        case .dot: IO.write(AttackReport.blastRadiusDOT(radius: radius))
        }
    }
}

struct WhatIfCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whatif",
        abstract: "Remove or add a control and see the attack paths and the exposure that change.",
        discussion: """
            CONTROL is `patch CVE-… [on HOST]` or `block ZONE -> HOST SERVICE` (with --add: a patch installed, a firewall \
            rule that drops the service), or an AD relationship `FROM -KIND-> TO` (--remove: an ACE, membership, session \
            or local right taken away; --add: granted). Targets are tier-zero and crown-jewels unless --to says otherwise; \
            the attacker starts from --from or the manifest's entry points. Exit status 2 when a name or the control is unknown.
            """
    )

    @Argument(help: "The estate: a folder (with or without bulwark.yaml), the manifest, or a SharpHound folder.")
    var estate: String
    @Option(help: "The control to take away.") var remove: String?
    @Option(help: "The control to put in place.") var add: String?
    @Option(help: "What the attacker is after (repeatable); default tier-zero and crown-jewels.") var to: [String] = []
    @Option(help: "Where the attacker starts (repeatable); default: the manifest's entry points.") var from: [String] = []
    @Option(help: "text or json.") var format: InventoryFormat?

    enum InventoryFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

    func validate() throws {
        if (remove == nil) == (add == nil) { throw ValidationError("give exactly one of --remove CONTROL and --add CONTROL") }
    }

    func run() throws {
        let attack = try EstateInputs.attack(estate)
        let (inventory, graph, oracle) = (attack.inventory, attack.graph, attack.oracle)
        var sources = try EstateInputs.nodes(from, in: graph, role: "--from")
        var starting: [Int32: Double] = [:]
        if from.isEmpty {
            // Without entry points only the exposure to Tier Zero is compared.
            let entries = graph.entryNodes(inventory.manifest)
            sources = entries.map(\.node)
            starting = AttackGraph.startingProbabilities(entries)
        }
        let targetNames = to.isEmpty ? ["tier-zero", "crown-jewels"] : to
        var targets: [Int32] = []
        for name in targetNames {
            let t = graph.targets(named: name)
            if t.isEmpty && !to.isEmpty { throw unusableInput("--to '\(name)': no principal, host, zone or asset of the estate has that name") }
            for n in t where !targets.contains(n) { targets.append(n) }
        }
        let text = remove ?? add ?? ""
        var result: WhatIfResult
        if let r = remove, r.lowercased().hasPrefix("rule ") {
            result = try withoutRule(String(r.dropFirst(5)), text: r, inventory: inventory, graph: graph, oracle: oracle,
                                     sources: sources, targets: targets, starting: starting)
        } else {
        do {
            let control = try Control(parsing: text, in: graph)
            result = try graph.whatIf(control, adding: add != nil, text: text, from: sources, to: targets, oracle: oracle, startingProbability: starting)
        } catch {
            throw unusableInput(error.description)
        }
        }
        EstateInputs.stat(String(format: "what-if computed in %.1f ms", result.seconds * 1000), since: Date())
        switch format ?? (IO.stdoutIsTerminal ? .text : .json) {
        case .json: IO.write(AttackReport.whatIfJSON(estate: inventory.estate, graph: graph, sources: sources, result: result, toolVersion: BulwarkVersion.current))
        case .text: IO.write(AttackReport.whatIfText(estate: inventory.estate, graph: graph, sources: sources, result: result))
        }
    }

    /// `--remove "rule FIREWALL:LINE"`: the estate rebuilt without that iptables-save rule (its
    /// reachability recomputed), compared with the estate as it is.
    func withoutRule(_ spec: String, text: String, inventory: Inventory, graph: AttackGraph, oracle: ConditionOracle?,
                     sources: [Int32], targets: [Int32], starting: [Int32: Double]) throws -> WhatIfResult {
        guard let manifest = inventory.manifest, EstateInputs.hasNetwork(inventory), let (firewall, line) = EstateInputs.ruleLine(spec, in: manifest) else {
            throw unusableInput("'\(text)': expected `rule FIREWALL:LINE` or `rule FIREWALL:CHAIN:POSITION` (an iptables-save rule of the estate's manifest)")
        }
        let clock = Date()
        let removed = EstateNetwork.RemovedRule(firewall: firewall, line: line)
        let network: EstateNetwork
        do { network = try EstateNetwork(manifest: manifest, removing: removed, displayPath: EstateInputs.display) } catch {
            throw unusableInput(error.description)
        }
        var builder = AttackGraphBuilder(inventory: inventory, engine: ReachabilityEngine(network: network))
        builder.displayPath = EstateInputs.display
        let after = builder.build()
        var result = graph.compare(with: after, oracle: oracle, afterOracle: builder.oracle(), from: sources, to: targets, startingProbability: starting)
        let ruleText = manifest.firewall(named: removed.firewall)?.export(.ruleset).flatMap { try? String(contentsOfFile: $0.path, encoding: .utf8) }
            .map { $0.split(separator: "\n", omittingEmptySubsequences: false) }.flatMap { line <= $0.count ? String($0[line - 1]) : nil }
        result.action = "remove"
        result.control = text + (ruleText.map { " (\($0))" } ?? "")
        result.edgesAffected = abs(after.edgeCount - graph.edgeCount)
        result.addsSteps = after.edgeCount > graph.edgeCount
        result.seconds = Date().timeIntervalSince(clock)
        return result
    }
}

struct RemediateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remediate",
        abstract: "The cheapest set of changes (patches, firewall rules, AD rights taken away) that cuts every way to the targets.",
        discussion: """
            A minimum cut of the attack graph, each change one edge with its cost (--cost patch=2 --cost block=1 \
            --cost right=1 --cost membership=1 --cost session=2 are the defaults). Targets are tier-zero and crown-jewels \
            unless --to says otherwise; the attacker starts from --from or the manifest's entry points. With --budget, \
            the targets whose own cheapest fix fits the budget are listed too. Each change is written as `bulwark whatif` \
            takes it. Exit status 2 when a name or a cost is unknown.
            """
    )

    @Argument(help: "The estate: a folder (with or without bulwark.yaml), the manifest, or a SharpHound folder.")
    var estate: String
    @Option(help: "What the attacker is after (repeatable); default tier-zero and crown-jewels.") var to: [String] = []
    @Option(help: "Where the attacker starts (repeatable); default: the manifest's entry points.") var from: [String] = []
    @Option(help: "The most the fix may cost.") var budget: Double?
    @Option(help: "KIND=COST for patch, block, right, membership or session (repeatable).") var cost: [String] = []
    @Option(help: "text or json.") var format: WhatIfCommand.InventoryFormat?

    func run() throws {
        let attack = try EstateInputs.attack(estate)
        let (inventory, graph, oracle) = (attack.inventory, attack.graph, attack.oracle)
        var costs = ControlCosts()
        do { for c in cost { try costs.set(c) } } catch { throw unusableInput(error.description) }
        var sources = try EstateInputs.nodes(from, in: graph, role: "--from")
        if from.isEmpty {
            sources = graph.entryNodes(inventory.manifest).map(\.node)
            guard !sources.isEmpty else { throw unusableInput("\(estate): no entry points in the manifest: say where the attacker starts with --from") }
        }
        var targets: [Int32] = []
        for name in to.isEmpty ? ["tier-zero", "crown-jewels"] : to {
            let t = graph.targets(named: name)
            if t.isEmpty && !to.isEmpty { throw unusableInput("--to '\(name)': no principal, host, zone or asset of the estate has that name") }
            for n in t where !targets.contains(n) { targets.append(n) }
        }
        let clock = Date()
        let fix = graph.remediation(from: sources, to: targets, costs: costs, oracle: oracle)
        var perTarget: [(AttackGraph.Node, Remediation)] = []
        if let budget, fix.cost > budget {
            for t in targets {
                let r = graph.remediation(from: sources, to: [t], costs: costs, oracle: oracle)
                if r.reachable && r.cost <= budget { perTarget.append((graph.nodes[Int(t)], r)) }
            }
        }
        EstateInputs.stat("remediation computed", since: clock)
        switch format ?? (IO.stdoutIsTerminal ? .text : .json) {
        case .json: IO.write(AttackReport.remediationJSON(estate: inventory.estate, graph: graph, sources: sources, targets: targets, fix: fix,
                                                          budget: budget, perTarget: perTarget, toolVersion: BulwarkVersion.current))
        case .text: IO.write(AttackReport.remediationText(estate: inventory.estate, graph: graph, sources: sources, targets: targets, fix: fix,
                                                          budget: budget, perTarget: perTarget))
        }
    }
}
