import BulwarkModel

/// Reads one SharpHound/BloodHound collector file (`{"data": [...], "meta": {...}}`) into a
/// ``FileResult``: objects, their edges as BloodHound CE's ingest makes them, and diagnostics.
///
/// The reader is a single forward pass over the bytes (``JSONScanner``). Keys are matched without
/// regard to case (`SPNTargets` and `SpnTargets` alike); a byte-order mark is skipped. A field
/// of the wrong JSON type is a warning and is skipped; a syntax error, or `data` that is not an
/// array, makes the file unusable: an error diagnostic, and none of its objects are kept.
struct CollectorFileReader {
    /// At most this many diagnostics are kept per file; a note counts the rest.
    static let maxDiagnostics = 200
    /// At most this many distinct ids per file (the graph numbers principals in 28 bits).
    static let maxIDs = 1 << 28

    private var s: JSONScanner
    private var r: FileResult
    private var table = IDTable()
    private var pending: [(severity: Diagnostic.Severity, offset: Int, message: String)] = []
    private var droppedDiagnostics = 0
    private var unknownRights: [String: Int] = [:]
    private var skippedOwnerRights = 0

    // Scratch for the object being read; edges to or from it use `selfID` until its id is known.
    private static let selfID: Int32 = -1
    private var objFrom: [Int32] = []
    private var objTo: [Int32] = []
    private var objKind: [EdgeKind] = []
    private var aces: [Ace] = []
    private var caSecurity: [Ace] = []

    private struct Ace {
        var principal: Int32
        var right: EdgeKind
        var localGroupPrincipal: Bool
    }

    /// Reads `bytes` as the collector file `name`.
    static func read(_ bytes: UnsafeBufferPointer<UInt8>, name: String) -> FileResult {
        var reader = CollectorFileReader(bytes, name: name)
        reader.run(bytes)
        return reader.r
    }

    private init(_ bytes: UnsafeBufferPointer<UInt8>, name: String) {
        s = JSONScanner(bytes)
        r = FileResult(name: name)
        // Collector files hold about one relationship per 100 bytes; reserving spares the copies of
        // growing (untouched capacity costs address space, not memory).
        let edges = bytes.count / 100
        r.edgeFrom.reserveCapacity(edges)
        r.edgeTo.reserveCapacity(edges)
        r.edgeKind.reserveCapacity(edges)
        r.propertyBytes.reserveCapacity(bytes.count / 2)
    }

    private mutating func run(_ bytes: UnsafeBufferPointer<UInt8>) {
        do {
            try readDocument()
        } catch {
            let found = error.offset < s.count ? "" : " (the file ends here)"
            note(.error, at: error.offset, "expected \(error.expected)\(found); the file was not read")
            reject()
        }
        finish(bytes)
    }

    private mutating func reject() {
        r.rejected = true
        r.objects = []
        r.edgeFrom = []
        r.edgeTo = []
        r.edgeKind = []
        r.propertyBytes = []
    }

    // MARK: - Diagnostics

    private mutating func note(_ severity: Diagnostic.Severity, at offset: Int, _ message: String) {
        if pending.count >= CollectorFileReader.maxDiagnostics { droppedDiagnostics += 1; return }
        pending.append((severity, offset, message))
    }

    /// Turns byte offsets into lines and columns in one pass, and adds the per-file notes.
    private mutating func finish(_ bytes: UnsafeBufferPointer<UInt8>) {
        r.ids = table.ids
        if !unknownRights.isEmpty {
            let total = unknownRights.values.reduce(0, +)
            let names = unknownRights.keys.sorted().prefix(8).joined(separator: ", ")
            note(.note, at: 0, "\(total) access control entries with rights that make no edge were skipped (\(names))")
        }
        if skippedOwnerRights > 0 {
            note(.note, at: 0, "\(skippedOwnerRights) access control entries granted to OWNER RIGHTS (S-1-3-4) were skipped, as BloodHound CE does")
        }
        let order = pending.indices.sorted { pending[$0].offset < pending[$1].offset }
        var line = 1, lineStart = 0, k = 0
        var located = [FileLocation](repeating: FileLocation(file: r.name, line: 1, column: 1), count: pending.count)
        for index in order {
            let target = min(pending[index].offset, bytes.count)
            while k < target {
                if bytes[k] == 0x0A { line += 1; lineStart = k + 1 }
                k += 1
            }
            located[index] = FileLocation(file: r.name, line: line, column: target - lineStart + 1)
        }
        r.diagnostics = pending.indices.map { Diagnostic(pending[$0].severity, located[$0], pending[$0].message) }
        if droppedDiagnostics > 0 {
            r.diagnostics.append(Diagnostic(.note, FileLocation(file: r.name, line: 1), "\(droppedDiagnostics) more problems in this file are not listed"))
        }
    }

