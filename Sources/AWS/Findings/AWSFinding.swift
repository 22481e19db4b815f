public import BulwarkModel

/// Kinds of AWS findings. The raw values are the JSON contract.
public enum AWSFindingKind: String, Sendable, CaseIterable, Codable {
    /// An ingress permission lets the whole IPv4 or IPv6 internet reach an administrative service.
    case adminPortOpenToWorld = "admin-port-open-to-world"
    /// A rule (one peer of a permission) whose packets another rule of the same group and direction
    /// already allows: deleting it changes nothing.
    case subsumedPermission = "subsumed-permission"
    /// A group no known interface carries.
    case unusedGroup = "unused-group"
    /// A permission whose peer admits far more than a least-privilege rule would.
    case broadReference = "broad-reference"
}

/// One finding about security groups.
public struct AWSFinding: Hashable, Sendable {
    /// Stable across runs and line moves: derived from the kind, the group and the permission's content.
    public var id: String
    public var kind: AWSFindingKind
    public var severity: Severity
    public var groupId: String
    /// The permission concerned; nil for group-level findings.
    public var permission: PermissionLocator?
    /// Where to look: the permission object, or the group object.
    public var location: FileLocation
    public var message: String
    public var fix: String
    public var exact: Bool
    public var inexactReasons: [String]
    /// Other permissions the finding names (those that subsume, those that reference).
    public var related: [PermissionLocator]
    public var lens: Lens
    public var role: Role
    public var domain: CISSPDomain

    public init(id: String, kind: AWSFindingKind, severity: Severity, groupId: String, permission: PermissionLocator?, location: FileLocation,
                message: String, fix: String, inexactReasons: [String], related: [PermissionLocator] = []) {
        self.id = id
        self.kind = kind
        self.severity = severity
        self.groupId = groupId
        self.permission = permission
        self.location = location
        self.message = message
        self.fix = fix
        exact = inexactReasons.isEmpty
        self.inexactReasons = inexactReasons
        self.related = related
        switch kind {
        case .adminPortOpenToWorld, .broadReference:
            lens = .cybersecurity
            role = .networkSecurityEngineer
            domain = .communicationAndNetworkSecurity
        case .subsumedPermission, .unusedGroup:
            lens = .itSecurity
            role = .firewallAdministrator
            domain = .securityOperations
        }
    }
}


/// What the checks look for; the defaults are documented in docs/aws.md.
public struct AWSAnalysisOptions: Sendable {
    public var administrativeServices: [AdministrativeService]
    /// A reference to a group is broad when the group has at least this many members …
    public var broadGroupMinimumMembers: Int
    /// … and they are at least this share of the known interfaces of the referencing group's VPC.
    public var broadGroupShare: Double

    public init(administrativeServices: [AdministrativeService] = AdministrativeService.standard, broadGroupMinimumMembers: Int = 3,
                broadGroupShare: Double = 0.5) {
        self.administrativeServices = administrativeServices
        self.broadGroupMinimumMembers = broadGroupMinimumMembers
        self.broadGroupShare = broadGroupShare
    }
}

extension AdministrativeService {
    /// `ssh (tcp 22)`, as AWS findings write protocols and ports.
    var awsLabel: String { "\(name) (\(ServiceMatch.protocolName(protocolNumber)) \(port))" }
}
