import BulwarkModel
import Testing

@Suite struct ParallelTests {
    @Test(arguments: [1, 2, 3, 8])
    func mapKeepsOrderAndValues(workers: Int) {
        let items = Array(0..<10_007)
        let squares = Parallel.map(items, workers: workers) { ($0, $0 &* $0) }
        #expect(squares.map(\.0) == items)
        #expect(squares.map(\.1) == items.map { $0 &* $0 })
    }

    @Test func mapOfFewerItemsThanWorkers() {
        #expect(Parallel.map([String](), workers: 4) { $0 + "!" }.isEmpty)
        #expect(Parallel.map(["a"], workers: 4) { $0 + "!" } == ["a!"])
    }

    @Test func resultsAreReleased() {
        // Each result is a class instance: once the mapped array is gone, none may stay alive.
        final class Box { let n: Int; init(_ n: Int) { self.n = n } }
        weak var probe: Box?
        do {
            let boxes = Parallel.map(Array(0..<100), workers: 2) { Box($0) }
            probe = boxes[50]
            #expect(probe?.n == 50)
        }
        #expect(probe == nil)
    }
}
