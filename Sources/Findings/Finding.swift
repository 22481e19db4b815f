public import BulwarkModel
public import Frameworks

/// One thing someone should act on, from any engine, in one shape: what it is, how serious, where
/// it is (file and line), what to do, and who it goes to. `bulwark analyze` writes them to
/// findings.json (docs/schema/findings.md).
public struct Finding: Sendable, Hashable {
    /// Stable across runs and unrelated edits (from the rule and what the finding is about).
    public var id: String
    /// The kind, as `source/kind`: `firewall/over-permissive`, `segmentation/forbidden-flow-open`,
    /// `vulnerability/exploitable`, `attack/target-reachable`, `risk/scenario`, `control/gap`.
    public var rule: String
    public var severity: Severity
    /// One line.
    public var title: String
    public var message: String
    public var fix: String
    /// What it is about: a firewall, a host, a zone pair, an information asset, a control.
    public var subject: String
    /// Where it can be seen in the inputs (relative paths as the reports show them).
    public var locations: [FileLocation]
    /// False when an approximation touches it (the message says which).
    public var exact: Bool
    public var routing: Routing

    public init(id: String, rule: String, severity: Severity, title: String, message: String, fix: String, subject: String,
                locations: [FileLocation], exact: Bool = true, routing: Routing) {
        self.id = id
        self.rule = rule
        self.severity = severity
        self.title = title
        self.message = message
        self.fix = fix
        self.subject = subject
        self.locations = locations
        self.exact = exact
        self.routing = routing
    }
}
