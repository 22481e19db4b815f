import BulwarkModel
import Foundation

/// Merges the files' results into one graph: one principal per `ObjectIdentifier`, one edge per
/// distinct (source, target, kind), then the post-processed edges and Tier Zero.
struct GraphBuilder {
    var ids = IDTable()
    var principals: [Principal] = []
    var properties = PropertyStore()
    var certificates: [Int32: CertificateFacts] = [:]
    /// Edges packed as source << 36 | target << 8 | kind, so sorting orders them and equal edges meet.
    var packed: [UInt64] = []
    var diagnostics: [Diagnostic] = []
    var files: [CollectorFileSummary] = []

    /// Principals are numbered in 28 bits inside a packed edge.
    static let maxPrincipals = 1 << 28

    @inline(__always) static func pack(_ s: Int32, _ t: Int32, _ k: EdgeKind) -> UInt64 {
        UInt64(UInt32(s)) << 36 | UInt64(UInt32(t)) << 8 | UInt64(k.rawValue)
    }

    mutating func principalIndex(_ id: String, kind: PrincipalKind, name: String = "") -> Int32 {
        let (p, isNew) = ids.intern(id)
        if isNew { principals.append(Principal(id: id, kind: kind, name: name)) }
        return p
    }

    mutating func add(_ file: FileResult) throws(IdentityInputError) {
        diagnostics.append(contentsOf: file.diagnostics)
        files.append(CollectorFileSummary(file: file.name, type: file.metaType ?? file.kind?.collectorType, version: file.version,
                                          declaredCount: file.declaredCount, objectCount: file.dataCount, used: !file.rejected))
        guard !file.rejected else { return }
        // Only ids an object or an edge uses become principals (a skipped entry may have named others).
        var used = [Bool](repeating: false, count: file.ids.count)
        for o in file.objects { used[Int(o.local)] = true }
        for e in file.edgeFrom.indices {
            used[Int(file.edgeFrom[e])] = true
            used[Int(file.edgeTo[e])] = true
        }
        var map = [Int32](repeating: -1, count: file.ids.count)
        for local in file.ids.indices where used[local] {
            let hint = file.hints[local] ?? .base
            let p = principalIndex(file.ids[local], kind: hint, name: file.referenceNames[Int32(local)] ?? "")
            map[local] = p
            if !principals[Int(p)].collected && principals[Int(p)].kind == .base && hint != .base {
                principals[Int(p)].kind = hint
            }
        }
        // Headroom for the groups post-processing adds.
        guard principals.count < GraphBuilder.maxPrincipals - (1 << 20) else {
            throw IdentityInputError(.tooLarge, "the collection names more than \(GraphBuilder.maxPrincipals) objects")
        }
        properties.grow(to: principals.count)
        for object in file.objects {
            let p = Int(map[Int(object.local)])
            if principals[p].collected {
                let kind = principals[p].kind
                if kind != object.principal.kind {
                    diagnostics.append(Diagnostic(.warning, FileLocation(file: file.name, line: 1),
                        "\(object.principal.id) is described as \(kind.name) in an earlier file and as \(object.principal.kind.name) here; kept \(kind.name)"))
                }
                principals[p].merge(object.principal)
            } else {
                let referenceName = principals[p].name
                principals[p] = object.principal
                if principals[p].name.isEmpty { principals[p].name = referenceName }
            }
            if object.propertyCount > 0 {
                properties.append(Int32(p), file.propertyBytes[object.propertyStart..<(object.propertyStart + object.propertyCount)])
            }
            if let c = object.certificate {
                var merged = certificates[Int32(p)] ?? CertificateFacts()
                if let t = c.thumbprint { merged.thumbprint = t }
                if !c.chain.isEmpty { merged.chain = c.chain }
                if !c.thumbprints.isEmpty { merged.thumbprints = c.thumbprints }
                certificates[Int32(p)] = merged
            }
        }
        guard packed.count + file.edgeFrom.count < Int(Int32.max) else {
            throw IdentityInputError(.tooLarge, "the collection holds more than \(Int32.max) relationships")
        }
        packed.reserveCapacity(packed.count + file.edgeFrom.count)
        for e in file.edgeFrom.indices {
            let s = map[Int(file.edgeFrom[e])], t = map[Int(file.edgeTo[e])]
            if s != t { packed.append(GraphBuilder.pack(s, t, file.edgeKind[e])) }
        }
    }

