import BulwarkModel
import Firewall
import Foundation
import PacketSpace
import Testing

/// nftables verdicts against the Linux kernel's, through `../shared/tools/netfilter-oracle` (which
/// loads `nft -j` JSON and reads the kernel's own trace): the fixtures this machine's nft can load
/// and that have an input, forward or prerouting base chain, plus the project's own ruleset with
/// several base chains on one hook. Every exact answer must name the same verdict and the same
/// deciding rule (family, table, chain, position) or policy; at least 90% must be exact.
@Suite(.enabled(if: KernelOracle.isAvailable && NFTOracle.nftAvailable,
                "nftables kernel agreement skipped: needs root, nft (Debian package nftables), iproute2 and ../shared/tools/netfilter-oracle"))
struct NFTablesKernelAgreementTests {
    /// The other fixtures are analysis only: no base chain on input or forward (0001jumps, 0012,
    /// merge_reject, single_anon_set, named_interval; 0046netmap is postrouting only; 0011vmap and
    /// vmap_timeout hook prerouting only, so the kernel gives no INPUT/FORWARD verdict), or syntax newer
    /// than this machine's nft (0032pknock).
    static let files = [
        "parsing__dumps__large_rule_pipe.json-nft", "packetpath__dumps__policy.json-nft",
        "sets__dumps__0037_set_with_inet_service_0.json-nft", "sets__dumps__sets_with_ifnames.json-nft",
    ]
    static let ownFiles = ["Tests/FirewallTests/Inputs/constructs.nft.json", "Examples/northwind/internal.nft.json",
                           "Tests/NetworkReachTests/Inputs/chain/core.nft.json"]

    static func path(_ file: String) -> String {
        file.contains("/") ? SharedFixtures.projectRoot + "/" + file : SharedFixtures.path("nftables/\(file)")
    }

    @Test func verdictsAgreeWithTheKernel() async throws {
        let tallies = try await KernelAgreement.compare(
            files: (Self.files + Self.ownFiles).map { ($0, Self.path($0)) },
            interfacePairs: Self.interfacePairs,
            reachesLoadedTables: { _ in true },
            kernelDecider: Self.decider)
        KernelAgreement.expectBars(tallies, files: Self.files + Self.ownFiles, realFiles: Self.files)
    }

    /// The oracle's answer in the comparison's naming.
    static func decider(_ v: JSONValue?, ruleset: Ruleset) -> String? {
        guard let v, let family = v["family"]?.string, let table = v["table"]?.string, let chain = v["chain"]?.string else { return nil }
        let place = "\(family) \(table) \(chain)"
        if v["policy"] != nil { return "\(place) policy" }
        return v["rule"]?.int.map { "\(place) rule \($0)" }
    }

    /// Interface names the rules test (a wildcard's prefix made a name), paired for INPUT and FORWARD.
    static func interfacePairs(_ ruleset: Ruleset, hook: Hook, rng: inout SplitMix64) -> [(String, String)] {
        var ins: [String: Int] = [:]
        var outs: [String: Int] = [:]
        for table in ruleset.tables where table.addressFamilies != nil {
            for chain in table.chains {
                for rule in chain.rules {
                    for cube in rule.match.certain {
                        for (field, counts) in [(PacketField.inInterface, 0), (.outInterface, 1)] {
                            for r in cube.values(field)?.intervals ?? [] where r.upperBound - r.lowerBound < (UInt128(1) << 100) {
                                let name = InterfaceName.name(InterfaceName.readable(in: r))
                                guard !name.isEmpty, name != "lo", name.count <= 15 else { continue }
                                if counts == 0 { ins[name, default: 0] += 1 } else { outs[name, default: 0] += 1 }
                            }
                        }
                    }
                }
            }
        }
        let inNames = ins.sorted { ($0.value, $0.key) > ($1.value, $1.key) }.map(\.key)
        let outNames = outs.sorted { ($0.value, $0.key) > ($1.value, $1.key) }.map(\.key)
        let firstIn = inNames.first ?? "eth0"
        let firstOut = outNames.first(where: { $0 != firstIn }) ?? (firstIn == "eth1" ? "eth2" : "eth1")
        var pairs = [(firstIn, firstOut)]
        if let secondIn = inNames.dropFirst().randomElement(using: &rng) {
            pairs.append((secondIn, outNames.filter { $0 != secondIn }.randomElement(using: &rng) ?? (secondIn == "eth1" ? "eth2" : "eth1")))
        } else if firstIn != "eth9" {
            pairs.append(("eth9", firstOut == "eth9" ? "eth8" : firstOut))  // an interface no rule names
        }
        return pairs
    }
}

enum NFTOracle {
    static let nftAvailable = ["/usr/sbin/nft", "/sbin/nft", "/usr/bin/nft"].contains { FileManager.default.isExecutableFile(atPath: $0) }
}
