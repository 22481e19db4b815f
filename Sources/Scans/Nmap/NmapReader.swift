import BulwarkModel

/// Reads nmap XML output (`nmap -oX`, xmloutputversion 1.03 to 1.05) into an ``NmapScan``.
///
/// The file is read as a stream through ``XMLPullReader`` (no DTD, no entities, bounded). Values
/// that are present but malformed (a port number that is not a number, an accuracy that is not a
/// percentage) become diagnostics with the file, line and column and the expected form; a port
/// without a usable number is skipped, other elements are kept with that value missing. Elements
/// the reader does not model are skipped, with one note per element name; the timing and
/// progress elements (`taskbegin`, `tcpsequence`, …) are skipped silently.
public struct NmapReader: Sendable {
    public var limits: XMLLimits

    public init(limits: XMLLimits = XMLLimits()) {
        self.limits = limits
    }

    /// Reads the file at `path`, keeping every host.
    public func read(path: String) throws(ScanError) -> NmapScan {
        try read(XMLPullReader(path: path, limits: limits))
    }

    /// Reads `bytes`; `file` names the input in diagnostics and errors.
    public func read(bytes: some Collection<UInt8>, file: String) throws(ScanError) -> NmapScan {
        try read(XMLPullReader(bytes: bytes, file: file, limits: limits))
    }

    /// Reads the file at `path` and hands each host to `onHost` as soon as it is read; the
    /// returned scan has no hosts (but counts them), so memory stays bounded by one host.
    public func read(path: String, onHost: (NmapHost) -> Void) throws(ScanError) -> NmapScan {
        try read(XMLPullReader(path: path, limits: limits), onHost: onHost)
    }

    /// Reads from `reader`, which must be positioned at the start of its input.
    public func read(_ reader: XMLPullReader) throws(ScanError) -> NmapScan {
        var hosts: [NmapHost] = []
        var scan = try read(reader) { hosts.append($0) }
        scan.hosts = hosts
        return scan
    }

    /// Reads from `reader`, handing each host to `onHost`.
    public func read(_ reader: XMLPullReader, onHost: (NmapHost) -> Void) throws(ScanError) -> NmapScan {
        let parser = NmapParser(reader)
        return try parser.scan(onHost: onHost)
    }
}

final class NmapParser {
    let x: XMLPullReader
    var values: ValueReader

    init(_ reader: XMLPullReader) {
        x = reader
        values = ValueReader(file: reader.file)
    }

    func scan(onHost: (NmapHost) -> Void) throws(ScanError) -> NmapScan {
        let root = try x.rootElement()
        guard root.name == "nmaprun" else {
            throw x.wrongFormat(root, "expected nmap XML output (root element <nmaprun>), found <\(root.name)>")
        }
        var scan = NmapScan()
        scan.scanner = values.string(root, "scanner")
        scan.version = values.string(root, "version")
        scan.arguments = values.string(root, "args")
        scan.startTime = values.int(root, "start", expected: "a Unix time in seconds")
        scan.startText = values.string(root, "startstr")
        scan.xmlOutputVersion = values.string(root, "xmloutputversion")
        try x.forEachChild { (e: XMLStartElement) throws(ScanError) in
            switch e.name {
            case "host":
                onHost(try host(e))
                scan.hostCount += 1
            case "scaninfo":
                scan.scanInfo.append(NmapScanInfo(
                    type: e["type"] ?? "", protocol: e["protocol"] ?? "",
                    serviceCount: values.int(e, "numservices", 0...Int.max, expected: "a count of services"),
                    services: e["services"] ?? ""))
            case "prescript":
                scan.preScripts += try scripts(in: e)
            case "postscript":
                scan.postScripts += try scripts(in: e)
            case "runstats":
                try x.forEachChild { (s: XMLStartElement) throws(ScanError) in
                    switch s.name {
                    case "finished":
                        scan.finishedTime = values.int(s, "time", expected: "a Unix time in seconds")
                        scan.finishedText = values.string(s, "timestr")
                        scan.elapsedSeconds = values.double(s, "elapsed", expected: "a number of seconds")
                        scan.summary = values.string(s, "summary")
                        scan.exitStatus = values.string(s, "exit")
                        scan.errorMessage = values.string(s, "errormsg")
                    case "hosts":
                        let up = values.int(s, "up", 0...Int.max, expected: "a host count")
                        let down = values.int(s, "down", 0...Int.max, expected: "a host count")
                        let total = values.int(s, "total", 0...Int.max, expected: "a host count")
                        if let up, let down, let total { scan.hostTotals = NmapHostTotals(up: up, down: down, total: total) }
                    default:
                        values.log.unknownElement(s, in: "runstats")
                    }
                }
            case "verbose", "debugging", "taskbegin", "taskprogress", "taskend", "hosthint", "output", "target":
                break
            default:
                values.log.unknownElement(e, in: "nmaprun")
            }
        }
        let end = x.position
        try x.finish()
        scan.diagnostics = values.log.finished(at: end)
        return scan
    }

