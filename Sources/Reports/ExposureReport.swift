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
        public var exposure: PrincipalExposure
        public var diagnostics: [Diagnostic]

        public init(estate: String?, graph: IdentityGraph, exposure: PrincipalExposure, diagnostics: [Diagnostic] = []) {
            self.estate = estate
            self.graph = graph
            self.exposure = exposure
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
            w.key("exact"); w.bool(input.exposure.exact)
            w.key("notes"); w.array { w in for n in input.exposure.notes { w.string(n) } }
            w.key("exposure_percent"); if let p = share.percent { w.double(p) } else { w.null() }
            w.key("exposed"); w.int(share.exposed)
            w.key("eligible"); w.int(share.eligible)
            w.key("tier_zero"); w.int(g.tierZero.count)
            w.key("principals")
            w.array { w in
                for k in 0..<g.principalCount {
                    let p = g.principals[k]
                    let e = input.exposure
                    w.object { w in
                        w.key("id"); w.string(p.id)
                        w.key("name"); w.string(p.name)
                        w.key("kind"); w.string(p.kind.name)
                        w.key("hops_to_tier_zero"); if e.hops[k] >= 0 { w.int(Int(e.hops[k])) } else { w.null() }
                        w.key("next")
                        if let n = e.next[k] {
                            w.object { w in
                                w.key("id"); w.string(n.id)
                                w.key("edge"); w.string(n.edge)
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
        let e = input.exposure
        let share = e.exposure(in: g)
        var out: [String] = []
        out.append("Exposure to Tier Zero\(input.estate.map { " — \($0)" } ?? "")")
        if let p = share.percent {
            out.append(String(format: "  %.1f%% of enabled users and computers (%d of %d, Tier Zero left out) have a path to Tier Zero", p, share.exposed, share.eligible))
        } else {
            out.append("  no enabled users or computers outside Tier Zero")
        }
        let tierZero = e.hops.filter { $0 == 0 }.count, others = e.hops.filter { $0 > 0 }.count
        out.append("  \(tierZero) Tier Zero principals; \(others) others with a path; \(g.principalCount - tierZero - others) with none")
        for n in e.notes { out.append("  note: \(n)") }
        var histogram: [Int: Int] = [:]
        for d in e.hops where d > 0 { histogram[Int(d), default: 0] += 1 }
        if !histogram.isEmpty {
            out.append("")
            out.append("Principals by hops to Tier Zero")
            for (h, c) in histogram.sorted(by: { $0.key < $1.key }) { out.append("  \(h): \(c)") }
        }
        let closest = (0..<g.principalCount).filter { k in
            let p = g.principals[k]
            return e.hops[k] > 0 && p.collected && (p.kind == .user || p.kind == .computer) && p.enabled != false
        }.sorted { (e.hops[$0], $0) < (e.hops[$1], $1) }.prefix(limit)
        if !closest.isEmpty {
            out.append("")
            out.append("Closest users and computers, one shortest path each")
            for k in closest {
                out.append("  \(label(g.principals[k])) — \(e.hops[k]) hop\(e.hops[k] == 1 ? "" : "s")")
                out.append("    " + e.witness(Int32(k)))
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    static func label(_ p: Principal) -> String { p.name.isEmpty ? p.id : p.name }
}
