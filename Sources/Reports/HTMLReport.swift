import AttackGraph
import BulwarkModel
import Controls
public import Estate
public import Findings
import Foundation
import Frameworks
import NetworkReach
import Risk

/// Text made safe for HTML and SVG.
enum HTMLText {
    static func escape(_ s: String) -> String {
        var o = ""
        o.reserveCapacity(s.utf8.count)
        for ch in s {
            switch ch {
            case "&": o += "&amp;"
            case "<": o += "&lt;"
            case ">": o += "&gt;"
            case "\"": o += "&quot;"
            case "'": o += "&#39;"
            default: o.append(ch)
            }
        }
        return o
    }
}

/// report.html: one self-contained page that works offline (no script, font or picture fetched),
/// with three views — executive (cybersecurity), technical (IT security), compliance (information
/// security) — and its pictures as inline SVG.
public enum HTMLReport {
    /// `graphviz` lays out a DOT graph as SVG when Graphviz is at hand (nil: it is not, or it
    /// failed); the attack paths are then drawn by `dot`, else by Bulwark's own layout.
    public static func page(estate: String, analysis: EstateAnalysis, manifest: EstateManifest?, toolVersion: String,
                            graphviz: (String) -> String? = { _ in nil }) -> String {
        let e = HTMLText.escape
        var h = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(e(estate)): Bulwark report</title>
        <style>
        body{font-family:system-ui,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
        header{background:#1d2330;color:#fff;padding:1em 2em}header h1{margin:0;font-size:1.4em}
        nav{display:flex;gap:.5em;padding:.6em 2em;background:#e7e9ee}
        nav button{border:0;padding:.5em 1em;border-radius:4px;background:#fff;cursor:pointer;font-size:1em}
        nav button[aria-selected=true]{background:#1d2330;color:#fff}
        section{padding:1em 2em}section[hidden]{display:none}
        .cards{display:flex;gap:1em;flex-wrap:wrap}.card{background:#fff;border-radius:6px;padding:.8em 1.2em;box-shadow:0 1px 2px #0002}
        .card b{display:block;font-size:1.4em}
        table{border-collapse:collapse;background:#fff;margin:.5em 0 1.5em;width:100%}
        th,td{border:1px solid #d9dce3;padding:.3em .5em;font-size:.85em;text-align:left;vertical-align:top}
        th{background:#eef0f4}
        .sev-critical{color:#fff;background:#b2182b}.sev-high{background:#ef8a62}.sev-medium{background:#fddbc7}.sev-low{background:#d1e5f0}.sev-info{background:#f7f7f7}
        .filters{display:flex;gap:1em;align-items:center;margin:.5em 0}
        svg{background:#fff;border-radius:6px;margin:.5em 0;max-width:100%;height:auto}
        code{font-size:.9em}
        </style></head><body>
        <header><h1>\(e(estate))</h1><div>Bulwark \(e(toolVersion)) — \(analysis.findings.count) findings</div></header>
        <nav role="tablist">
        <button role="tab" id="tab-executive" aria-selected="true" data-view="executive">Executive</button>
        <button role="tab" id="tab-technical" aria-selected="false" data-view="technical">Technical</button>
        <button role="tab" id="tab-compliance" aria-selected="false" data-view="compliance">Compliance</button>
        </nav>

        """
        h += executive(analysis, graphviz: graphviz)
        h += technical(analysis, manifest: manifest)
        h += compliance(analysis, manifest: manifest)
        h += """
        <script>
        (function(){
          var tabs=document.querySelectorAll('nav button');
          tabs.forEach(function(b){b.addEventListener('click',function(){
            tabs.forEach(function(t){t.setAttribute('aria-selected',t===b?'true':'false');
              document.getElementById(t.dataset.view).hidden=(t!==b);});});});
          var q=document.getElementById('filter-text'),s=document.getElementById('filter-severity');
          function apply(){var text=q.value.toLowerCase(),sev=s.value;
            document.querySelectorAll('#technical-findings tbody tr').forEach(function(r){
              var ok=(!text||r.textContent.toLowerCase().indexOf(text)>=0)&&(!sev||r.dataset.severity===sev);
              r.hidden=!ok;});}
          q.addEventListener('input',apply);s.addEventListener('change',apply);
        })();
        </script>
        </body></html>

        """
        return h
    }

    // MARK: Executive

    static func executive(_ a: EstateAnalysis, graphviz: (String) -> String?) -> String {
        let e = HTMLText.escape
        let currency = a.register.first?.currency ?? ""
        let formatter = NumberFormatter()
        formatter.numberStyle = .decimal
        formatter.maximumFractionDigits = 0
        func money(_ x: Double) -> String {
            (formatter.string(from: NSNumber(value: x)) ?? String(format: "%.0f", x)) + (currency.isEmpty ? "" : " " + currency)
        }
        let total = a.register.isEmpty ? nil : a.simulation.total
        var h = "<section id=\"executive\" role=\"tabpanel\" aria-labelledby=\"tab-executive\">\n<h2>Executive view — cybersecurity</h2>\n<div class=\"cards\">"
        h += "<div class=\"card\">Annualized loss<b>\(total.map { money($0.mean) } ?? "—")</b></div>"
        h += "<div class=\"card\">1 year in 20 worse than<b>\(total.map { money($0.valueAtRisk95) } ?? "—")</b></div>"
        h += "<div class=\"card\">Critical findings<b>\(a.findings.filter { $0.severity == .critical }.count)</b></div>"
        let reached = a.paths.filter { $0.hops != nil }
        h += "<div class=\"card\">Targets an attacker reaches<b>\(reached.count) of \(a.paths.count)</b></div></div>\n"

        h += "<h3>Top risks</h3>\n<table id=\"top-risks\"><thead><tr><th>scenario</th><th>annualized loss</th><th>VaR 95</th><th>treatment</th><th>owner</th></tr></thead><tbody>\n"
        let stats = Dictionary(a.simulation.scenarios.map { ($0.scenario.identifier, $0.statistics) }, uniquingKeysWith: { x, _ in x })
        for r in a.register.sorted(by: { (stats[$0.scenario.identifier]?.mean ?? 0) > (stats[$1.scenario.identifier]?.mean ?? 0) }) {
            guard let s = stats[r.scenario.identifier] else { continue }
            h += "<tr><td>\(e(r.scenario.name))</td><td>\(money(s.mean))</td><td>\(money(s.valueAtRisk95))</td><td>\(e(r.treatment?.decision.rawValue ?? "open"))</td><td>\(e(r.treatment?.owner ?? ""))</td></tr>\n"
        }
        h += "</tbody></table>\n"
        if !a.registerNotes.isEmpty { h += "<ul class=\"notes\">" + a.registerNotes.map { "<li>\(e($0))</li>" }.joined() + "</ul>\n" }
        if total != nil {
            h += "<h3>Loss exceedance</h3>\n<p>The chance that a year's total loss is above each amount (\(a.simulation.trials) simulated years).</p>\n"
            h += ReportSVG.exceedance(a.simulation.exceedance, currency: currency)
        }
        h += "<h3>What to fix first</h3>\n<table id=\"fix-first\"><thead><tr><th>change</th><th>saves a year</th><th>cost</th><th>frameworks</th></tr></thead><tbody>\n"
        for v in a.proposed.prefix(10) {
            let kind = ControlKind(change: v.kind)
            h += "<tr><td><code>\(e(v.action)) \(e(v.change))</code></td><td>\(money(v.value))</td><td>\(v.cost)</td><td>\(e((kind?.mitigations ?? []).joined(separator: ", "))) \(e((kind?.annexA ?? []).map { "A." + $0 }.joined(separator: ", ")))</td></tr>\n"
        }
        if a.proposed.isEmpty { h += "<tr><td colspan=\"4\">No change on an attack path behind the register.</td></tr>\n" }
        h += "</tbody></table>\n<h3>Attack paths to the crown jewels</h3>\n"
        for p in reached.filter({ $0.target.kind != .principal }).prefix(8) {
            h += "<h4>\(e(p.target.name))</h4>\n"
            let steps = p.mostLikely ?? p.shortest ?? []
            let dot = AttackReport.dot(steps: steps, footholds: steps.first.map { [$0.from] } ?? [], targets: [p.target])
            if let svg = graphviz(dot), let start = svg.range(of: "<svg") {
                h += "<div class=\"attack-path\" data-layout=\"graphviz\">" + svg[start.lowerBound...] + "</div>\n"
            } else {
                h += ReportSVG.path(p)
            }
        }
        if reached.isEmpty { h += "<p>No crown jewel, information asset or Tier Zero object is reachable from the entry points.</p>\n" }
        return h + "</section>\n"
    }

    // MARK: Technical

    static func technical(_ a: EstateAnalysis, manifest: EstateManifest?) -> String {
        let e = HTMLText.escape
        let mine = a.findings.filter { $0.routing.lens == .itSecurity }
            .sorted { ($0.subject, $0.locations.first?.file ?? "", $0.locations.first?.line ?? 0) < ($1.subject, $1.locations.first?.file ?? "", $1.locations.first?.line ?? 0) }
        var h = "<section id=\"technical\" role=\"tabpanel\" aria-labelledby=\"tab-technical\" hidden>\n<h2>Technical view — IT security</h2>\n"
        h += "<p>Findings by device and file, with the line of each rule or scan result.</p>\n"
        h += "<div class=\"filters\"><label>Search <input id=\"filter-text\" type=\"search\" placeholder=\"host, rule, CVE…\"></label>"
        h += "<label>Severity <select id=\"filter-severity\"><option value=\"\">all</option>"
        for s in Severity.allCases.reversed() { h += "<option value=\"\(s.rawValue)\">\(s.rawValue)</option>" }
        h += "</select></label></div>\n"
        h += "<table id=\"technical-findings\"><thead><tr><th>device</th><th>severity</th><th>finding</th><th>file:line</th><th>fix</th><th>owner</th></tr></thead><tbody>\n"
        for f in mine {
            let place = f.locations.first.map { "\($0.file):\($0.line)" } ?? ""
            h += "<tr data-severity=\"\(f.severity.rawValue)\"><td>\(e(f.subject))</td><td class=\"sev-\(f.severity.rawValue)\">\(f.severity.rawValue)</td>"
            h += "<td><b>\(e(f.rule))</b> \(e(f.title))<br>\(e(f.message))</td><td><code>\(e(place))</code></td><td>\(e(f.fix))</td><td>\(e(f.routing.role.rawValue))</td></tr>\n"
        }
        if mine.isEmpty { h += "<tr><td colspan=\"6\">No finding.</td></tr>\n" }
        h += "</tbody></table>\n"
        if let manifest, !manifest.zones.isEmpty {
            h += "<h3>The network: zones and the firewalls between them</h3>\n" + ReportSVG.network(manifest)
        }
        if let m = a.matrix {
            h += "<h3>Reachability between zones (any new connection)</h3>\n" + ReportSVG.heatMap(m)
        }
        return h + "</section>\n"
    }

    // MARK: Compliance

    static func compliance(_ a: EstateAnalysis, manifest: EstateManifest?) -> String {
        let e = HTMLText.escape
        var h = "<section id=\"compliance\" role=\"tabpanel\" aria-labelledby=\"tab-compliance\" hidden>\n<h2>Compliance view — information security</h2>\n"
        h += "<h3>Information assets</h3>\n<table id=\"assets\"><thead><tr><th>asset</th><th>classification</th><th>confidentiality</th><th>integrity</th><th>availability</th><th>held on</th></tr></thead><tbody>\n"
        for asset in manifest?.informationAssets ?? [] {
            h += "<tr><td>\(e(asset.name))</td><td>\(asset.classification.rawValue)</td><td>\(asset.cia.confidentiality.rawValue)</td><td>\(asset.cia.integrity.rawValue)</td><td>\(asset.cia.availability.rawValue)</td><td>\(e(asset.hosts.joined(separator: ", ")))</td></tr>\n"
        }
        if manifest?.informationAssets.isEmpty ?? true { h += "<tr><td colspan=\"6\">The manifest names no information asset.</td></tr>\n" }
        h += "</tbody></table>\n"
        let soa = a.statementOfApplicability
        let applicable = soa.filter(\.applicable)
        h += "<h3>Statement of Applicability (ISO/IEC 27001:2022 Annex A)</h3>\n<p>\(applicable.count) of \(soa.count) applicable; implemented: "
        h += Implementation.allCases.map { i in "\(applicable.filter { $0.implemented == i }.count) \(i.rawValue)" }.joined(separator: ", ") + ". Titles are Bulwark's own.</p>\n"
        h += "<table id=\"soa\"><thead><tr><th>control</th><th>applicable</th><th>implemented</th><th>justification</th><th>evidence</th></tr></thead><tbody>\n"
        for s in soa {
            h += "<tr><td>A.\(e(s.id)) \(e(s.title))</td><td>\(s.applicable ? "yes" : "no")</td><td>\(s.implemented.rawValue)</td><td>\(e(([s.justification] + s.notes).joined(separator: " ")))</td><td>\(e(s.evidence.prefix(3).joined(separator: "; ")))</td></tr>\n"
        }
        h += "</tbody></table>\n"
        let csf = a.csfCoverage
        h += "<h3>NIST CSF 2.0 coverage</h3>\n<table id=\"csf\"><thead><tr><th>function</th><th>subcategories</th><th>yes</th><th>partial</th><th>no</th><th>unknown</th></tr></thead><tbody>\n"
        for f in CSF.bundled.functions {
            let lines = csf.filter { $0.id.hasPrefix(f.id + ".") }
            h += "<tr><td>\(e(f.id)) \(e(f.text))</td><td>\(lines.count)</td>"
            for i in Implementation.allCases { h += "<td>\(lines.filter { $0.implemented == i }.count)</td>" }
            h += "</tr>\n"
        }
        return h + "</tbody></table>\n</section>\n"
    }
}
