import BulwarkModel
import Estate
import PacketSpace
import Testing

/// Zone of an address with overlapping zones: the most specific network wins. Checked on small
/// hand-made cases and against a naive longest-prefix reference on random nested networks.
@Suite struct ZoneMapTests {
    static func estate(_ zones: [(String, [String])]) throws -> EstateManifest {
        var yaml = "version: 1\nzones:\n"
        for (name, cidrs) in zones {
            yaml += "  - { name: \(name), kind: other, trust: low, cidrs: [\(cidrs.map { "\"\($0)\"" }.joined(separator: ", "))] }\n"
        }
        let r = Inputs.check(yaml)
        return try #require(r.manifest, "\(r.listing)")
    }

    @Test func nestedThreeDeepInBothFamilies() throws {
        let m = try Self.estate([
            ("internet", ["0.0.0.0/0", "::/0"]),
            ("corp", ["10.0.0.0/8", "2001:db8::/32"]),
            ("lab", ["10.9.0.0/16", "2001:db8:9::/48"]),
            ("bench", ["10.9.9.0/24", "10.9.9.128/25"]),   // the /25 is bench's own: no change
            ("printer", ["10.9.9.7/32"]),
        ])
        let cases: [(String, String?)] = [
            ("10.9.9.7", "printer"), ("10.9.9.6", "bench"), ("10.9.9.200", "bench"), ("10.9.8.255", "lab"),
            ("10.9.10.0", "lab"), ("10.8.255.255", "corp"), ("10.255.255.255", "corp"), ("11.0.0.0", "internet"),
            ("0.0.0.0", "internet"), ("255.255.255.255", "internet"),
            ("2001:db8:9::1", "lab"), ("2001:db8:a::1", "corp"), ("2001:db9::", "internet"), ("::", "internet"),
            ("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "internet"), ("not an address", nil),
        ]
        for (address, zone) in cases {
            #expect(m.zone(containing: address)?.name == zone, "\(address)")
        }
        // An IPv4 address never falls into ::/0, though PacketSpace maps it into IPv6's domain.
        let noV4 = try Self.estate([("v6", ["::/0"])])
        #expect(noV4.zone(containing: "10.0.0.1") == nil)
        #expect(noV4.zone(containing: "::ffff:10.0.0.1")?.name == "v6")
    }

    @Test func zonesWithSeveralInterleavedNetworks() throws {
        // a holds 10.0.0.0/8 and 10.1.1.0/24, b holds 10.1.0.0/16 between them.
        let m = try Self.estate([("a", ["10.0.0.0/8", "10.1.1.0/24"]), ("b", ["10.1.0.0/16"])])
        #expect(m.zone(containing: "10.1.1.9")?.name == "a")
        #expect(m.zone(containing: "10.1.2.9")?.name == "b")
        #expect(m.zone(containing: "10.2.0.0")?.name == "a")
        #expect(m.zone(containing: "9.255.255.255") == nil)
        func v4(_ c: String) -> IntervalSet { IntervalSet(IPAddress.parseNetwork(c[...], family: .ipv4)!) }
        #expect(m.addresses(ofZone: "b", family: .ipv4) == v4("10.1.0.0/16").subtracting(v4("10.1.1.0/24")))
        #expect(m.addresses(ofZone: "a", family: .ipv4) == v4("10.0.0.0/8").subtracting(v4("10.1.0.0/16")).union(v4("10.1.1.0/24")))
    }

    @Test(arguments: 0..<25)
    func agreesWithANaiveLongestPrefixMatch(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) &* 0x9E37_79B9 &+ 7)
        // Networks inside 10.0.0.0/8 and 2001:db8::/32 with lengths that make nesting likely.
        var taken = Set<String>()
        var zones: [(String, [String])] = []
        var all: [(network: ClosedRange<UInt128>, family: AddressFamily, length: Int, zone: String)] = []
        for z in 0..<Int.random(in: 2...7, using: &rng) {
            var cidrs: [String] = []
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let v6 = Bool.random(using: &rng)
                let family: AddressFamily = v6 ? .ipv6 : .ipv4
                let length = v6 ? Int.random(in: 32...40, using: &rng) : Int.random(in: 8...16, using: &rng)
                let base: UInt128 = v6 ? UInt128(0x2001_0db8) << 96 | UInt128(UInt8.random(in: 0...255, using: &rng)) << 88
                    : IPAddress.v4(0x0A00_0000 | UInt32(UInt8.random(in: 0...255, using: &rng)) << 16)
                let range = IPAddress.prefix(base, length: length, family: family)
                let text = IPAddress.format(range.lowerBound, family: family) + "/\(length)"
                guard taken.insert(text).inserted else { continue }
                cidrs.append(text)
                all.append((range, family, length, "z\(z)"))
            }
            zones.append(("z\(z)", cidrs))
        }
        zones.removeAll { $0.1.isEmpty }
        let m = try Self.estate(zones)

        func naive(_ address: UInt128, _ family: AddressFamily) -> String? {
            all.filter { $0.family == family && $0.network.contains(address) }.max { $0.length < $1.length }?.zone
        }
        // Every boundary of every network, and its neighbours, plus random addresses.
        var probes: [(UInt128, AddressFamily)] = []
        for n in all {
            for a in [n.network.lowerBound, n.network.upperBound] {
                probes += [(a, n.family), (a &- 1, n.family), (a &+ 1, n.family)]
            }
            probes.append((UInt128.random(in: n.network, using: &rng), n.family))
        }
        for (address, family) in probes {
            #expect(m.zone(containing: address, family: family)?.name == naive(address, family), "\(IPAddress.format(address, family: family))")
        }
        // The owned sets partition what the networks cover, and each owned address maps back.
        for family in AddressFamily.allCases {
            let covered = IntervalSet(ranges: all.filter { $0.family == family }.map(\.network))
            var union = IntervalSet()
            for zone in m.zones {
                let owned = m.addresses(ofZone: zone.name, family: family)
                #expect(!owned.overlaps(union))
                union = union.union(owned)
                for r in owned.intervals {
                    #expect(m.zone(containing: r.lowerBound, family: family)?.name == zone.name)
                    #expect(m.zone(containing: r.upperBound, family: family)?.name == zone.name)
                }
            }
            #expect(union == covered)
        }
    }
}
