import Foundation
import Options

/// Options of Kaldi's `compute-mfcc-feats`: the fbank options (with `useEnergy` true by default here)
/// plus the cepstral ones.
public struct MfccOptions: DefaultedOptions, Sendable, Equatable {
    /// Frame, mel and energy options; `useLogFbank` and `usePower` must stay true. Default: fbank's
    /// defaults with `useEnergy = true`.
    public var fbank: FbankOptions = MfccOptions.defaultFbank
    /// `--num-ceps`: number of cepstra kept. Default 13.
    public var numCeps: Int = 13
    /// `--cepstral-lifter`: Q of the lifter c_k ·= 1 + Q/2 · sin(πk/Q); 0 = none. Default 22.
    public var cepstralLifter: Float = 22

    /// Kaldi's defaults.
    public init() {}

    /// Fbank's defaults with `useEnergy = true`, MFCC's default.
    public static var defaultFbank: FbankOptions {
        var options = FbankOptions()
        options.useEnergy = true
        return options
    }

    /// Throws an `OptionError` naming the first option outside its allowed range.
    public func validate() throws(OptionError) {
        try OptionError.within("fbank", fbank.validate)
        try require(fbank.useLogFbank, "fbank.useLogFbank", false, "true for MFCC")
        try require(fbank.usePower, "fbank.usePower", false, "true for MFCC")
        try require(numCeps >= 1 && numCeps <= fbank.numMelBins, "numCeps", numCeps,
                    "[1, num-mel-bins = \(fbank.numMelBins)]")
        try require(cepstralLifter.isFinite && cepstralLifter >= 0, "cepstralLifter", cepstralLifter, ">= 0")
    }
}

/// Kaldi's MFCCs, sharing the fbank pipeline: c = lifter · (DCT-II · log mel), c₀ replaced by the log
/// energy when `useEnergy`; with `htkCompat` c₀ goes last (times √2 without energy). Output `[frames, numCeps]`.
public struct Mfcc: Sendable {
    /// The options, validated.
    public let options: MfccOptions
    private let fbank: Fbank
    /// The first numCeps rows of the orthonormal DCT-II times the lifter, `[numCeps, numMelBins]`:
    /// D[0, n] = √(1/M), D[k, n] = √(2/M) cos(π/M (n + ½) k).
    private let transform: [Float]

    /// An extractor for `options`; throws when they are invalid.
    public init(options: MfccOptions = MfccOptions()) throws(FeatureError) {
        try FeatureError.validating(options.validate)
        self.options = options
        var inner = options.fbank
        inner.htkCompat = false  // the energy, if any, comes first; MFCC places c₀ itself
        fbank = try Fbank(options: inner)
        let m = options.fbank.numMelBins
        var d = [Float](repeating: 0, count: options.numCeps * m)
        for k in 0..<options.numCeps {
            let norm = k == 0 ? (1 / Double(m)).squareRoot() : (2 / Double(m)).squareRoot()
            let q = Double(options.cepstralLifter)
            let lifter = q == 0 ? 1 : 1 + 0.5 * q * sin(Double.pi * Double(k) / q)
            for n in 0..<m {
                d[k * m + n] = Float(norm * cos(Double.pi / Double(m) * (Double(n) + 0.5) * Double(k)) * lifter)
            }
        }
        transform = d
    }

    /// Values per frame: numCeps.
    public var dim: Int { options.numCeps }

    /// The MFCCs of one utterance, `[frames, numCeps]`; throws as `Fbank.compute`.
    public func compute(_ samples: [Float], sampleRate: Double) throws(FeatureError) -> FeatureMatrix {
        let logMel = try fbank.compute(samples, sampleRate: sampleRate)
        let m = options.fbank.numMelBins, ceps = options.numCeps
        let energy = options.fbank.useEnergy ? 1 : 0
        var out = [Float](repeating: 0, count: logMel.frames * ceps)
        for t in 0..<logMel.frames {
            let base = t * logMel.dim + energy
            for k in 0..<ceps {
                var sum: Float = 0
                for n in 0..<m { sum += transform[k * m + n] * logMel.values[base + n] }
                out[t * ceps + k] = sum
            }
            if energy == 1 { out[t * ceps] = logMel.values[t * logMel.dim] }
            if options.fbank.htkCompat {
                let c0 = out[t * ceps] * (energy == 1 ? 1 : Float(2).squareRoot())
                for k in 0..<(ceps - 1) { out[t * ceps + k] = out[t * ceps + k + 1] }
                out[t * ceps + ceps - 1] = c0
            }
        }
        return FeatureMatrix(frames: logMel.frames, dim: ceps, values: out)
    }
}
