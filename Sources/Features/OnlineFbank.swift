/// A streaming fbank extractor: samples arrive in chunks of any size; each frame is computed as soon as
/// all its samples have arrived (the last frames, which may need reflection past the end, at `finish()`).
/// The rows equal `Fbank.compute` on the concatenated samples, dither included.
///
/// Memory stays bounded: samples no later frame needs are dropped. Not thread-safe (one per stream).
public final class OnlineFbank {
    /// The extractor whose output this stream reproduces.
    public let fbank: Fbank
    private let processor: FrameProcessor
    private let geometry: FrameGeometry
    /// Samples from global index `bufferStart` on.
    private var buffer: [Float] = []
    private var bufferStart = 0
    private var received = 0
    /// Frames emitted so far.
    public private(set) var framesEmitted = 0
    /// Whether `finish()` has been called.
    public private(set) var isFinished = false

    /// A stream for `options`; throws when they are invalid.
    public init(options: FbankOptions = FbankOptions()) throws(FeatureError) {
        fbank = try Fbank(options: options)
        processor = fbank.makeProcessor()
        geometry = fbank.geometry
    }

    /// Values per frame.
    public var dim: Int { fbank.dim }

    /// Takes the next chunk of samples (int16 units) and returns the frames it completed, `[newFrames, dim]`.
    /// Throws on a rate other than `sampleFrequency`, NaN or infinite samples, or input after `finish()`.
    public func accept(_ samples: [Float], sampleRate: Double) throws(FeatureError) -> FeatureMatrix {
        precondition(!isFinished, "OnlineFbank.accept after finish()")
        try Fbank.check(samples, sampleRate: sampleRate, options: fbank.options)
        buffer.append(contentsOf: samples)
        received += samples.count
        return emit(upTo: geometry.completeFrameCount(samples: received), total: received)
    }

    /// Ends the input and returns the remaining frames, `[remaining, dim]` (possibly none).
    public func finish() -> FeatureMatrix {
        precondition(!isFinished, "OnlineFbank.finish called twice")
        isFinished = true
        return emit(upTo: geometry.frameCount(samples: received), total: received)
    }

    private func emit(upTo frames: Int, total: Int) -> FeatureMatrix {
        let count = max(0, frames - framesEmitted)
        guard count > 0 else { return FeatureMatrix(dim: dim) }
        let dim = self.dim
        var values = [Float](repeating: 0, count: count * dim)
        let first = framesEmitted
        buffer.withUnsafeBufferPointer { input in
            values.withUnsafeMutableBufferPointer { out in
                for i in 0..<count {
                    processor.process(frame: first + i, samples: input, base: bufferStart, total: total,
                                      into: out.baseAddress! + i * dim)
                }
            }
        }
        framesEmitted = frames
        // Drop the samples before the next frame's first sample (never those a start reflection needs).
        let keepFrom = min(received, max(0, geometry.firstSample(ofFrame: framesEmitted)))
        if keepFrom > bufferStart {
            buffer.removeFirst(keepFrom - bufferStart)
            bufferStart = keepFrom
        }
        return FeatureMatrix(frames: count, dim: dim, values: values)
    }
}
