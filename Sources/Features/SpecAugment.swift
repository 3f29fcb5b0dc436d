import Options
import Randomness
/// Options of SpecAugment-style masking (Park et al. 2019, without time warping).
public struct SpecAugmentOptions: DefaultedOptions, Sendable, Equatable {
    /// Number of frequency masks per utterance. Default 2.
    public var frequencyMasks: Int = 2
    /// F: each frequency mask covers f ~ U{0 … F} consecutive columns. Default 15.
    public var maxFrequencyWidth: Int = 15
    /// Number of time masks per utterance. Default 2.
    public var timeMasks: Int = 2
    /// T: each time mask covers t ~ U{0 … min(T, p · frames)} consecutive frames. Default 40.
    public var maxTimeWidth: Int = 40
    /// p: upper bound of a time mask as a fraction of the utterance. Default 0.2.
    public var maxTimeFraction: Double = 0.2
    /// Value written into masked cells (0 = the mean after mean normalisation). Default 0.
    public var maskValue: Float = 0

    /// The defaults above.
    public init() {}

    /// Throws an `OptionError` naming the first field outside its range.
    public func validate() throws(OptionError) {
        try require(frequencyMasks >= 0, "frequencyMasks", frequencyMasks, ">= 0")
        try require(maxFrequencyWidth >= 0, "maxFrequencyWidth", maxFrequencyWidth, ">= 0")
        try require(timeMasks >= 0, "timeMasks", timeMasks, ">= 0")
        try require(maxTimeWidth >= 0, "maxTimeWidth", maxTimeWidth, ">= 0")
        try require(maxTimeFraction >= 0 && maxTimeFraction <= 1, "maxTimeFraction", maxTimeFraction, "[0, 1]")
        try require(maskValue.isFinite, "maskValue", maskValue, "a finite number")
    }
}

/// A masked band: `start ..< start + width` along time (frames) or frequency (columns).
public struct MaskBand: Sendable, Equatable {
    /// True for a time mask (rows), false for a frequency mask (columns).
    public var isTime: Bool
    /// First masked row or column.
    public var start: Int
    /// Number of masked rows or columns (may be 0).
    public var width: Int
}

/// SpecAugment time and frequency masking, a training-time transform; the masks depend only on the seed.
public struct SpecAugment: Sendable {
    /// The options, validated.
    public let options: SpecAugmentOptions

    /// A masker for `options`.
    public init(options: SpecAugmentOptions = SpecAugmentOptions()) throws(FeatureError) {
        try FeatureError.validating(options.validate)
        self.options = options
    }

    /// The bands drawn for a `[frames, dim]` matrix with `seed` (frequency masks first).
    public func bands(frames: Int, dim: Int, seed: UInt64) -> [MaskBand] {
        var random = SplitMix64(seed: seed)
        var bands = [MaskBand]()
        for _ in 0..<options.frequencyMasks {
            let width = Int.random(in: 0...min(options.maxFrequencyWidth, dim), using: &random)
            let start = Int.random(in: 0...(dim - width), using: &random)
            bands.append(MaskBand(isTime: false, start: start, width: width))
        }
        let limit = min(options.maxTimeWidth, Int(options.maxTimeFraction * Double(frames)))
        for _ in 0..<options.timeMasks {
            let width = Int.random(in: 0...max(0, min(limit, frames)), using: &random)
            let start = Int.random(in: 0...(frames - width), using: &random)
            bands.append(MaskBand(isTime: true, start: start, width: width))
        }
        return bands
    }

    /// Sets the cells of every band drawn with `seed` to `maskValue`, in place; returns the bands.
    @discardableResult
    public func apply(to features: inout FeatureMatrix, seed: UInt64) -> [MaskBand] {
        let bands = self.bands(frames: features.frames, dim: features.dim, seed: seed)
        let dim = features.dim, value = options.maskValue
        features.withUnsafeMutableValues { x in
            for band in bands {
                for i in band.start..<(band.start + band.width) {
                    if band.isTime {
                        for d in 0..<dim { x[i * dim + d] = value }
                    } else {
                        for t in 0..<(x.count / dim) { x[t * dim + i] = value }
                    }
                }
            }
        }
        return bands
    }
}
