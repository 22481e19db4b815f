public import AttackGraph
public import BulwarkModel
import Foundation
import Frameworks

/// `bulwark paths` and `bulwark blast-radius`: witness ways through the attack graph as text, JSON
/// (docs/schema/attack.md) and Graphviz DOT.
public enum AttackReport {
    public static let schemaVersion = "1.0.0"

    /// What every answer assumes, said in every report.
    public static let assumptions = [
        "a way's probability is the product of its steps' probabilities: steps are taken to succeed or fail independently",
        "a target's likelihood is its most likely way's; the probability over all ways together is not computed (#P-hard)",
        "a step that needs a second foothold (a port reachable from where the attacker stands) is credited with the less likely of its two footholds: an upper bound for that way",
    ]

    // MARK: paths

    public static func pathsJSON(estate: String?, graph: AttackGraph, sources: [Int32], answers: [PathAnswer], chokePoints: [ChokePoint] = [],
                                 toolVersion: String) -> [UInt8] {
        var w = JSONWriter()
        w.object { w in
            ReportJSON.header(&w, schemaVersion: schemaVersion, estate: estate, toolVersion: toolVersion)
            w.key("sources"); w.array { w in for s in sources { node(graph.nodes[Int(s)], &w) } }
            w.key("assumptions"); strings(assumptions, &w)
            w.key("notes"); strings(graph.notes, &w)
            w.key("targets")
            w.array { w in
                for a in answers {
                    w.object { w in
                        w.key("target"); node(a.target, &w)
                        w.key("reachable"); w.bool(a.hops != nil)
                        w.key("hops"); if let h = a.hops { w.int(h) } else { w.null() }
                        w.key("shortest_ways"); w.double(a.shortestWays)
                        w.key("probability"); if let p = a.probability { w.double(p) } else { w.null() }
                        w.key("exact"); w.bool(a.exact)
                        w.key("reasons"); strings(a.reasons, &w)
                        w.key("shortest"); steps(a.shortest, &w)
                        w.key("most_likely"); steps(a.mostLikely, &w)
                        if a.hops != nil {
                            let entries = Routing.frameworks(ofTechniques: ((a.shortest ?? []) + (a.mostLikely ?? [])).compactMap(\.technique))
                            ReportJSON.routing(Routing(lens: .cybersecurity, role: .securityArchitect, domain: .securityArchitectureAndEngineering,
                                                       mitigations: entries.mitigations, csf: entries.csf, annexA: entries.annexA), into: &w)
                        }
                        w.key("by_entry_point")
                        w.array { w in
                            for e in a.byEntry {
                                w.object { w in
                                    w.key("entry_point"); w.string(e.entry)
                                    w.key("hops"); if let h = e.hops { w.int(h) } else { w.null() }
                                    w.key("probability"); if let p = e.probability { w.double(p) } else { w.null() }
                                }
                            }
                        }
                    }
                }
            }
            w.key("choke_points")
            w.array { w in
                for c in chokePoints {
                    w.object { w in
                        w.key("step"); step(c.step, &w)
                        w.key("shortest_ways"); w.double(c.shortestWays)
                        w.key("share"); w.double(c.share)
                        w.key("most_likely_targets"); w.int(c.mostLikelyTargets)
                    }
                }
            }
        }
        return w.bytes + [0x0A]
    }

