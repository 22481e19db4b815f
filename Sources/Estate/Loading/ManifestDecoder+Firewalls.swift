import BulwarkModel
import PacketSpace
import Yams

extension ManifestDecoder {
    mutating func decodeFirewalls(_ node: Node) {
        guard let items = reader.sequence(node, "firewalls") else { return }
        for item in items {
            guard let f = reader.fields(item, "a firewall", required: ["name", "placement"],
                                        optional: ["format", "file", "files", "description"]) else { continue }
            let name = f["name"].flatMap { reader.name($0, "a firewall name") }
            if let name { define(.firewall, name, f["name"]!) }
            let written: M.FirewallFormat? = f["format"].flatMap { reader.choice($0, "the export format") }
            let exports = decodeExports(f, written: written, formatBroken: f["format"] != nil && written == nil)
            let placement = f["placement"].flatMap { decodePlacement($0) }
            let description = f["description"].flatMap { reader.text($0, "a description") }
            guard let name, let exports, let placement else { continue }
            let format = written ?? exports.detected
            guard let format else { continue }
            checkPlacement(placement, format: format, node: f["placement"]!)
            firewalls.append(M.Firewall(name: name, format: format, formatDetected: written == nil, exports: exports.files,
                                        placement: placement, description: description, location: reader.location(item)))
        }
    }

    /// The export files of a firewall: `file:` for one ruleset, `files:` for the AWS exports.
    /// Each must exist; the format is detected from the content where the manifest leaves it out,
    /// and a written format that the content contradicts is reported.
    private mutating func decodeExports(_ f: Fields, written: M.FirewallFormat?, formatBroken: Bool)
        -> (files: [M.ExportFile], detected: M.FirewallFormat?)? {
        switch (f["file"], f["files"]) {
        case (nil, nil):
            reader.error(f.node, "a firewall needs its export: 'file' (iptables-save, ip6tables-save, nftables-json) or 'files' (aws)")
            return nil
        case (.some, .some):
            reader.error(f.keyNode("files")!, "give either 'file' (one ruleset) or 'files' (the AWS exports), not both")
            return nil
        case (let file?, nil):
            if written == .aws {
                reader.error(f.keyNode("file")!, "format aws takes 'files' (security-groups, and optionally instances, subnets, network-acls), not 'file'")
                return nil
            }
            guard let export = exportFile(file, role: .ruleset) else { return nil }
            let detected = ExportProbe.detectFormat(path: export.path)
            if let written, let detected, !Self.agree(written, detected) {
                reader.warning(file, "the manifest says \(written.rawValue) but '\(export.relativePath)' looks like \(detected.rawValue)")
            }
            if written == nil && !formatBroken && detected == nil {
                reader.error(file, "cannot tell the format of '\(export.relativePath)'; expected iptables-save or ip6tables-save text or nftables JSON, or say which with 'format:'")
                return nil
            }
            return ([export], detected)
        case (nil, let files?):
            if let written, written != .aws {
                reader.error(f.keyNode("files")!, "'files' is for format aws; \(written.rawValue) takes one 'file'")
                return nil
            }
            let roles = M.ExportRole.allCases.filter { $0 != .ruleset }.map(\.rawValue)
            guard let g = reader.fields(files, "the AWS exports", required: ["security-groups"], optional: roles.filter { $0 != "security-groups" }) else { return nil }
            var exports: [M.ExportFile] = []
            var complete = true
            for role in M.ExportRole.allCases where role != .ruleset {
                guard let n = g[role.rawValue] else { continue }
                guard let export = exportFile(n, role: role) else { complete = false; continue }
                if !ExportProbe.holdsAWS(role, path: export.path) {
                    reader.warning(n, "'\(export.relativePath)' does not look like the output of aws ec2 \(Self.awsCommand(role)) (no \"\(ExportProbe.awsKey(role))\")")
                }
                exports.append(export)
            }
            return complete && g["security-groups"] != nil ? (exports, .aws) : nil
        }
    }

    /// One export file: a relative path to a readable file.
    private mutating func exportFile(_ node: Node, role: M.ExportRole) -> M.ExportFile? {
        guard let relative = reader.text(node, "a path relative to the manifest") else { return nil }
        guard !relative.isEmpty, !relative.hasPrefix("/"), !relative.hasPrefix("~") else {
            reader.error(node, "expected a path relative to the manifest's folder, not '\(relative)': an estate folder must stay whole when it is moved")
            return nil
        }
        let path = ExportProbe.resolve(relative, in: directory)
        switch ExportProbe.state(of: path) {
        case .file:
            return M.ExportFile(role: role, relativePath: relative, path: path, location: reader.location(node))
        case .missing:
            reader.error(node, "export file '\(relative)' does not exist (looked for \(path))")
        case .folder:
            reader.error(node, "'\(relative)' is a folder; expected an export file")
        case .unreadable:
            reader.error(node, "export file '\(relative)' cannot be read")
        }
        return nil
    }

