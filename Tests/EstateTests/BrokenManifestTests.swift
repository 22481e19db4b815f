import BulwarkModel
import Estate
import Foundation
import Testing

/// Broken manifests: every problem is reported at the line and column of its YAML node, says what
/// was expected, and does not stop the loader from reporting the others.
@Suite struct BrokenManifestTests {
    /// A valid head that the cases below extend: two zones and a host.
    static let head = """
        version: 1
        zones:
          - { name: internet, kind: internet, trust: untrusted, cidrs: [0.0.0.0/0] }
          - { name: dmz, kind: dmz, trust: low, cidrs: [172.16.1.0/24] }
        hosts:
          - { name: web01, addresses: [172.16.1.10], zone: dmz }

        """

    @Test func theHeadAloneIsValid() {
        let r = Inputs.check(Self.head)
        #expect(r.diagnostics.isEmpty, "\(r.listing)")
        #expect(r.manifest != nil)
    }

    // MARK: Keys

    @Test func unknownKeyIsAnErrorAtItsLineAndColumnWithTheNearestKey() {
        let r = Inputs.check(Self.head + """
            information-assets:
              - name: records
                classification: internal
                cia: { confidentiality: low, integrity: low, availability: low }
                hots: [web01]
            """)
        #expect(r.manifest == nil)
        #expect(r.has(.error, line: 11, column: 5, "unknown key 'hots' in an information asset; did you mean 'hosts'?"), "\(r.listing)")
        #expect(r.diagnostics.first { $0.location.line == 11 }?.message.contains("expected one of name, classification, cia") == true)
    }

    @Test func snakeCaseKeysAreCaughtAsTypos() {
        let r = Inputs.check(Self.head.replacingOccurrences(of: "zone: dmz }", with: "zone: dmz, crown_jewel: true }"))
        #expect(r.has(.error, line: 6, column: 57, "unknown key 'crown_jewel' in a host; did you mean 'crown-jewel'?"), "\(r.listing)")
    }

    @Test func unknownTopLevelKey() {
        let r = Inputs.check(Self.head + "zone:\n  - internet\n")
        #expect(r.has(.error, line: 7, column: 1, "unknown key 'zone' in the manifest; did you mean 'zones'?"), "\(r.listing)")
    }

    @Test func missingRequiredKeysAreNamed() {
        let r = Inputs.check("version: 1\nzones:\n  - name: a\n    kind: corp\n")
        #expect(r.has(.error, line: 3, column: 5, "a zone has no 'trust' key"), "\(r.listing)")
        let noVersion = Inputs.check("zones:\n  - { name: a, kind: corp, trust: low }\n")
        #expect(noVersion.has(.error, line: 1, column: 1, "the manifest has no 'version' key"), "\(noVersion.listing)")
        let noZones = Inputs.check("version: 1\n")
        #expect(noZones.has(.error, line: 1, column: 1, "the manifest has no 'zones' key"))
        #expect(noZones.manifest == nil)
    }

    @Test func emptyZoneListIsUnusable() {
        let r = Inputs.check("version: 1\nzones: []\n")
        #expect(r.has(.error, line: 2, column: 8, "an estate needs at least one zone"), "\(r.listing)")
        #expect(r.manifest == nil)
    }

    @Test func unsupportedVersion() {
        let r = Inputs.check(Self.head.replacingOccurrences(of: "version: 1", with: "version: 2"))
        #expect(r.has(.error, line: 1, column: 10, "unsupported manifest version 2; this Bulwark reads version 1"), "\(r.listing)")
    }

    // MARK: Values

    @Test func badCIDRs() {
        let r = Inputs.check("""
            version: 1
            zones:
              - name: corp
                kind: corp
                trust: medium
                cidrs: [10.0.0.0/8, 10.300.0.0/16, 10.1.0.0/33, "2001:db8::/129", corp-net, 10.1.2.3/16]
            """)
        #expect(r.has(.error, line: 6, column: 25, "'10.300.0.0/16' is not a network; expected an IPv4 or IPv6 prefix"), "\(r.listing)")
        #expect(r.has(.error, line: 6, column: 40, "'10.1.0.0/33' is not a network"))
        #expect(r.has(.error, line: 6, column: 53, "'2001:db8::/129' is not a network"))
        #expect(r.has(.error, line: 6, column: 71, "'corp-net' is not a network"))
        #expect(r.has(.warning, line: 6, column: 81, "'10.1.2.3/16' has host bits set; read as 10.1.0.0/16"))
        #expect(r.errors.count == 4)
    }