    public static func pathsText(estate: String?, graph: AttackGraph, sources: [Int32], answers: [PathAnswer], chokePoints: [ChokePoint] = [],
                                 limit: Int = 5) -> String {
        var out: [String] = []
        out.append("Attack paths\(estate.map { " — \($0)" } ?? "")")
        out.append("  from: " + sources.map { label(graph.nodes[Int($0)]) }.joined(separator: ", "))
        for n in graph.notes { out.append("  note: \(n)") }
        for (k, a) in answers.enumerated() {
            if k == limit {
                out.append("")
                out.append("Further targets (see --format json for their ways)")
            }
            if k >= limit {
                out.append("  \(label(a.target)): " + (a.hops.map { "\($0) step\($0 == 1 ? "" : "s"), most likely way \(String(format: "%.3g", a.probability ?? 0))" } ?? "not reachable"))
                continue
            }
            out.append("")
            guard let hops = a.hops else {
                out.append("\(label(a.target)): not reachable")
                continue
            }
            if hops == 0 && (a.shortest ?? []).isEmpty {
                out.append("\(label(a.target)): held from the start (a foothold)")
                continue
            }
            let ways = a.shortestWays == 1 ? "1 shortest way" : "\(formatCount(a.shortestWays)) shortest ways"
            out.append("\(label(a.target)): \(hops) step\(hops == 1 ? "" : "s") (\(ways)); most likely way \(String(format: "%.3g", a.probability ?? 0))\(a.exact ? "" : " (inexact)")")
            out.append("  shortest:")
            out += stepLines(a.shortest ?? [])
            if let likely = a.mostLikely, likely != a.shortest {
                out.append("  most likely:")
                out += stepLines(likely)
            }
            for r in a.reasons { out.append("  inexact: \(r)") }
            let from = a.byEntry.filter { $0.hops != nil }
            if a.byEntry.count > 1 && !from.isEmpty {
                out.append("  by entry point: " + from.map { "\($0.entry) \($0.hops!) step\($0.hops == 1 ? "" : "s"), p \(String(format: "%.3g", $0.probability ?? 0))" }.joined(separator: "; "))
            }
        }
        if !chokePoints.isEmpty {
            out.append("")
            out.append("Choke points (the steps most shortest ways take)")
            for c in chokePoints.prefix(limit) {
                out.append(String(format: "  %@ — on %@ shortest ways (%.0f%%) and %d most likely way%@", stepText(c.step), formatCount(c.shortestWays),
                                  c.share * 100, c.mostLikelyTargets, c.mostLikelyTargets == 1 ? "" : "s"))
            }
        }
        out.append("")
        for s in assumptions { out.append("Assumed: \(s).") }
        return out.joined(separator: "\n") + "\n"
    }

    /// The union of the witness ways as a Graphviz digraph: footholds as boxes, targets doubled.
    public static func pathsDOT(graph: AttackGraph, sources: [Int32], answers: [PathAnswer]) -> String {
        var steps: [PathStep] = []
        for a in answers { for s in (a.shortest ?? []) + (a.mostLikely ?? []) where !steps.contains(s) { steps.append(s) } }
        return dot(steps: steps, footholds: sources.map { graph.nodes[Int($0)] }, targets: answers.map(\.target))
    }

    // MARK: blast radius

    public static func blastRadiusJSON(estate: String?, graph: AttackGraph, radius: BlastRadius, toolVersion: String) -> [UInt8] {
        var w = JSONWriter()
        w.object { w in
            ReportJSON.header(&w, schemaVersion: schemaVersion, estate: estate, toolVersion: toolVersion)
            w.key("from"); w.array { w in for n in radius.from { node(n, &w) } }
            w.key("notes"); strings(graph.notes, &w)
            w.key("reached_count"); w.int(radius.reached.count)
            w.key("by_kind")
            w.object { w in
                for kind in ["principal", "host", "zone", "asset"] {
                    w.key(kind); w.int(radius.reached.filter { $0.node.kind.rawValue == kind }.count)
                }
            }
            w.key("tier_zero_reached"); w.int(radius.tierZeroReached)
            w.key("crown_jewels_reached"); strings(radius.crownJewelsReached, &w)
            w.key("assets_reached"); strings(radius.assetsReached, &w)
            w.key("reached")
            w.array { w in
                for r in radius.reached {
                    w.object { w in
                        w.key("id"); w.string(r.node.id)
                        w.key("name"); w.string(r.node.name)
                        w.key("kind"); w.string(r.node.kind.rawValue)
                        w.key("hops"); w.int(r.hops)
                        w.key("step"); step(r.step, &w)
                    }
                }
            }
        }
        return w.bytes + [0x0A]
    }