    /// iptables-save and ip6tables-save text look alike; only a header comment tells them apart,
    /// so one is not reported as contradicting the other.
    private static func agree(_ a: M.FirewallFormat, _ b: M.FirewallFormat) -> Bool {
        let text: Set<M.FirewallFormat> = [.iptablesSave, .ip6tablesSave]
        return a == b || (text.contains(a) && text.contains(b))
    }

    private static func awsCommand(_ role: M.ExportRole) -> String {
        switch role {
        case .ruleset: ""
        case .securityGroups: "describe-security-groups"
        case .instances: "describe-instances"
        case .subnets: "describe-subnets"
        case .networkACLs: "describe-network-acls"
        }
    }

    // MARK: Placement

    private mutating func decodePlacement(_ node: Node) -> M.Placement? {
        let kinds = ["network", "host", "cloud"]
        guard let kindNode = node.mapping?["kind"] else {
            _ = reader.fields(node, "a placement", required: ["kind"], optional: ["interfaces", "host", "subnets"])
            return nil
        }
        guard let kind = reader.text(kindNode, "the placement kind"), kinds.contains(kind) else {
            reader.error(kindNode, "expected the placement kind: one of \(kinds.joined(separator: ", "))")
            return nil
        }
        switch kind {
        case "network":
            guard let f = reader.fields(node, "a network placement", required: ["kind", "interfaces"]),
                  let n = f["interfaces"], let items = reader.sequence(n, "the firewall's interfaces") else { return nil }
            if items.isEmpty { reader.error(n, "a network firewall needs at least one interface facing a zone") }
            var interfaces: [M.Interface] = []
            var seen = FirstSeen<String>()
            for item in items {
                guard let g = reader.fields(item, "an interface", required: ["name", "zone"]) else { continue }
                let name = g["name"].flatMap { interfaceName($0) }
                let zone = zoneReference(g["zone"], "interface")
                guard let name, let zone else { continue }
                if let first = seen.repeated(name, line: reader.location(item).line) {
                    reader.error(g["name"]!, "interface \(name) is listed twice (first at line \(first)); an interface faces one zone")
                    continue
                }
                interfaces.append(M.Interface(name: name, zone: zone, location: reader.location(item)))
            }
            return .network(interfaces: interfaces)
        case "host":
            guard let f = reader.fields(node, "a host placement", required: ["kind", "host"]),
                  let h = f["host"], let name = reader.name(h, "a host name") else { return nil }
            refer(.host, name, h, "host firewall placement")
            return .host(name)
        default:
            guard let f = reader.fields(node, "a cloud placement", required: ["kind"], optional: ["subnets"]) else { return nil }
            var subnets: [M.SubnetZone] = []
            if let s = f["subnets"] {
                guard let mapping = s.mapping else {
                    reader.error(s, "expected subnets as a mapping of subnet ids to zones, like { subnet-0a1b2c: cloud-web }")
                    return nil
                }
                for (key, value) in mapping {
                    guard let subnet = reader.text(key, "a subnet id"), let zone = zoneReference(value, "cloud subnet") else { continue }
                    if !subnet.hasPrefix("subnet-") {
                        reader.warning(key, "'\(subnet)' does not look like an AWS subnet id (subnet-…)")
                    }
                    subnets.append(M.SubnetZone(subnet: subnet, zone: zone, location: reader.location(key)))
                }
            }
            return .cloud(subnets: subnets)
        }
    }

    /// A Linux interface name (at most 15 bytes), optionally ending in the `+` wildcard.
    private mutating func interfaceName(_ node: Node) -> String? {
        guard let s = reader.text(node, "an interface name") else { return nil }
        let bare = s.hasSuffix("+") ? String(s.dropLast()) : s
        guard !bare.isEmpty, InterfaceName.value(bare[...]) != nil,
              !bare.contains(where: { $0 == " " || $0 == "/" || $0 == "+" || $0 == "\t" }) else {
            reader.error(node, "expected an interface name of at most \(InterfaceName.maximumLength) characters without spaces or '/', optionally ending in '+' (not '\(s)')")
            return nil
        }
        return s
    }

    /// AWS exports describe cloud firewalls and only they; rulesets sit on a network or a host.
    private mutating func checkPlacement(_ placement: M.Placement, format: M.FirewallFormat, node: Node) {
        switch (placement, format) {
        case (.cloud, .aws), (.network, .iptablesSave), (.network, .ip6tablesSave), (.network, .nftablesJSON),
             (.host, .iptablesSave), (.host, .ip6tablesSave), (.host, .nftablesJSON):
            return
        case (.cloud, _):
            reader.error(node, "placement kind cloud is for AWS exports (format aws), not \(format.rawValue)")
        default:
            reader.error(node, "AWS security groups sit in the cloud: expected placement kind cloud, not \(placement.kind)")
        }
    }
}
