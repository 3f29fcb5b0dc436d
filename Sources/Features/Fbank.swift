import Options

/// Kaldi's filterbank features (`compute-fbank-feats`) of whole utterances.
///
/// Output `[frames, numMelBins + useEnergy]`: per frame [log energy, log mel energies] (energy last with
/// `htkCompat`). Samples are in int16 units. Sendable: each `compute` uses its own buffers.
public struct Fbank: Sendable {
    /// The options, validated.
    public let options: FbankOptions
    /// The mel filters.
    public let melBanks: MelBanks
    /// The window coefficients, `[windowSize]`.
    public let window: [Float]
    /// Where the frames lie.
    public var geometry: FrameGeometry { FrameGeometry(options) }
    /// Values per frame: numMelBins + (useEnergy ? 1 : 0).
    public var dim: Int { options.dimension }

    /// An extractor for `options`; throws when they are invalid (naming the option and its range).
    public init(options: FbankOptions = FbankOptions()) throws(FeatureError) {
        try FeatureError.validating(options.validate)
        self.options = options
        melBanks = try MelBanks(options)
        window = options.windowType.coefficients(length: options.windowSize, blackmanCoeff: options.blackmanCoeff)
    }

    /// Number of frames of n samples (0 when n is shorter than one frame).
    public func frameCount(samples n: Int) -> Int { geometry.frameCount(samples: n) }

    /// The features of one utterance, `[frames, dim]`.
    ///
    /// Throws when `sampleRate` differs from `sampleFrequency`, a sample is NaN or infinite, or the
    /// signal is shorter than one frame.
    public func compute(_ samples: [Float], sampleRate: Double) throws(FeatureError) -> FeatureMatrix {
        try Self.check(samples, sampleRate: sampleRate, options: options)
        let frames = frameCount(samples: samples.count)
        guard frames > 0 else {
            throw .tooShort(samples: samples.count, minimum: options.snipEdges ? options.windowSize : options.windowShift - options.windowShift / 2)
        }
        let processor = makeProcessor()
        let dim = self.dim
        // Every value is written by `process`, so the output need not be zeroed first.
        let values = samples.withUnsafeBufferPointer { input in
            [Float](unsafeUninitializedCapacity: frames * dim) { out, initialized in
                for t in 0..<frames {
                    processor.process(frame: t, samples: input, base: 0, total: input.count, into: out.baseAddress! + t * dim)
                }
                initialized = frames * dim
            }
        }
        return FeatureMatrix(frames: frames, dim: dim, values: values)
    }

    /// Whether FFTW accepted the embedded wisdom for 256/512-point transforms (after the first extractor
    /// was made); when false, plans are FFTW_ESTIMATE's own choice.
    public static var fftWisdomAccepted: Bool { SharedR2CPlan.wisdomAccepted }

    /// A per-thread frame pipeline for these options.
    func makeProcessor() -> FrameProcessor {
        FrameProcessor(options: options, melBanks: melBanks, window: window)
    }

    /// Checks the rate and that every sample is finite.
    static func check(_ samples: [Float], sampleRate: Double, options: FbankOptions) throws(FeatureError) {
        guard sampleRate == options.sampleFrequency else {
            throw .sampleRateMismatch(expected: options.sampleFrequency, actual: sampleRate)
        }
        if let bad = firstNonFinite(samples) { throw .nonFiniteSample(index: bad) }
    }

    /// Index of the first NaN or infinite sample, if any (a vectorised scan: x − x is NaN exactly then).
    static func firstNonFinite(_ samples: [Float]) -> Int? {
        samples.withUnsafeBufferPointer { p -> Int? in
            var i = 0
            while i + 16 <= p.count {
                let v = UnsafeRawPointer(p.baseAddress! + i).loadUnaligned(as: SIMD16<Float>.self)
                let d = v - v
                if any(d .!= d) { break }
                i += 16
            }
            while i < p.count {
                if !p[i].isFinite { return i }
                i += 1
            }
            return nil
        }
    }
}
