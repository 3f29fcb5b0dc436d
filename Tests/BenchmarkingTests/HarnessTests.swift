import Benchmarking
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import ProcessRunner
import Testing

/// Processor seconds used so far by the calling thread.
func threadProcessorSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// Computes until the calling thread has used `seconds` of processor time (however loaded the machine).
func busy(forProcessorSeconds seconds: Double) {
    let end = threadProcessorSeconds() + seconds
    var x = 0.0
    while threadProcessorSeconds() < end {
        for i in 0..<1000 { x += sin(Double(i)) }
    }
    #expect(x.isFinite)
}

/// A failure raised by a benchmark body.
struct BodyError: Error, Equatable {}

@Suite("Measurement harness")
struct HarnessTests {
    @Test("warm-up runs are untimed; every timed run is counted and numbered from 1")
    func repeatsCounted() {
        var calls = 0
        var numbered: [Int] = []
        let times = Harness.measure(warmUp: 2, repeats: 5, onRun: { run, _ in numbered.append(run) }) { calls += 1 }
        #expect(calls == 7)
        #expect(times.runs.count == 5)
        #expect(numbered == [1, 2, 3, 4, 5])
    }

    @Test("a slow warm-up does not enter the figures")
    func warmUpExcluded() {
        var first = true
        let times = Harness.measure(warmUp: 1, repeats: 3) {
            if first { Thread.sleep(forTimeInterval: 0.3); first = false }
        }
        #expect(times.walls.allSatisfy { $0 < 0.3 })
    }

    @Test("no warm-up: the first call is timed; at least one timed run")
    func noWarmUp() {
        var first = true
        let times = Harness.measure(warmUp: 0, repeats: 0) {
            if first { Thread.sleep(forTimeInterval: 0.05); first = false }
        }
        #expect(times.runs.count == 1)
        #expect(times.bestWall >= 0.05)
    }

    @Test("wall times are never negative and cover the body")
    func wallTimes() {
        let times = Harness.measure(warmUp: 0, repeats: 3) { Thread.sleep(forTimeInterval: 0.02) }
        #expect(times.walls.allSatisfy { $0 >= 0.02 })
        let empty = Harness.measure(repeats: 10) {}
        #expect(empty.walls.allSatisfy { $0 >= 0 })
        #expect(empty.runs.allSatisfy { $0.processor >= 0 })
    }

    @Test("processor time is measured: it covers the body's own processor time")
    func processorTime() {
        let times = Harness.measure(warmUp: 0, repeats: 2) { busy(forProcessorSeconds: 0.05) }
        // The process clock counts every thread, so other work running meanwhile only adds to it.
        #expect(times.runs.allSatisfy { $0.processor >= 0.05 })
        #expect(times.bestProcessor >= 0.05)
    }

    @Test("child processor time counts a finished child process's work")
    func childProcessorTime() {
        let shell = Harness.measure(warmUp: 0, repeats: 1, processor: .children) {
            let status = try? ChildProcess.run("/bin/sh", ["-c", "i=0; while [ $i -lt 50000 ]; do i=$((i+1)); done"]).status
            #expect(status == 0)
        }
        #expect(shell.runs[0].processor > 0.005)
        #expect(shell.runs[0].wall > 0)
    }

    @Test("an error of the body ends the measurement")
    func errorsPropagate() {
        var calls = 0
        #expect(throws: BodyError()) {
            try Harness.measure(warmUp: 1, repeats: 5) { () throws(BodyError) in
                calls += 1
                if calls == 3 { throw BodyError() }
            }
        }
        #expect(calls == 3)
    }

    @Test("figures: best and median wall, best processor, the fastest run with its own processor time")
    func figures() {
        let times = TimedRuns(runs: [RunTime(wall: 3, processor: 1), RunTime(wall: 1, processor: 4),
                                     RunTime(wall: 2, processor: 2), RunTime(wall: 5, processor: 3)])
        #expect(times.walls == [3, 1, 2, 5])
        #expect(times.bestWall == 1)
        #expect(times.medianWall == 3)          // upper median of four: sorted[2]
        #expect(times.bestProcessor == 1)
        #expect(times.medianProcessor == 3)
        #expect(times.fastest == RunTime(wall: 1, processor: 4))
    }
}