    // MARK: - Ids

    private mutating func intern(bytes: UnsafeBufferPointer<UInt8>, hint: PrincipalKind?) -> Int32 {
        let (index, isNew) = table.intern(bytes)
        if isNew {
            r.hints.append(hint)
        } else if let hint, r.hints[Int(index)] == nil || r.hints[Int(index)] == .base {
            r.hints[Int(index)] = hint
        }
        return index
    }

    private mutating func intern(_ id: String, hint: PrincipalKind? = nil) -> Int32 {
        var id = id
        return id.withUTF8 { intern(bytes: $0, hint: hint) }
    }

    /// Interns the scanned string `k` (an id) without making a `String` of it unless it is new.
    private mutating func intern(_ k: JSONScanner.Key, hint: PrincipalKind? = nil) -> Int32 {
        if k.escaped {
            let decoded = JSONScanner.unescape(UnsafeBufferPointer(start: s.p + k.start, count: k.count))
            return decoded.withUnsafeBufferPointer { intern(bytes: $0, hint: hint) }
        }
        return intern(bytes: UnsafeBufferPointer(start: s.p + k.start, count: k.count), hint: hint)
    }

    /// A non-empty string value as a scanned key (for ids); anything else is skipped.
    private mutating func idKey() throws(ScanError) -> JSONScanner.Key? {
        guard s.peekType() == .string else { try s.skipValue(); return nil }
        let k = try s.scanString()
        return k.count > 0 ? k : nil
    }

    private mutating func edge(_ from: Int32, _ to: Int32, _ kind: EdgeKind) {
        objFrom.append(from)
        objTo.append(to)
        objKind.append(kind)
    }

    // MARK: - Document

    private mutating func readDocument() throws(ScanError) {
        s.skipByteOrderMark()
        let type = s.peekType()
        guard type == .object else {
            note(.error, at: s.i, "expected a JSON object with 'data' and 'meta' members; found \(type.article)")
            reject()
            return
        }
        try s.enterObject()
        var first = true
        var sawData = false
        while let key = try s.nextKey(&first) {
            switch Field.table.lookup(key, in: s) {
            case .data:
                let t = s.peekType()
                if t == .array {
                    sawData = true
                    try readData()
                } else {
                    note(.error, at: s.i, "'data' should be an array of objects; found \(t.article)")
                    try s.skipValue()
                    r.rejected = true
                }
            case .meta:
                if s.peekType() == .object { try readMeta() } else {
                    note(.warning, at: s.i, "'meta' should be an object; found \(s.peekType().article) (ignored)")
                    try s.skipValue()
                }
            default:
                try s.skipValue()
            }
        }
        s.skipSpace()
        if !s.atEnd { throw s.error("the end of the document after the top-level object") }
        if r.rejected { reject(); return }
        guard sawData else {
            note(.error, at: 0, "no 'data' array; expected a collector file {\"data\": [...], \"meta\": {...}}")
            reject()
            return
        }
        try settleKind()
    }

    private mutating func readMeta() throws(ScanError) {
        try s.enterObject()
        var first = true
        while let key = try s.nextKey(&first) {
            switch Field.table.lookup(key, in: s) {
            case .type:
                if let t = try optionalString("meta.type") { r.metaType = t }
            case .count:
                if let n = try optionalInt("meta.count") { r.declaredCount = n }
            case .version:
                if let n = try optionalInt("meta.version") { r.version = n }
            default:
                try s.skipValue()
            }
        }
    }

