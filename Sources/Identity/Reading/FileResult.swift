import BulwarkModel

/// Certificate facts an ADCS object carries, for the certificate-chain edges.
struct CertificateFacts: Sendable {
    var thumbprint: String?
    var chain: [String] = []
    var thumbprints: [String] = []
}

/// One object of a collector file's `data` array, read.
struct ParsedObject: Sendable {
    /// The object's id in its file's table.
    var local: Int32
    var principal: Principal
    /// Where its compacted `Properties` sit in the file's property bytes (count 0: none).
    var propertyStart: Int
    var propertyCount: Int
    /// The collector's `DomainSID` field (computers, root CAs, NTAuth stores).
    var domainSIDField: String?
    var certificate: CertificateFacts?
}

/// Everything one collector file yields. Ids are numbered in a table of the file's own, so files
/// are read in parallel and merged afterwards with one dictionary look-up per distinct id.
struct FileResult: Sendable {
    var name: String
    /// The kind of the file's objects (from `meta.type`, else the file name).
    var kind: PrincipalKind?
    var metaType: String?
    var version: Int?
    var declaredCount: Int?
    var dataCount = 0
    var objects: [ParsedObject] = []
    /// The file's id table: ids, and a kind and a name learned from references, when any.
    var ids: [String] = []
    var hints: [PrincipalKind?] = []
    var referenceNames: [Int32: String] = [:]
    var edgeFrom: [Int32] = []
    var edgeTo: [Int32] = []
    var edgeKind: [EdgeKind] = []
    var propertyBytes: [UInt8] = []
    var diagnostics: [Diagnostic] = []
    /// True when the file could not be used at all (its objects were dropped).
    var rejected = false
}

/// Where one collector file's data went, for reports and the benchmark.
public struct CollectorFileSummary: Sendable, Hashable {
    /// The file as named in diagnostics (`folder/20240305110018_users.json`, `a.zip/…`).
    public var file: String
    /// `meta.type` as written, or the type taken from the file name.
    public var type: String?
    /// `meta.version`.
    public var version: Int?
    /// `meta.count`.
    public var declaredCount: Int?
    /// Elements of `data`.
    public var objectCount: Int
    /// False when the file could not be read (its diagnostics say why).
    public var used: Bool
}