    @Test func textThatYAMLReadsAsSomethingElseMustBeQuoted() {
        let r = Inputs.check(Self.head + "  - { name: no, zone: dmz }\n  - { name: 2024, zone: dmz }\n")
        #expect(r.has(.error, line: 7, column: 13, "'no' reads as a boolean in YAML, so quote it: \"no\""), "\(r.listing)")
        #expect(r.has(.error, line: 8, column: 13, "'2024' reads as a number in YAML, so quote it"))
        let quoted = Inputs.check(Self.head + "  - { name: \"no\", zone: dmz }\n  - { name: '2024', zone: dmz }\n")
        #expect(quoted.errors.isEmpty, "\(quoted.listing)")
    }

    @Test func namesAreIdentifiers() {
        let r = Inputs.check(Self.head + "  - { name: \"web 02\", zone: dmz }\n  - { name: \"host:x\", zone: dmz }\n")
        #expect(r.has(.error, line: 7, column: 13, "expected a host name: letters, digits, '.', '_' and '-'"), "\(r.listing)")
        #expect(r.has(.error, line: 8, column: 13, "(not 'host:x')"))
    }

    @Test func choicesListWhatIsAllowed() {
        let r = Inputs.check("version: 1\nzones:\n  - { name: a, kind: korp, trust: 50 }\n")
        #expect(r.has(.error, line: 3, column: 22, "expected the zone kind: one of internet, dmz, corp, datacenter, cloud, ot, management, guest, other (not 'korp'); did you mean 'corp'?"), "\(r.listing)")
        #expect(r.has(.error, line: 3, column: 35, "expected the zone's trust level: one of untrusted, low, medium, high (not '50')"))
    }

    @Test func badServices() {
        let r = Inputs.check(Self.head + """
            policy:
              rules:
                - { from: internet, to: dmz, allow: [tcp/443, tcp/70000, gre/1, https] }
              required:
                - { from: internet, to: dmz, service: "tcp/90-80" }
            """)
        #expect(r.has(.error, line: 9, column: 51, "allowed service 'tcp/70000': expected a port from 0 to 65535"), "\(r.listing)")
        #expect(r.has(.error, line: 11, column: 43, "the required service 'tcp/90-80': port range 90-80 runs backwards; expected 80-90"))
    }

    @Test func allowTakesNoneAnyOneOrAList() throws {
        let ok = Inputs.check(Self.head + """
            policy:
              default: allow
              rules:
                - { from: internet, to: dmz, allow: none }
                - { from: dmz, to: internet, allow: https }
                - { from: dmz, to: dmz, allow: any }
            """)
        let m = try #require(ok.manifest, "\(ok.listing)")
        #expect(m.policy.rules.map(\.allow) == [[], [.tcp(443...443)], [.any]])
        #expect(m.policy.defaultAction == .allow)
        #expect(m.intent(from: "internet", to: "internet", service: .any).access == .allowed, "default: allow")
        let bad = Inputs.check(Self.head + "policy:\n  rules:\n    - { from: internet, to: dmz, allow: [none, tcp/22] }\n")
        #expect(bad.has(.error, line: 9, column: 42, "'none' stands alone"), "\(bad.listing)")
    }

    @Test func badDatesAndEstimates() {
        let r = Inputs.check(Self.head + """
            facts:
              - { kind: backup, applies-to: [web01], tested: 2026-02-30 }
              - { kind: backup, tested: "01.10.2026" }
            information-assets:
              - name: records
                classification: internal
                cia: { confidentiality: low, integrity: low, availability: low }
                loss: { min: 500, most-likely: 100, max: 1000, currency: euro }
                hosts: [web01]
            entry-points:
              - { name: net, zone: internet, kind: internet, frequency: { min: -1, most-likely: 2, max: 3 } }
            """)
        #expect(r.has(.error, line: 8, column: 50, "expected the day a restore was last tested as a date YYYY-MM-DD that exists"), "\(r.listing)")
        #expect(r.has(.error, line: 9, column: 29, "as a date YYYY-MM-DD"))
        #expect(r.has(.error, line: 14, column: 11, "the loss: expected min ≤ most-likely ≤ max (found 500, 100, 1000)"))
        #expect(r.has(.error, line: 14, column: 62, "ISO 4217 code of three capital letters"))
        #expect(r.has(.error, line: 17, column: 68, "expected min as a number, zero or more"))
    }

    @Test func factKindsTakeTheirOwnKeys() {
        let r = Inputs.check(Self.head + """
            facts:
              - { kind: mfa, applies-to: [web01], at-rest: true }
              - { kind: patching }
              - { kind: control, framework: iso27001, id: A.5.1, status: done }
              - { kind: telepathy }
            """)
        #expect(r.has(.error, line: 8, column: 39, "unknown key 'at-rest' in a mfa fact"), "\(r.listing)")
        #expect(r.has(.error, line: 9, column: 5, "a patching fact has no 'within-days' key"))
        #expect(r.has(.error, line: 10, column: 62, "expected the control status: one of implemented, partial, planned, not-implemented, not-applicable"))
        #expect(r.has(.error, line: 11, column: 13, "expected the fact kind: one of backup, encryption, mfa, edr, patching, control"))
    }

    // MARK: Names and references

    @Test func duplicateNames() {
        let r = Inputs.check(Self.head + """
              - { name: web01, zone: internet }
            entry-points:
              - { name: dmz, zone: dmz, kind: other }
            """)
        #expect(r.has(.error, line: 7, column: 13, "duplicate host name 'web01' (first defined at line 6)"), "\(r.listing)")
        #expect(!r.has(.error, line: 9, "duplicate"), "a zone and an entry point may share a name")
        let zones = Inputs.check("version: 1\nzones:\n  - { name: a, kind: corp, trust: low }\n  - { name: a, kind: dmz, trust: low }\n")
        #expect(zones.has(.error, line: 4, column: 13, "duplicate zone name 'a' (first defined at line 3)"), "\(zones.listing)")
    }

    @Test func unknownReferencesEverywhere() {
        let r = Inputs.check(Self.head + """
              - { name: web02, addresses: [172.16.1.11], zone: dnz }
            firewalls:
              - name: edge
                file: edge.iptables-save
                placement:
                  kind: network
                  interfaces: [{ name: eth0, zone: internet }, { name: eth1, zone: lan }]
              - { name: h, file: hosts/web01.iptables-save, placement: { kind: host, host: web03 } }
            routes:
              - { from: internet, to: dmz, via: [edge, core] }
            policy:
              rules:
                - { from: [internet, partners], to: dmz, allow: https }
              required:
                - { from: corp, to: dmz, service: https }
            information-assets:
              - { name: a, classification: public, cia: { confidentiality: low, integrity: low, availability: low }, hosts: [db01] }
            entry-points:
              - { name: p, kind: phishing, host: ws01 }
            facts:
              - { kind: mfa, applies-to: [nothing, host:dmz, planet:x] }
            """)
        #expect(r.manifest == nil)
        #expect(r.has(.error, line: 7, column: 52, "unknown zone 'dnz' in host; did you mean 'dmz'?"), "\(r.listing)")
        #expect(r.has(.error, line: 13, column: 72, "unknown zone 'lan' in interface; expected one of internet, dmz"))
        #expect(r.has(.error, line: 14, column: 80, "unknown host 'web03' in host firewall placement; did you mean 'web01'?"))
        #expect(r.has(.error, line: 16, column: 44, "unknown firewall 'core' in route"))
        #expect(r.has(.error, line: 19, column: 26, "unknown zone 'partners' in policy rule"))
        #expect(r.has(.error, line: 21, column: 15, "unknown zone 'corp' in required flow"))
        #expect(r.has(.error, line: 23, column: 114, "unknown host 'db01' in information asset"))
        #expect(r.has(.error, line: 25, column: 38, "unknown host 'ws01' in entry point"))
        #expect(r.has(.error, line: 27, column: 31, "'nothing' names nothing the manifest defines"))
        #expect(r.has(.error, line: 27, column: 40, "unknown host 'dmz' in applies-to"))
        #expect(r.has(.error, line: 27, column: 50, "unknown qualifier 'planet' in 'planet:x'"))
    }

    @Test func ambiguousAppliesToAsksForAQualifier() {
        let r = Inputs.check(Self.head + """
            entry-points:
              - { name: dmz, zone: dmz, kind: other }
            facts:
              - { kind: edr, applies-to: [dmz] }
              - { kind: edr, applies-to: [zone:dmz, entry-point:dmz, web01] }
            """)
        #expect(r.has(.error, line: 10, column: 31, "'dmz' is ambiguous: write zone:dmz or entry-point:dmz"), "\(r.listing)")
        #expect(r.errors.count == 1)
    }

