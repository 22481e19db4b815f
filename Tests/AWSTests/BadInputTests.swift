import AWS
import BulwarkModel
import PacketSpace
import Testing

/// Bad input never crashes: a malformed element is a diagnostic at its place, and input that cannot
/// be used at all is an error that says why.
@Suite struct BadInputTests {
    @Test func malformedElementsAreDiagnosedInPlace() throws {
        let estate = try AWSEstate.load([try Inputs.file(Inputs.own("malformed/ec2-describe-security-groups.json"))])
        let d = estate.diagnostics.map { "\($0.location.line):\($0.location.column ?? 0) \($0.severity.rawValue): \($0.message)" }
        let expected = [
            "3:9 error: expected a security group (a JSON object) in \"SecurityGroups\"; skipped",
            "4:9 error: expected \"GroupId\" (a string) in a security group; skipped",
            "14:17 error: IpPermission: IpProtocol 'tcpx' is not -1, tcp, udp, icmp, icmpv6 or a protocol number 0-255",
            "15:51 error: expected \"FromPort\" to be an integer",
            "15:17 warning: IpPermission: AWS requires a tcp port range; read FromPort missing as 0, as Batfish does",
            "16:93 error: \"CidrIp\": '10.0.0.300/8' is not an IPv4 CIDR block (expected a.b.c.d/n)",
            "17:17 error: IpPermission: tcp ports 100-50 are not a port range; read as matching nothing",
            "18:82 error: expected \"CidrIp\" (a string) in an IpRanges element",
            "19:90 error: expected \"GroupId\" (a string) in a UserIdGroupPairs element",
            "20:17 error: expected an IpPermission (a JSON object)",
            "21:17 error: expected \"IpProtocol\" (a string) in an IpPermission",
            "22:17 warning: IpPermission names no address range, group or prefix list: it admits nothing",
            "24:36 error: expected \"IpPermissionsEgress\" to be an array",
        ]
        for line in expected { #expect(d.contains(line), "missing: \(line)\nall:\n\(d.joined(separator: "\n"))") }
        #expect(d.count == expected.count, "\(d.joined(separator: "\n"))")
        #expect(estate.diagnostics.allSatisfy { $0.location.file == "ec2-describe-security-groups.json" })

        // The one readable group keeps every permission; the unreadable ones are never exact.
        let group = try #require(estate.securityGroups.first)
        #expect(estate.securityGroups.count == 1 && group.ingress.count == 9 && group.egress.isEmpty)
        let exact = group.ingress.map { estate.packets(of: $0, in: group).exact }
        #expect(exact == [false, false, false, false, false, false, false, false, true])
        #expect(group.ingress[0].service == Levels(certain: nil, assumed: nil, possible: .everything))
    }

    @Test func unusableInputIsAnError() throws {
        func failure(_ files: [AWSInputFile]) -> AWSLoadError? {
            do { _ = try AWSEstate.load(files); return nil } catch { return error }
        }
        let notJSON = failure([try Inputs.file(Inputs.own("malformed/not-json.yaml"))])
        #expect(notJSON?.code == "not-json" && notJSON?.line == 1 && notJSON?.column == 1)
        #expect(notJSON?.description.hasPrefix("not-json.yaml:1:1: error: not JSON") == true)
        #expect(failure([try Inputs.file(Inputs.own("malformed/only-vpcs.json"))])?.code == "no-security-groups")
        #expect(failure([try Inputs.file(Inputs.own("malformed/unknown.json"))])?.code == "unrecognised-export")
        #expect(failure([try Inputs.file(Inputs.own("malformed/wrong-shape.json"))])?.code == "wrong-shape")
        let declared = failure([try Inputs.file(Inputs.own("malformed/only-vpcs.json"), kind: .securityGroups)])
        #expect(declared?.code == "missing-key" && declared?.message == "expected a top-level \"SecurityGroups\" key")
        #expect(failure([])?.code == "no-security-groups")
        #expect(failure([AWSInputFile(name: "truncated.json", text: "{\"SecurityGroups\": [\n  {\"GroupId\": ")])?.line == 2)
    }

    /// Random damage to a real-shaped export: reading never traps, and either fails with an error or
    /// yields an estate whose every diagnostic points inside the file.
    @Test func damagedInputNeverTraps() throws {
        let original = try Inputs.file(Inputs.own("shop/ec2-describe-security-groups.json")).bytes
        let lines = original.split(separator: 0x0A, omittingEmptySubsequences: false).count
        var rng = SplitMix64(seed: 99)
        let junk: [[UInt8]] = [Array("-1".utf8), Array("\"x\"".utf8), Array("null".utf8), Array("{}".utf8), Array("[]".utf8), Array("99999999".utf8)]
        for _ in 0..<300 {
            var bytes = original
            for _ in 0..<(1 + Int(rng.next() % 3)) {
                let at = Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 3 {
                case 0: bytes.remove(at: at)
                case 1: bytes.insert(UInt8(rng.next() % 128), at: at)
                default: bytes.replaceSubrange(at..<min(bytes.count, at + Int(rng.next() % 12)), with: junk[Int(rng.next() % UInt64(junk.count))])
                }
            }
            guard let estate = try? AWSEstate.load([AWSInputFile(name: "damaged.json", bytes: bytes)]) else { continue }
            #expect(estate.diagnostics.allSatisfy { $0.location.line >= 1 && $0.location.line <= lines + 1 })
            _ = estate.findings()
        }
    }
}