    /// Decides the kind of the file's objects, checks `meta`, and adds the edges that depend on it.
    private mutating func settleKind() throws(ScanError) {
        let fromName = CollectorFileReader.typeFromFileName(r.name)
        if let t = r.metaType {
            guard let kind = PrincipalKind(collectorType: t) else {
                note(.error, at: 0, "meta.type '\(t)' is not a collector type Bulwark reads (users, groups, computers, domains, ous, gpos, containers, certtemplates, enterprisecas, rootcas, aiacas, ntauthstores, issuancepolicies)")
                reject()
                return
            }
            r.kind = kind
            if let fromName, fromName != kind {
                note(.note, at: 0, "the file name suggests \(fromName.collectorType ?? "?") but meta.type is '\(t)'; meta.type is used")
            }
        } else if let fromName {
            r.kind = fromName
            note(.warning, at: 0, "no meta.type; the objects are read as \(fromName.collectorType ?? "?"), from the file name")
        } else {
            note(.error, at: 0, "cannot tell what the objects are: no meta.type, and the file name does not end in _users.json, _groups.json, _computers.json, …")
            reject()
            return
        }
        if let declared = r.declaredCount, declared != r.dataCount {
            note(.warning, at: 0, "meta.count says \(declared) but 'data' holds \(r.dataCount) objects; the data is used")
        }
        if let v = r.version {
            if v < 5 {
                note(.warning, at: 0, "meta.version \(v) predates SharpHound v5; read as v5, and fields that version lacks are simply absent")
            } else if v > 6 {
                note(.note, at: 0, "meta.version \(v) is newer than 6, the latest Bulwark knows; read as v6")
            }
        } else {
            note(.warning, at: 0, "no meta.version; read as v6")
        }
        guard let kind = r.kind else { return }
        for index in r.objects.indices {
            r.objects[index].principal.kind = kind
            let o = r.objects[index]
            let p = o.principal
            let domainSID = o.domainSIDField ?? p.domainSID
            switch kind {
            case .computer:
                if p.flags.contains(.domainController), let sid = o.domainSIDField, !sid.isEmpty {
                    append(o.local, intern(sid, hint: .domain), .dcFor)
                } else if p.flags.contains(.unconstrainedDelegation), let sid = domainSID, !sid.isEmpty {
                    append(o.local, intern(sid, hint: .domain), .coerceToTGT)
                }
            case .user:
                if p.flags.contains(.unconstrainedDelegation), let sid = domainSID, !sid.isEmpty {
                    append(o.local, intern(sid, hint: .domain), .coerceToTGT)
                }
            case .rootCA:
                if let sid = o.domainSIDField, !sid.isEmpty { append(o.local, intern(sid, hint: .domain), .rootCAFor) }
            case .ntAuthStore:
                if let sid = o.domainSIDField, !sid.isEmpty { append(o.local, intern(sid, hint: .domain), .ntAuthStoreFor) }
            default:
                break
            }
        }
    }

    private mutating func append(_ from: Int32, _ to: Int32, _ kind: EdgeKind) {
        guard from != to else { return }
        r.edgeFrom.append(from)
        r.edgeTo.append(to)
        r.edgeKind.append(kind)
    }

    /// The collector type a file name ends in (`20240305110018_users.json` → users), if any.
    static func typeFromFileName(_ name: String) -> PrincipalKind? {
        var base = Substring(name.split(separator: "/").last ?? Substring(name)).lowercased()
        for suffix in [".gz", ".json"] where base.hasSuffix(suffix) { base.removeLast(suffix.count) }
        let type = base.split(separator: "_").last.map(String.init) ?? base
        return PrincipalKind(collectorType: type)
    }

    private mutating func readData() throws(ScanError) {
        try s.enterArray()
        var first = true
        var index = 0
        while try s.nextElement(&first) {
            guard table.count < CollectorFileReader.maxIDs else {
                throw s.error("fewer distinct ids in one file (at most \(CollectorFileReader.maxIDs))")
            }
            let t = s.peekType()
            if t == .object {
                try readObject(index)
            } else {
                note(.warning, at: s.i, "data[\(index)] is \(t.article); expected an object (skipped)")
                try s.skipValue()
            }
            index += 1
        }
        r.dataCount = index
    }

    // MARK: - Value helpers

    /// Whether the value here has type `type`; else it is skipped (with a warning unless null).
    private mutating func want(_ type: JSONType, _ what: String) throws(ScanError) -> Bool {
        let t = s.peekType()
        if t == type { return true }
        if t != .null { note(.warning, at: s.i, "'\(what)' should be \(type.article); found \(t.article) (ignored)") }
        try s.skipValue()
        return false
    }

    private mutating func optionalString(_ what: String) throws(ScanError) -> String? {
        guard try want(.string, what) else { return nil }
        return try s.readString()
    }

    private mutating func optionalInt(_ what: String) throws(ScanError) -> Int? {
        let t = s.peekType()
        if t == .string {
            let text = try s.readString()
            if let n = Int(text) { return n }
            note(.warning, at: s.i, "'\(what)' should be a whole number; found \"\(text)\" (ignored)")
            return nil
        }
        guard try want(.number, what) else { return nil }
        let at = s.i
        let n = try s.readNumber()
        guard let v = n.integer, let int = Int(exactly: v) else {
            note(.warning, at: at, "'\(what)' should be a whole number; found \(n.value) (ignored)")
            return nil
        }
        return int
    }

    /// A property's boolean, read leniently (0/1 and "true"/"false" too); nil when absent or null.
    private mutating func flexibleBool() throws(ScanError) -> Bool? {
        switch s.peekType() {
        case .bool: return try s.readBool()
        case .number: return try s.readNumber().value != 0
        case .string:
            switch try s.readString().lowercased() {
            case "true", "1": return true
            case "false", "0": return false
            default: return nil
            }
        default:
            try s.skipValue()
            return nil
        }
    }

    private mutating func flexibleInt() throws(ScanError) -> Int64? {
        switch s.peekType() {
        case .number: return try s.readNumber().integer
        case .string: return Int64(try s.readString())
        default:
            try s.skipValue()
            return nil
        }
    }

