import PacketSpace
import Testing

@Suite struct ValueCodingTests {
    @Test(arguments: [
        ("192.0.2.1", "192.0.2.1"), ("0.0.0.0", "0.0.0.0"), ("255.255.255.255", "255.255.255.255"),
    ])
    func ipv4RoundTrips(text: String, formatted: String) throws {
        let v = try #require(IPAddress.parseV4(text[...]))
        #expect(IPAddress.ipv4Range.contains(v))
        #expect(IPAddress.format(v, family: .ipv4) == formatted)
    }

    @Test(arguments: ["1.2.3", "1.2.3.4.5", "256.1.1.1", "1..2.3", "a.b.c.d", "", "1.2.3.4 "])
    func badIPv4IsRefused(text: String) { #expect(IPAddress.parseV4(text[...]) == nil) }

    @Test(arguments: [
        ("::", "::"), ("::1", "::1"), ("2001:db8::", "2001:db8::"), ("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
        ("fe80::1:2", "fe80::1:2"), ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"), ("::ffff:192.0.2.1", "::ffff:c000:201"),
        ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"), ("1::", "1::"), ("1:0:0:2:0:0:0:3", "1:0:0:2::3"),
    ])
    func ipv6RoundTrips(text: String, formatted: String) throws {
        let v = try #require(IPAddress.parseV6(text[...]))
        #expect(IPAddress.format(v, family: .ipv6) == formatted)
        #expect(IPAddress.parseV6(formatted[...]) == v)
    }

    @Test(arguments: [":::", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", "g::", "1:2:3:4:5:6:7", ":1::", "1::2:"])
    func badIPv6IsRefused(text: String) { #expect(IPAddress.parseV6(text[...]) == nil) }

    @Test func networksAreIntervals() throws {
        let net = try #require(IPAddress.parseNetwork("10.1.2.3/8", family: .ipv4))
        #expect(net == IPAddress.v4(0x0A00_0000)...IPAddress.v4(0x0AFF_FFFF))
        #expect(IPAddress.parseNetwork("10.0.0.0/255.255.0.0", family: .ipv4) == IPAddress.parseNetwork("10.0.0.0/16", family: .ipv4))
        #expect(IPAddress.parseNetwork("10.0.0.0/255.0.255.0", family: .ipv4) == nil)
        #expect(IPAddress.parseNetwork("0.0.0.0/0", family: .ipv4) == IPAddress.ipv4Range)
        #expect(IPAddress.parseNetwork("::/0", family: .ipv6) == 0...UInt128.max)
        #expect(IPAddress.format(range: net, family: .ipv4) == "10.0.0.0/8")
        let v6 = try #require(IPAddress.parseNetwork("2001:db8::/32", family: .ipv6))
        #expect(IPAddress.format(range: v6, family: .ipv6) == "2001:db8::/32")
    }

    @Test func interfaceWildcardsArePrefixIntervals() throws {
        let eth = try #require(InterfaceName.iptablesPattern("eth+"))
        for name in ["eth0", "eth1.96", "eth", "ethernet"] { #expect(eth.contains(InterfaceName.value(name[...])!)) }
        for name in ["et", "eti0", "lo", "wlan0"] { #expect(!eth.contains(InterfaceName.value(name[...])!)) }
        #expect(!eth.contains(0))
        let exact = try #require(InterfaceName.iptablesPattern("eth0"))
        #expect(exact.contains(InterfaceName.value("eth0")!))
        #expect(!exact.contains(InterfaceName.value("eth0.1")!))
        #expect(InterfaceName.name(InterfaceName.value("br-b74b417b331f")!) == "br-b74b417b331f")
        #expect(InterfaceName.value("averyveryverylongname") == nil)
    }

    @Test func tcpFlagMasks() {
        let syn = TCPFlags.matching(mask: [.syn, .rst, .ack, .fin], compare: .syn)
        #expect(syn.intervals.count == 1)
        #expect(syn.contains(UInt128(TCPFlags.syn.rawValue)))
        #expect(!syn.contains(UInt128(TCPFlags([.syn, .ack]).rawValue)))
        #expect(syn.count == 16)
        #expect(TCPFlags(names: "SYN,ACK") == [.syn, .ack])
        #expect(TCPFlags(names: "BOGUS") == nil)
    }

    @Test func macAddresses() {
        #expect(MACAddress.parse("00:1b:21:3a:4f:5e").map(MACAddress.format) == "00:1b:21:3a:4f:5e")
        #expect(MACAddress.parse("XX:XX:XX:XX:XX:XX") == nil)
    }
}
