import BulwarkModel
import Foundation

extension GraphBuilder {
    /// Derives the post-processed edges, indexes the edges and marks Tier Zero.
    mutating func finish(rules: TierZeroRules, timings: inout [PhaseTiming]) -> IdentityGraph {
        var clock = Date()
        func lap(_ phase: String) {
            let now = Date()
            timings.append(PhaseTiming(phase: phase, seconds: now.timeIntervalSince(clock)))
            clock = now
        }
        inferDomains()
        linkWellKnownGroups()
        sortEdges()
        let collected = packed.count
        deriveReplicationEdges()
        deriveCertificateEdges()
        sortEdges(sortedPrefix: collected)
        lap("post-processing")

        let n = principals.count
        var sources = ContiguousArray<Int32>(repeating: 0, count: packed.count)
        var targets = ContiguousArray<Int32>(repeating: 0, count: packed.count)
        var kinds = ContiguousArray<EdgeKind>(repeating: .memberOf, count: packed.count)
        for (e, v) in packed.enumerated() {
            sources[e] = Int32(v >> 36)
            targets[e] = Int32((v >> 8) & 0x0FFF_FFFF)
            kinds[e] = EdgeKind(rawValue: UInt8(v & 0xFF)) ?? .memberOf
        }
        packed = []
        properties.grow(to: n)
        var graph = IdentityGraph(principals: principals, ids: ids, sources: sources, targets: targets, kinds: kinds,
                                  properties: properties, tierZero: [:], diagnostics: diagnostics, files: files, timings: [])
        lap("index")
        graph.tierZeroReasons = graph.tierZeroReasons(rules)
        lap("tier zero")
        graph.timings = timings
        return graph
    }
}
