#if canImport(Glibc)
import Glibc
#endif
import Parallelism
import Synchronization
import Testing

/// An error carrying the index that threw it.
struct IndexError: Error, Equatable {
    let index: Int
}

@Suite("Parallel map")
struct ParallelMapTests {
    @Test("results come back in index order on any thread count", arguments: [0, 1, 2, 3, 16])
    func mapKeepsOrder(threads: Int) {
        for count in [0, 1, 7, 100, 1001] {
            let squares = Parallel.map(count: count, threads: threads) { $0 * $0 }
            #expect(squares == (0..<count).map { $0 * $0 })
        }
    }

    @Test("chunks are contiguous, in order, cover every index once, and number min(count, 8 workers)")
    func chunksCoverTheRange() {
        for (count, threads) in [(0, 2), (5, 2), (100, 2), (1000, 3), (1000, 1)] {
            let ranges = Parallel.mapChunks(count: count, threads: threads) { $0 }
            #expect(ranges.count == max(1, min(count, 8 * threads)))
            #expect(ranges.first?.lowerBound == 0 && ranges.last?.upperBound == count)
            for (a, b) in zip(ranges, ranges.dropFirst()) { #expect(a.upperBound == b.lowerBound) }
        }
    }

    @Test("every index runs exactly once even when chunks outnumber threads")
    func everyIndexOnce() {
        let calls = Atomic<Int>(0)
        let indices = Parallel.map(count: 500, threads: 2) { index in
            calls.add(1, ordering: .relaxed)
            return index
        }
        #expect(calls.load(ordering: .relaxed) == 500)
        #expect(indices == Array(0..<500))
    }

    @Test("the first error in index order is rethrown, after every chunk has run")
    func firstErrorInIndexOrder() {
        let calls = Atomic<Int>(0)
        #expect(throws: IndexError(index: 30)) {
            try Parallel.map(count: 100, threads: 2) { (index: Int) throws(IndexError) -> Int in
                calls.add(1, ordering: .relaxed)
                if index == 30 || index == 31 || index == 90 { throw IndexError(index: index) }
                return index
            }
        }
        // 16 chunks of 6-7 indices: the chunks holding 30 and 90 stop at their first error.
        #expect(calls.load(ordering: .relaxed) > 80)
    }

    @Test("one thread runs on the caller")
    func oneThreadOnTheCaller() {
        let caller = currentThreadID()
        let threads = Parallel.map(count: 50, threads: 1) { _ in currentThreadID() }
        #expect(Set(threads) == [caller])
    }

    @Test("core count: at least 1, and 0 threads resolves to it")
    func coreCount() {
        #expect(Cores.available >= 1)
        #expect(Cores.resolve(0) == Cores.available)
        #expect(Cores.resolve(3) == 3)
    }
}

/// An identifier of the calling thread.
func currentThreadID() -> pthread_t {
    pthread_self()
}
