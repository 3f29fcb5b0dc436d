import Foundation
import Options

/// Kaldi's triangular mel filters, stored sparsely: for each filter its first FFT bin and its weights.
///
/// mel(f) = 1127 ln(1 + f/700); filter m spans mlo + (m, m+1, m+2)·Δ with Δ = (mhi − mlo)/(M + 1);
/// FFT bin k (k < N/2, frequency k·fs/N) gets weight (μ − left)/(centre − left) for left < μ ≤ centre and
/// (right − μ)/(right − centre) for centre < μ < right. Computed in float as Kaldi does.
public struct MelBanks: Sendable, Equatable {
    /// First FFT bin of each filter, `[numBins]`.
    public let firstBin: [Int]
    /// Start of each filter's weights in `weights`, `[numBins + 1]` (filter m: offsets[m] ..< offsets[m+1]).
    public let offsets: [Int]
    /// All non-zero weights, filter after filter.
    public let weights: [Float]

    /// Number of filters.
    public var count: Int { firstBin.count }

    /// The mel scale: 1127 ln(1 + f/700).
    public static func mel(_ hz: Float) -> Float { 1127 * logf(1 + hz / 700) }

    /// The filters of `options` (`numMelBins`, `lowFreq`, `effectiveHighFreq`, FFT length `paddedWindowSize`).
    /// Throws when a filter covers no FFT bin (too many bins for the FFT resolution).
    public init(_ options: FbankOptions) throws(FeatureError) {
        let fftLength = options.paddedWindowSize
        let bins = options.numMelBins
        let binWidth = Float(options.sampleFrequency) / Float(fftLength)
        let melLow = Self.mel(options.lowFreq)
        let melHigh = Self.mel(options.effectiveHighFreq)
        let delta = (melHigh - melLow) / Float(bins + 1)
        let fftMels = (0..<(fftLength / 2)).map { Self.mel(binWidth * Float($0)) }
        var firstBin = [Int](), offsets = [0], weights = [Float]()
        for m in 0..<bins {
            let left = melLow + Float(m) * delta
            let centre = melLow + Float(m + 1) * delta
            let right = melLow + Float(m + 2) * delta
            var first = -1
            for (k, mu) in fftMels.enumerated() where mu > left && mu < right {
                if first < 0 { first = k }
                // Bins inside the triangle are contiguous, so position k − first holds weight k.
                weights.append(mu <= centre ? (mu - left) / (centre - left) : (right - mu) / (right - centre))
            }
            guard first >= 0 else {
                throw .option(OptionError("numMelBins", value: bins,
                                          allowed: "a count leaving no mel filter empty (filter \(m) covers no FFT bin of \(fftLength))"))
            }
            firstBin.append(first)
            offsets.append(weights.count)
        }
        self.firstBin = firstBin
        self.offsets = offsets
        self.weights = weights
    }
}