    public static func blastRadiusText(estate: String?, graph: AttackGraph, radius: BlastRadius, limit: Int = 50) -> String {
        var out: [String] = []
        out.append("Blast radius of \(radius.from.map(label).joined(separator: ", "))\(estate.map { " — \($0)" } ?? "")")
        let count = { (k: AttackGraph.NodeKind) in radius.reached.filter { $0.node.kind == k }.count }
        out.append("  reaches \(count(.host)) hosts, \(count(.principal)) AD principals, \(count(.zone)) zone positions, \(count(.asset)) asset impacts; \(radius.tierZeroReached) Tier Zero")
        if !radius.crownJewelsReached.isEmpty { out.append("  crown jewels: " + radius.crownJewelsReached.joined(separator: ", ")) }
        if !radius.assetsReached.isEmpty { out.append("  information assets: " + radius.assetsReached.joined(separator: ", ")) }
        for n in graph.notes { out.append("  note: \(n)") }
        var lastHops = -1
        for r in radius.reached.prefix(limit) {
            if r.hops != lastHops {
                out.append("")
                out.append("\(r.hops) step\(r.hops == 1 ? "" : "s")")
                lastHops = r.hops
            }
            out.append("  \(label(r.node)) ← \(stepText(r.step))")
        }
        if radius.reached.count > limit { out.append("  … and \(radius.reached.count - limit) more (see --format json)") }
        return out.joined(separator: "\n") + "\n"
    }

    public static func blastRadiusDOT(radius: BlastRadius) -> String {
        dot(steps: radius.reached.map(\.step), footholds: radius.from, targets: [])
    }

    // MARK: what-if

    public static func whatIfJSON(estate: String?, graph: AttackGraph, sources: [Int32], result: WhatIfResult, toolVersion: String) -> [UInt8] {
        var w = JSONWriter()
        func summary(_ a: PathAnswer, _ w: inout JSONWriter) {
            w.object { w in
                w.key("reachable"); w.bool(a.hops != nil)
                w.key("hops"); if let h = a.hops { w.int(h) } else { w.null() }
                w.key("shortest_ways"); w.double(a.shortestWays)
                w.key("probability"); if let p = a.probability { w.double(p) } else { w.null() }
                w.key("shortest"); steps(a.shortest, &w)
            }
        }
        func share(_ e: TierZeroExposure.Exposure?, _ w: inout JSONWriter) {
            if let p = e?.percent { w.double(p) } else { w.null() }
        }
        w.object { w in
            ReportJSON.header(&w, schemaVersion: schemaVersion, estate: estate, toolVersion: toolVersion)
            w.key("action"); w.string(result.action)
            w.key("control"); w.string(result.control)
            w.key("edges_affected"); w.int(result.edgesAffected)
            w.key("seconds"); w.double(result.seconds)
            w.key("sources"); w.array { w in for s in sources { node(graph.nodes[Int(s)], &w) } }
            w.key("assumptions"); strings(assumptions, &w)
            w.key("targets")
            w.array { w in
                for c in result.targets {
                    w.object { w in
                        w.key("target"); node(c.before.target, &w)
                        w.key("changed"); w.bool(c.changed)
                        w.key("before"); summary(c.before, &w)
                        w.key("after"); summary(c.after, &w)
                    }
                }
            }
            w.key("exposure")
            if result.exposureBefore != nil {
                w.object { w in
                    w.key("before_percent"); share(result.exposureBefore, &w)
                    w.key("after_percent"); share(result.exposureAfter, &w)
                    w.key("principals_changed"); w.int(result.principalsChanged)
                }
            } else {
                w.null()
            }
        }
        return w.bytes + [0x0A]
    }

    public static func whatIfText(estate: String?, graph: AttackGraph, sources: [Int32], result: WhatIfResult) -> String {
        var out: [String] = []
        out.append("What if: \(result.action) \(result.control)\(estate.map { " — \($0)" } ?? "")")
        out.append("  \(result.edgesAffected) attack step\(result.edgesAffected == 1 ? "" : "s") \(result.addsSteps ? "added" : "taken out")\(sources.isEmpty ? "" : "; from " + sources.map { label(graph.nodes[Int($0)]) }.joined(separator: ", "))")
        func describe(_ a: PathAnswer) -> String {
            guard let h = a.hops else { return "unreachable" }
            return "\(h) step\(h == 1 ? "" : "s"), p \(String(format: "%.3g", a.probability ?? 0))"
        }
        let changed = result.targets.filter(\.changed)
        out.append("")
        out.append(changed.isEmpty ? "No target's way changes." : "Targets whose way changes")
        for c in changed { out.append("  \(label(c.before.target)): \(describe(c.before)) → \(describe(c.after))") }
        let same = result.targets.count - changed.count
        if same > 0 { out.append("  (\(same) other target\(same == 1 ? "" : "s") unchanged)") }
        if let b = result.exposureBefore, let a = result.exposureAfter {
            out.append("")
            let f = { (e: TierZeroExposure.Exposure) in e.percent.map { String(format: "%.1f%%", $0) } ?? "n/a" }
            out.append("Exposure to Tier Zero: \(f(b)) → \(f(a)) (\(result.principalsChanged) principal\(result.principalsChanged == 1 ? "" : "s") change distance)")
        }
        out.append(result.control.lowercased().hasPrefix("rule ")
                   ? String(format: "\nComputed in %.1f ms, the estate's reachability recomputed without the rule.", result.seconds * 1000)
                   : String(format: "\nComputed in %.1f ms on the built graph.", result.seconds * 1000))
        return out.joined(separator: "\n") + "\n"
    }

