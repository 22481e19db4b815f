/// A service that must not be reachable from the whole internet: reaching it is an attacker's
/// first step (remote administration, file sharing, databases, caches, search engines, directory,
/// container and cluster APIs, out-of-band management). Firewall and cloud checks use one list.
public struct AdministrativeService: Hashable, Sendable {
    public var protocolNumber: UInt8
    public var port: UInt16
    public var name: String
    public var severity: Severity

    public init(protocolNumber: UInt8, port: UInt16, name: String, severity: Severity) {
        self.protocolNumber = protocolNumber
        self.port = port
        self.name = name
        self.severity = severity
    }

    /// The list Bulwark checks by default (documented in docs/firewall-semantics.md and docs/aws.md).
    public static let standard: [AdministrativeService] = {
        let tcp: [(UInt16, String, Severity)] = [
            (22, "ssh", .high), (23, "telnet", .critical), (3389, "rdp", .critical), (445, "smb", .critical),
            (139, "netbios-ssn", .critical), (135, "msrpc", .high), (5985, "winrm", .high), (5986, "winrm-https", .high),
            (5900, "vnc", .high), (3306, "mysql", .high), (5432, "postgresql", .high), (1433, "mssql", .high),
            (1521, "oracle", .high), (27017, "mongodb", .critical), (6379, "redis", .critical), (9200, "elasticsearch", .critical),
            (11211, "memcached", .critical), (2375, "docker", .critical), (2376, "docker-tls", .high), (2379, "etcd", .critical),
            (6443, "kubernetes-api", .high), (10250, "kubelet", .critical), (389, "ldap", .high), (636, "ldaps", .medium),
            (873, "rsync", .high), (2049, "nfs", .high), (111, "rpcbind", .high), (21, "ftp", .high),
        ]
        let udp: [(UInt16, String, Severity)] = [
            (161, "snmp", .high), (69, "tftp", .high), (623, "ipmi", .critical), (11211, "memcached-udp", .high),
        ]
        return tcp.map { AdministrativeService(protocolNumber: 6, port: $0.0, name: $0.1, severity: $0.2) }
            + udp.map { AdministrativeService(protocolNumber: 17, port: $0.0, name: $0.1, severity: $0.2) }
    }()

    /// `ssh (tcp/22)`, in Service notation.
    public var label: String { "\(name) (\(Service(protocolNumber: protocolNumber, ports: [port...port], icmpType: nil)))" }
}
