#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Synchronization

/// One thread's view of a parallel region (`ComputeThreads.team`): its index, the region's size,
/// and the barrier the region's threads share.
public struct TeamMember {
    /// This thread's index in `0..<workers`; the calling thread is worker 0.
    public let worker: Int
    /// Threads running the region.
    public let workers: Int
    let barrier: SpinBarrier?

    /// Returns once every worker of the region has called `synchronize()` as many times; writes
    /// made before the call are visible to every worker after it. Every worker must call it the
    /// same number of times.
    public func synchronize() { barrier?.wait() }

    /// This worker's block of `0..<count`: contiguous, with block sizes rounded up to a multiple
    /// of `alignment` (the last block takes the rest, a trailing block may be empty).
    public func share(of count: Int, alignment: Int = 1) -> Range<Int> {
        let perWorker = (count + workers - 1) / workers
        let block = (perWorker + alignment - 1) / alignment * alignment
        let start = Swift.min(count, worker * block)
        return start..<Swift.min(count, start + block)
    }
}

/// Waits until all `parties` threads have arrived: a central barrier whose last arrival starts a
/// new generation, which the others spin on (then yield).
final class SpinBarrier: Sendable {
    private let arrived = Atomic<Int>(0)
    private let generation = Atomic<Int>(0)
    private let parties: Atomic<Int>

    init(parties: Int) { self.parties = Atomic(parties) }

    /// Threads of the current region.
    var count: Int { parties.load(ordering: .relaxed) }

    /// Sets the number of threads for the next region (only while no thread waits); helpers read
    /// it as the region's size.
    func reset(parties count: Int) {
        parties.store(count, ordering: .relaxed)
        arrived.store(0, ordering: .relaxed)
    }

    /// Arrives and returns once every party has arrived at this generation.
    func wait() {
        let current = generation.load(ordering: .acquiring)
        if arrived.add(1, ordering: .acquiringAndReleasing).newValue == parties.load(ordering: .relaxed) {
            arrived.store(0, ordering: .relaxed)
            generation.add(1, ordering: .releasing)
        } else {
            spin { generation.load(ordering: .acquiring) != current }
        }
    }
}

/// Busy-waits for `done()`, yielding the core after the first few thousand checks so that a
/// descheduled partner (a shared machine) can run.
@inline(__always)
func spin(until done: () -> Bool) {
    var checks = 0
    while !done() {
        checks += 1
        if checks > 4_000 { sched_yield() }
    }
}

/// Helper threads that run parallel regions with the calling thread, parked between regions.
///
/// A region posts its body, bumps `epoch` and wakes the helpers that sleep; helper `i` runs the
/// body as worker `i` when `i < workers` and then counts itself finished, so the caller (worker 0)
/// returns only after every helper is idle again. A helper spins briefly after each region
/// (back-to-back regions, such as a decoder's per-step ones, then cost no wake-up) and then
/// sleeps on its semaphore (`Parking`).
final class WorkerTeam: @unchecked Sendable {
    static let shared = WorkerTeam()

    /// Marks the threads running a region's body: set for good on helpers, for the region's
    /// length on its caller.
    private static let regionKey: pthread_key_t = {
        var key = pthread_key_t()
        precondition(pthread_key_create(&key, nil) == 0, "pthread_key_create failed")
        return key
    }()

    /// Whether the calling thread is running the body of a region.
    static var isInsideRegion: Bool { pthread_getspecific(regionKey) != nil }

    fileprivate static func markInsideRegion(_ inside: Bool) {
        pthread_setspecific(regionKey, inside ? UnsafeRawPointer(bitPattern: 1) : nil)
    }

    private let epoch = Atomic<Int>(0)
    private let unfinished = Atomic<Int>(0)
    let barrier = SpinBarrier(parties: 1)
    /// The running region's body; written only by the caller, before `epoch` is bumped.
    private var body: ((TeamMember) -> Void)?
    private var parkings: [Parking] = []

    /// Runs `body` on `workers` threads (the caller included) and returns when all have finished.
    /// Only one region runs at a time (`ComputeThreads.team` holds a lock around it).
    func run(workers: Int, _ body: (TeamMember) -> Void) {
        while parkings.count < workers - 1 { startHelper(index: parkings.count + 1) }
        withoutActuallyEscaping(body) { body in
            self.body = body
            barrier.reset(parties: workers)
            unfinished.store(parkings.count, ordering: .relaxed)
            epoch.add(1, ordering: .sequentiallyConsistent)
            for parking in parkings { parking.wake() }
            Self.markInsideRegion(true)
            body(TeamMember(worker: 0, workers: workers, barrier: barrier))
            Self.markInsideRegion(false)
            spin { unfinished.load(ordering: .acquiring) == 0 }
            self.body = nil
        }
    }

    private func startHelper(index: Int) {
        let parking = Parking()
        parkings.append(parking)
        let helper = Helper(team: self, index: index, parking: parking, seenEpoch: epoch.load(ordering: .acquiring))
        var thread = pthread_t()
        let context = Unmanaged.passRetained(helper).toOpaque()
        let status = pthread_create(&thread, nil, { context in
            Unmanaged<Helper>.fromOpaque(context!).takeRetainedValue().loop()
        }, context)
        precondition(status == 0, "pthread_create failed with \(status)")
        pthread_detach(thread)
    }

    /// Where a helper sleeps between regions. The helper announces itself (`sleeping`) before
    /// its last look at `epoch`, and the caller looks at `sleeping` after bumping `epoch` (both
    /// sequentially consistent), so either the helper sees the new region or the caller wakes
    /// it; at most one stale signal is left, which makes one later sleep return early.
    private final class Parking: Sendable {
        private let semaphore = DispatchSemaphore(value: 0)
        private let sleeping = Atomic<Bool>(false)

        /// Sleeps unless `stillIdle()`, checked after the announcement, is false.
        func sleep(while stillIdle: () -> Bool) {
            sleeping.store(true, ordering: .sequentiallyConsistent)
            if stillIdle() { semaphore.wait() }
            sleeping.store(false, ordering: .sequentiallyConsistent)
        }

        /// Wakes the helper if it sleeps or is about to.
        func wake() {
            if sleeping.exchange(false, ordering: .sequentiallyConsistent) { semaphore.signal() }
        }
    }

    private final class Helper {
        let team: WorkerTeam
        let index: Int
        let parking: Parking
        var seenEpoch: Int

        init(team: WorkerTeam, index: Int, parking: Parking, seenEpoch: Int) {
            (self.team, self.index, self.parking, self.seenEpoch) = (team, index, parking, seenEpoch)
        }

        func loop() -> Never {
            WorkerTeam.markInsideRegion(true)
            while true {
                var checks = 0
                while team.epoch.load(ordering: .acquiring) == seenEpoch {
                    checks += 1
                    if checks > 20_000 {
                        parking.sleep { team.epoch.load(ordering: .sequentiallyConsistent) == seenEpoch }
                    }
                }
                seenEpoch = team.epoch.load(ordering: .acquiring)
                let workers = team.barrier.count
                if index < workers, let body = team.body {
                    body(TeamMember(worker: index, workers: workers, barrier: team.barrier))
                }
                team.unfinished.subtract(1, ordering: .releasing)
            }
        }
    }
}
