import Options

/// The window applied to each frame, a = 2π / (L − 1) for a frame of L samples (Kaldi `--window-type`).
public enum WindowType: String, Codable, Sendable, CaseIterable {
    /// (0.5 − 0.5 cos(a i))^0.85, Kaldi's default.
    case povey
    /// 0.54 − 0.46 cos(a i).
    case hamming
    /// 0.5 − 0.5 cos(a i).
    case hanning
    /// sin(a i / 2).
    case sine
    /// 1.
    case rectangular
    /// b − 0.5 cos(a i) + (0.5 − b) cos(2 a i), b = `blackmanCoeff`.
    case blackman
}

/// Options of Kaldi's `compute-fbank-feats` (frame, mel and fbank options), under Kaldi's names
/// in camel case and with Kaldi's defaults. Samples are taken in int16 units (−32768 ... 32767), as Kaldi.
///
/// Decoding through `OptionsJSON` fills every missing field with its default, so a recipe may name only
/// what it changes.
public struct FbankOptions: DefaultedOptions, Sendable, Equatable {
    /// `--sample-frequency`: the rate the samples must have, in Hz. Default 16000.
    public var sampleFrequency: Double = 16000
    /// `--frame-shift`: frame shift in milliseconds. Default 10.
    public var frameShift: Double = 10
    /// `--frame-length`: frame length in milliseconds. Default 25.
    public var frameLength: Double = 25
    /// `--dither`: standard deviation of the Gaussian noise added to each frame, in int16 units; 0 = off. Default 1.
    public var dither: Float = 1
    /// Seed of the dither noise (not a Kaldi option): frame t's noise depends only on (seed, t). Default 0.
    public var ditherSeed: UInt64 = 0
    /// `--preemphasis-coefficient`: x[i] −= c x[i − 1], x[0] −= c x[0]. Default 0.97.
    public var preemphasisCoefficient: Float = 0.97
    /// `--remove-dc-offset`: subtract each frame's mean. Default true.
    public var removeDcOffset: Bool = true
    /// `--window-type`. Default povey.
    public var windowType: WindowType = .povey
    /// `--blackman-coeff`: b of the Blackman window. Default 0.42.
    public var blackmanCoeff: Float = 0.42
    /// `--round-to-power-of-two`: zero-pad each frame to the next power of two for the FFT. Default true.
    public var roundToPowerOfTwo: Bool = true
    /// `--snip-edges`: true = only frames that fit in the signal; false = frames centred on multiples of
    /// the shift, reflecting the signal (edge sample included) at both ends. Default true.
    public var snipEdges: Bool = true
    /// `--num-mel-bins`: number of triangular mel filters. Default 23.
    public var numMelBins: Int = 23
    /// `--low-freq`: low edge of the first mel filter in Hz. Default 20.
    public var lowFreq: Float = 20
    /// `--high-freq`: high edge of the last mel filter in Hz; ≤ 0 is an offset from Nyquist. Default 0.
    public var highFreq: Float = 0
    /// `--use-energy`: add a log-energy column (first, or last with `htkCompat`). Default false.
    public var useEnergy: Bool = false
    /// `--energy-floor`: when > 0, log energy is raised to at least ln(energyFloor). Default 0.
    public var energyFloor: Float = 0
    /// `--raw-energy`: energy before pre-emphasis and windowing. Default true.
    public var rawEnergy: Bool = true
    /// `--htk-compat`: put the energy column last. Default false.
    public var htkCompat: Bool = false
    /// `--use-log-fbank`: log(max(E, FLT_EPSILON)) of the mel energies. Default true.
    public var useLogFbank: Bool = true
    /// `--use-power`: power spectrum (true) or magnitude spectrum (false). Default true.
    public var usePower: Bool = true

    /// Kaldi's defaults.
    public init() {}

