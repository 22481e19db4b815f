import ArgumentParser
import AttackGraph
import BulwarkModel
import Estate
import Foundation
import Frameworks
import Identity
import Inventory
import NetworkReach
import Reports
import Risk
import ThreatIntel

struct WhyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "why",
        abstract: "The four questions for one control: what threats it stops, whether it is the right control for the risk, how it fits the architecture, what if it is bypassed.",
        discussion: """
            CONTROL is a rule in place (`FIREWALL:CHAIN:POSITION` such as `edge:FORWARD:12`, or `rule FIREWALL:LINE`; an \
            iptables-save rule of the filter table: its value is what opens up without it) \
            or a change as `bulwark whatif` takes it (`patch CVE-… on HOST`, `block ZONE -> HOST SERVICE`, `mfa on HOST`, \
            an AD relationship `FROM -KIND-> TO` taken away: its value is what it would close), or a fact of the manifest in place \
            (`fact:LINE`, as `bulwark controls` names MFA, backups …: the attack graph without it). Targets are tier-zero and \
            crown-jewels; the attacker starts from the manifest's entry points. Exit status 2 when a name or the control is unknown.
            """
    )

    @Argument(help: "The estate: a folder with bulwark.yaml, or the manifest.") var estate: String
    @Argument(help: "The control.") var control: String
    @Option(help: "Trials per risk scenario.") var trials = 20_000
    @Option(help: "text or json.") var format: RiskQuantify.Format?

    func run() throws {
        let attack = try EstateInputs.attack(estate)
        let graph = attack.graph
        guard let manifest = attack.inventory.manifest else { throw unusableInput("\(estate): `why` needs the estate's manifest (bulwark.yaml)") }
        let entries = graph.entryNodes(manifest)
        let sources = entries.map(\.node), starting = AttackGraph.startingProbabilities(entries)
        var targets: [Int32] = []
        for n in graph.targets(named: "tier-zero") + graph.targets(named: "crown-jewels") where !targets.contains(n) { targets.append(n) }

        // "Without" and "with" the control, on the same nodes.
        let without: (graph: AttackGraph, oracle: ConditionOracle?, usable: (Int) -> Bool)
        let with: (graph: AttackGraph, oracle: ConditionOracle?, usable: (Int) -> Bool)
        let kind: ControlKind
        var boundary: String
        let ruleSpec = control.lowercased().hasPrefix("rule ") ? String(control.dropFirst(5)) : (control.contains(" ") ? nil : control)
        if let ruleSpec, ruleSpec.contains(":"), control.lowercased().hasPrefix("rule ") || EstateInputs.ruleLine(ruleSpec, in: manifest) != nil {
            guard let (fwName, line) = EstateInputs.ruleLine(ruleSpec, in: manifest), let fw = manifest.firewall(named: fwName) else {
                throw unusableInput("'\(control)': expected `FIREWALL:CHAIN:POSITION` or `rule FIREWALL:LINE` naming a rule of the manifest's firewalls")
            }
            let network: EstateNetwork
            do { network = try EstateNetwork(manifest: manifest, removing: .init(firewall: fw.name, line: line), displayPath: EstateInputs.display) } catch {
                throw unusableInput(error.description)
            }
            var builder = AttackGraphBuilder(inventory: attack.inventory, engine: ReachabilityEngine(network: network))
            builder.displayPath = EstateInputs.display
            without = (builder.build(), builder.oracle(), { _ in true })
            with = (graph, attack.oracle, { _ in true })
            kind = .filter
            if case .network(let interfaces) = fw.placement {
                boundary = "between zones " + Set(interfaces.map(\.zone)).sorted().joined(separator: ", ") + " (network firewall \(fw.name))"
            } else if case .host(let h) = fw.placement {
                boundary = "at host \(h) (host firewall \(fw.name))"
            } else {
                boundary = "at firewall \(fw.name)"
            }
        } else if control.lowercased().hasPrefix("fact:"), let line = Int(control.dropFirst(5)) {
            // A fact of the manifest (MFA, a backup …): the graph without it, on the same reachability.
            guard let index = manifest.facts.firstIndex(where: { $0.location.line == line }) else {
                throw unusableInput("'\(control)': no fact of the manifest starts at line \(line) (bulwark controls lists them)")
            }
            let fact = manifest.facts[index]
            switch fact.detail {
            case .mfa: kind = .mfa
            case .backup: kind = .backup
            case .encryption: kind = .encryption
            case .edr: kind = .edr
            case .patching: kind = .patch
            case .control: throw unusableInput("'\(control)' is an attested control: no attack step depends on it in the model, so there is no way it cuts to show")
            }
            var inventory = attack.inventory
            inventory.manifest = manifest.removingFact(at: index)
            var builder = AttackGraphBuilder(inventory: inventory, engine: attack.builder.engine)
            builder.displayPath = EstateInputs.display
            without = (builder.build(), builder.oracle(), { _ in true })
            with = (graph, attack.oracle, { _ in true })
            boundary = fact.appliesTo.isEmpty ? "across the whole estate" : "at " + fact.appliesTo.map(\.description).joined(separator: ", ")
        } else {
            let parsed: Control
            do { parsed = try Control(parsing: control, in: graph) } catch { throw unusableInput(error.description) }
            let adding: Bool
            switch parsed {
            case .relationship(_, let k, _):
                adding = false
                kind = ControlKind(change: ControlCosts().removal(of: k).kind) ?? .right
                boundary = "in Active Directory"
            case .patch(_, let h):
                adding = true
                kind = .patch
                boundary = h.map { "on host \(graph.nodes[Int($0)].name)" } ?? "on every host with the finding"
            case .block(let z, let h, _):
                adding = true
                kind = .filter
                boundary = "between zone \(graph.nodes[Int(z)].name) and host \(graph.nodes[Int(h)].name)"
            case .mfa(let h):
                adding = true
                kind = .mfa
                boundary = "at interactive logons to \(graph.nodes[Int(h)].name)"
            }
            let taken: Set<Int>, o: ConditionOracle?
            do { (taken, o) = try graph.removal(parsed, adding: adding, oracle: attack.oracle) } catch { throw unusableInput(error.description) }
            without = (graph, attack.oracle, { _ in true })
            with = (graph, o, { !taken.contains($0) })
        }

        // 1. What threats it stops: the targets whose ways it closes or lengthens, the techniques on
        // those ways (without it), and which of them its mitigations cover.
        let comparison = without.graph.compare(with: with.graph, oracle: without.oracle, afterOracle: with.oracle, afterUsable: with.usable,
                                               from: sources, to: targets, startingProbability: starting)
        // A target is cut when its way is worse with the control (gone, longer or less likely), and
        // let in when it is better with it (an accept rule).
        func worse(_ c: WhatIfResult.Change) -> Bool {
            guard let before = c.before.hops else { return false }
            guard let after = c.after.hops else { return true }
            return after > before || (after == before && (c.after.probability ?? 0) < (c.before.probability ?? 0))
        }
        let changed = comparison.targets.filter { $0.changed && worse($0) }
        let letIn = comparison.targets.filter { $0.changed && !worse($0) }
        var techniques: [String] = []
        for c in changed { for s in c.before.shortest ?? [] { if let t = s.technique, !techniques.contains(t) { techniques.append(t) } } }
        let (attackData, attackDiagnostics) = ATTACK.inUse()
        for d in attackDiagnostics { IO.error(d.description) }
        let mitigated = Set(kind.mitigations.flatMap { attackData.mitigates[$0] ?? [] })
        let covered = techniques.filter { t in mitigated.contains(t) || attackData.techniques[t]?.parent.map(mitigated.contains) == true }

        // 2. The risk it removes, beside the other changes on the same ways.
        let trials = self.trials
        func loss(_ g: AttackGraph, _ o: ConditionOracle?, _ u: @escaping (Int) -> Bool) -> Double {
            let register = RiskRegister.build(graph: g, manifest: manifest, oracle: o, usable: u)
            return register.entries.isEmpty ? 0 : MonteCarlo.simulate(register.entries.map(\.scenario), trials: trials, seed: 1).total.mean
        }
        let lossWithout = loss(without.graph, without.oracle, without.usable), lossWith = loss(with.graph, with.oracle, with.usable)
        let alternatives = ControlValue.rank(graph: without.graph, manifest: manifest, oracle: without.oracle, costs: ControlCosts(), trials: trials, seed: 1)
            .values.filter { $0.change != control }.prefix(5)

        // 3. Architecture: the layer and boundary, and how many steps of each way it cuts another
        // control could stand on (defence in depth).
        let layer: String = switch kind {
        case .filter: "network"
        case .patch, .edr: "host"
        case .right, .membership, .session, .mfa: "identity"
        case .backup, .encryption: "data"
        }
        let depth = changed.map { c in (c.before.target.name, (c.before.shortest ?? []).filter { $0.step != "StandsIn" }.count) }

        let name = attack.inventory.estate ?? estate
        switch format ?? (IO.stdoutIsTerminal ? .text : .json) {
        case .json:
            var w = JSONWriter()
            w.object { w in
                w.key("schema_version"); w.string("1.0.0")
                w.key("tool"); w.object { w in w.key("name"); w.string("bulwark"); w.key("version"); w.string(BulwarkVersion.current) }
                w.key("estate"); w.string(name)
                w.key("control"); w.string(control)
                w.key("kind"); w.string(kind.rawValue)
                w.key("threats")
                w.object { w in
                    w.key("targets_cut"); w.array { w in for c in changed { w.string(c.before.target.name) } }
                    w.key("targets_it_lets_in"); w.array { w in for c in letIn { w.string(c.before.target.name) } }
                    w.key("techniques_on_the_ways"); w.array { w in for t in techniques { w.string(t) } }
                    w.key("techniques_its_mitigations_cover"); w.array { w in for t in covered { w.string(t) } }
                    w.key("mitigations"); w.array { w in for m in kind.mitigations { w.string(m) } }
                }
                w.key("risk")
                w.object { w in
                    w.key("annualized_loss_without"); w.double(lossWithout)
                    w.key("annualized_loss_with"); w.double(lossWith)
                    w.key("value"); w.double(lossWithout - lossWith)
                    w.key("alternatives")
                    w.array { w in
                        for a in alternatives {
                            w.object { w in
                                w.key("control"); w.string(a.change)
                                w.key("value"); w.double(a.value)
                                w.key("cost"); w.double(a.cost)
                            }
                        }
                    }
                }
                w.key("architecture")
                w.object { w in
                    w.key("layer"); w.string(layer)
                    w.key("boundary"); w.string(boundary)
                    w.key("steps_on_each_way_cut"); w.object { w in for (t, n) in depth { w.key(t); w.int(n) } }
                    w.key("csf"); w.array { w in for c in kind.csf { w.string(c) } }
                    w.key("annex_a"); w.array { w in for a in kind.annexA { w.string(a) } }
                }
                w.key("if_bypassed")
                w.object { w in
                    w.key("targets_opened"); w.array { w in for c in changed { w.string(c.before.target.name) } }
                    w.key("annualized_loss"); w.double(lossWithout)
                }
            }
            IO.write(w.bytes + [0x0A])
        case .text:
            var out = ["Why \(control) — \(name)", ""]
            out.append("1. What threats does it stop?")
            for c in letIn { out.append("   it lets attacks in: \(c.before.target.name) is nearer or likelier with it") }
            if changed.isEmpty {
                out.append("   No way to Tier Zero or a crown jewel is cut by it: on the paths that exist, it stops nothing.")
            } else {
                for c in changed {
                    let before = c.before.hops.map { "\($0) steps" } ?? "unreachable"
                    let after = c.after.hops.map { "\($0) steps" } ?? "unreachable"
                    out.append("   \(c.before.target.name): \(before) without it, \(after) with it")
                }
                out.append("   ATT&CK techniques on those ways: " + (techniques.isEmpty ? "none named" : techniques.joined(separator: ", ")))
                out.append("   of which its mitigations (\(kind.mitigations.joined(separator: ", "))) cover: " + (covered.isEmpty ? "none" : covered.joined(separator: ", ")))
            }
            out.append("")
            out.append("2. Is it the right control for the risk?")
            if lossWith > lossWithout {
                out.append(String(format: "   it adds %.2f a year of annualized loss (%.2f without it, %.2f with it): it lets attacks through rather than stopping them",
                                  lossWith - lossWithout, lossWithout, lossWith))
            } else {
                out.append(String(format: "   it removes %.2f a year of annualized loss (%.2f without it, %.2f with it)", lossWithout - lossWith, lossWithout, lossWith))
            }
            for a in alternatives { out.append(String(format: "   alternative: %@ %@ saves %.2f, cost %g", a.action, a.change, a.value, a.cost)) }
            out.append("")
            out.append("3. How does it fit the architecture?")
            out.append("   \(layer) layer, \(boundary); CSF \(kind.csf.joined(separator: ", ")); Annex A \(kind.annexA.joined(separator: ", "))")
            for (t, n) in depth { out.append("   the way to \(t) has \(n) steps where a control could stand") }
            out.append("")
            out.append("4. What if it is bypassed?")
            if lossWith > lossWithout {
                out.append("   bypassing it closes ways rather than opening them (it is not a barrier)")
            } else {
                out.append((changed.isEmpty ? "   no target's way opens" : "   opens: " + changed.map(\.before.target.name).joined(separator: ", "))
                           + String(format: "; the annualized loss would be %.2f", lossWithout))
            }
            IO.write(out.joined(separator: "\n") + "\n")
        }
    }
}
