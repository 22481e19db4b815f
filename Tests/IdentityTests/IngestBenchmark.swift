import BulwarkModel
import Foundation
import Identity
import Testing

/// Loads the collection at `BULWARK_IDENTITY_BENCH` (a folder, JSON file or zip) and prints the
/// counts and phase timings. Off unless the variable is set; run it in release mode:
///
///     BULWARK_IDENTITY_BENCH=/tmp/ad swift test -c release --scratch-path .build-identity --filter IngestBenchmark
@Suite struct IngestBenchmark {
    static let path = ProcessInfo.processInfo.environment["BULWARK_IDENTITY_BENCH"]

    @Test(.enabled(if: path != nil, "set BULWARK_IDENTITY_BENCH to a collection to time its ingest"))
    func ingest() throws {
        let start = Date()
        let g = try SharpHoundLoader().load(path: Self.path!)
        let seconds = Date().timeIntervalSince(start)
        print("identity ingest: \(g.principalCount) principals (\(g.principals.filter(\.collected).count) described), \(g.edgeCount) edges, \(g.tierZero.count) Tier Zero, \(g.diagnostics.count) diagnostics")
        for t in g.timings { print(String(format: "  %-16@ %7.3f s", t.phase as NSString, t.seconds)) }
        print(String(format: "  total            %7.3f s", seconds))
        #expect(g.edgeCount > 0)
    }
}
