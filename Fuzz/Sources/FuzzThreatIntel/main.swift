// libFuzzer entry point for the threat-intelligence readers: CISA's KEV catalog (JSON) and FIRST's
// EPSS scores (CSV, plain or gzip).
//
// The bytes go through the same path as `bulwark data import`: decompressed when they are gzip
// (bounded), then read as a KEV catalog and as EPSS scores. Each either reads or throws a
// ThreatIntelError; whatever reads must hold what the reader promises: every KEV entry can be
// looked up by its CVE id, and every EPSS probability and percentile lies in 0...1.
// libFuzzer supplies `main`; build as docs/fuzzing.md says.

import ThreatIntel

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let raw = Array(UnsafeBufferPointer(start: data, count: size))
    guard let bytes = try? ThreatDataStore.decompressed(raw, file: "fuzz") else { return 0 }
    if let (catalog, _) = try? KEVCatalog.read(bytes: bytes, file: "fuzz") {
        for entry in catalog.entries {
            precondition(catalog.entry(entry.cveID) != nil, "KEV entry \(entry.cveID) cannot be looked up")
        }
    }
    if let (scores, _) = try? EPSSScores.read(bytes: bytes, file: "fuzz") {
        for (cve, score) in scores.all {
            precondition((0...1).contains(score.probability) && (0...1).contains(score.percentile),
                         "EPSS score of \(cve) out of range: \(score.probability), \(score.percentile)")
        }
    }
    return 0
}