    mutating func addEdge(_ s: Int32, _ t: Int32, _ k: EdgeKind) {
        if s != t { packed.append(GraphBuilder.pack(s, t, k)) }
    }

    /// Sorts the edges and drops repeats. When `sortedPrefix` edges at the front are sorted and
    /// distinct already (the edges before post-processing added some), only the rest is sorted,
    /// then merged in.
    mutating func sortEdges(sortedPrefix: Int = 0) {
        if sortedPrefix > 0 && sortedPrefix < packed.count {
            var tail = Array(packed[sortedPrefix...])
            tail.sort()
            var merged: [UInt64] = []
            merged.reserveCapacity(packed.count)
            var i = 0, j = 0
            while i < sortedPrefix || j < tail.count {
                if j == tail.count || (i < sortedPrefix && packed[i] <= tail[j]) {
                    merged.append(packed[i]); i += 1
                } else {
                    merged.append(tail[j]); j += 1
                }
            }
            packed = merged
        } else if sortedPrefix == 0 {
            GraphBuilder.radixSort(&packed)
        }
        var w = 0
        for r in packed.indices where r == 0 || packed[r] != packed[r - 1] {
            packed[w] = packed[r]
            w += 1
        }
        packed.removeLast(packed.count - w)
    }

    /// Sorts 64-bit keys a byte at a time (least significant first), skipping bytes that are the
    /// same in every key: a few linear passes instead of a comparison sort of millions of edges.
    static func radixSort(_ keys: inout [UInt64]) {
        guard keys.count > 4096 else { keys.sort(); return }
        var or: UInt64 = 0, and: UInt64 = ~0
        for v in keys { or |= v; and &= v }
        let varying = or ^ and
        var other = [UInt64](repeating: 0, count: keys.count)
        for shift in stride(from: UInt64(0), to: 64, by: 8) where (varying >> shift) & 0xFF != 0 {
            keys.withUnsafeBufferPointer { src in
                other.withUnsafeMutableBufferPointer { dst in
                    var position = [Int](repeating: 0, count: 257)
                    for v in src { position[Int((v >> shift) & 0xFF) + 1] += 1 }
                    for d in 0..<256 { position[d + 1] += position[d] }
                    for v in src {
                        let d = Int((v >> shift) & 0xFF)
                        dst[position[d]] = v
                        position[d] += 1
                    }
                }
            }
            swap(&keys, &other)
        }
    }

    /// Fills the domain of principals that do not say theirs: from a domain-prefixed id
    /// (`CORP.LOCAL-S-1-5-32-544`) or from the domain SID of a `S-1-5-21-…-RID` id.
    mutating func inferDomains() {
        var domainBySID: [String: String] = [:]
        for p in principals where p.kind == .domain {
            let name = p.name.isEmpty ? p.domain : p.name.uppercased()
            guard !name.isEmpty else { continue }
            domainBySID[p.id] = name
            if let sid = p.domainSID { domainBySID[sid] = name }
        }
        for i in principals.indices {
            if principals[i].kind == .domain && principals[i].domain.isEmpty && !principals[i].name.isEmpty {
                principals[i].domain = principals[i].name.uppercased()
            }
            guard principals[i].domain.isEmpty else { continue }
            let id = principals[i].id
            if let r = id.range(of: "-S-1-"), r.lowerBound > id.startIndex {
                principals[i].domain = id[..<r.lowerBound].uppercased()
            } else if id.hasPrefix("S-1-5-21-"), let dash = id.lastIndex(of: "-"), let name = domainBySID[String(id[..<dash])] {
                principals[i].domain = name
                if principals[i].domainSID == nil { principals[i].domainSID = String(id[..<dash]) }
            }
        }
    }
}
