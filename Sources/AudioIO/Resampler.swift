import CSamplerate

/// libsamplerate converter types, best first.
public enum ResampleQuality: String, Codable, Sendable, Equatable, CaseIterable {
    /// Band-limited sinc, 97 dB SNR, 97 % bandwidth (`SRC_SINC_BEST_QUALITY`).
    case bestSinc
    /// Band-limited sinc, 97 dB SNR, 90 % bandwidth (`SRC_SINC_MEDIUM_QUALITY`).
    case mediumSinc
    /// Band-limited sinc, 97 dB SNR, 80 % bandwidth (`SRC_SINC_FASTEST`).
    case fastestSinc
    /// Zero-order hold: repeats the last sample (`SRC_ZERO_ORDER_HOLD`); not band-limited.
    case zeroOrderHold
    /// Linear interpolation (`SRC_LINEAR`); not band-limited.
    case linear

    /// libsamplerate's converter constant.
    var converter: Int32 {
        switch self {
        case .bestSinc: return Int32(SRC_SINC_BEST_QUALITY)
        case .mediumSinc: return Int32(SRC_SINC_MEDIUM_QUALITY)
        case .fastestSinc: return Int32(SRC_SINC_FASTEST)
        case .zeroOrderHold: return Int32(SRC_ZERO_ORDER_HOLD)
        case .linear: return Int32(SRC_LINEAR)
        }
    }
}

/// A streaming sample-rate converter (libsamplerate), ratio `outputRate / inputRate`.
///
/// Feed interleaved blocks `[frames, channels]` to `process`; the converter keeps its filter state
/// between calls, so the concatenated outputs equal one conversion of the concatenated inputs. Pass
/// `endOfInput: true` with the last block to flush the filter tail. Owns its `SRC_STATE` and frees it
/// once, in `deinit`. Not thread-safe: one thread at a time.
public final class Resampler {
    private let state: OpaquePointer
    /// Interleaved channels per frame.
    public let channels: Int
    /// Rate of the input in Hz.
    public let inputRate: Int
    /// Rate of the output in Hz.
    public let outputRate: Int
    /// Converter in use.
    public let quality: ResampleQuality
    private var finished = false

    /// A converter from `inputRate` to `outputRate` Hz for `channels` interleaved channels.
    /// The ratio `outputRate / inputRate` must lie in 1/256...256.
    public init(channels: Int = 1, from inputRate: Int, to outputRate: Int,
                quality: ResampleQuality = .bestSinc) throws(AudioError) {
        guard channels >= 1 else {
            throw .invalidOption(field: "channels", message: "\(channels) is not >= 1")
        }
        guard inputRate > 0, outputRate > 0 else {
            throw .invalidOption(field: "sampleRate", message: "rates must be positive (\(inputRate) -> \(outputRate))")
        }
        let ratio = Double(outputRate) / Double(inputRate)
        guard src_is_valid_ratio(ratio) != 0 else {
            throw .invalidOption(field: "sampleRate",
                                 message: "ratio \(outputRate)/\(inputRate) is outside 1/256...256")
        }
        var error: Int32 = 0
        guard let created = src_new(quality.converter, Int32(channels), &error) else {
            throw .resampleFailed(message: String(cString: src_strerror(error)))
        }
        state = created
        self.channels = channels
        self.inputRate = inputRate
        self.outputRate = outputRate
        self.quality = quality
    }

    deinit { src_delete(state) }

    /// Converts one block `[frames, channels]`; returns the output frames ready so far (the filter
    /// delays some output until later blocks or `endOfInput`). After `endOfInput` the converter
    /// returns nothing more until `reset()`.
    public func process(_ input: [Float], endOfInput: Bool = false) throws(AudioError) -> [Float] {
        if finished { return [] }
        let ratio = Double(outputRate) / Double(inputRate)
        let inputFrames = input.count / channels
        var output: [Float] = []
        output.reserveCapacity(Int(Double(inputFrames) * ratio + 16) * channels)
        var offset = 0
        var failure: Int32 = 0
        input.withUnsafeBufferPointer { inputBuffer in
            while true {
                let remaining = inputFrames - offset
                let capacity = Int(Double(remaining) * ratio) + 256
                var block = [Float](repeating: 0, count: capacity * channels)
                var data = SRC_DATA()
                var generated = 0, used = 0
                block.withUnsafeMutableBufferPointer { outputBuffer in
                    data.data_in = inputBuffer.baseAddress.map { $0 + offset * channels }
                    data.input_frames = remaining
                    data.data_out = outputBuffer.baseAddress
                    data.output_frames = capacity
                    data.end_of_input = endOfInput ? 1 : 0
                    data.src_ratio = ratio
                    failure = src_process(state, &data)
                    generated = Int(data.output_frames_gen)
                    used = Int(data.input_frames_used)
                }
                if failure != 0 { return }
                output.append(contentsOf: block[0..<(generated * channels)])
                offset += used
                let inputDone = offset >= inputFrames
                if inputDone && (!endOfInput || generated == 0) { break }
                if !inputDone && used == 0 && generated == 0 { break }
            }
        }
        if failure != 0 { throw .resampleFailed(message: String(cString: src_strerror(failure))) }
        if endOfInput { finished = true }
        return output
    }

    /// Clears the filter state so the converter can start a new stream.
    public func reset() {
        src_reset(state)
        finished = false
    }

    /// Converts a whole signal `[frames, channels]` from `inputRate` to `outputRate` Hz; the output has
    /// about `frames * outputRate / inputRate` frames.
    public static func resample(_ samples: [Float], channels: Int = 1, from inputRate: Int, to outputRate: Int,
                                quality: ResampleQuality = .bestSinc) throws(AudioError) -> [Float] {
        if inputRate == outputRate { return samples }
        let resampler = try Resampler(channels: channels, from: inputRate, to: outputRate, quality: quality)
        return try resampler.process(samples, endOfInput: true)
    }
}