    @Test func duplicatePolicyPairs() {
        let r = Inputs.check(Self.head + """
            policy:
              rules:
                - { from: internet, to: dmz, allow: https }
                - { from: [dmz, internet], to: dmz, allow: none }
            """)
        #expect(r.has(.error, line: 10, column: 7, "zone pair internet → dmz already has a policy rule (line 9)"), "\(r.listing)")
    }

    @Test func requiredFlowThatTheRuleDoesNotAllowIsAWarning() throws {
        let r = Inputs.check(Self.head + """
            policy:
              rules:
                - { from: internet, to: dmz, allow: https }
              required:
                - { from: internet, to: dmz, service: tcp/8443 }
            """)
        #expect(r.has(.warning, line: 11, column: 7, "required flow internet → dmz tcp/8443 is not allowed by the policy rule at line 9; the requirement wins"), "\(r.listing)")
        let m = try #require(r.manifest, "a warning leaves the manifest usable")
        #expect(m.intent(from: "internet", to: "dmz", service: .tcp(8443...8443)).access == .required)
    }

    // MARK: Zones and addresses

    @Test func theSameNetworkInTwoZonesIsAnError() {
        let r = Inputs.check("""
            version: 1
            zones:
              - { name: dmz, kind: dmz, trust: low, cidrs: [172.16.1.0/24] }
              - { name: lan, kind: corp, trust: medium, cidrs: ["172.16.1.0/255.255.255.0"] }
            """)
        #expect(r.has(.error, line: 4, column: 53, "network 172.16.1.0/24 is in zone dmz and in zone lan; a network belongs to one zone"), "\(r.listing)")
    }

    @Test func hostAddressesOutsideTheirZoneAreWarnings() throws {
        let r = Inputs.check("""
            version: 1
            zones:
              - { name: corp, kind: corp, trust: medium, cidrs: [10.0.0.0/8] }
              - { name: lab, kind: other, trust: low, cidrs: [10.9.0.0/16] }
              - { name: dmz, kind: dmz, trust: low, cidrs: [172.16.1.0/24] }
            hosts:
              - { name: a, addresses: [10.9.1.1], zone: corp }
              - { name: b, addresses: [192.168.1.1], zone: dmz }
              - { name: c, addresses: [10.1.1.1, 172.16.1.5] }
              - { name: d, addresses: [10.1.1.1], zone: corp }
              - { name: e, addresses: [192.168.7.7] }
            """)
        #expect(r.has(.warning, line: 7, column: 28, "address 10.9.1.1 of host a belongs to zone lab (its most specific network), not to the host's zone corp"), "\(r.listing)")
        #expect(r.has(.warning, line: 8, column: 28, "address 192.168.1.1 of host b lies in no zone's networks"))
        #expect(r.has(.warning, line: 9, column: 38, "address 172.16.1.5 of host c belongs to zone dmz"))
        #expect(r.has(.warning, line: 10, column: 28, "address 10.1.1.1 of host d is also an address of host c"))
        #expect(r.has(.error, line: 11, column: 28, "no zone holds 192.168.7.7, the address of host e; give the host a zone"))
        #expect(r.errors.count == 1)
        let bare = Inputs.check(Self.head + "  - { name: f, addresses: [] }\n")
        #expect(bare.has(.error, line: 7, column: 5, "host 'f' needs addresses or a zone"), "\(bare.listing)")
        let fixed = Inputs.check("""
            version: 1
            zones:
              - { name: corp, kind: corp, trust: medium, cidrs: [10.0.0.0/8] }
            hosts:
              - { name: c, addresses: [10.1.1.1] }
            """)
        #expect(try #require(fixed.manifest).host(named: "c")?.zone == "corp")
    }

    @Test func zoneWithoutNetworksIsAWarningUnlessACloudSubnetMapsToIt() {
        let zones = Inputs.check("""
            version: 1
            zones:
              - { name: vpn-users, kind: other, trust: low }
              - { name: cloud, kind: cloud, trust: medium }
            firewalls:
              - { name: vpc, files: { security-groups: aws/sg.json }, placement: { kind: cloud, subnets: { subnet-1: cloud } } }
            """)
        #expect(zones.has(.warning, line: 3, column: 5, "zone vpn-users has no networks (cidrs) and no cloud subnet maps to it"), "\(zones.listing)")
        #expect(zones.warnings.count == 1)
        #expect(zones.manifest != nil)
    }

    // MARK: Firewalls and files

