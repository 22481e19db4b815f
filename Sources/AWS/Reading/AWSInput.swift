/// The AWS CLI exports Bulwark reads, each known by its top-level key.
public enum AWSInputKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// `aws ec2 describe-security-groups`: `{"SecurityGroups": […]}`. Required.
    case securityGroups = "SecurityGroups"
    /// `aws ec2 describe-instances`: `{"Reservations": [{"Instances": […]}]}`.
    case instances = "Reservations"
    /// `aws ec2 describe-network-interfaces`: `{"NetworkInterfaces": […]}`.
    case networkInterfaces = "NetworkInterfaces"
    /// `aws ec2 describe-subnets`: `{"Subnets": […]}`.
    case subnets = "Subnets"
    /// `aws ec2 describe-vpcs`: `{"Vpcs": […]}`.
    case vpcs = "Vpcs"
    /// `aws ec2 describe-network-acls`: `{"NetworkAcls": […]}`.
    case networkACLs = "NetworkAcls"

    /// The top-level key of the export.
    public var key: String { rawValue }
}

/// One export file's bytes and the name findings and diagnostics use for it.
public struct AWSInputFile: Sendable {
    public var name: String
    public var bytes: [UInt8]
    /// What the file is; nil to recognise it by its top-level key.
    public var kind: AWSInputKind?

    public init(name: String, bytes: [UInt8], kind: AWSInputKind? = nil) {
        self.name = name
        self.bytes = bytes
        self.kind = kind
    }

    public init(name: String, text: String, kind: AWSInputKind? = nil) {
        self.init(name: name, bytes: Array(text.utf8), kind: kind)
    }
}

/// Input Bulwark cannot use at all: not JSON, not an export it knows, or no security groups.
public struct AWSLoadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable code: `not-json`, `unrecognised-export`, `missing-key`, `wrong-shape`, `no-security-groups`.
    public var code: String
    public var file: String
    /// Where in the file, when one place is to blame.
    public var line: Int?
    public var column: Int?
    public var message: String

    public init(code: String, file: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.code = code
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        let place = line.map { l in column.map { "\(file):\(l):\($0)" } ?? "\(file):\(l)" } ?? file
        return "\(place): error: \(message)"
    }
}
