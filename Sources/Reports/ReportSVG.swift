import AttackGraph
import Estate
import Foundation
import NetworkReach

/// The report's pictures, drawn as SVG by Bulwark itself (no Graphviz needed): the loss-exceedance
/// curve, one attack path as a chain, and the zone-to-zone reachability heat-map.
enum ReportSVG {
    /// P(a year's loss > x) against x on a log scale.
    static func exceedance(_ points: [(loss: Double, probability: Double)], currency: String) -> String {
        let shown = points.filter { $0.loss > 0 }
        guard let first = shown.first, let last = shown.last, last.loss > first.loss else { return "<p>Too few simulated losses to draw.</p>\n" }
        let (w, h, left, bottom, top, right) = (640.0, 320.0, 70.0, 40.0, 20.0, 20.0)
        let (a, b) = (log10(first.loss), log10(last.loss))
        func x(_ loss: Double) -> Double { left + (log10(loss) - a) / (b - a) * (w - left - right) }
        func y(_ p: Double) -> Double { top + (1 - p) * (h - top - bottom) }
        var s = "<svg id=\"loss-exceedance\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(w))\" height=\"\(Int(h))\" viewBox=\"0 0 \(Int(w)) \(Int(h))\" role=\"img\" aria-label=\"Loss exceedance curve\">"
        s += "<line x1=\"\(left)\" y1=\"\(h - bottom)\" x2=\"\(w - right)\" y2=\"\(h - bottom)\" stroke=\"#333\"/><line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(h - bottom)\" stroke=\"#333\"/>"
        for p in [0.0, 0.25, 0.5, 0.75, 1.0] {
            s += "<text x=\"\(left - 6)\" y=\"\(y(p) + 4)\" font-size=\"11\" text-anchor=\"end\">\(Int(p * 100))%</text>"
            s += "<line x1=\"\(left)\" y1=\"\(y(p))\" x2=\"\(w - right)\" y2=\"\(y(p))\" stroke=\"#eee\"/>"
        }
        var decade = floor(a)
        while decade <= ceil(b) {
            let v = pow(10, decade)
            if v >= first.loss && v <= last.loss {
                s += "<text x=\"\(x(v))\" y=\"\(h - bottom + 16)\" font-size=\"11\" text-anchor=\"middle\">\(Self.short(v))</text>"
            }
            decade += 1
        }
        s += "<text x=\"\((w + left) / 2)\" y=\"\(h - 6)\" font-size=\"12\" text-anchor=\"middle\">a year's total loss\(currency.isEmpty ? "" : " (" + currency + ")")</text>"
        let d = shown.map { String(format: "%.1f,%.1f", x($0.loss), y($0.probability)) }.joined(separator: " L")
        s += "<path d=\"M\(d)\" fill=\"none\" stroke=\"#b2182b\" stroke-width=\"2\"/></svg>\n"
        return s
    }

    static func short(_ v: Double) -> String {
        switch v {
        case 1e9...: String(format: "%gG", v / 1e9)
        case 1e6...: String(format: "%gM", v / 1e6)
        case 1e3...: String(format: "%gk", v / 1e3)
        default: String(format: "%g", v)
        }
    }

    /// The most likely way to a target, left to right: a box per foothold, an arrow per step with
    /// its kind and probability.
    static func path(_ answer: PathAnswer) -> String {
        let steps = answer.mostLikely ?? answer.shortest ?? []
        let nodes = (steps.first.map { [$0.from.name] } ?? [answer.target.name]) + steps.map(\.to.name)
        let (boxW, gap, h) = (150.0, 70.0, 90.0)
        let w = Double(nodes.count) * boxW + Double(max(0, nodes.count - 1)) * gap + 20
        func clip(_ s: String) -> String { s.count > 22 ? String(s.prefix(21)) + "…" : s }
        var s = "<svg class=\"attack-path\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(w))\" height=\"\(Int(h))\" viewBox=\"0 0 \(Int(w)) \(Int(h))\" role=\"img\" aria-label=\"Attack path to \(HTMLText.escape(answer.target.name))\">"
        for (k, n) in nodes.enumerated() {
            let x = 10 + Double(k) * (boxW + gap)
            let last = k == nodes.count - 1
            s += "<rect x=\"\(x)\" y=\"30\" width=\"\(boxW)\" height=\"34\" rx=\"5\" fill=\"\(last ? "#b2182b" : "#e7e9ee")\" stroke=\"#555\"/>"
            s += "<text x=\"\(x + boxW / 2)\" y=\"52\" font-size=\"11\" text-anchor=\"middle\" fill=\"\(last ? "#fff" : "#1d2330")\"><title>\(HTMLText.escape(n))</title>\(HTMLText.escape(clip(n)))</text>"
            if k < steps.count {
                let x1 = x + boxW, x2 = x + boxW + gap
                s += "<line x1=\"\(x1)\" y1=\"47\" x2=\"\(x2 - 6)\" y2=\"47\" stroke=\"#333\" stroke-width=\"1.5\"/><polygon points=\"\(x2 - 6),42 \(x2),47 \(x2 - 6),52\" fill=\"#333\"/>"
                let st = steps[k]
                s += "<text x=\"\((x1 + x2) / 2)\" y=\"24\" font-size=\"10\" text-anchor=\"middle\">\(HTMLText.escape(clip(st.step)))</text>"
                s += "<text x=\"\((x1 + x2) / 2)\" y=\"80\" font-size=\"10\" text-anchor=\"middle\">\(HTMLText.escape(st.technique ?? "")) p \(String(format: "%.2g", st.probability))</text>"
            }
        }
        return s + "</svg>\n"
    }

