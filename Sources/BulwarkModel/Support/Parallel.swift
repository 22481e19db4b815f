import Dispatch
import Foundation
import Synchronization

/// Work spread over the machine's cores, for loops whose iterations only read shared state.
///
/// The closures are not `@Sendable`: callers vouch that an iteration reads what every other
/// iteration only reads, and writes nothing shared (each result goes to its own slot). That is the
/// contract of every use in Bulwark — traces over finished sets, parses of separate files.
public enum Parallel {
    /// Threads to use: `BULWARK_THREADS` when set (1 turns the parallel loops into plain ones),
    /// else the active processor count.
    public static var workers: Int {
        max(1, Int(ProcessInfo.processInfo.environment["BULWARK_THREADS"] ?? "") ?? ProcessInfo.processInfo.activeProcessorCount)
    }

    /// `items.map(transform)`, iterations spread over `workers` threads, results in order. Each
    /// thread takes the next item not yet taken, so uneven items (a few big files among small
    /// ones) keep every thread busy; put the biggest first for the best balance.
    public static func map<T, R>(_ items: [T], workers: Int = Parallel.workers, _ transform: (T) -> R) -> [R] {
        let workers = min(workers, items.count)
        if workers <= 1 { return items.map(transform) }
        return withoutActuallyEscaping(transform) { transform in
            let out = UnsafeMutableBufferPointer<R?>.allocate(capacity: items.count)
            out.initialize(repeating: nil)
            defer { out.deinitialize(); out.deallocate() }
            let next = NextIndex()
            let shared = Unchecked((items: items, transform: transform, out: out))
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                let (items, transform, out) = shared.value
                while true {
                    let i = next.take()
                    if i >= items.count { break }
                    out[i] = transform(items[i])
                }
            }
            return out.map { $0! }
        }
    }
}

/// The next index to hand out, shared by the threads of one ``Parallel/map(_:workers:_:)``.
private final class NextIndex: Sendable {
    private let counter = Atomic<Int>(0)
    func take() -> Int { counter.add(1, ordering: .relaxed).oldValue }
}

/// A value handed to other threads whose safety the caller has established.
private struct Unchecked<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}
