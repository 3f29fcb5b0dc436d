import Foundation

/// Whether audio holds any frame with the spectral structure of speech, fed in chunks of any size.
///
/// Each non-overlapping 25 ms frame with energy above one 16-bit step is Hann-windowed and transformed
/// (zero-padded to a power of two n); its spectral flatness over the power spectrum P_k, k = 1 … n/2 − 1, is
///
///   F = exp(mean_k ln P_k) / mean_k P_k  ∈ (0, 1].
///
/// White noise has F ≈ e^−γ ≈ 0.56 at any level (the periodogram's bins are exponentially distributed);
/// a voiced frame, its energy in a few harmonics and formants, has F well under 0.1. `minimumFlatness` is
/// the least flat frame seen: audio whose every frame is flatter than a threshold holds no speech.
public final class SpeechPresence {
    /// Samples per frame (25 ms).
    public let frameLength: Int
    private let fft: RealFFT
    private let window: [Float]
    private var pending: [Float] = []
    /// The smallest flatness of a frame above the silence level so far (1 before any).
    public private(set) var minimumFlatness: Float = 1

    /// A detector for audio at `sampleRate` Hz.
    public init(sampleRate: Double) {
        let length = max(16, Int((0.025 * sampleRate).rounded()))
        var n = 16
        while n < length { n *= 2 }
        frameLength = length
        fft = RealFFT(count: n)
        window = (0..<length).map { i in Float(0.5 - 0.5 * cos(2 * Double.pi * Double(i) / Double(length - 1))) }
    }

    /// Takes the next samples (in [-1, 1)); frames are cut as they complete.
    public func append(_ samples: [Float]) {
        pending += samples
        var start = 0
        while pending.count - start >= frameLength {
            measure(pending[start..<(start + frameLength)])
            start += frameLength
        }
        pending.removeFirst(start)
    }

    private func measure(_ frame: ArraySlice<Float>) {
        let silence = 1 / Float(32768 * 32768)
        var energy: Float = 0
        for x in frame { energy += x * x }
        guard energy / Float(frameLength) >= silence else { return }
        let n = fft.count
        for (i, x) in frame.enumerated() { fft.input[i] = x * window[i] }
        for i in frameLength..<n { fft.input[i] = 0 }
        fft.execute()
        let bins = n / 2 - 1
        let z = fft.output
        func power(_ k: Int) -> Double { Double(z[2 * k]) * Double(z[2 * k]) + Double(z[2 * k + 1]) * Double(z[2 * k + 1]) }
        var mean = 0.0
        for k in 1...bins { mean += power(k) }
        mean /= Double(bins)
        guard mean > 0 else { return }
        let floor = mean * 1e-12
        var logSum = 0.0
        for k in 1...bins { logSum += Foundation.log(power(k) + floor) }
        minimumFlatness = min(minimumFlatness, Float(Foundation.exp(logSum / Double(bins)) / mean))
    }
}
