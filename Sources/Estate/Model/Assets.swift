public import BulwarkModel
public import PacketSpace

extension EstateManifest {
    /// A host that matters to the analysis: a server, a workstation an attacker may phish, a
    /// crown jewel.
    public struct Host: Sendable, Hashable {
        public var name: String
        public var addresses: [HostAddress]
        /// As written, or the zone of the first address when the manifest leaves it out.
        public var zone: String
        /// Free text such as `web-server`, `domain-controller`, `workstation`.
        public var role: String?
        /// A host whose compromise is a business loss in itself, whatever data it holds.
        public var crownJewel: Bool
        public var tags: [String]
        public var description: String?
        public var location: FileLocation
    }

    /// One address of a host.
    public struct HostAddress: Sendable, Hashable, CustomStringConvertible {
        public var family: AddressFamily
        public var value: UInt128
        public var location: FileLocation

        public var description: String { IPAddress.format(value, family: family) }
    }

    /// Information the organization must protect, where it lives and what losing it costs.
    public struct InformationAsset: Sendable, Hashable {
        public var name: String
        public var classification: Classification
        public var cia: CIA
        /// What one loss event costs, when the organization has estimated it.
        public var loss: Loss?
        /// The hosts that hold the information.
        public var hosts: [String]
        public var description: String?
        public var location: FileLocation
    }

    /// The usual four-level information classification, from `public` to `restricted`.
    public enum Classification: String, Sendable, Hashable, CaseIterable, Comparable {
        case `public`, `internal`, confidential, restricted

        public static func < (a: Classification, b: Classification) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    /// How much the organization would suffer if one property of an asset were lost.
    public enum Impact: String, Sendable, Hashable, CaseIterable, Comparable {
        case low, medium, high, critical

        public static func < (a: Impact, b: Impact) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    /// The impact of losing confidentiality, integrity and availability.
    public struct CIA: Sendable, Hashable {
        public var confidentiality: Impact
        public var integrity: Impact
        public var availability: Impact

        public init(confidentiality: Impact, integrity: Impact, availability: Impact) {
            self.confidentiality = confidentiality
            self.integrity = integrity
            self.availability = availability
        }
    }

    /// A three-point estimate, `min ≤ mostLikely ≤ max`, as FAIR-style analysis takes its inputs.
    public struct Estimate: Sendable, Hashable {
        public var min: Double
        public var mostLikely: Double
        public var max: Double

        public init(min: Double, mostLikely: Double, max: Double) {
            self.min = min
            self.mostLikely = mostLikely
            self.max = max
        }
    }

    /// The cost of one loss event.
    public struct Loss: Sendable, Hashable {
        public var estimate: Estimate
        /// An ISO 4217 code such as `EUR` or `USD`.
        public var currency: String
        public var distribution: LossDistribution = .pert
        public var location: FileLocation
    }

    /// How a loss range is read: a PERT over (min, most likely, max), or a lognormal whose 5th and
    /// 95th percentiles are min and max (riskquant's; most likely is then not used).
    public enum LossDistribution: String, Sendable, Hashable, CaseIterable {
        case pert, lognormal
    }

    /// Where an attacker may start: a zone (the internet, a guest network, a supplier link), a
    /// host (a phished workstation, a VPN concentrator), or the users of an AD group (phishing),
    /// each of whom falls with the click rate.
    public struct EntryPoint: Sendable, Hashable {
        public var name: String
        public var kind: EntryPointKind
        public var target: Target
        /// How often attackers try this way in, in events a year, when estimated.
        public var frequency: Estimate?
        /// For a group: the share of its users who fall for one attempt (0...1), when estimated.
        public var clickRate: Double?
        public var description: String?
        public var location: FileLocation

        public enum Target: Sendable, Hashable {
            case zone(String)
            case host(String)
            /// An AD group by name (`FINANCE@CORP.LOCAL`) or object id; its enabled users, members
            /// directly or through nested groups.
            case group(String)
        }

