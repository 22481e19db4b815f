import BulwarkModel
import Testing

/// The service notation shared by the manifest and the command line (`--service tcp/445`).
@Suite struct ServiceTests {
    @Test(arguments: [
        ("tcp/443", "tcp/443"),
        ("udp/53", "udp/53"),
        ("TCP/443", "tcp/443"),
        ("  tcp/22 ", "tcp/22"),
        ("tcp/8000-8080", "tcp/8000-8080"),
        ("tcp/3389,22", "tcp/22,3389"),
        ("tcp/22,23,24-30,8080", "tcp/22-30,8080"),
        ("tcp/80-90,85-100", "tcp/80-100"),
        ("tcp/0-65535", "tcp"),
        ("tcp/443-443", "tcp/443"),
        ("tcp", "tcp"),
        ("sctp/3868", "sctp/3868"),
        ("icmp", "icmp"),
        ("icmp/8", "icmp/8"),
        ("icmpv6/128", "icmpv6/128"),
        ("ipv6-icmp", "icmpv6"),
        ("any", "any"),
        ("ANY", "any"),
        ("gre", "gre"),
        ("ip/47", "gre"),
        ("ip/6", "tcp"),
        ("ip/253", "ip/253"),
        ("ssh", "tcp/22"),
        ("https", "tcp/443"),
        ("rdp", "tcp/3389"),
        ("smb", "tcp/445"),
        ("dns", "udp/53"),
        ("winrm", "tcp/5985-5986"),
        ("modbus", "tcp/502"),
        ("ping", "icmp/8"),
    ])
    func parsesAndRendersCanonically(text: String, canonical: String) throws {
        let service = try Service(parsing: text)
        #expect(service.description == canonical)
        // The canonical text reads back as the same service.
        #expect(Service(canonical) == service)
    }

    @Test func partsOfAParsedService() throws {
        let s = try Service(parsing: "tcp/22,8000-8080")
        #expect(s.protocolNumber == 6)
        #expect(s.ports == [22...22, 8000...8080])
        #expect(s.icmpType == nil)
        #expect(s.carriesPorts && !s.isICMP)
        let ping = try Service(parsing: "icmp/8")
        #expect(ping.protocolNumber == 1 && ping.icmpType == 8 && ping.ports.isEmpty && ping.isICMP)
        #expect(Service.any.protocolNumber == nil && Service.any.ports.isEmpty)
    }

    @Test func equalServicesDenoteTheSamePackets() {
        #expect(Service("ssh") == Service("tcp/22"))
        #expect(Service("tcp/22,23") == Service("tcp/22-23"))
        #expect(Service("tcp/0-65535") == Service("tcp"))
        #expect(Service("tcp/22") != Service("udp/22"))
        #expect(Service(protocolNumber: 47, ports: [1...2], icmpType: 3) == Service("gre"), "ports and types are dropped where they do not apply")
    }

    @Test(arguments: [
        ("", ServiceError.Code.empty),
        ("   ", .empty),
        ("tcp/", .badPort),
        ("tcp/99999", .badPort),
        ("tcp/-5", .badPort),
        ("tcp/22,", .badPort),
        ("tcp/http", .badPort),
        ("tcp/+22", .badPort),
        ("tcp/8080-8000", .badPortRange),
        ("gre/5", .portsNotApplicable),
        ("icmp/256", .badICMPType),
        ("icmp/echo", .badICMPType),
        ("ip/300", .badProtocolNumber),
        ("ip/", .badProtocolNumber),
        ("foo/80", .unknownProtocol),
        ("gopher", .unknownName),
        ("443", .unknownName),
    ])
    func rejectsWithACodeAndWhatWasExpected(text: String, code: ServiceError.Code) {
        #expect(throws: ServiceError.self) { try Service(parsing: text) }
        do {
            _ = try Service(parsing: text)
        } catch {
            #expect(error.code == code, "\(error)")
            #expect(error.message.contains("expected"), "\(error.message)")
            #expect(error.text == text)
        }
        #expect(Service(text) == nil)
    }

    @Test func everyWellKnownNameParsesToItsService() {
        for (name, service) in Service.wellKnown {
            #expect(Service(name) == service, "\(name)")
            #expect(service.protocolNumber != nil)
        }
        #expect(Set(Service.wellKnown.map(\.name)).count == Service.wellKnown.count, "names are unique")
    }
}