    /// Frame shift in samples: S = int(fs · 0.001 · frameShift).
    public var windowShift: Int { Int(sampleFrequency * 0.001 * frameShift) }
    /// Frame length in samples: L = int(fs · 0.001 · frameLength).
    public var windowSize: Int { Int(sampleFrequency * 0.001 * frameLength) }
    /// FFT length: L rounded up to a power of two when `roundToPowerOfTwo`, else L.
    public var paddedWindowSize: Int {
        guard roundToPowerOfTwo else { return windowSize }
        var n = 1
        while n < windowSize { n <<= 1 }
        return n
    }
    /// Number of values per frame: numMelBins + (useEnergy ? 1 : 0).
    public var dimension: Int { numMelBins + (useEnergy ? 1 : 0) }
    /// The high edge of the mel filters in Hz after resolving a non-positive `highFreq` against Nyquist.
    public var effectiveHighFreq: Float {
        let nyquist = Float(sampleFrequency) / 2
        return highFreq > 0 ? highFreq : nyquist + highFreq
    }

    /// Throws an `OptionError` naming the first option outside its allowed range.
    public func validate() throws(OptionError) {
        func fail(_ key: String, _ value: Any, _ allowed: String) -> OptionError {
            OptionError(key, value: value, allowed: allowed)
        }
        guard sampleFrequency.isFinite, sampleFrequency > 0 else {
            throw fail("sampleFrequency", sampleFrequency, "> 0 Hz")
        }
        guard frameShift.isFinite, frameShift > 0, windowShift >= 1 else {
            throw fail("frameShift", frameShift, "> 0 ms and at least one sample")
        }
        guard frameLength.isFinite, frameLength > 0, windowSize >= 2 else {
            throw fail("frameLength", frameLength, "> 0 ms and at least two samples")
        }
        guard dither.isFinite, dither >= 0 else { throw fail("dither", dither, ">= 0") }
        guard preemphasisCoefficient >= 0, preemphasisCoefficient <= 1 else {
            throw fail("preemphasisCoefficient", preemphasisCoefficient, "[0, 1]")
        }
        guard blackmanCoeff.isFinite else { throw fail("blackmanCoeff", blackmanCoeff, "a finite number") }
        guard numMelBins >= 3 else { throw fail("numMelBins", numMelBins, ">= 3") }
        let nyquist = Float(sampleFrequency) / 2
        guard lowFreq.isFinite, lowFreq >= 0, lowFreq < nyquist else {
            throw fail("lowFreq", lowFreq, "[0, \(nyquist)) Hz (below Nyquist)")
        }
        guard highFreq.isFinite, highFreq <= nyquist, effectiveHighFreq > lowFreq else {
            throw fail("highFreq", highFreq, "(low-freq, \(nyquist)] Hz, or <= 0 as an offset from Nyquist above low-freq")
        }
        guard energyFloor.isFinite, energyFloor >= 0 else { throw fail("energyFloor", energyFloor, ">= 0") }
    }
}

extension FbankOptions {
    /// One line of help for each field that is a Kaldi `compute-fbank-feats` option (flag: the field's
    /// name in kebab case, `numMelBins` → `--num-mel-bins`), without its default, which is `FbankOptions()`'s.
    public static var help: [PartialKeyPath<FbankOptions>: String] {
        [
            \.sampleFrequency: "Sample rate the audio must have, Hz.",
            \.frameShift: "Frame shift, ms.",
            \.frameLength: "Frame length, ms.",
            \.dither: "Dither noise std in int16 units, 0 = off.",
            \.ditherSeed: "Seed of the dither noise (not a Kaldi option).",
            \.preemphasisCoefficient: "Pre-emphasis coefficient.",
            \.removeDcOffset: "Subtract each frame's mean.",
            \.windowType: "Window applied to each frame.",
            \.blackmanCoeff: "Blackman window coefficient.",
            \.roundToPowerOfTwo: "Pad frames to a power of two for the FFT.",
            \.snipEdges: "Only frames that fit in the signal.",
            \.numMelBins: "Number of mel bins.",
            \.lowFreq: "Low edge of the mel bins, Hz.",
            \.highFreq: "High edge of the mel bins, Hz; <= 0 is an offset from Nyquist.",
            \.useEnergy: "Add a log-energy column.",
            \.energyFloor: "Floor of the energy, 0 = none.",
            \.rawEnergy: "Energy before pre-emphasis and windowing.",
            \.htkCompat: "Put the energy column last.",
            \.useLogFbank: "Log of the mel energies.",
            \.usePower: "Power rather than magnitude spectrum.",
        ]
    }
}