    @Test func missingAndMisplacedExportFiles() {
        let r = Inputs.check(Self.head + """
            firewalls:
              - { name: a, file: nowhere.iptables-save, placement: { kind: host, host: web01 } }
              - { name: b, file: /etc/passwd, placement: { kind: host, host: web01 } }
              - { name: c, file: hosts, placement: { kind: host, host: web01 } }
              - { name: d, files: { security-groups: aws/sg.json, subnets: aws/none.json }, placement: { kind: cloud } }
              - { name: e, placement: { kind: host, host: web01 } }
              - { name: f, file: edge.iptables-save, files: { security-groups: aws/sg.json }, placement: { kind: host, host: web01 } }
            """)
        #expect(r.manifest == nil)
        #expect(r.has(.error, line: 8, column: 22, "export file 'nowhere.iptables-save' does not exist (looked for \(Inputs.acme)/nowhere.iptables-save)"), "\(r.listing)")
        #expect(r.has(.error, line: 9, column: 22, "expected a path relative to the manifest's folder, not '/etc/passwd'"))
        #expect(r.has(.error, line: 10, column: 22, "'hosts' is a folder; expected an export file"))
        #expect(r.has(.error, line: 11, column: 64, "export file 'aws/none.json' does not exist"))
        #expect(r.has(.error, line: 12, column: 5, "a firewall needs its export: 'file'"))
        #expect(r.has(.error, line: 13, column: 42, "give either 'file' (one ruleset) or 'files' (the AWS exports), not both"))
    }

    @Test func formatsAndPlacementsMustAgree() {
        let r = Inputs.check(Self.head + """
            firewalls:
              - { name: a, format: nftables-json, file: edge.iptables-save, placement: { kind: host, host: web01 } }
              - { name: b, format: aws, file: aws/sg.json, placement: { kind: cloud } }
              - { name: c, format: iptables-save, files: { security-groups: aws/sg.json }, placement: { kind: host, host: web01 } }
              - { name: d, files: { security-groups: aws/sg.json }, placement: { kind: network, interfaces: [{ name: eth0, zone: dmz }] } }
              - { name: e, file: edge.iptables-save, placement: { kind: cloud } }
              - { name: f, file: aws/subnets.json, placement: { kind: host, host: web01 } }
              - { name: g, files: { security-groups: aws/subnets.json }, placement: { kind: cloud } }
              - { name: h, file: edge.iptables-save, placement: { kind: network, interfaces: [] } }
            """)
        #expect(r.has(.warning, line: 8, column: 45, "the manifest says nftables-json but 'edge.iptables-save' looks like iptables-save"), "\(r.listing)")
        #expect(r.has(.error, line: 9, column: 29, "format aws takes 'files'"))
        #expect(r.has(.error, line: 10, column: 39, "'files' is for format aws; iptables-save takes one 'file'"))
        #expect(r.has(.error, line: 11, column: 68, "AWS security groups sit in the cloud: expected placement kind cloud, not network"))
        #expect(r.has(.error, line: 12, column: 53, "placement kind cloud is for AWS exports (format aws), not iptables-save"))
        #expect(r.has(.error, line: 13, column: 22, "cannot tell the format of 'aws/subnets.json'"))
        #expect(r.has(.warning, line: 14, column: 42, "'aws/subnets.json' does not look like the output of aws ec2 describe-security-groups"))
        #expect(r.has(.error, line: 15, column: 82, "a network firewall needs at least one interface facing a zone"))
    }

    @Test func interfaces() {
        let r = Inputs.check(Self.head + """
            firewalls:
              - name: edge
                file: edge.iptables-save
                placement:
                  kind: network
                  interfaces:
                    - { name: eth0, zone: internet }
                    - { name: eth0, zone: dmz }
                    - { name: "eth 1", zone: dmz }
                    - { name: averyveryverylongname, zone: dmz }
                    - { name: "+", zone: dmz }
                    - { name: "br-+", zone: dmz }
            """)
        #expect(r.has(.error, line: 14, column: 19, "interface eth0 is listed twice (first at line 13)"), "\(r.listing)")
        #expect(r.has(.error, line: 15, column: 19, "expected an interface name of at most 15 characters"))
        #expect(r.has(.error, line: 16, column: 19, "(not 'averyveryverylongname')"))
        #expect(r.has(.error, line: 17, column: 19, "(not '+')"))
        #expect(r.errors.count == 4)
    }

    // MARK: Not a manifest at all

