import Dispatch
import Synchronization

/// The one "map over indices in parallel, results in order" of the toolkit (numeric work in TensorCore
/// runs on its own thread team, `ComputeThreads`). Work runs on Dispatch's pool, at most one thread a core.
public enum Parallel {
    /// `[body(r₀), body(r₁), …, body(rₙ₋₁)]` for the contiguous ranges `rₖ = ⌊count·k/n⌋ ..< ⌊count·(k+1)/n⌋`
    /// covering `0..<count`, with `n = max(1, min(count, 8·workers))` chunks and
    /// `workers = Cores.resolve(threads)` (0 = every core). Up to `workers` threads take the chunks one at a
    /// time as they free up (on the caller alone when `workers` is 1); the results come back in chunk
    /// order. After all have run, the error of the first failed chunk, in chunk order, is rethrown.
    ///
    /// Give each chunk its own scratch state (an aligner, a buffer) and combine the per-chunk results.
    public static func mapChunks<T, E: Error>(count: Int, threads: Int = 0,
                                              _ body: @Sendable (Range<Int>) throws(E) -> T) throws(E) -> [T] {
        let workers = Cores.resolve(threads)
        let chunks = max(1, min(count, workers * 8))
        @Sendable func range(_ chunk: Int) -> Range<Int> { (count * chunk / chunks)..<(count * (chunk + 1) / chunks) }
        if workers == 1 || chunks == 1 {
            var results: [T] = []
            results.reserveCapacity(chunks)
            for chunk in 0..<chunks { results.append(try body(range(chunk))) }
            return results
        }
        let slots = UnsafeMutableBufferPointer<Result<T, E>?>.allocate(capacity: chunks)
        slots.initialize(repeating: nil)
        defer {
            _ = slots.deinitialize()
            slots.deallocate()
        }
        nonisolated(unsafe) let shared = slots
        let next = Atomic<Int>(0)
        // `min(workers, chunks)` Dispatch iterations, each taking the next chunk until none is left:
        // never more threads than asked for, and a slow chunk does not hold up the others.
        DispatchQueue.concurrentPerform(iterations: min(workers, chunks)) { _ in
            while true {
                let chunk = next.add(1, ordering: .relaxed).oldValue
                guard chunk < chunks else { return }
                shared[chunk] = Result { () throws(E) -> T in try body(range(chunk)) }
            }
        }
        var results: [T] = []
        results.reserveCapacity(chunks)
        for slot in slots { results.append(try slot!.get()) }
        return results
    }

    /// `[body(0), body(1), …, body(count − 1)]`, computed in parallel in the contiguous chunks of
    /// `mapChunks` on up to `Cores.resolve(threads)` threads (0 = every core), in index order. A chunk
    /// stops at its first error; after all have run, the first error in index order is rethrown.
    public static func map<T, E: Error>(count: Int, threads: Int = 0,
                                        _ body: @Sendable (Int) throws(E) -> T) throws(E) -> [T] {
        try mapChunks(count: count, threads: threads) { (range: Range<Int>) throws(E) -> [T] in
            try range.map { (index: Int) throws(E) -> T in try body(index) }
        }.flatMap { $0 }
    }
}
