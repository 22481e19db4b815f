#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

// What ATT&CK's fact table takes from a STIX 2.x bundle. Decoding never fails past the JSON
// itself: a field that is absent or of another type reads as nil, so that one odd object is left
// out instead of refusing the bundle.

/// The top of a bundle: `{"type": "bundle", "objects": [...]}`.
struct STIXBundle: Decodable {
    var isObject = false
    var type: String?
    /// Nil when absent or not an array.
    var objects: [STIXObject]?

    enum Key: String, CodingKey { case type, objects }

    init(from decoder: any Decoder) {
        guard let c = try? decoder.container(keyedBy: Key.self) else { return }
        isObject = true
        type = c.string(.type)
        objects = (try? c.decodeIfPresent([STIXObject].self, forKey: .objects)) ?? nil
    }
}

/// One STIX object, the fields the table uses.
struct STIXObject: Decodable {
    var type: String?
    var id: String?
    var name: String?
    /// A tactic's `x_mitre_shortname`.
    var shortname: String?
    /// A collection's `x_mitre_version`.
    var version: String?
    var relationshipType: String?
    var sourceRef: String?
    var targetRef: String?
    /// `revoked` or `x_mitre_deprecated` with a true value (in Python's sense, as the script reads it).
    var isLive = true
    /// The first `mitre-attack` external reference's `external_id`; nil when it is not a string.
    var externalID: String?
    /// The `mitre-attack` kill chain phases; nil when one is malformed.
    var tactics: [String]? = []

    enum Key: String, CodingKey {
        case type, id, name, revoked
        case shortname = "x_mitre_shortname", version = "x_mitre_version", deprecated = "x_mitre_deprecated"
        case relationshipType = "relationship_type", sourceRef = "source_ref", targetRef = "target_ref"
        case references = "external_references", phases = "kill_chain_phases"
    }

    init(from decoder: any Decoder) {
        guard let c = try? decoder.container(keyedBy: Key.self) else { return }
        type = c.string(.type)
        id = c.string(.id)
        name = c.string(.name)
        shortname = c.string(.shortname)
        version = c.string(.version)
        relationshipType = c.string(.relationshipType)
        sourceRef = c.string(.sourceRef)
        targetRef = c.string(.targetRef)
        isLive = !c.truth(.revoked) && !c.truth(.deprecated)
        if c.contains(.references), let refs = try? c.decode([Reference].self, forKey: .references),
           let ref = refs.first(where: { $0.source == "mitre-attack" && $0.id.isTrue }) {
            externalID = ref.id.string
        }
        if c.contains(.phases) {
            let phases = try? c.decode([Phase].self, forKey: .phases)
            tactics = phases.flatMap { phases in
                let attack = phases.filter { $0.chain == "mitre-attack" }
                return attack.allSatisfy { $0.phase != nil } ? attack.compactMap(\.phase) : nil
            }
        }
    }

    struct Reference: Decodable {
        var source: String?
        var id = Loose.truth(false)

        enum Key: String, CodingKey { case source = "source_name", id = "external_id" }

        init(from decoder: any Decoder) {
            guard let c = try? decoder.container(keyedBy: Key.self) else { return }
            source = c.string(.source)
            id = (try? c.decodeIfPresent(Loose.self, forKey: .id)) ?? nil ?? .truth(false)
        }
    }

    struct Phase: Decodable {
        var chain: String?
        var phase: String?

        enum Key: String, CodingKey { case chain = "kill_chain_name", phase = "phase_name" }

        init(from decoder: any Decoder) {
            guard let c = try? decoder.container(keyedBy: Key.self) else { return }
            chain = c.string(.chain)
            phase = c.string(.phase)
        }
    }
}

/// Any JSON value, as a string or as its truth in Python's sense (null, false, 0, "", [] and {}
/// are false).
enum Loose: Decodable {
    case string(String)
    case truth(Bool)

    var string: String? { if case .string(let s) = self { s } else { nil } }
    var isTrue: Bool {
        switch self {
        case .string(let s): !s.isEmpty
        case .truth(let t): t
        }
    }

    init(from decoder: any Decoder) {
        guard let c = try? decoder.singleValueContainer() else { self = .truth(false); return }
        if c.decodeNil() { self = .truth(false) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let b = try? c.decode(Bool.self) { self = .truth(b) }
        else if let n = try? c.decode(Double.self) { self = .truth(n != 0) }
        else if let a = try? c.decode([Ignored].self) { self = .truth(!a.isEmpty) }
        else if let o = try? c.decode([String: Ignored].self) { self = .truth(!o.isEmpty) }
        else { self = .truth(true) }  // a number too large for a Double
    }
}

/// A JSON value read past.
struct Ignored: Decodable {
    init(from decoder: any Decoder) {}
}

extension KeyedDecodingContainer {
    /// The value at `key` when it is a string.
    func string(_ key: Key) -> String? { (try? decodeIfPresent(String.self, forKey: key)) ?? nil }

    /// The truth of the value at `key` in Python's sense; false when absent.
    func truth(_ key: Key) -> Bool { ((try? decodeIfPresent(Loose.self, forKey: key)) ?? nil)?.isTrue ?? false }
}
