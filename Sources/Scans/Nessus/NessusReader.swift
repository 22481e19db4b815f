import BulwarkModel

/// Reads Nessus v2 exports (`.nessus`) as a stream.
///
/// The `<Policy>` block, most of a typical file, is skipped without making strings (its
/// `policyName` is kept). Each `<ReportHost>` is read whole and handed over before the next one
/// is read, so memory is bounded by the largest host, not the file. Values that are present but
/// malformed (a severity of 7, a port that is not a number, a date that is not `YYYY/MM/DD`, a
/// score outside 0–10) become diagnostics with the file, line and column and the expected form;
/// the item is kept with that value missing. A file that is not XML, not well-formed, uses DTD
/// entities or has another root element throws a ``ScanError``.
public struct NessusReader: Sendable {
    public var limits: XMLLimits

    public init(limits: XMLLimits = XMLLimits()) {
        self.limits = limits
    }

    /// Reads the file at `path`, keeping every host.
    public func read(path: String) throws(ScanError) -> NessusReport {
        try read(XMLPullReader(path: path, limits: limits))
    }

    /// Reads `bytes`; `file` names the input in diagnostics and errors.
    public func read(bytes: some Collection<UInt8>, file: String) throws(ScanError) -> NessusReport {
        try read(XMLPullReader(bytes: bytes, file: file, limits: limits))
    }

    /// Reads the file at `path` and hands each host to `onHost` as soon as it is read. The
    /// returned report has no hosts, only their counts and the scan times.
    public func read(path: String, onHost: (NessusHost) -> Void) throws(ScanError) -> NessusReport {
        try read(XMLPullReader(path: path, limits: limits), onHost: onHost)
    }

    /// Reads from `reader` (positioned at the start of its input), keeping every host.
    public func read(_ reader: XMLPullReader) throws(ScanError) -> NessusReport {
        var hosts: [NessusHost] = []
        var report = try read(reader) { hosts.append($0) }
        report.hosts = hosts
        return report
    }

    /// Reads from `reader`, handing each host to `onHost`.
    public func read(_ reader: XMLPullReader, onHost: (NessusHost) -> Void) throws(ScanError) -> NessusReport {
        try NessusParser(reader).report(onHost: onHost)
    }
}

final class NessusParser {
    let x: XMLPullReader
    var values: ValueReader

    init(_ reader: XMLPullReader) {
        x = reader
        values = ValueReader(file: reader.file)
    }

    func report(onHost: (NessusHost) -> Void) throws(ScanError) -> NessusReport {
        let root = try x.rootElement()
        guard root.name == "NessusClientData_v2" else {
            if root.name == "NessusClientData" {
                throw x.wrongFormat(root, "Nessus v1 (<NessusClientData>) is not read: expected a Nessus v2 export (root element <NessusClientData_v2>)")
            }
            throw x.wrongFormat(root, "expected a Nessus v2 export (root element <NessusClientData_v2>), found <\(root.name)>")
        }
        var report = NessusReport()
        try x.forEachChild { (e: XMLStartElement) throws(ScanError) in
            switch e.name {
            case "Policy":
                // Only the name is read; the preferences and plugin selections are skipped.
                try x.forEachChild { (p: XMLStartElement) throws(ScanError) in
                    if p.name == "policyName" { report.policyName = try x.readText().trimmed }
                }
            case "Report":
                report.name = e["name"]
                try x.forEachChild { (h: XMLStartElement) throws(ScanError) in
                    guard h.name == "ReportHost" else { values.log.unknownElement(h, in: "Report"); return }
                    let host = try self.host(h)
                    report.hostCount += 1
                    report.itemCount += host.items.count
                    if let t = host.startTime { report.scanStart = min(report.scanStart ?? t, t) }
                    if let t = host.endTime { report.scanEnd = max(report.scanEnd ?? t, t) }
                    onHost(host)
                }
            default:
                values.log.unknownElement(e, in: root.name)
            }
        }
        let end = x.position
        try x.finish()
        report.diagnostics = values.log.finished(at: end)
        return report
    }

    func host(_ e: XMLStartElement) throws(ScanError) -> NessusHost {
        if e["name"] == nil { values.log.add(.warning, e.position, "<ReportHost> without name: expected the scanned target") }
        var host = NessusHost(name: e["name"] ?? "", location: x.location(e.position))
        var timePositions: [String: XMLPosition] = [:]
        try x.forEachChild { (c: XMLStartElement) throws(ScanError) in
            switch c.name {
            case "HostProperties":
                try x.forEachChild { (t: XMLStartElement) throws(ScanError) in
                    guard t.name == "tag" else { values.log.unknownElement(t, in: "HostProperties"); return }
                    guard let name = t["name"] else {
                        values.log.add(.warning, t.position, "<tag> without name: expected a host property name; skipped")
                        return
                    }
                    host.properties[name] = try x.readText().trimmed
                    if name.hasPrefix("HOST_") { timePositions[name] = t.position }
                }
            case "ReportItem":
                host.items.append(try item(c))
            default:
                values.log.unknownElement(c, in: "ReportHost")
            }
        }
        host.startTime = time(host, "HOST_START", timePositions)
        host.endTime = time(host, "HOST_END", timePositions)
        return host
    }