    // MARK: Hosts

    func host(_ e: XMLStartElement) throws(ScanError) -> NmapHost {
        var h = NmapHost(location: x.location(e.position))
        h.startTime = values.int(e, "starttime", expected: "a Unix time in seconds")
        h.endTime = values.int(e, "endtime", expected: "a Unix time in seconds")
        try x.forEachChild { (c: XMLStartElement) throws(ScanError) in
            switch c.name {
            case "status":
                h.state = values.string(c, "state")
                h.reason = values.string(c, "reason")
            case "address":
                guard let address = values.string(c, "addr") else {
                    values.log.add(.warning, c.position, "<address> without addr: expected an address; skipped")
                    return
                }
                h.addresses.append(NmapAddress(address: address, type: NmapAddress.Kind(c["addrtype"] ?? "ipv4"), vendor: values.string(c, "vendor")))
            case "hostnames":
                try x.forEachChild { (n: XMLStartElement) throws(ScanError) in
                    guard n.name == "hostname" else { values.log.unknownElement(n, in: "hostnames"); return }
                    if let name = values.string(n, "name") { h.hostnames.append(NmapHostname(name: name, type: values.string(n, "type"))) }
                }
            case "ports":
                try ports(into: &h)
            case "os":
                try os(into: &h)
            case "uptime":
                h.uptimeSeconds = values.int(c, "seconds", 0...Int.max, expected: "a number of seconds")
                h.lastBoot = values.string(c, "lastboot")
            case "distance":
                h.distance = values.int(c, "value", 0...255, expected: "a hop count 0–255")
            case "hostscript":
                h.hostScripts += try scripts(in: c)
            case "trace":
                try x.forEachChild { (hop: XMLStartElement) throws(ScanError) in
                    guard hop.name == "hop" else { values.log.unknownElement(hop, in: "trace"); return }
                    guard let ttl = values.int(hop, "ttl", 0...255, expected: "a TTL 0–255") else { return }
                    h.trace.append(NmapHop(ttl: ttl, address: values.string(hop, "ipaddr"),
                                           roundTripMilliseconds: values.double(hop, "rtt", expected: "milliseconds"),
                                           host: values.string(hop, "host")))
                }
            case "times":
                h.roundTripTime = values.int(c, "srtt", expected: "microseconds")
                h.roundTripVariance = values.int(c, "rttvar", expected: "microseconds")
                h.timeout = values.int(c, "to", expected: "microseconds")
            case "tcpsequence", "ipidsequence", "tcptssequence", "smurf":
                break
            default:
                values.log.unknownElement(c, in: "host")
            }
        }
        return h
    }

    func ports(into h: inout NmapHost) throws(ScanError) {
        try x.forEachChild { (c: XMLStartElement) throws(ScanError) in
            switch c.name {
            case "port":
                if let port = try port(c) { h.ports.append(port) }
            case "extraports":
                let count = values.int(c, "count", 0...Int.max, expected: "a port count")
                var reasons: [NmapExtraReason] = []
                try x.forEachChild { (r: XMLStartElement) throws(ScanError) in
                    guard r.name == "extrareasons" else { values.log.unknownElement(r, in: "extraports"); return }
                    let n = values.int(r, "count", 0...Int.max, expected: "a port count")
                    reasons.append(NmapExtraReason(reason: r["reason"] ?? "", count: n ?? 0, protocol: values.string(r, "proto"), ports: values.string(r, "ports")))
                }
                h.extraPorts.append(NmapExtraPorts(state: c["state"] ?? "", count: count ?? 0, reasons: reasons))
            default:
                values.log.unknownElement(c, in: "ports")
            }
        }
    }

