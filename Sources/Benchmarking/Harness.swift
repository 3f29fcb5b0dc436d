#if canImport(Glibc)
import Glibc
#endif

/// The one measurement loop of `asr bench`: untimed warm-up runs, then timed runs of the same body,
/// each timed on the wall clock and on a `ProcessorClock`.
///
/// A benchmark builds its inputs first, then passes only the work to time as the body:
///
///     let times = try Harness.measure(warmUp: 1, repeats: 5) { try step() }
///     print(times.bestWall * 1e3, "ms")
public enum Harness {
    /// Runs `body` `warmUp` times untimed, then `repeats` times (at least once) timed, and returns the
    /// timed runs in order. Each timed run reads the wall clock and `processor` just before and just
    /// after `body`; `onRun(k, time)` is then called with the 1-based run number `k` (not timed).
    public static func measure<E: Error>(warmUp: Int = 1, repeats: Int, processor: ProcessorClock = .process,
                                         onRun: (Int, RunTime) -> Void = { _, _ in },
                                         _ body: () throws(E) -> Void) throws(E) -> TimedRuns {
        for _ in 0..<max(0, warmUp) { try body() }
        var runs: [RunTime] = []
        runs.reserveCapacity(max(1, repeats))
        for run in 1...max(1, repeats) {
            let wallStart = wallSeconds(), processorStart = processor.now()
            try body()
            let time = RunTime(wall: wallSeconds() - wallStart, processor: processor.now() - processorStart)
            runs.append(time)
            onRun(run, time)
        }
        return TimedRuns(runs: runs)
    }

    /// Seconds on the monotonic wall clock (`CLOCK_MONOTONIC`) since an arbitrary fixed point.
    static func wallSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
