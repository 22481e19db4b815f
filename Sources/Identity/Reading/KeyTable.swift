/// Matches JSON keys and enumerated string values to a fixed vocabulary, ignoring ASCII case,
/// without making a `String` of each key: an FNV-1a hash of the case-folded bytes picks the
/// candidate, and a byte comparison confirms it.
struct KeyTable<Value: Sendable>: Sendable {
    private struct Slot: Sendable {
        var hash: UInt64
        var name: [UInt8]
        var value: Value
    }

    /// Open addressing, power-of-two size, at most a quarter full.
    private var slots: [Slot?]
    private let mask: Int

    init(_ pairs: [(String, Value)]) {
        var size = 16
        while size < pairs.count * 4 { size *= 2 }
        slots = Array(repeating: nil, count: size)
        mask = size - 1
        for (name, value) in pairs {
            let bytes = Array(name.lowercased().utf8)
            let h = bytes.withUnsafeBufferPointer { KeyTable.hash($0) }
            var at = Int(truncatingIfNeeded: h) & mask
            while let slot = slots[at] {
                precondition(slot.name != bytes, "duplicate key in a key table: \(name)")
                at = (at + 1) & mask
            }
            slots[at] = Slot(hash: h, name: bytes, value: value)
        }
    }

    @inline(__always) static func fold(_ c: UInt8) -> UInt8 { c >= 65 && c <= 90 ? c | 0x20 : c }

    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for c in bytes { h = (h ^ UInt64(fold(c))) &* 0x0000_0100_0000_01B3 }
        return h
    }

    /// The value for the string `k` of `scanner`'s input, or nil.
    func lookup(_ k: JSONScanner.Key, in scanner: JSONScanner) -> Value? {
        if k.escaped {
            let decoded = JSONScanner.unescape(UnsafeBufferPointer(start: scanner.p + k.start, count: k.count))
            return decoded.withUnsafeBufferPointer { lookup($0) }
        }
        return lookup(UnsafeBufferPointer(start: scanner.p + k.start, count: k.count))
    }

    func lookup(_ bytes: UnsafeBufferPointer<UInt8>) -> Value? {
        guard bytes.count <= 48 else { return nil }
        let h = KeyTable.hash(bytes)
        var at = Int(truncatingIfNeeded: h) & mask
        return slots.withUnsafeBufferPointer { table -> Value? in
            while let slot = table[at] {
                if slot.hash == h && slot.name.count == bytes.count
                    && zip(slot.name, bytes).allSatisfy({ $0 == KeyTable.fold($1) }) {
                    return slot.value
                }
                at = (at + 1) & mask
            }
            return nil
        }
    }
}

/// Every key the collector reader looks at, in any of the objects of a collector file.
enum Field: CaseIterable {
    // Top level and meta
    case data, meta, type, count, version
    // Objects
    case objectIdentifier, objectType, properties, aces, members, primaryGroupSID, allowedToDelegate, allowedToAct
    case hasSIDHistory, dumpSMSAPassword, sessions, privilegedSessions, registrySessions, results, collected
    case userSID, computerSID, localGroups, localAdmins, remoteDesktopUsers, dcomUsers, psRemoteUsers, userRights
    case privilege, childObjects, containedBy, links, guid, trusts, targetDomainSid, targetDomainName
    case trustDirection, trustType, sidFilteringEnabled, tgtDelegationEnabled, gpoChanges, affectedComputers
    case spnTargets, service, isDC, domainSID, hostingComputer, enabledCertTemplates, caRegistryData, caSecurity
    case isDeleted, isACLProtected, groupLink, unconstrainedDelegation
    // Access control entries
    case principalSID, principalType, rightName
    // Properties
    case name, domain, enabled, adminCount, highValue, isTierZero, adminTier, systemTags, hasSPN, dontReqPreAuth
    case trustedToAuth, sensitive, passwordNotReqd, pwdNeverExpires, hasLAPS, lastLogon, lastLogonTimestamp
    case pwdLastSet, whenCreated, operatingSystem, samAccountName, distinguishedName, certThumbprint, certChain
    case certThumbprints, gmsa, msa, blocksInheritance

    /// The key as collectors write it, any case.
    var key: String {
        switch self {
        case .systemTags: "system_tags"
        case .objectIdentifier: "ObjectIdentifier"
        default: String(describing: self)
        }
    }

    static let table = KeyTable(Field.allCases.map { ($0.key, $0) })
}

/// `ObjectType`/`PrincipalType` values.
let principalKindLabels = KeyTable<PrincipalKind>([
    ("Base", .base), ("Entity", .base), ("User", .user), ("Group", .group), ("Computer", .computer), ("Domain", .domain),
    ("OU", .ou), ("GPO", .gpo), ("Container", .container), ("CertTemplate", .certTemplate),
    ("EnterpriseCA", .enterpriseCA), ("RootCA", .rootCA), ("AIACA", .aiaCA), ("NTAuthStore", .ntAuthStore),
    ("IssuancePolicy", .issuancePolicy),
])

/// `ObjectType`/`PrincipalType` values naming a computer's local accounts, which are not nodes here.
let localPrincipalLabels = KeyTable<Bool>([("LocalGroup", true), ("ADLocalGroup", true), ("LocalUser", true), ("ADLocalUser", true)])

/// ACE `RightName` values that become edges.
let aceRightNames = KeyTable<EdgeKind>(
    EdgeKind.allCases.filter(\.isACL).map { ($0.name, $0) } + [("OwnsRaw", .owns), ("WriteOwnerRaw", .writeOwner)]
)