    // MARK: remediation

    public static func remediationJSON(estate: String?, graph: AttackGraph, sources: [Int32], targets: [Int32], fix: Remediation, budget: Double?,
                                       perTarget: [(AttackGraph.Node, Remediation)], toolVersion: String) -> [UInt8] {
        var w = JSONWriter()
        func changes(_ r: Remediation, _ w: inout JSONWriter) {
            w.array { w in
                for c in r.changes {
                    w.object { w in
                        w.key("kind"); w.string(c.kind)
                        w.key("action"); w.string(c.action)
                        w.key("control"); w.string(c.control)
                        w.key("cost"); w.double(c.cost)
                        ReportJSON.frameworks(ofChange: c.kind, into: &w)
                    }
                }
            }
        }
        w.object { w in
            ReportJSON.header(&w, schemaVersion: schemaVersion, estate: estate, toolVersion: toolVersion)
            w.key("sources"); w.array { w in for s in sources { node(graph.nodes[Int(s)], &w) } }
            w.key("targets"); w.array { w in for t in targets { node(graph.nodes[Int(t)], &w) } }
            w.key("reachable"); w.bool(fix.reachable)
            w.key("cost"); if fix.cost.isFinite { w.double(fix.cost) } else { w.null() }
            w.key("exact"); w.bool(fix.exact)
            w.key("reason"); if let r = fix.reason { w.string(r) } else { w.null() }
            w.key("changes"); changes(fix, &w)
            w.key("budget"); if let b = budget { w.double(b) } else { w.null() }
            w.key("within_budget"); w.bool(budget.map { fix.cost <= $0 } ?? true)
            w.key("targets_fixable_within_budget")
            w.array { w in
                for (t, r) in perTarget {
                    w.object { w in
                        w.key("target"); node(t, &w)
                        w.key("cost"); w.double(r.cost)
                        w.key("changes"); changes(r, &w)
                    }
                }
            }
        }
        return w.bytes + [0x0A]
    }

    public static func remediationText(estate: String?, graph: AttackGraph, sources: [Int32], targets: [Int32], fix: Remediation, budget: Double?,
                                       perTarget: [(AttackGraph.Node, Remediation)]) -> String {
        var out: [String] = []
        out.append("Cheapest fix\(estate.map { " — \($0)" } ?? "")")
        out.append("  from " + sources.map { label(graph.nodes[Int($0)]) }.joined(separator: ", ") + " to \(targets.count) target\(targets.count == 1 ? "" : "s")")
        guard fix.reachable else {
            out.append("  no target is reachable: nothing to fix")
            return out.joined(separator: "\n") + "\n"
        }
        guard fix.cost.isFinite else {
            out.append("  no set of changes can cut every way: \(fix.reason ?? "")")
            return out.joined(separator: "\n") + "\n"
        }
        out.append("  \(fix.changes.count) change\(fix.changes.count == 1 ? "" : "s"), total cost \(String(format: "%g", fix.cost))\(budget.map { fix.cost <= $0 ? " (within the budget of \(String(format: "%g", $0)))" : " (over the budget of \(String(format: "%g", $0)))" } ?? "")")
        for c in fix.changes { out.append("    \(c.action) \(c.control)   [\(c.kind), cost \(String(format: "%g", c.cost))]") }
        if let r = fix.reason { out.append("  not proven cheapest: \(r)") }
        if let budget, fix.cost > budget {
            out.append("")
            out.append(perTarget.isEmpty ? "No single target can be cut off within the budget." : "Targets that can be cut off within the budget")
            for (t, r) in perTarget {
                out.append("  \(label(t)): cost \(String(format: "%g", r.cost)): " + r.changes.map { "\($0.action) \($0.control)" }.joined(separator: "; "))
            }
        }
        out.append("")
        out.append("Check any change with `bulwark whatif ESTATE --add|--remove CONTROL`.")
        return out.joined(separator: "\n") + "\n"
    }