    private mutating func flexibleString() throws(ScanError) -> String? {
        if s.peekType() == .string { return try s.readString() }
        try s.skipValue()
        return nil
    }

    private mutating func stringList() throws(ScanError) -> [String] {
        guard s.peekType() == .array else { try s.skipValue(); return [] }
        try s.enterArray()
        var out: [String] = []
        var first = true
        while try s.nextElement(&first) {
            if let v = try flexibleString() { out.append(v) }
        }
        return out
    }

    /// A `TypedPrincipal` (`{"ObjectIdentifier": …, "ObjectType": …}`) or a bare id string.
    private mutating func typedPrincipal(_ what: String, defaultKind: PrincipalKind? = nil) throws(ScanError) -> Int32? {
        switch s.peekType() {
        case .string:
            let id = try s.readString()
            return id.isEmpty ? nil : intern(id, hint: defaultKind)
        case .object:
            try s.enterObject()
            var first = true
            var id: JSONScanner.Key?
            var kind: PrincipalKind? = defaultKind
            var local = false
            while let key = try s.nextKey(&first) {
                switch Field.table.lookup(key, in: s) {
                case .objectIdentifier:
                    id = try idKey()
                case .objectType:
                    if s.peekType() == .string {
                        let k = try s.scanString()
                        if let label = principalKindLabels.lookup(k, in: s) { kind = label }
                        if localPrincipalLabels.lookup(k, in: s) != nil { local = true }
                    } else {
                        try s.skipValue()
                    }
                default:
                    try s.skipValue()
                }
            }
            // A computer's local accounts are not nodes of the graph (see docs/identity.md).
            guard let id, !local else { return nil }
            return intern(id, hint: kind)
        case .null:
            try s.skipValue()
            return nil
        default:
            note(.warning, at: s.i, "an entry of '\(what)' should be an object with an ObjectIdentifier; found \(s.peekType().article) (ignored)")
            try s.skipValue()
            return nil
        }
    }

    /// An array of `TypedPrincipal`s.
    private mutating func principalList(_ what: String, defaultKind: PrincipalKind? = nil) throws(ScanError) -> [Int32] {
        guard try want(.array, what) else { return [] }
        try s.enterArray()
        var out: [Int32] = []
        var first = true
        while try s.nextElement(&first) {
            if let p = try typedPrincipal(what, defaultKind: defaultKind) { out.append(p) }
        }
        return out
    }

    /// An API result (`{"Results": [...], "Collected": true}`) or, in older files, a bare array.
    /// Results are returned only when collected (or when `Collected` is absent).
    private mutating func apiResultList(_ what: String) throws(ScanError) -> [Int32] {
        switch s.peekType() {
        case .array:
            return try principalList(what)
        case .object:
            try s.enterObject()
            var first = true
            var results: [Int32] = []
            var collected = true
            while let key = try s.nextKey(&first) {
                switch Field.table.lookup(key, in: s) {
                case .results: results = try principalList(what + ".Results")
                case .collected: collected = try flexibleBool() ?? true
                default: try s.skipValue()
                }
            }
            return collected ? results : []
        default:
            _ = try want(.object, what)
            return []
        }
    }

    // MARK: - Objects