    /// HOST_START_TIMESTAMP (epoch seconds) if present and valid, else HOST_START as a
    /// ctime-style date read as UTC.
    func time(_ host: NessusHost, _ key: String, _ positions: [String: XMLPosition]) -> Int? {
        let at = { (k: String) in positions[k] ?? XMLPosition(line: host.location.line, column: host.location.column ?? 1) }
        if let raw = host.properties[key + "_TIMESTAMP"],
           let t = values.int(raw, 0...Int.max, at: at(key + "_TIMESTAMP"), what: "\(key)_TIMESTAMP \"\(ValueReader.shown(raw))\"",
                              expected: "a Unix time in seconds") {
            return t
        }
        guard let text = host.properties[key], !text.isEmpty else { return nil }
        if let t = ScanTime.ctime(text) { return t }
        values.log.add(.warning, at(key), "\(key) \"\(ValueReader.shown(text))\": expected a date like \"Wed Mar 23 14:31:51 2022\"")
        return nil
    }

    func item(_ e: XMLStartElement) throws(ScanError) -> NessusItem {
        var severity: NessusSeverity?
        let rawSeverity = e["severity"]
        if let rawSeverity, let v = Int(rawSeverity.trimmed) { severity = NessusSeverity(rawValue: v) }
        var item = NessusItem(
            location: x.location(e.position),
            port: values.int(e, "port", 0...65535, expected: "a port number 0–65535 (0 for host-level findings)"),
            serviceName: e["svc_name"] ?? "", protocol: e["protocol"] ?? "", severity: severity,
            pluginID: values.int(e, "pluginID", 0...Int.max, expected: "a numeric plugin ID"),
            pluginName: e["pluginName"] ?? "", pluginFamily: e["pluginFamily"] ?? "")
        if e["port"] == nil { values.log.add(.warning, e.position, "<ReportItem> without port: expected a port number 0–65535") }
        if e["pluginID"] == nil { values.log.add(.warning, e.position, "<ReportItem> without pluginID: expected a numeric plugin ID") }
        try x.forEachChild { (c: XMLStartElement) throws(ScanError) in
            let name = c.name
            let text = try x.readText().trimmed
            switch name {
            case "cve": if !text.isEmpty { item.cves.append(text) }
            case "bid": if !text.isEmpty { item.bids.append(text) }
            case "cwe": if !text.isEmpty { item.cwes.append(text) }
            case "xref": if !text.isEmpty { item.xrefs.append(text) }
            case "see_also":
                item.seeAlso += text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).map(\.trimmed).filter { !$0.isEmpty }
            case "cvss_vector": item.cvssVector = nonEmpty(text)
            case "cvss_base_score": item.cvssBaseScore = score(text, c)
            case "cvss_temporal_vector": item.cvssTemporalVector = nonEmpty(text)
            case "cvss_temporal_score": item.cvssTemporalScore = score(text, c)
            case "cvss3_vector": item.cvss3Vector = nonEmpty(text)
            case "cvss3_base_score": item.cvss3BaseScore = score(text, c)
            case "cvss3_temporal_vector": item.cvss3TemporalVector = nonEmpty(text)
            case "cvss3_temporal_score": item.cvss3TemporalScore = score(text, c)
            case "cvss4_vector": item.cvss4Vector = nonEmpty(text)
            case "cvss4_base_score": item.cvss4BaseScore = score(text, c)
            case "exploit_available":
                switch text.lowercased() {
                case "true": item.exploitAvailable = true
                case "false": item.exploitAvailable = false
                default: values.log.add(.warning, c.position, "<exploit_available> \"\(ValueReader.shown(text))\": expected true or false")
                }
            case "exploitability_ease": item.exploitabilityEase = nonEmpty(text)
            case "patch_publication_date": item.patchPublicationDate = date(text, c)
            case "vuln_publication_date": item.vulnPublicationDate = date(text, c)
            case "plugin_publication_date": item.pluginPublicationDate = date(text, c)
            case "plugin_modification_date": item.pluginModificationDate = date(text, c)
            case "risk_factor": item.riskFactor = nonEmpty(text)
            case "synopsis": item.synopsis = text
            case "description": item.description = text
            case "solution": item.solution = text
            case "plugin_output": item.pluginOutput = text
            default:
                if name.hasPrefix("exploit_framework_") {
                    item.exploitFrameworks[String(name.dropFirst("exploit_framework_".count))] = text
                } else {
                    item.otherFields[name, default: []].append(text)
                }
            }
        }
        if severity == nil {
            let fallback = item.riskFactor.flatMap(NessusSeverity.init(riskFactor:))
            let what = rawSeverity.map { "<ReportItem severity=\"\(ValueReader.shown($0))\">" } ?? "<ReportItem> without severity"
            let outcome = fallback.map { "; using risk_factor \(item.riskFactor ?? "") (\($0))" } ?? "; the severity is unknown"
            values.log.add(.warning, e.position, "\(what): expected a severity 0–4 (0 info … 4 critical)\(outcome)")
            item.severity = fallback
        }
        return item
    }

    private func nonEmpty(_ s: String) -> String? { s.isEmpty ? nil : s }

    private func score(_ text: String, _ e: XMLStartElement) -> Double? {
        guard !text.isEmpty else { return nil }
        return values.double(text, 0...10, at: e.position, what: "<\(e.name)> \"\(ValueReader.shown(text))\"", expected: "a score 0.0–10.0")
    }

    private func date(_ text: String, _ e: XMLStartElement) -> ScanDate? {
        guard !text.isEmpty else { return nil }
        if let d = ScanDate(text) { return d }
        values.log.add(.warning, e.position, "<\(e.name)> \"\(ValueReader.shown(text))\": expected a date YYYY/MM/DD")
        return nil
    }
}