    // MARK: pieces

    static func node(_ n: AttackGraph.Node, _ w: inout JSONWriter) {
        w.object { w in
            w.key("id"); w.string(n.id)
            w.key("name"); w.string(n.name)
            w.key("kind"); w.string(n.kind.rawValue)
        }
    }

    static func steps(_ list: [PathStep]?, _ w: inout JSONWriter) {
        guard let list else { w.null(); return }
        w.array { w in for s in list { step(s, &w) } }
    }

    static func step(_ s: PathStep, _ w: inout JSONWriter) {
        w.object { w in
            w.key("from"); node(s.from, &w)
            w.key("to"); node(s.to, &w)
            w.key("step"); w.string(s.step)
            w.key("technique"); if let t = s.technique { w.string(t) } else { w.null() }
            w.key("probability"); w.double(s.probability)
            w.key("probability_source"); w.string(s.probabilitySource)
            w.key("facts"); strings(s.facts, &w)
            w.key("needs"); if let n = s.needs { w.string(n) } else { w.null() }
            w.key("inexact"); if let r = s.inexact { w.string(r) } else { w.null() }
        }
    }

    static func strings(_ list: [String], _ w: inout JSONWriter) { w.array { w in for s in list { w.string(s) } } }

    static func label(_ n: AttackGraph.Node) -> String {
        switch n.kind {
        case .zone: "zone \(n.name)"
        case .asset: n.name
        default: n.name
        }
    }

    static func stepText(_ s: PathStep) -> String {
        var t = "\(label(s.from)) -\(s.step)-> \(label(s.to))"
        var details: [String] = []
        if let tech = s.technique { details.append(tech) }
        if s.probability < 1 { details.append(String(format: "p %.2f", s.probability)) }
        if let n = s.needs { details.append(n) }
        if !details.isEmpty { t += " [" + details.joined(separator: "; ") + "]" }
        return t
    }

    /// Numbered steps; standing in a host's zone is no step of its own and reads as a remark.
    static func stepLines(_ steps: [PathStep]) -> [String] {
        var lines: [String] = []
        var k = 0
        for s in steps {
            if s.step == AttackGraph.stepName(.position) {
                lines.append("       (from \(label(s.from)) the attacker sends from \(label(s.to)))")
                continue
            }
            k += 1
            lines.append("    \(k). \(stepText(s))")
            for f in s.facts { lines.append("       \(f)") }
        }
        return lines
    }

    static func formatCount(_ x: Double) -> String { x < 1e15 ? String(Int(x)) : String(format: "%.3g", x) }

    static func dot(steps: [PathStep], footholds: [AttackGraph.Node], targets: [AttackGraph.Node]) -> String {
        func q(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
        var out = ["digraph attack {", "  rankdir=LR;", "  node [shape=ellipse, fontname=\"Helvetica\"];"]
        var seen = Set<String>()
        func declare(_ n: AttackGraph.Node) {
            guard seen.insert(n.id).inserted else { return }
            var attrs = ["label=\(q(label(n)))"]
            if footholds.contains(n) { attrs.append("shape=box") } else if targets.contains(n) { attrs.append("peripheries=2") }
            if n.kind == .zone { attrs.append("style=dashed") }
            out.append("  \(q(n.id)) [\(attrs.joined(separator: ", "))];")
        }
        for n in footholds + targets { declare(n) }
        for s in steps {
            declare(s.from)
            declare(s.to)
            var label = s.step + (s.technique.map { "\\n\($0)" } ?? "")
            if s.probability < 1 { label += String(format: "\\np=%.2f", s.probability) }
            out.append("  \(q(s.from.id)) -> \(q(s.to.id)) [label=\"\(label.replacingOccurrences(of: "\"", with: "\\\""))\"];")
        }
        out.append("}")
        return out.joined(separator: "\n") + "\n"
    }
}