    private mutating func readObject(_ index: Int) throws(ScanError) {
        let objectOffset = s.i
        try s.enterObject()
        objFrom.removeAll(keepingCapacity: true)
        objTo.removeAll(keepingCapacity: true)
        objKind.removeAll(keepingCapacity: true)
        aces.removeAll(keepingCapacity: true)
        caSecurity.removeAll(keepingCapacity: true)
        var caSecurityCollected = false
        var hosting: String?
        var id: String?
        var principal = Principal(id: "", kind: .base, collected: true)
        var propertyStart = 0, propertyCount = 0
        var domainSIDField: String?
        var certificate: CertificateFacts?
        let me = CollectorFileReader.selfID

        var first = true
        while let key = try s.nextKey(&first) {
            guard let field = Field.table.lookup(key, in: s) else { try s.skipValue(); continue }
            switch field {
            case .objectIdentifier:
                id = try optionalString("ObjectIdentifier")
            case .properties:
                if try want(.object, "Properties") {
                    propertyStart = r.propertyBytes.count
                    try readProperties(&principal, &certificate)
                    propertyCount = r.propertyBytes.count - propertyStart
                }
            case .aces:
                var list = aces
                aces = []
                try readAces(into: &list, what: "Aces")
                aces = list
            case .members:
                for m in try principalList("Members") { edge(m, me, .memberOf) }
            case .primaryGroupSID:
                if let g = try idKey() { edge(me, intern(g, hint: .group), .memberOf) }
            case .allowedToDelegate:
                for t in try principalList("AllowedToDelegate") { edge(me, t, .allowedToDelegate) }
            case .allowedToAct:
                for a in try principalList("AllowedToAct") { edge(a, me, .allowedToAct) }
            case .hasSIDHistory:
                for t in try principalList("HasSIDHistory") { edge(me, t, .hasSIDHistory) }
            case .dumpSMSAPassword:
                for t in try principalList("DumpSMSAPassword") { edge(me, t, .dumpSMSAPassword) }
            case .sessions, .privilegedSessions, .registrySessions:
                try readSessions(String(describing: field))
            case .localGroups:
                try readLocalGroups()
            case .localAdmins:
                for m in try apiResultList("LocalAdmins") { edge(m, me, .adminTo) }
            case .remoteDesktopUsers:
                for m in try apiResultList("RemoteDesktopUsers") { edge(m, me, .canRDP) }
            case .dcomUsers:
                for m in try apiResultList("DcomUsers") { edge(m, me, .executeDCOM) }
            case .psRemoteUsers:
                for m in try apiResultList("PSRemoteUsers") { edge(m, me, .canPSRemote) }
            case .userRights:
                try readUserRights()
            case .childObjects:
                for c in try principalList("ChildObjects") { edge(me, c, .contains) }
            case .containedBy:
                if let c = try typedPrincipal("ContainedBy") { edge(c, me, .contains) }
            case .links:
                try readLinks()
            case .trusts:
                try readTrusts()
            case .gpoChanges:
                try readGPOChanges()
            case .spnTargets:
                try readSPNTargets()
            case .isDC:
                if let v = try flexibleBool(), v { principal.set(.domainController, true) }
            case .domainSID:
                domainSIDField = try flexibleString()
            case .unconstrainedDelegation:
                if let v = try flexibleBool() { principal.set(.unconstrainedDelegation, v) }
            case .hostingComputer:
                if let h = try flexibleString(), !h.isEmpty {
                    hosting = h
                    edge(intern(h, hint: .computer), me, .hostsCAService)
                }
            case .enabledCertTemplates:
                for t in try principalList("EnabledCertTemplates", defaultKind: .certTemplate) { edge(t, me, .publishedTo) }
            case .caRegistryData:
                caSecurityCollected = try readCARegistryData()
            case .isDeleted:
                if let v = try flexibleBool() { principal.set(.deleted, v) }
            case .isACLProtected:
                if let v = try flexibleBool() { principal.set(.aclProtected, v) }
            case .groupLink:
                if let g = try typedPrincipal("GroupLink", defaultKind: .group) { edge(me, g, .oidGroupLink) }
            default:
                try s.skipValue()
            }
        }

        guard let id, !id.isEmpty else {
            note(.warning, at: objectOffset, "data[\(index)] has no ObjectIdentifier; the object and its relationships are skipped")
            return
        }
        let local = intern(id)
        principal.id = id

        // Access control entries. An enterprise CA whose CA security was collected takes its CA
        // rights from that list; its object ACL then counts only for other rights (or for the host).
        var chosen = aces
        if caSecurityCollected {
            let host = hosting.map { intern($0) }
            chosen = caSecurity.filter { !$0.localGroupPrincipal && $0.right != .owns }
                + aces.filter { $0.principal == host || ($0.right != .manageCA && $0.right != .manageCertificates && $0.right != .enroll) }
        }
        for ace in chosen { edge(ace.principal, me, ace.right) }

        for k in objFrom.indices {
            let from = objFrom[k] == me ? local : objFrom[k]
            let to = objTo[k] == me ? local : objTo[k]
            append(from, to, objKind[k])
        }
        r.objects.append(ParsedObject(local: local, principal: principal, propertyStart: propertyStart, propertyCount: propertyCount,
                                      domainSIDField: domainSIDField, certificate: certificate))
    }