    func port(_ e: XMLStartElement) throws(ScanError) -> NmapPort? {
        guard let raw = e["portid"],
              let number = values.int(raw, 0...65535, at: e.position, what: "<port portid=\"\(ValueReader.shown(raw))\">",
                                      expected: "a port number 0–65535", severity: .error, consequence: "; the port is skipped") else {
            if e["portid"] == nil { values.log.add(.error, e.position, "<port> without portid: expected a port number 0–65535; the port is skipped") }
            try x.skipElement()
            return nil
        }
        if e["protocol"] == nil { values.log.add(.warning, e.position, "<port portid=\"\(number)\"> without protocol: expected tcp, udp, sctp or ip") }
        var port = NmapPort(location: x.location(e.position), protocol: e["protocol"] ?? "", number: number)
        try x.forEachChild { (c: XMLStartElement) throws(ScanError) in
            switch c.name {
            case "state":
                port.state = values.string(c, "state")
                port.reason = values.string(c, "reason")
                port.reasonTTL = values.int(c, "reason_ttl", 0...255, expected: "a TTL 0–255")
            case "service":
                var s = NmapService(
                    name: values.string(c, "name"), product: values.string(c, "product"), version: values.string(c, "version"),
                    extraInfo: values.string(c, "extrainfo"), osType: values.string(c, "ostype"), hostname: values.string(c, "hostname"),
                    deviceType: values.string(c, "devicetype"), method: values.string(c, "method"),
                    confidence: values.int(c, "conf", 0...10, expected: "a confidence 0–10"),
                    tunnel: values.string(c, "tunnel"), fingerprint: values.string(c, "servicefp"))
                try x.forEachChild { (k: XMLStartElement) throws(ScanError) in
                    guard k.name == "cpe" else { values.log.unknownElement(k, in: "service"); return }
                    let cpe = try x.readText().trimmed
                    if !cpe.isEmpty { s.cpes.append(cpe) }
                }
                port.service = s
            case "script":
                port.scripts.append(try script(c))
            case "owner":
                port.owner = values.string(c, "name")
            default:
                values.log.unknownElement(c, in: "port")
            }
        }
        return port
    }

    func os(into h: inout NmapHost) throws(ScanError) {
        try x.forEachChild { (c: XMLStartElement) throws(ScanError) in
            switch c.name {
            case "osmatch":
                let accuracy = values.int(c, "accuracy", 0...100, expected: "a percentage 0–100")
                let line = values.int(c, "line", 0...Int.max, expected: "a line number")
                var classes: [NmapOSClass] = []
                try x.forEachChild { (k: XMLStartElement) throws(ScanError) in
                    guard k.name == "osclass" else { values.log.unknownElement(k, in: "osmatch"); return }
                    classes.append(try osClass(k))
                }
                h.osMatches.append(NmapOSMatch(name: c["name"] ?? "", accuracy: accuracy, line: line, classes: classes))
            case "osclass":
                h.osClasses.append(try osClass(c))
            case "portused":
                guard let n = values.int(c, "portid", 0...65535, expected: "a port number 0–65535") else { return }
                h.portsUsed.append(NmapPortUsed(state: c["state"] ?? "", protocol: c["proto"] ?? "", number: n))
            case "osfingerprint":
                h.osFingerprint = values.string(c, "fingerprint")
            default:
                values.log.unknownElement(c, in: "os")
            }
        }
    }

    func osClass(_ e: XMLStartElement) throws(ScanError) -> NmapOSClass {
        var k = NmapOSClass(type: values.string(e, "type"), vendor: values.string(e, "vendor"), family: values.string(e, "osfamily"),
                            generation: values.string(e, "osgen"), accuracy: values.int(e, "accuracy", 0...100, expected: "a percentage 0–100"), cpes: [])
        try x.forEachChild { (c: XMLStartElement) throws(ScanError) in
            guard c.name == "cpe" else { values.log.unknownElement(c, in: "osclass"); return }
            let cpe = try x.readText().trimmed
            if !cpe.isEmpty { k.cpes.append(cpe) }
        }
        return k
    }

    // MARK: Scripts

    func scripts(in e: XMLStartElement) throws(ScanError) -> [NmapScript] {
        var list: [NmapScript] = []
        try x.forEachChild { (c: XMLStartElement) throws(ScanError) in
            guard c.name == "script" else { values.log.unknownElement(c, in: e.name); return }
            list.append(try script(c))
        }
        return list
    }

    func script(_ e: XMLStartElement) throws(ScanError) -> NmapScript {
        if e["id"] == nil { values.log.add(.warning, e.position, "<script> without id: expected the NSE script name") }
        return NmapScript(id: e["id"] ?? "", output: e["output"] ?? "", elements: try scriptNodes(of: e))
    }

    /// The `<elem>`/`<table>` children of the innermost open element, through its end tag.
    /// Recursion follows the XML nesting, which the reader bounds by ``XMLLimits/maxDepth``.
    func scriptNodes(of parent: XMLStartElement) throws(ScanError) -> [NmapScriptNode] {
        var nodes: [NmapScriptNode] = []
        let depth = x.depth
        while let event = try x.next() {
            switch event {
            case .text(let s, _):
                let t = s.trimmed
                if !t.isEmpty { nodes.append(.elem(key: nil, value: t)) }
            case .startElement(let c):
                switch c.name {
                case "elem": nodes.append(.elem(key: c["key"], value: try x.readText()))
                case "table": nodes.append(.table(key: c["key"], try scriptNodes(of: c)))
                default:
                    values.log.unknownElement(c, in: parent.name)
                    try x.skipElement()
                }
            case .endElement:
                if x.depth < depth { return nodes }
            }
        }
        return nodes
    }
}
