public import AttackGraph
public import BulwarkModel
import Foundation
public import Identity

/// `bulwark exposure`: every principal's distance to Tier Zero with a witness, and the share of
/// users and computers exposed. The JSON contract is docs/schema/exposure.md.
public enum ExposureReport {
    public static let schemaVersion = "1.0.0"

    /// What the report is about.
    public struct Input {
        public var estate: String?
        public var graph: IdentityGraph
        public var exposure: TierZeroExposure
        /// Where the distances are exact, and why not where they are not.
        public var exact: Bool
        public var notes: [String]
        public var diagnostics: [Diagnostic]

        public init(estate: String?, graph: IdentityGraph, exposure: TierZeroExposure, exact: Bool = true, notes: [String] = [], diagnostics: [Diagnostic] = []) {
            self.estate = estate
            self.graph = graph
            self.exposure = exposure
            self.exact = exact
            self.notes = notes
            self.diagnostics = diagnostics
        }
    }

    /// The JSON, streamed through `sink` in pieces of about a megabyte. Each principal names the
    /// next principal of one shortest path to Tier Zero and the edge to it, so following `next`
    /// from any principal walks a witness path.
    public static func writeJSON(_ input: Input, toolVersion: String, sink: ([UInt8]) -> Void) {
        let g = input.graph
        let share = input.exposure.exposure(in: g)
        var w = JSONWriter()
        w.object { w in
            ReportJSON.header(&w, schemaVersion: schemaVersion, estate: input.estate, toolVersion: toolVersion)
            w.key("exact"); w.bool(input.exact)
            w.key("notes"); w.array { w in for n in input.notes { w.string(n) } }
            w.key("exposure_percent"); if let p = share.percent { w.double(p) } else { w.null() }
            w.key("exposed"); w.int(share.exposed)
            w.key("eligible"); w.int(share.eligible)
            w.key("tier_zero"); w.int(g.tierZero.count)
            w.key("principals")
            w.array { w in
                for k in 0..<g.principalCount {
                    let p = g.principals[k]
                    let search = input.exposure.search
                    w.object { w in
                        w.key("id"); w.string(p.id)
                        w.key("name"); w.string(p.name)
                        w.key("kind"); w.string(p.kind.name)
                        w.key("hops_to_tier_zero"); if let h = search.hops(Int32(k)) { w.int(h) } else { w.null() }
                        w.key("next")
                        let e = Int(search.edges[k])
                        if e >= 0 {
                            w.object { w in
                                w.key("id"); w.string(g[g.edgeTargets[e]].id)
                                w.key("edge"); w.string(g.edgeKinds[e].name)
                            }
                        } else {
                            w.null()
                        }
                    }
                    w.drain(into: sink)
                }
            }
            w.key("diagnostics"); ReportJSON.diagnostics(input.diagnostics, into: &w)
        }
        sink(w.bytes + [0x0A])
    }

    /// A summary: the exposure, how many principals sit at each distance, and the witness paths of
    /// the closest enabled users and computers (`limit` of them).
    public static func text(_ input: Input, limit: Int = 10) -> String {
        let g = input.graph
        let search = input.exposure.search
        let share = input.exposure.exposure(in: g)
        var out: [String] = []
        out.append("Exposure to Tier Zero\(input.estate.map { " — \($0)" } ?? "")")
        if let p = share.percent {
            out.append(String(format: "  %.1f%% of enabled users and computers (%d of %d, Tier Zero left out) have a path to Tier Zero", p, share.exposed, share.eligible))
        } else {
            out.append("  no enabled users or computers outside Tier Zero")
        }
        out.append("  \(g.tierZero.count) Tier Zero principals; \(search.order.count - g.tierZero.count) others with a path; \(g.principalCount - search.order.count) with none")
        for n in input.notes { out.append("  note: \(n)") }
        var histogram: [Int: Int] = [:]
        for d in search.distances where d > 0 { histogram[Int(d), default: 0] += 1 }
        if !histogram.isEmpty {
            out.append("")
            out.append("Principals by hops to Tier Zero")
            for (h, c) in histogram.sorted(by: { $0.key < $1.key }) { out.append("  \(h): \(c)") }
        }
        let closest = search.order.lazy.filter { k in
            let p = g.principals[Int(k)]
            return search.distances[Int(k)] > 0 && p.collected && (p.kind == .user || p.kind == .computer) && p.enabled != false
        }.prefix(limit)
        if !closest.isEmpty {
            out.append("")
            out.append("Closest users and computers, one shortest path each")
            for k in closest {
                out.append("  \(label(g[k])) — \(search.distances[Int(k)]) hop\(search.distances[Int(k)] == 1 ? "" : "s")")
                out.append("    " + pathText(search.path(k, in: g), in: g))
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// `A -MemberOf-> B -GenericAll-> C`.
    static func pathText(_ edges: [Int], in g: IdentityGraph) -> String {
        guard let first = edges.first else { return "" }
        var s = label(g[g.edgeSources[first]])
        for e in edges { s += " -\(g.edgeKinds[e].name)-> " + label(g[g.edgeTargets[e]]) }
        return s
    }

    static func label(_ p: Principal) -> String { p.name.isEmpty ? p.id : p.name }
}