    private mutating func readProperties(_ p: inout Principal, _ certificate: inout CertificateFacts?) throws(ScanError) {
        s.skipSpace()
        let start = s.i
        try s.enterObject()
        var first = true
        while let key = try s.nextKey(&first) {
            guard let field = Field.table.lookup(key, in: s) else { try s.skipValue(); continue }
            switch field {
            case .name: if let v = try flexibleString() { p.name = v }
            case .domain: if let v = try flexibleString() { p.domain = v.uppercased() }
            case .domainSID: if let v = try flexibleString(), !v.isEmpty { p.domainSID = v }
            case .enabled: p.enabled = try flexibleBool()
            case .adminCount: if let v = try flexibleBool() { p.set(.adminCount, v) }
            case .highValue:
                if let v = try flexibleBool() {
                    p.set(.highValue, v)
                    if v { p.set(.markedTierZero, true) }
                }
            case .isTierZero: if let v = try flexibleBool(), v { p.set(.markedTierZero, true) }
            case .adminTier: if let v = try flexibleInt(), v == 0 { p.set(.markedTierZero, true) }
            case .systemTags: if let v = try flexibleString(), v.contains("admin_tier_0") { p.set(.markedTierZero, true) }
            case .hasSPN: if let v = try flexibleBool() { p.set(.hasSPN, v) }
            case .dontReqPreAuth: if let v = try flexibleBool() { p.set(.dontRequirePreAuth, v) }
            case .unconstrainedDelegation: if let v = try flexibleBool() { p.set(.unconstrainedDelegation, v) }
            case .trustedToAuth: if let v = try flexibleBool() { p.set(.trustedToAuth, v) }
            case .sensitive: if let v = try flexibleBool() { p.set(.sensitive, v) }
            case .passwordNotReqd: if let v = try flexibleBool() { p.set(.passwordNotRequired, v) }
            case .pwdNeverExpires: if let v = try flexibleBool() { p.set(.passwordNeverExpires, v) }
            case .hasLAPS: if let v = try flexibleBool() { p.set(.hasLAPS, v) }
            case .isDC: if let v = try flexibleBool(), v { p.set(.domainController, true) }
            case .blocksInheritance: if let v = try flexibleBool() { p.set(.blocksInheritance, v) }
            case .gmsa, .msa: if let v = try flexibleBool(), v { p.set(.managedServiceAccount, true) }
            case .lastLogon: p.lastLogon = try flexibleInt()
            case .lastLogonTimestamp: p.lastLogonTimestamp = try flexibleInt()
            case .pwdLastSet: p.passwordLastSet = try flexibleInt()
            case .whenCreated: p.whenCreated = try flexibleInt()
            case .operatingSystem: p.operatingSystem = try flexibleString()
            case .samAccountName: p.samAccountName = try flexibleString()
            case .distinguishedName: p.distinguishedName = try flexibleString()
            case .certThumbprint:
                let v = try flexibleString()
                certificate = certificate ?? CertificateFacts()
                certificate?.thumbprint = v
            case .certChain:
                let v = try stringList()
                certificate = certificate ?? CertificateFacts()
                certificate?.chain = v
            case .certThumbprints:
                let v = try stringList()
                certificate = certificate ?? CertificateFacts()
                certificate?.thumbprints = v
            default:
                try s.skipValue()
            }
        }
        s.copy(from: start, to: s.i, into: &r.propertyBytes)
    }

    /// Reads an ACE list. Entries granted to a computer's local accounts are dropped, except in a
    /// CA security descriptor (`caSecurityList`), whose filter needs to see them.
    private mutating func readAces(into list: inout [Ace], what: String, caSecurityList: Bool = false) throws(ScanError) {
        guard try want(.array, what) else { return }
        try s.enterArray()
        var first = true
        while try s.nextElement(&first) {
            guard try want(.object, "an entry of \(what)") else { continue }
            try s.enterObject()
            var inner = true
            var principal: Int32?
            var principalType: PrincipalKind?
            var localGroup = false
            var ownerRights = false
            var right: EdgeKind?
            var rightName: String?
            while let key = try s.nextKey(&inner) {
                switch Field.table.lookup(key, in: s) {
                case .principalSID:
                    if let k = try idKey() {
                        ownerRights = k.count >= 7 && UnsafeBufferPointer(start: s.p + k.end - 7, count: 7).elementsEqual("S-1-3-4".utf8)
                        principal = intern(k)
                    }
                case .principalType:
                    if s.peekType() == .string {
                        let k = try s.scanString()
                        principalType = principalKindLabels.lookup(k, in: s)
                        localGroup = localPrincipalLabels.lookup(k, in: s) != nil
                    } else {
                        try s.skipValue()
                    }
                case .rightName:
                    if s.peekType() == .string {
                        let k = try s.scanString()
                        right = aceRightNames.lookup(k, in: s)
                        if right == nil { rightName = s.text(k) }
                    } else {
                        try s.skipValue()
                    }
                default:
                    try s.skipValue()
                }
            }
            guard let principal else { continue }
            if let t = principalType, t != .base, r.hints[Int(principal)] == nil || r.hints[Int(principal)] == .base {
                r.hints[Int(principal)] = t
            }
            guard let right else {
                if let rightName { unknownRights[rightName, default: 0] += 1 }
                continue
            }
            if ownerRights { skippedOwnerRights += 1; continue }
            if localGroup && !caSecurityList { continue }
            list.append(Ace(principal: principal, right: right, localGroupPrincipal: localGroup))
        }
    }

