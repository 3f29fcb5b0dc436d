import Testing
import TensorCore

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
    /// the first slice only), single- and multi-threaded.
    @Test(arguments: [(false, false), (false, true), (true, false), (true, true)])
    func tiledSmallRowProductMatchesFloat64Reference(ta: Bool, tb: Bool) {
        let (m, k, n) = (5, 1100, 150)
        let a = randomParameter("a", ta ? [k, m] : [m, k], seed: 3).value
        let b = randomParameter("b", tb ? [n, k] : [k, n], seed: 4).value
        let c0 = randomParameter("c", [m, n], seed: 5).value
        let reference = zip(referenceMatmul(a, ta, b, tb), c0.scalars).map { 0.5 * $0 + 0.25 * Double($1) }
        for threads in [1, 2] {
            ComputeThreads.configure(threads)
            var c = c0
            BLAS.matmul(a, ta ? .transposed : .none, b, tb ? .transposed : .none, alpha: 0.5, beta: 0.25, into: &c)
            let error = zip(c.scalars, reference).map { abs(Double($0) - $1) }.max()!
            #expect(error < 1e-4, "threads \(threads)")
        }
        ComputeThreads.configure(1)
    }

    @Test func parallelForVisitsEveryIndexOnceAndNestsSerially() {
        ComputeThreads.configure(2)
        defer { ComputeThreads.configure(1) }
        #expect(ComputeThreads.count == 2)
        var hits = [Int](repeating: 0, count: 37 * 5)
        hits.withUnsafeMutableBufferPointer { h in
            let p = UncheckedPointer(h.baseAddress!)
            ComputeThreads.parallelFor(37) { i in
                ComputeThreads.parallelFor(5) { j in p.value[i * 5 + j] += 1 }
            }
        }
        #expect(hits.allSatisfy { $0 == 1 })
    }
}

/// A pointer the test hands to worker threads, each writing distinct elements.
struct UncheckedPointer: @unchecked Sendable {
    let value: UnsafeMutablePointer<Int>
    init(_ value: UnsafeMutablePointer<Int>) { self.value = value }
}
