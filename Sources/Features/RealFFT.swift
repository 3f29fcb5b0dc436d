import CFFTW
import Foundation

/// An FFTW plan made once per size for the whole process and shared; executing it is thread-safe
/// through FFTW's new-array interface, planning is not, so plans are made under a lock.
struct SharedR2CPlan: @unchecked Sendable {
    let plan: OpaquePointer

    /// Plans by size, and whether FFTW accepted the embedded wisdom (nil until the first plan), guarded by
    /// `lock` (a pthread mutex: ThreadSanitizer sees its ordering).
    nonisolated(unsafe) private static var plans: (cache: [Int: SharedR2CPlan], wisdom: Bool?) = ([:], nil)
    private static let lock = NSLock()

    /// Whether FFTW accepted the embedded wisdom (false before the first plan or on another FFTW build).
    static var wisdomAccepted: Bool { lock.withLock { plans.wisdom ?? false } }

    /// The plan of an n-point real-to-complex transform: FFTW_ESTIMATE after importing fixed wisdom, so
    /// the same plan (and the same results) every run.
    static func forSize(_ n: Int) -> SharedR2CPlan {
        lock.withLock {
            if plans.wisdom == nil { plans.wisdom = FFTWisdom.importOnce() }
            if let plan = plans.cache[n] { return plan }
            let input = fftwf_alloc_real(n)!
            let output = fftwf_alloc_complex(n / 2 + 1)!
            defer { fftwf_free(input); fftwf_free(output) }
            let plan = SharedR2CPlan(plan: fftwf_plan_dft_r2c_1d(Int32(n), input, output, UInt32(FFTW_ESTIMATE))!)
            plans.cache[n] = plan
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