    /// Rows from, columns to: red every connection, amber some, green none; a dashed border marks
    /// an inexact answer.
    static func heatMap(_ m: ReachMatrix) -> String {
        let zones = m.zones
        var byPair: [String: ReachCell] = [:]
        for c in m.cells { byPair[c.from + "\u{0}" + c.to] = c }
        let cell = 22.0, label = 120.0
        let size = label + Double(zones.count) * cell + 10
        var s = "<svg id=\"reachability-heat-map\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(size))\" height=\"\(Int(size))\" viewBox=\"0 0 \(Int(size)) \(Int(size))\" role=\"img\" aria-label=\"Reachability heat-map\">"
        for (i, z) in zones.enumerated() {
            let p = label + Double(i) * cell + cell / 2
            s += "<text x=\"\(label - 4)\" y=\"\(p + 4)\" font-size=\"10\" text-anchor=\"end\">\(HTMLText.escape(z))</text>"
            s += "<text transform=\"translate(\(p + 4),\(label - 4)) rotate(-90)\" font-size=\"10\">\(HTMLText.escape(z))</text>"
        }
        for (i, from) in zones.enumerated() {
            for (j, to) in zones.enumerated() {
                let x = label + Double(j) * cell, y = label + Double(i) * cell
                guard let c = byPair[from + "\u{0}" + to] else {
                    s += "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(cell)\" height=\"\(cell)\" fill=\"#eee\" stroke=\"#fff\"/>"
                    continue
                }
                let color = c.reach == .all ? "#d73027" : (c.reach == .some ? "#fdae61" : "#a6d96a")
                s += "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(cell)\" height=\"\(cell)\" fill=\"\(color)\" stroke=\"\(c.exact ? "#fff" : "#333")\"\(c.exact ? "" : " stroke-dasharray=\"3,2\"")><title>\(HTMLText.escape("\(from) → \(to): \(c.reach.rawValue)"))</title></rect>"
            }
        }
        return s + "</svg>\n"
    }

    /// The estate's network: zones on a circle (coloured by trust), each network or cloud firewall
    /// at the middle of the zones it joins, a line to each; host firewalls are listed under their host.
    static func network(_ m: EstateManifest) -> String {
        let zones = m.zones
        guard !zones.isEmpty else { return "" }
        let (w, h) = (760.0, 520.0), (cx, cy) = (380.0, 260.0), radius = 200.0
        var at: [String: (x: Double, y: Double)] = [:]
        for (k, z) in zones.enumerated() {
            let angle = 2 * Double.pi * Double(k) / Double(zones.count) - Double.pi / 2
            at[z.name] = (cx + radius * cos(angle), cy + radius * sin(angle))
        }
        func fill(_ t: EstateManifest.TrustLevel) -> String {
            switch t {
            case .untrusted: "#f4a582"
            case .low: "#fddbc7"
            case .medium: "#d1e5f0"
            case .high: "#92c5de"
            }
        }
        var lines = "", boxes = "", walls = ""
        for fw in m.firewalls {
            let faced: [String]
            switch fw.placement {
            case .network(let interfaces): faced = Array(Set(interfaces.map(\.zone))).sorted()
            case .cloud(let subnets): faced = Array(Set(subnets.map(\.zone))).sorted()
            case .host: continue
            }
            let points = faced.compactMap { at[$0] }
            guard !points.isEmpty else { continue }
            let x = points.map(\.x).reduce(0, +) / Double(points.count) * 0.6 + cx * 0.4
            let y = points.map(\.y).reduce(0, +) / Double(points.count) * 0.6 + cy * 0.4
            for p in points { lines += "<line x1=\"\(x)\" y1=\"\(y)\" x2=\"\(p.x)\" y2=\"\(p.y)\" stroke=\"#888\"/>" }
            walls += "<rect x=\"\(x - 40)\" y=\"\(y - 12)\" width=\"80\" height=\"24\" rx=\"4\" fill=\"#1d2330\"/>"
            walls += "<text x=\"\(x)\" y=\"\(y + 4)\" font-size=\"10\" fill=\"#fff\" text-anchor=\"middle\"><title>\(HTMLText.escape(fw.name)) (\(fw.placement.kind))</title>\(HTMLText.escape(String(fw.name.prefix(12))))</text>"
        }
        for z in zones {
            guard let p = at[z.name] else { continue }
            let hosts = m.hosts.filter { $0.zone == z.name }.map(\.name)
            boxes += "<rect x=\"\(p.x - 55)\" y=\"\(p.y - 18)\" width=\"110\" height=\"36\" rx=\"6\" fill=\"\(fill(z.trust))\" stroke=\"#555\"/>"
            boxes += "<text x=\"\(p.x)\" y=\"\(p.y - 2)\" font-size=\"11\" text-anchor=\"middle\"><title>\(HTMLText.escape(z.name)): \(z.kind.rawValue), trust \(z.trust.rawValue)\(hosts.isEmpty ? "" : "; " + HTMLText.escape(hosts.joined(separator: ", ")))</title>\(HTMLText.escape(String(z.name.prefix(16))))</text>"
            boxes += "<text x=\"\(p.x)\" y=\"\(p.y + 12)\" font-size=\"9\" text-anchor=\"middle\">\(hosts.count) host(s), \(z.trust.rawValue)</text>"
        }
        return "<svg id=\"network-map\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(w))\" height=\"\(Int(h))\" viewBox=\"0 0 \(Int(w)) \(Int(h))\" role=\"img\" aria-label=\"Zones and firewalls\">"
            + lines + walls + boxes + "</svg>\n"
    }
}