    @Test func notYAML() {
        let r = Inputs.check("version: 1\nzones:\n  - name: [a\n    kind: corp\n")
        #expect(r.manifest == nil)
        #expect(r.diagnostics.count == 1)
        #expect(r.diagnostics.first?.severity == .error)
        #expect(r.diagnostics.first?.message.hasPrefix("not YAML:") == true, "\(r.listing)")
        #expect(r.diagnostics.first?.location.line == 4)
    }

    @Test func duplicateYAMLKeys() {
        let r = Inputs.check("version: 1\nzones:\n  - { name: a, kind: corp, trust: low, kind: dmz }\n")
        // libyaml's composer names the first of the repeated keys.
        #expect(r.has(.error, line: 3, column: 16, "duplicate key 'kind' in one mapping"), "\(r.listing)")
    }

    @Test func notAMapping() {
        for text in ["", "# only a comment\n", "- a\n- b\n", "just text\n"] {
            let r = Inputs.check(text)
            #expect(r.manifest == nil)
            #expect(r.errors.count == 1, "\(text): \(r.listing)")
        }
        #expect(Inputs.check("zones: 5\nversion: 1\n").has(.error, line: 1, column: 8, "expected zones as a list"))
    }

    @Test func aliasesCannotBlowUpTheReader() {
        // 300 names, a rule naming them all as sources and destinations (90,000 pairs), and the
        // rule repeated 300 times by alias: 27 million pairs and 180,000 unknown zones from 4 KB.
        let names = (1...300).map { "z\($0)" }.joined(separator: ", ")
        let yaml = """
            version: 1
            zones:
              - { name: a, kind: corp, trust: low }
            policy:
              rules:
                - &r { from: &n [\(names)], to: *n, allow: none }

            """ + String(repeating: "    - *r\n", count: 300)
        let clock = ContinuousClock()
        var r: EstateLoader.Result?
        let elapsed = clock.measure { r = Inputs.check(yaml) }
        #expect(elapsed < .seconds(10))
        #expect(r?.manifest == nil)
        #expect((r?.diagnostics.count ?? 0) <= 1001)
        #expect(r?.errors.contains { $0.message.contains("too large to read") } == true, "\(r?.listing.prefix(300) ?? "")")
    }

    @Test func diagnosticsStopAtAThousand() {
        let yaml = "version: 1\nzones:\n" + String(repeating: "  - { name: a, kind: corp, trust: low, colour: red }\n", count: 1500)
        let r = Inputs.check(yaml)
        #expect(r.diagnostics.count == 1001)
        #expect(r.diagnostics.last?.message == "too many problems; stopped reporting after 1000")
    }

    // MARK: Loading from disk

    @Test func loadReportsEveryProblemOfABrokenEstate() {
        let r = EstateLoader.load(Inputs.path("broken"))
        #expect(r.manifest == nil)
        let file = Inputs.path("broken") + "/bulwark.yaml"
        #expect(r.diagnostics.allSatisfy { $0.location.file == file })
        #expect(r.errors.count >= 6, "\(r.listing)")
        #expect(r.has(.error, line: 11, column: 5, "unknown key 'cidr' in a zone; did you mean 'cidrs'?"), "\(r.listing)")
        #expect(r.has(.error, line: 14, column: 11, "export file 'edge.iptables-save' does not exist"))
        #expect(r.has(.error, line: 19, column: 31, "unknown zone 'lan' in interface"))
        #expect(r.has(.error, line: 22, column: 43, "allowed service 'tcp/https'"))
        #expect(r.has(.error, line: 25, column: 17, "'10.0.0.300' is not an address"))
        #expect(r.has(.error, line: 26, column: 11, "duplicate host name 'db01'"))
        // In file order, as a compiler lists them.
        let lines = r.diagnostics.map(\.location.line)
        #expect(lines == lines.sorted())
    }

    @Test func loadWithoutAnEstate() {
        let nowhere = EstateLoader.load("/nonexistent/estate")
        #expect(nowhere.manifest == nil)
        #expect(nowhere.diagnostics.first?.message.contains("no estate here") == true)
        let empty = EstateLoader.load(Inputs.path("acme/hosts"))
        #expect(empty.diagnostics.first?.message == "the folder holds no bulwark.yaml (the estate manifest)")
        #expect(empty.diagnostics.first?.location.file == Inputs.path("acme/hosts"))
    }

    @Test func diagnosticsPrintAsFileLineColumn() {
        let r = Inputs.check(Self.head + "policy: { default: maybe }\n")
        #expect(r.diagnostics.map(\.description) == ["broken.yaml:7:20: error: expected the policy default: one of deny, allow (not 'maybe')"])
    }
}