        public init(name: String, kind: EntryPointKind, target: Target, frequency: Estimate? = nil, clickRate: Double? = nil,
                    description: String? = nil, location: FileLocation) {
            self.name = name
            self.kind = kind
            self.target = target
            self.frequency = frequency
            self.clickRate = clickRate
            self.description = description
            self.location = location
        }
    }

    public enum EntryPointKind: String, Sendable, Hashable, CaseIterable {
        case internet, phishing, vpn, insider, supplier, physical, other
    }

    /// A stated fact about a control, which the analysis takes as true: a backup exists and was
    /// restored, data is encrypted, MFA is enforced, an EDR runs, an attested control is in place.
    public struct Fact: Sendable, Hashable {
        public var detail: FactDetail
        /// What the fact is about; empty for the whole estate.
        public var appliesTo: [Reference]
        /// Where the claim can be checked (a report, a ticket, an audit).
        public var evidence: String?
        /// Who answers for the control (a person or a role).
        public var owner: String?
        public var location: FileLocation

        public var kind: FactKind { detail.kind }
    }

    public enum FactKind: String, Sendable, Hashable, CaseIterable {
        case backup, encryption, mfa, edr, patching, control
    }

    /// The kind of a fact and what it says. Absent optional values are unknown, not false.
    public enum FactDetail: Sendable, Hashable {
        case backup(offline: Bool?, immutable: Bool?, tested: CalendarDate?)
        case encryption(atRest: Bool?, inTransit: Bool?)
        case mfa(enforced: Bool, phishingResistant: Bool?)
        case edr(product: String?, mode: EDRMode?)
        /// Security updates are installed within `withinDays` days of release.
        case patching(withinDays: Int)
        /// An attested control from a framework (ISO/IEC 27001 Annex A, NIST CSF …): what it is
        /// called in the organization, and why it is not applicable or not implemented.
        case control(framework: String, id: String, status: ControlStatus, name: String?, justification: String?)

        public var kind: FactKind {
            switch self {
            case .backup: .backup
            case .encryption: .encryption
            case .mfa: .mfa
            case .edr: .edr
            case .patching: .patching
            case .control: .control
            }
        }
    }

    public enum EDRMode: String, Sendable, Hashable, CaseIterable {
        case detect, prevent
    }

    /// What the organization decided to do about one risk scenario, and who decided.
    public struct Treatment: Sendable, Hashable {
        /// The information asset.
        public var asset: String
        /// The objective; nil for all three of the asset's.
        public var objective: Objective?
        public var decision: TreatmentDecision
        public var owner: String
        /// The decision on record: a signed memo, a ticket, a board minute.
        public var record: String?
        public var reason: String?
        /// When it was decided, and when it must be looked at again.
        public var decided: CalendarDate?
        public var review: CalendarDate?
        public var location: FileLocation
    }

    /// Confidentiality, integrity or availability.
    public enum Objective: String, Sendable, Hashable, CaseIterable {
        case confidentiality, integrity, availability
    }

    /// ISO 31000's risk treatment options, with `open` for a risk nobody has decided on yet.
    public enum TreatmentDecision: String, Sendable, Hashable, CaseIterable {
        case open, mitigate, accept, transfer, avoid
    }

    public enum ControlStatus: String, Sendable, Hashable, CaseIterable {
        case implemented, partial, planned
        case notImplemented = "not-implemented"
        case notApplicable = "not-applicable"
    }
}

/// A calendar day, `YYYY-MM-DD`, without time or zone: when a backup was last restored is a day.
public struct CalendarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    /// Parses `YYYY-MM-DD` (years 1000–9999), checking the day exists in that month.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].utf8.count == 4, parts[1].utf8.count == 2, parts[2].utf8.count == 2,
              parts.allSatisfy({ $0.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }),
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), y >= 1000, (1...12).contains(m) else { return nil }
        let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
        guard (1...days).contains(d) else { return nil }
        year = y
        month = m
        day = d
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    public var description: String {
        func pad(_ n: Int, _ width: Int) -> String { String(repeating: "0", count: max(0, width - String(n).count)) + String(n) }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }
}