    private mutating func readSessions(_ what: String) throws(ScanError) {
        let me = CollectorFileReader.selfID
        let t = s.peekType()
        var sessions: [(computer: Int32, user: Int32)] = []
        var collected = true
        func readList(_ sessions: inout [(computer: Int32, user: Int32)], _ reader: inout CollectorFileReader) throws(ScanError) {
            try reader.s.enterArray()
            var first = true
            while try reader.s.nextElement(&first) {
                guard try reader.want(.object, "an entry of \(what)") else { continue }
                try reader.s.enterObject()
                var inner = true
                var user: Int32?
                var computer: Int32 = me
                while let key = try reader.s.nextKey(&inner) {
                    switch Field.table.lookup(key, in: reader.s) {
                    case .userSID: if let u = try reader.idKey() { user = reader.intern(u, hint: .user) }
                    case .computerSID: if let c = try reader.idKey() { computer = reader.intern(c, hint: .computer) }
                    default: try reader.s.skipValue()
                    }
                }
                if let user { sessions.append((computer, user)) }
            }
        }
        if t == .array {
            try readList(&sessions, &self)
        } else if try want(.object, what) {
            try s.enterObject()
            var first = true
            while let key = try s.nextKey(&first) {
                switch Field.table.lookup(key, in: s) {
                case .results: if try want(.array, what + ".Results") { try readList(&sessions, &self) }
                case .collected: collected = try flexibleBool() ?? true
                default: try s.skipValue()
                }
            }
        }
        guard collected else { return }
        for session in sessions { edge(session.computer, session.user, .hasSession) }
    }

    /// The local group a SID names by its last component: Administrators (544), Remote Desktop
    /// Users (555), Distributed COM Users (562), Remote Management Users (580).
    static func localGroupRight(_ sid: String) -> EdgeKind? {
        guard let dash = sid.lastIndex(of: "-") else { return nil }
        switch sid[sid.index(after: dash)...] {
        case "544": return .adminTo
        case "555": return .canRDP
        case "562": return .executeDCOM
        case "580": return .canPSRemote
        default: return nil
        }
    }

    private mutating func readLocalGroups() throws(ScanError) {
        guard try want(.array, "LocalGroups") else { return }
        try s.enterArray()
        var first = true
        while try s.nextElement(&first) {
            guard try want(.object, "an entry of LocalGroups") else { continue }
            try s.enterObject()
            var inner = true
            var right: EdgeKind?
            var members: [Int32] = []
            while let key = try s.nextKey(&inner) {
                switch Field.table.lookup(key, in: s) {
                case .objectIdentifier: if let id = try flexibleString() { right = CollectorFileReader.localGroupRight(id) }
                case .results: members = try principalList("LocalGroups.Results")
                default: try s.skipValue()
                }
            }
            if let right { for m in members { edge(m, CollectorFileReader.selfID, right) } }
        }
    }

    private mutating func readUserRights() throws(ScanError) {
        guard try want(.array, "UserRights") else { return }
        try s.enterArray()
        var first = true
        while try s.nextElement(&first) {
            guard try want(.object, "an entry of UserRights") else { continue }
            try s.enterObject()
            var inner = true
            var privilege: String?
            var members: [Int32] = []
            while let key = try s.nextKey(&inner) {
                switch Field.table.lookup(key, in: s) {
                case .privilege: privilege = try flexibleString()
                case .results: members = try principalList("UserRights.Results")
                default: try s.skipValue()
                }
            }
            if privilege?.lowercased() == "seremoteinteractivelogonright" {
                for m in members { edge(m, CollectorFileReader.selfID, .remoteInteractiveLogonRight) }
            }
        }
    }

    private mutating func readLinks() throws(ScanError) {
        guard try want(.array, "Links") else { return }
        try s.enterArray()
        var first = true
        while try s.nextElement(&first) {
            guard try want(.object, "an entry of Links") else { continue }
            try s.enterObject()
            var inner = true
            while let key = try s.nextKey(&inner) {
                if Field.table.lookup(key, in: s) == .guid, let g = try flexibleString(), !g.isEmpty {
                    edge(intern(g, hint: .gpo), CollectorFileReader.selfID, .gpLink)
                } else {
                    try s.skipValue()
                }
            }
        }
    }

    private enum TrustDirection { case disabled, inbound, outbound, bidirectional }

