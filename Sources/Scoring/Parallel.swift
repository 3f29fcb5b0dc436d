import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Runs `body` on contiguous chunks of `0..<count` on up to `threads` cores (0 = every online core) and
/// returns the chunk results in order.
func parallelChunks<T>(count: Int, threads: Int, _ body: @Sendable (Range<Int>) -> T) -> [T] {
    let workers = max(1, threads == 0 ? onlineCores : threads)
    let chunks = max(1, min(count, workers * 8))
    let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: chunks)
    results.initialize(repeating: nil)
    defer { results.deallocate() }
    nonisolated(unsafe) let slots = results
    if workers == 1 {
        for chunk in 0..<chunks { slots[chunk] = body((count * chunk / chunks)..<(count * (chunk + 1) / chunks)) }
    } else {
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            slots[chunk] = body((count * chunk / chunks)..<(count * (chunk + 1) / chunks))
        }
    }
    return results.map { $0! }
}

/// Number of online cores.
private let onlineCores: Int = {
    #if canImport(Glibc)
    return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    #else
    return 1
    #endif
}()
