import CFFTW
import Synchronization

/// An FFTW plan made once per size for the whole process and shared; executing it is thread-safe
/// through FFTW's new-array interface, planning is not, so plans are made under a lock.
struct SharedR2CPlan: @unchecked Sendable {
    let plan: OpaquePointer

    private static let plans = Mutex<[Int: SharedR2CPlan]>([:])

    /// The plan of an n-point real-to-complex transform (FFTW_ESTIMATE, so results are the same every run).
    static func forSize(_ n: Int) -> SharedR2CPlan {
        plans.withLock { cache in
            if let plan = cache[n] { return plan }
            let input = fftwf_alloc_real(n)!
            let output = fftwf_alloc_complex(n / 2 + 1)!
            defer { fftwf_free(input); fftwf_free(output) }
            let plan = SharedR2CPlan(plan: fftwf_plan_dft_r2c_1d(Int32(n), input, output, UInt32(FFTW_ESTIMATE))!)
            cache[n] = plan
            return plan
        }
    }
}

/// An n-point unnormalised real FFT with its own aligned buffers: X[k] = Σ x[i] e^{−2πi ik/n}, k = 0 … n/2.
/// Not shareable between threads (one per extractor); the plan behind it is shared.
final class RealFFT {
    /// Transform length n.
    let count: Int
    /// The n real inputs; the caller fills them before `execute()`.
    let input: UnsafeMutablePointer<Float>
    /// The n/2 + 1 complex outputs as interleaved (re, im) floats, `[n/2 + 1, 2]`.
    let output: UnsafeMutablePointer<Float>
    private let complexOutput: UnsafeMutablePointer<fftwf_complex>
    private let plan: SharedR2CPlan

    init(count: Int) {
        self.count = count
        plan = SharedR2CPlan.forSize(count)
        input = fftwf_alloc_real(count)!
        input.initialize(repeating: 0, count: count)
        complexOutput = fftwf_alloc_complex(count / 2 + 1)!
        output = UnsafeMutableRawPointer(complexOutput).bindMemory(to: Float.self, capacity: count + 2)
        output.initialize(repeating: 0, count: count + 2)
    }

    deinit {
        fftwf_free(input)
        fftwf_free(complexOutput)
    }

    /// Transforms `input` into `output`.
    @inline(__always)
    func execute() {
        fftwf_execute_dft_r2c(plan.plan, input, complexOutput)
    }
}