    private mutating func readTrusts() throws(ScanError) {
        let me = CollectorFileReader.selfID
        guard try want(.array, "Trusts") else { return }
        try s.enterArray()
        var first = true
        while try s.nextElement(&first) {
            guard try want(.object, "an entry of Trusts") else { continue }
            let at = s.i
            try s.enterObject()
            var inner = true
            var target: String?, targetName: String?
            var direction: TrustDirection?
            var sameForest = false
            var sidFiltering = false, tgtDelegation = false
            while let key = try s.nextKey(&inner) {
                switch Field.table.lookup(key, in: s) {
                case .targetDomainSid: target = try flexibleString()
                case .targetDomainName: targetName = try flexibleString()
                case .sidFilteringEnabled: sidFiltering = try flexibleBool() ?? false
                case .tgtDelegationEnabled: tgtDelegation = try flexibleBool() ?? false
                case .trustDirection:
                    switch s.peekType() {
                    case .number:
                        switch try s.readNumber().integer {
                        case 1: direction = .inbound
                        case 2: direction = .outbound
                        case 3: direction = .bidirectional
                        default: direction = .disabled
                        }
                    case .string:
                        switch try s.readString().lowercased() {
                        case "inbound": direction = .inbound
                        case "outbound": direction = .outbound
                        case "bidirectional": direction = .bidirectional
                        default: direction = .disabled
                        }
                    default: try s.skipValue()
                    }
                case .trustType:
                    switch s.peekType() {
                    case .number:
                        // SharpHound's enum: 0 ParentChild, 1 CrossLink, 2 Forest, 3 External, 4 Unknown.
                        let n = try s.readNumber().integer
                        sameForest = n == 0 || n == 1
                    case .string:
                        let t = try s.readString().lowercased()
                        sameForest = t == "parentchild" || t == "treeroot" || t == "crosslink"
                    default: try s.skipValue()
                    }
                default:
                    try s.skipValue()
                }
            }
            guard let target, !target.isEmpty else {
                note(.warning, at: at, "a trust has no TargetDomainSid (ignored)")
                continue
            }
            let other = intern(target, hint: .domain)
            if let targetName, !targetName.isEmpty, r.referenceNames[other] == nil { r.referenceNames[other] = targetName.uppercased() }
            let kind: EdgeKind = sameForest ? .sameForestTrust : .crossForestTrust
            guard let direction else {
                note(.warning, at: at, "a trust with \(target) has no TrustDirection (ignored)")
                continue
            }
            if direction == .inbound || direction == .bidirectional {
                edge(other, me, kind)
                if !sameForest && tgtDelegation { edge(other, me, .abuseTGTDelegation) }
            }
            if direction == .outbound || direction == .bidirectional {
                edge(me, other, kind)
                if !sameForest && !sidFiltering { edge(other, me, .spoofSIDHistory) }
            }
        }
    }

    private mutating func readGPOChanges() throws(ScanError) {
        guard try want(.object, "GPOChanges") else { return }
        try s.enterObject()
        var first = true
        var lists: [(EdgeKind, [Int32])] = []
        var computers: [Int32] = []
        while let key = try s.nextKey(&first) {
            switch Field.table.lookup(key, in: s) {
            case .localAdmins: lists.append((.adminTo, try principalList("GPOChanges.LocalAdmins")))
            case .remoteDesktopUsers: lists.append((.canRDP, try principalList("GPOChanges.RemoteDesktopUsers")))
            case .dcomUsers: lists.append((.executeDCOM, try principalList("GPOChanges.DcomUsers")))
            case .psRemoteUsers: lists.append((.canPSRemote, try principalList("GPOChanges.PSRemoteUsers")))
            case .affectedComputers: computers = try principalList("GPOChanges.AffectedComputers", defaultKind: .computer)
            default: try s.skipValue()
            }
        }
        for c in computers {
            for (kind, members) in lists { for m in members { edge(m, c, kind) } }
        }
    }

    private mutating func readSPNTargets() throws(ScanError) {
        guard try want(.array, "SPNTargets") else { return }
        try s.enterArray()
        var first = true
        while try s.nextElement(&first) {
            guard try want(.object, "an entry of SPNTargets") else { continue }
            try s.enterObject()
            var inner = true
            var computer: Int32?
            var kind: EdgeKind?
            while let key = try s.nextKey(&inner) {
                switch Field.table.lookup(key, in: s) {
                case .computerSID: if let c = try flexibleString(), !c.isEmpty { computer = intern(c, hint: .computer) }
                case .service: if let v = try flexibleString() { kind = EdgeKind(name: v) }
                default: try s.skipValue()
                }
            }
            if let computer, let kind { edge(CollectorFileReader.selfID, computer, kind) }
        }
    }

    /// Reads `CARegistryData`; returns whether its CA security descriptor was collected.
    private mutating func readCARegistryData() throws(ScanError) -> Bool {
        guard try want(.object, "CARegistryData") else { return false }
        try s.enterObject()
        var first = true
        var collected = false
        while let key = try s.nextKey(&first) {
            guard Field.table.lookup(key, in: s) == .caSecurity, try want(.object, "CARegistryData.CASecurity") else {
                if Field.table.lookup(key, in: s) != .caSecurity { try s.skipValue() }
                continue
            }
            try s.enterObject()
            var inner = true
            var list: [Ace] = []
            while let key = try s.nextKey(&inner) {
                switch Field.table.lookup(key, in: s) {
                case .data: try readAces(into: &list, what: "CASecurity.Data", caSecurityList: true)
                case .collected: collected = try flexibleBool() ?? false
                default: try s.skipValue()
                }
            }
            caSecurity = list
        }
        return collected
    }
}
