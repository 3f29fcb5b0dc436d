import Dispatch
import Testing
import TensorCore
import TestSupport

/// Serialized: one test changes the process-wide thread count.
@Suite(.serialized) struct BLASTests {
    @Test(arguments: [(false, false), (false, true), (true, false), (true, true)])
    func gemmMatchesFloat64Reference(ta: Bool, tb: Bool) {
        let (m, k, n) = (7, 5, 9)
        let a = randomParameter("a", ta ? [k, m] : [m, k], seed: 1).value
        let b = randomParameter("b", tb ? [n, k] : [k, n], seed: 2).value
        var c = Tensor.zeros([m, n])
        BLAS.matmul(a, ta ? .transposed : .none, b, tb ? .transposed : .none, into: &c)
        let reference = referenceMatmul(a, ta, b, tb)
        let error = zip(c.scalars, reference).map { abs(Double($0) - $1) }.max()!
        #expect(error < 1e-5)
    }

    @Test func stridedViewWithLeadingDimension() {
        // C's second column block of a [2, 6] matrix written through ldc = 6.
        let a = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
        let b = Tensor(shape: [2, 3], scalars: [1, 0, 2, 0, 1, 3])
        var c = [Float](repeating: -1, count: 12)
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    BLAS.gemm(.none, .none, m: 2, n: 3, k: 2, a: pa.baseAddress!, lda: 2, b: pb.baseAddress!, ldb: 3,
                              c: pc.baseAddress! + 3, ldc: 6)
                }
            }
        }
        #expect(c == [-1, -1, -1, 1, 2, 8, -1, -1, -1, 3, 4, 18])
    }

    /// Few rows and a large product take the tiled path (column tiles, split depth, `beta` on
    /// the first slice only); many rows and a large product are split by rows across threads.
    /// Both single- and multi-threaded.
    @Test(arguments: [(false, false), (false, true), (true, false), (true, true)], [(5, 1100, 150), (100, 130, 90)])
    func largeProductsMatchFloat64Reference(transposes: (Bool, Bool), shape: (Int, Int, Int)) {
        let (ta, tb) = transposes, (m, k, n) = shape
        #expect(m * k * n >= (m <= BLAS.smallRows ? 65_536 : BLAS.parallelWork))
        let a = randomParameter("a", ta ? [k, m] : [m, k], seed: 3).value
        let b = randomParameter("b", tb ? [n, k] : [k, n], seed: 4).value
        let c0 = randomParameter("c", [m, n], seed: 5).value
        let reference = zip(referenceMatmul(a, ta, b, tb), c0.scalars).map { 0.5 * $0 + 0.25 * Double($1) }
        for threads in [1, 2] {
            var c = c0
            ComputeThreads.withCount(threads) {
                BLAS.matmul(a, ta ? .transposed : .none, b, tb ? .transposed : .none, alpha: 0.5, beta: 0.25, into: &c)
            }
            let error = zip(c.scalars, reference).map { abs(Double($0) - $1) }.max()!
            #expect(error < 1e-4, "threads \(threads)")
        }
    }

    @Test func parallelForVisitsEveryIndexOnceAndNestsSerially() {
        var hits = [Int](repeating: 0, count: 37 * 5)
        ComputeThreads.withCount(2) {
            #expect(ComputeThreads.count == 2)
            hits.withUnsafeMutableBufferPointer { h in
                ComputeThreads.parallelFor(37) { i in
                    ComputeThreads.parallelFor(5) { j in h[i * 5 + j] += 1 }
                }
            }
        }
        #expect(hits.allSatisfy { $0 == 1 })
    }

    @Test func teamWorkersRunTogetherAndMeetAtEveryBarrier() {
        var seen = [Int](repeating: -1, count: 2), mismatches = 0, workers = [Int](repeating: 0, count: 2)
        seen.withUnsafeMutableBufferPointer { slots in
            workers.withUnsafeMutableBufferPointer { w in
                ComputeThreads.withCount(2) {
                    ComputeThreads.team { member in
                        w[member.worker] = member.workers
                        let other = 1 - member.worker
                        for round in 0..<2_000 {
                            slots[member.worker] = round
                            member.synchronize()
                            // Only worker 0 counts, so the counter has one writer.
                            if member.worker == 0 && slots[other] != round { mismatches += 1 }
                            member.synchronize()
                        }
                    }
                }
            }
        }
        #expect(workers == [2, 2])
        #expect(mismatches == 0)
    }

    /// Regions started on several threads at once take turns on the team (none runs serially by
    /// accident, none deadlocks), and products inside them stay correct.
    @Test func concurrentRegionsTakeTurns() {
        let callers = 4, iterations = 50
        var hits = [Int](repeating: 0, count: callers * iterations), workers = [Int](repeating: 0, count: callers)
        hits.withUnsafeMutableBufferPointer { h in
            workers.withUnsafeMutableBufferPointer { w in
                let (h, w) = (UncheckedPointer(h.baseAddress!), UncheckedPointer(w.baseAddress!))
                ComputeThreads.withCount(2) {
                    DispatchQueue.concurrentPerform(iterations: callers) { caller in
                        ComputeThreads.team { member in
                            if member.worker == 0 { w.value[caller] = member.workers }
                            var i = member.worker
                            while i < iterations {
                                h.value[caller * iterations + i] += 1
                                i += member.workers
                            }
                        }
                    }
                }
            }
        }
        #expect(hits.allSatisfy { $0 == 1 })
        #expect(workers == [Int](repeating: 2, count: callers))
    }

    @Test func shareSplitsARangeIntoAlignedBlocks() {
        var blocks = [Range<Int>](repeating: 0..<0, count: 6)
        blocks.withUnsafeMutableBufferPointer { out in
            ComputeThreads.withCount(2) {
                ComputeThreads.team { member in
                    out[member.worker] = member.share(of: 120, alignment: 16)
                    out[2 + member.worker] = member.share(of: 5, alignment: 16)
                    out[4 + member.worker] = member.share(of: 7)
                }
            }
        }
        #expect(blocks == [0..<64, 64..<120, 0..<5, 5..<5, 0..<4, 4..<7])
    }
}

/// A pointer the test hands to threads of `concurrentPerform` (whose body must be `Sendable`),
/// each writing distinct elements.
struct UncheckedPointer: @unchecked Sendable {
    let value: UnsafeMutablePointer<Int>
    init(_ value: UnsafeMutablePointer<Int>) { self.value = value }
}
