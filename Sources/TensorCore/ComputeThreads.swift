import COpenBLAS
#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Synchronization

/// The one place that sets how many threads numeric work uses.
///
/// `openblas_set_num_threads` is process-global, so only `ComputeThreads.configure(_:)` calls it
/// (once, from the command line or recipe layer). Swift-side batch-parallel loops
/// (`ComputeThreads.parallelFor`) use the same count, and run their bodies while OpenBLAS is
/// held at one thread per worker, so the cores are never oversubscribed.
public enum ComputeThreads {
    private static let state = Mutex<Int?>(nil)
    /// Number of `parallelFor` regions running (a nested or concurrent one runs serially).
    private static let activeRegions = Atomic<Int>(0)

    /// Number of threads numeric work may use: the last `configure` value, or OpenBLAS's own
    /// default (from `OPENBLAS_NUM_THREADS` or the core count) before the first call.
    public static var count: Int { state.withLock { $0 } ?? Int(openblas_get_num_threads()) }

    /// Sets the thread count of OpenBLAS and of `parallelFor` (clamped to at least 1).
    ///
    /// Also asks glibc's allocator to serve large blocks from its heap and keep freed memory
    /// (`M_MMAP_THRESHOLD`, `M_TRIM_THRESHOLD` = 1 GiB): a training step allocates and frees
    /// tens of megabytes of activations, and fresh `mmap` pages would be faulted in and zeroed
    /// by the kernel every step.
    public static func configure(_ threads: Int) {
        let n = Swift.max(1, threads)
        state.withLock { $0 = n }
        openblas_set_num_threads(Int32(n))
        #if canImport(Glibc)
        _ = glibcMallopt(-3, 1 << 30)   // M_MMAP_THRESHOLD (malloc.h)
        _ = glibcMallopt(-1, 1 << 30)   // M_TRIM_THRESHOLD
        #endif
    }

    /// The number of cores the machine reports.
    public static var available: Int { Int(openblas_get_num_procs()) }

    /// OpenBLAS's build description (core name and configuration), for benchmark records.
    public static var blasDescription: String {
        "\(String(cString: openblas_get_config())) core=\(String(cString: openblas_get_corename()))"
    }

    /// Runs `body(i)` for `i` in `0..<iterations`, spread over `count` threads.
    ///
    /// While it runs, OpenBLAS is set to one thread, so GEMMs inside `body` do not oversubscribe;
    /// with `count == 1`, or inside another `parallelFor` region, it is a plain loop.
    public static func parallelFor(_ iterations: Int, _ body: (Int) -> Void) {
        let total = count
        let threads = Swift.min(total, iterations)
        let (entered, _) = activeRegions.compareExchange(expected: 0, desired: 1, ordering: .acquiringAndReleasing)
        guard threads > 1, entered else {
            if entered { activeRegions.store(0, ordering: .releasing) }
            for i in 0..<iterations { body(i) }
            return
        }
        defer { activeRegions.store(0, ordering: .releasing) }
        openblas_set_num_threads(1)
        defer { openblas_set_num_threads(Int32(total)) }
        withoutActuallyEscaping(body) { body in
            let box = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: threads) { worker in
                var i = worker
                while i < iterations {
                    box.value(i)
                    i += threads
                }
            }
        }
    }
}

/// Carries a non-Sendable value into a concurrent region whose safety the caller guarantees.
struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

#if canImport(Glibc)
/// glibc's `int mallopt(int param, int value)` (declared in malloc.h, which Glibc does not export).
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif
