import Foundation
public import AWS
public import BulwarkModel
public import Estate
public import Firewall
public import PacketSpace

/// One firewall of the estate with its export read.
public enum LoadedFirewall {
    /// An iptables or nftables ruleset, compiled for evaluation.
    case ruleset(Ruleset, TableProgram)
    /// AWS security groups, network ACLs and the inventory they apply to.
    case cloud(AWSEstate)
}

/// An export the estate names that Bulwark cannot use at all: the estate cannot be analysed.
public struct EstateNetworkError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

/// The estate with every export read: the manifest, each firewall's rules, the address space of each
/// zone (cloud zones take the addresses of the interfaces in their subnets) and where each network
/// firewall's interfaces face.
public final class EstateNetwork {
    public let manifest: EstateManifest
    /// What the export readers reported (file, line and what was expected), in firewall order.
    public let diagnostics: [Diagnostic]
    /// Parallel to `manifest.firewalls`.
    public let firewalls: [LoadedFirewall]
    /// Zone names, in manifest order; zones are referred to by index below.
    public let zoneNames: [String]
    /// Per zone, per family (`AddressFamily.rawValue`), the addresses the zone owns.
    public let zoneAddresses: [[IntervalSet]]
    /// Per zone, what its addresses assume (cloud zones: where they came from).
    public let zoneNotes: [[String]]
    /// Zones whose addresses come from a cloud firewall (its index).
    public let cloudZones: [Int: Int]

    private let zoneIndex: [String: Int]

    /// One firewall's export read: the firewall and what its reader reported.
    /// A rule left out of an `iptables-save` export (for "what if this rule were not there").
    public struct RemovedRule: Sendable, Hashable {
        public var firewall: String
        /// The rule's line in the export.
        public var line: Int
        public init(firewall: String, line: Int) {
            self.firewall = firewall
            self.line = line
        }
    }

    private static func load(_ fw: EstateManifest.Firewall, removing: [RemovedRule], displayPath: (String) -> String) -> Result<(LoadedFirewall, [Diagnostic]), EstateNetworkError> {
        switch fw.format {
        case .aws:
            var files: [AWSInputFile] = []
            for export in fw.exports {
                guard let data = FileManager.default.contents(atPath: export.path) else {
                    return .failure(EstateNetworkError(description: "\(displayPath(export.path)): cannot read the export of firewall \(fw.name)"))
                }
                files.append(AWSInputFile(name: displayPath(export.path), bytes: [UInt8](data), kind: export.role.awsKind))
            }
            do {
                let estate = try AWSEstate.load(files)
                return .success((.cloud(estate), estate.diagnostics))
            } catch {
                return .failure(EstateNetworkError(description: "\(error)"))
            }
        case .iptablesSave, .ip6tablesSave, .nftablesJSON:
            guard let export = fw.export(.ruleset), let data = FileManager.default.contents(atPath: export.path) else {
                return .failure(EstateNetworkError(description: "\(fw.exports.first.map { displayPath($0.path) } ?? fw.name): cannot read the ruleset of firewall \(fw.name)"))
            }
            let family: AddressFamily? = fw.format == .ip6tablesSave ? .ipv6 : (fw.format == .iptablesSave ? .ipv4 : nil)
            var text = String(decoding: data, as: UTF8.self)
            let removed = removing.filter { $0.firewall == fw.name }
            if !removed.isEmpty {
                // The lines are blanked, so every other rule keeps its line number.
                var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
                for r in removed {
                    guard fw.format != .nftablesJSON, r.line >= 1, r.line <= lines.count, lines[r.line - 1].hasPrefix("-A ") else {
                        return .failure(EstateNetworkError(description: "\(displayPath(export.path)):\(r.line): not a rule of firewall \(fw.name): expected an iptables-save line starting with -A"))
                    }
                    lines[r.line - 1] = ""
                }
                text = lines.joined(separator: "\n")
            }
            do {
                let ruleset = try RulesetLoader.load(text: text, file: displayPath(export.path), family: family)
                return .success((.ruleset(ruleset, TableProgram(ruleset: ruleset)), ruleset.diagnostics))
            } catch {
                return .failure(EstateNetworkError(description: error.description))
            }
        }
    }

    /// Reads every export of `manifest`. A file that holds no usable ruleset or export throws; a bad
    /// line in a usable file is a diagnostic and makes the answers it touches inexact.
    ///
    /// `displayPath` turns an export's absolute path into the name diagnostics and reports use.
    ///
    /// `removing` leaves one rule out of an `iptables-save` export: the estate as it would be without it.
    public convenience init(manifest: EstateManifest, removing: RemovedRule? = nil, displayPath: (String) -> String = { $0 }) throws(EstateNetworkError) {
        try self.init(manifest: manifest, removingAll: removing.map { [$0] } ?? [], displayPath: displayPath)
    }

