import COpenBLAS
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// The one place that sets how many threads numeric work uses.
///
/// All of it runs on one fixed set of threads: parallel regions (`team`, and `parallelFor` built
/// on it) run on the caller plus `count - 1` parked helper threads, and large matrix products
/// are split across a region by `BLAS.gemm`. OpenBLAS itself is held at one thread
/// (`openblas_set_num_threads` is process-global, and only this type calls it): its own pool
/// would compete with the helpers for the cores, and its idle threads spin with `sched_yield`
/// long after each product, which measurably slowed the barrier-synchronised LSTM steps.
public enum ComputeThreads {
    /// The last `configure` value; 0 until the first call.
    private static let configured = Atomic<Int>(0)
    /// Held while a parallel region runs: a region started on another thread waits for it.
    private static let regionLock = Mutex<Void>(())
    /// Held by `withCount`.
    private static let countLock = Mutex<Void>(())

    /// OpenBLAS's own default thread count (from `OPENBLAS_NUM_THREADS` or the core count), read
    /// once; from then on OpenBLAS is held at one thread. Every OpenBLAS call touches it first, so
    /// that holds from the first call even in a process that never configures the count.
    static let openBLASDefaultThreads: Int = {
        let threads = Int(openblas_get_num_threads())
        openblas_set_num_threads(1)
        return threads
    }()

    /// Number of threads numeric work may use: the last `configure` value, or before the first
    /// call OpenBLAS's default (from `OPENBLAS_NUM_THREADS` or the core count). A plain atomic
    /// load: the per-step products of every LSTM thread read it.
    public static var count: Int {
        let threads = configured.load(ordering: .relaxed)
        return threads > 0 ? threads : openBLASDefaultThreads
    }

    /// Sets the thread count of parallel regions (clamped to at least 1); OpenBLAS stays at one.
    ///
    /// Also asks glibc's allocator to serve large blocks from its heap and keep freed memory
    /// (`M_MMAP_THRESHOLD`, `M_TRIM_THRESHOLD` = 1 GiB): a training step allocates and frees
    /// tens of megabytes of activations, and fresh `mmap` pages would be faulted in and zeroed
    /// by the kernel every step.
    public static func configure(_ threads: Int) {
        _ = openBLASDefaultThreads   // holds OpenBLAS at one thread
        configured.store(Swift.max(1, threads), ordering: .relaxed)
        #if canImport(Glibc)
        _ = glibcMallopt(-3, 1 << 30)   // M_MMAP_THRESHOLD (malloc.h)
        _ = glibcMallopt(-1, 1 << 30)   // M_TRIM_THRESHOLD
        #endif
    }

    /// OpenBLAS's build description (core name and configuration), for benchmark records.
    public static var blasDescription: String {
        "\(String(cString: openblas_get_config())) core=\(String(cString: openblas_get_corename()))"
    }

    /// Runs `body` once on each of `min(count, limit)` threads at the same time (worker 0 is the
    /// calling thread) and returns when all have finished; the workers share a barrier
    /// (`TeamMember.synchronize`) and split work with `TeamMember.share(of:)`.
    ///
    /// With one thread, or called from inside a region (a worker's GEMM), `body` runs once on the
    /// caller as the only worker. A region started while another thread's region runs waits for
    /// it, so the cores are never shared by two regions.
    public static func team(upTo limit: Int = .max, _ body: (TeamMember) -> Void) {
        let threads = Swift.min(count, limit)
        guard threads > 1, !WorkerTeam.isInsideRegion else {
            body(TeamMember(worker: 0, workers: 1, barrier: nil))
            return
        }
        regionLock.withLock { _ in WorkerTeam.shared.run(workers: threads, body) }
    }

    /// Runs `body` with `count` set to `threads`, then restores the previous count. Calls on
    /// other threads wait their turn, since the count is process-wide (tests comparing thread
    /// counts run side by side); it must not be nested.
    public static func withCount<R, E: Error>(_ threads: Int, _ body: () throws(E) -> R) throws(E) -> R {
        var result: R?
        try countLock.withLock { _ throws(E) in
            let previous = count
            configure(threads)
            defer { configure(previous) }
            result = try body()
        }
        return result!
    }

    /// Elements per block of `forEachBlock` (128 KiB of floats).
    public static let blockSize = 1 << 15

    /// Runs `body(b, range)` on the consecutive blocks `b` of `blockSize` elements covering `0..<count`, the
    /// blocks spread over the threads of a `team` (one block: on the caller). The blocks do not
    /// depend on the thread count, so per-block partial results combined in block order give
    /// the same value on any number of threads.
    public static func forEachBlock(of count: Int, _ body: (_ block: Int, _ range: Range<Int>) -> Void) {
        let blocks = (count + blockSize - 1) / blockSize
        if blocks <= 1 {
            if count > 0 { body(0, 0..<count) }
            return
        }
        parallelFor(blocks) { b in body(b, b * blockSize..<Swift.min(count, (b + 1) * blockSize)) }
    }

    /// Runs `body(i)` for `i` in `0..<iterations`, spread round-robin over the threads of a `team`.
    public static func parallelFor(_ iterations: Int, _ body: (Int) -> Void) {
        team(upTo: iterations) { member in
            var i = member.worker
            while i < iterations {
                body(i)
                i += member.workers
            }
        }
    }
}

#if canImport(Glibc)
/// glibc's `int mallopt(int param, int value)` (declared in malloc.h, which Glibc does not export).
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif
