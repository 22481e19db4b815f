public import BulwarkModel

/// Packet lines in netfilter-oracle's format: one JSON object per line with `src`, `dst`, `proto`,
/// `sport`, `dport` and, optionally, `state`, `in`, `out`, `mac`, `icmp_type`, `icmp_code`, `tcp_flags`.
public enum PacketLines {
    /// The packet a line describes, with the line's own members (echoed in answers).
    public static func parse(_ line: [UInt8]) -> Result<(PacketDescription, [(String, JSONValue)]), PacketLineError> {
        let value: JSONValue
        do { value = try JSONParser.parse(line, maxDepth: 8) } catch { return .failure(PacketLineError(message: "not JSON: \(error)")) }
        guard let members = value.object else { return .failure(PacketLineError(message: "expected a JSON object")) }
        guard let src = value["src"]?.string, let dst = value["dst"]?.string else {
            return .failure(PacketLineError(message: "expected \"src\" and \"dst\" addresses"))
        }
        var d = PacketDescription(source: src, destination: dst, proto: value["proto"]?.string ?? "tcp")
        if let p = value["proto"], p.string == nil, let n = p.int { d.proto = String(n) }
        func int(_ key: String) -> Result<Int?, PacketLineError> {
            guard let v = value[key], !v.isNull else { return .success(nil) }
            guard let n = v.int else { return .failure(PacketLineError(message: "expected an integer \"\(key)\"")) }
            return .success(n)
        }
        switch (int("sport"), int("dport"), int("icmp_type"), int("icmp_code")) {
        case let (.success(a), .success(b), .success(c), .success(e)):
            d.sourcePort = a; d.destinationPort = b; d.icmpType = c; d.icmpCode = e
        case (.failure(let e), _, _, _), (_, .failure(let e), _, _), (_, _, .failure(let e), _), (_, _, _, .failure(let e)):
            return .failure(e)
        }
        d.state = value["state"]?.string
        d.inInterface = value["in"]?.string
        d.outInterface = value["out"]?.string
        d.sourceMAC = value["mac"]?.string
        d.tcpFlags = value["tcp_flags"]?.string
        return .success((d, members))
    }
}

public struct PacketLineError: Error, Sendable {
    public var message: String
}