    /// The estate without several rules of `iptables-save` exports.
    public init(manifest: EstateManifest, removingAll removing: [RemovedRule], displayPath: (String) -> String = { $0 }) throws(EstateNetworkError) {
        self.manifest = manifest
        for r in removing {
            guard let fw = manifest.firewall(named: r.firewall) else { throw EstateNetworkError(description: "no firewall named \(r.firewall) in the estate") }
            guard fw.format == .iptablesSave || fw.format == .ip6tablesSave else {
                throw EstateNetworkError(description: "firewall \(r.firewall) is \(fw.format.rawValue): only iptables-save rules can be left out so far")
            }
        }
        // Each export is read on its own: the files are parsed on every core.
        let results = Parallel.map(manifest.firewalls) { fw in Self.load(fw, removing: removing, displayPath: displayPath) }
        var loaded: [LoadedFirewall] = []
        var diagnostics: [Diagnostic] = []
        for result in results {
            switch result {
            case .success(let (firewall, found)):
                loaded.append(firewall)
                diagnostics += found
            case .failure(let error):
                throw error
            }
        }
        firewalls = loaded
        self.diagnostics = diagnostics
        zoneNames = manifest.zones.map(\.name)
        zoneIndex = Dictionary(zoneNames.enumerated().map { ($1, $0) }) { a, _ in a }

        // Cloud zones own the addresses of the known interfaces in their subnets (or, without an
        // instance export, the subnets' blocks); other zones give those addresses up.
        var addresses = manifest.zones.map { z in AddressFamily.allCases.map { manifest.addresses(ofZone: z.name, family: $0) } }
        var notes = Array(repeating: [String](), count: manifest.zones.count)
        var cloud: [Int: Int] = [:]
        for (f, fw) in manifest.firewalls.enumerated() {
            guard case .cloud(let subnets) = fw.placement, case .cloud(let aws) = loaded[f] else { continue }
            for mapping in subnets {
                guard let z = zoneIndex[mapping.zone] else { continue }
                cloud[z] = f
                let set: AddressSet
                let block = aws.subnet(id: mapping.subnet)?.addresses ?? .empty
                let interfaces = aws.interfaces.filter { $0.subnetId == mapping.subnet }
                if aws.loaded.contains(.instances) || aws.loaded.contains(.networkInterfaces) {
                    set = AddressSet(interfaces.flatMap(\.addresses))
                    if let s = aws.subnet(id: mapping.subnet) {
                        notes[z].append("\(mapping.zone): the \(interfaces.count) known interface(s) of \(mapping.subnet) (\(s.cidrBlocks.map(\.text).joined(separator: ", "))); other addresses of the subnet hold no known host")
                    } else {
                        notes[z].append("\(mapping.zone): the \(interfaces.count) known interface(s) of \(mapping.subnet)")
                    }
                } else {
                    set = aws.subnet(id: mapping.subnet)?.addresses ?? .empty
                    notes[z].append("\(mapping.zone): the whole of \(mapping.subnet): no instance export says which addresses hold hosts")
                }
                // The whole subnet leaves every zone (it is inside the VPC, not the internet, even
                // where the manifest gives the cloud zone the subnet's block); the cloud zone then
                // holds the addresses where hosts are known to be.
                for family in AddressFamily.allCases {
                    let k = Int(family.rawValue)
                    for other in addresses.indices { addresses[other][k] = addresses[other][k].subtracting(block[family].union(set[family])) }
                    addresses[z][k] = addresses[z][k].union(set[family])
                }
            }
        }
        zoneAddresses = addresses
        zoneNotes = notes
        cloudZones = cloud
    }

    public func zone(named name: String) -> Int? { zoneIndex[name] }

    /// The zone of an address (cloud interfaces included), or nil.
    public func zone(containing address: UInt128, family: AddressFamily) -> Int? {
        zoneAddresses.firstIndex { $0[Int(family.rawValue)].contains(address) }
    }

    /// The addresses of a host firewall's host, by family.
    func hostAddresses(_ name: String) -> [IntervalSet] {
        var out = [IntervalSet(), IntervalSet()]
        for a in manifest.host(named: name)?.addresses ?? [] {
            out[Int(a.family.rawValue)] = out[Int(a.family.rawValue)].union(IntervalSet(value: a.value))
        }
        return out
    }
}

extension EstateManifest.ExportRole {
    var awsKind: AWSInputKind? {
        switch self {
        case .securityGroups: .securityGroups
        case .instances: .instances
        case .subnets: .subnets
        case .networkACLs: .networkACLs
        case .ruleset: nil
        }
    }
}
