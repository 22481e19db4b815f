import BulwarkModel

extension AWSEstate {
    /// Reads any set of exports (several of one kind are merged, as for several regions or accounts).
    ///
    /// Throws when a file is not JSON, is not an export Bulwark knows, lacks the key its declared kind
    /// needs, or when no security-group export is among them. Everything else — a malformed group,
    /// permission, address or entry — is a diagnostic with file, line and column, and reading goes on.
    public static func load(_ files: [AWSInputFile]) throws(AWSLoadError) -> AWSEstate {
        var vpcs: [AWSVPC] = []
        var subnets: [AWSSubnet] = []
        var instances: [AWSInstance] = []
        var interfaces: [AWSInterface] = []
        var extraInterfaces: [AWSInterface] = []
        var groups: [SecurityGroup] = []
        var acls: [NetworkACL] = []
        var diagnostics: [Diagnostic] = []
        var loaded: Set<AWSInputKind> = []
        for file in files {
            var reader = try ExportReader(file: file.name, bytes: file.bytes)
            guard let kind = file.kind ?? AWSInputKind.allCases.first(where: { reader.member($0.key, of: reader.root) != nil }) else {
                throw AWSLoadError(code: "unrecognised-export", file: file.name, line: 1, column: 1,
                                   message: "not an AWS export Bulwark reads: expected one of the top-level keys "
                                       + AWSInputKind.allCases.map { "\"\($0.key)\"" }.joined(separator: ", "))
            }
            switch kind {
            case .securityGroups: groups += try reader.securityGroups()
            case .instances:
                let (i, e) = try reader.instances()
                instances += i
                interfaces += e
            case .networkInterfaces: extraInterfaces += try reader.networkInterfaces()
            case .subnets: subnets += try reader.subnets()
            case .vpcs: vpcs += try reader.vpcs()
            case .networkACLs: acls += try reader.networkACLs()
            }
            loaded.insert(kind)
            diagnostics += reader.diagnostics
        }
        guard loaded.contains(.securityGroups) else {
            throw AWSLoadError(code: "no-security-groups", file: files.first?.name ?? "(no files)",
                               message: "no describe-security-groups export (a file with a top-level \"SecurityGroups\" key) among the inputs")
        }
        let (merged, notes) = mergeInterfaces(interfaces + extraInterfaces)
        return AWSEstate(vpcs: vpcs, subnets: subnets, instances: instances, interfaces: merged, securityGroups: groups,
                         networkACLs: acls, diagnostics: diagnostics + notes, loaded: loaded)
    }

    /// One record per interface: the same id from `describe-instances` and `describe-network-interfaces`
    /// is one interface (addresses and groups united). The same id on two different instances is bad
    /// data; both records are kept.
    static func mergeInterfaces(_ all: [AWSInterface]) -> ([AWSInterface], [Diagnostic]) {
        var out: [AWSInterface] = []
        var notes: [Diagnostic] = []
        for i in all {
            let same = out.indices.filter { out[$0].id == i.id }
            if let k = same.first(where: { out[$0].instanceId == nil || i.instanceId == nil || out[$0].instanceId == i.instanceId }) {
                if Set(out[k].groupIds) != Set(i.groupIds) {
                    notes.append(Diagnostic(.warning, i.location, "\(i.id) has groups \(i.groupIds.joined(separator: ", ")) here but \(out[k].groupIds.joined(separator: ", ")) at line \(out[k].location.line); Bulwark uses both"))
                }
                out[k].addresses += i.addresses.filter { !out[k].addresses.contains($0) }
                out[k].groupIds += i.groupIds.filter { !out[k].groupIds.contains($0) }
                out[k].instanceId = out[k].instanceId ?? i.instanceId
                out[k].subnetId = out[k].subnetId ?? i.subnetId
                out[k].vpcId = out[k].vpcId ?? i.vpcId
            } else {
                if let other = same.first {
                    notes.append(Diagnostic(.warning, i.location, "interface id \(i.id) is also on \(out[other].instanceId ?? "another instance") (line \(out[other].location.line)); the two are kept apart"))
                }
                out.append(i)
            }
        }
        return (out, notes)
    }
}
