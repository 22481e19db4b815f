// libFuzzer entry point for the SharpHound/BloodHound collector reader and the archives around it
// (see docs/fuzzing.md and docs/identity.md).
//
// Every input is read
//   1. as one collector file (JSON, or gzip if it starts with 1f 8b), under the name of a users
//      file so that a missing meta.type still names a kind;
//   2. as a zip archive of collector files, under tight archive limits;
// through SharpHoundLoader, which must accept any bytes: it returns a graph or throws
// IdentityInputError, never traps. Each graph is checked: edges sorted by (source, target, kind)
// without repeats or self-loops, every index in range, the incoming index a permutation of the
// edges, Tier Zero reasons naming real principals, and properties readable. A failed invariant is
// reported as a crash.
//
// libFuzzer supplies `main`; build with -sanitize=fuzzer and -parse-as-library (docs/fuzzing.md).

import Identity

/// Small limits, so that every bound is reached often; one thread, so that runs are repeatable.
private let loader = SharpHoundLoader(options: .init(
    archiveLimits: .init(maxEntries: 16, maxTotalUncompressedBytes: 1 << 23, maxEntryBytes: 1 << 22, ratioCheckFloorBytes: 1 << 16),
    maxFileBytes: 1 << 22, maxFiles: 16, threads: 1))

private func check(_ g: IdentityGraph) {
    let n = Int32(g.principalCount)
    var previous: (Int32, Int32, UInt8)?
    for e in 0..<g.edgeCount {
        let s = g.edgeSources[e], t = g.edgeTargets[e], k = g.edgeKinds[e].rawValue
        precondition(s >= 0 && s < n && t >= 0 && t < n, "edge \(e) leaves the principal range")
        precondition(s != t, "self-loop at edge \(e)")
        if let p = previous { precondition(p < (s, t, k), "edges not sorted and distinct at \(e)") }
        previous = (s, t, k)
    }
    var incoming = 0
    for p in 0..<n {
        for e in g.outgoing(p) { precondition(g.edgeSources[e] == p, "outgoing index wrong for \(p)") }
        for e in g.incoming(p) { precondition(g.edgeTargets[Int(e)] == p, "incoming index wrong for \(p)") }
        incoming += g.incoming(p).count
        precondition(g.index(of: g[p].id) == p, "id table does not find \(g[p].id)")
    }
    precondition(incoming == g.edgeCount, "incoming index misses edges")
    for p in g.tierZero {
        precondition(p >= 0 && p < n, "Tier Zero index out of range")
        if case .memberOf(let group)? = g.tierZeroReason(p) { precondition(group >= 0 && group < n && g.isTierZero(group)) }
    }
    for p in 0..<min(n, 8) { _ = g.properties(of: p) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let g = try? loader.load(files: [CollectorFile(name: "fuzz_users.json", bytes: bytes)]) { check(g) }
    if let g = try? loader.load(zip: bytes, name: "fuzz.zip") { check(g) }
    return 0
}
