import AudioIO
import Corpus
import Features
import Foundation
import Models

/// Online recognition of audio that arrives in chunks: streaming fbank and deltas (Features), global
/// CMVN, and Models' online decoder, which emits each phone as soon as its hard
/// monotonic (or MoChA) stop is found. The phones equal offline greedy decoding of the whole file.
public final class StreamingRecognizer {
    private let frontEnd: ModelFrontEnd
    private let fbank: OnlineFbank
    private let deltas: OnlineDeltas?
    private let decoder: any OnlineDecoding
    private let frameShift: Double

    /// A recognizer for `model` with `search` (greedy; `ctcWeight` for joint CTC/attention decoding); its
    /// features must be normalisable frame by frame (global CMVN or none).
    public init(_ model: ModelFolder, search: DecodingConfig = DecodingConfig()) throws {
        frontEnd = model.frontEnd
        let cmvn = frontEnd.cmvn
        guard !(cmvn.normMeans || cmvn.normVars) || (cmvn.grouping == .global && frontEnd.globalStats != nil) else {
            throw StageError.badData(stage: "decode", message: "--stream needs a model trained with global CMVN "
                + "(train.cmvn.grouping: global); this one normalises per \(cmvn.grouping.rawValue)")
        }
        fbank = try OnlineFbank(options: frontEnd.features.fbank)
        let inputDim = fbank.dim
        deltas = try frontEnd.features.deltas.map { options throws in try OnlineDeltas(options: options, inputDim: inputDim) }
        decoder = try model.model.makeOnlineDecoder(search: search)
        frameShift = frontEnd.features.fbank.frameShift
    }

    /// The sample rate the model's features expect, in Hz.
    public var sampleRate: Int { Int(frontEnd.features.fbank.sampleFrequency) }

    /// Reads `url` (any format libsndfile reads, resampled to `sampleRate`) in chunks of
    /// `chunkSeconds` and passes the phones each chunk decides to `emit`, then the rest.
    public func recognize(file url: URL, chunkSeconds: Double = 0.1,
                          emit: ([(phone: String, time: Double?)]) throws -> Void) throws {
        let reader = try AudioStreamReader(url, options: AudioReadOptions(sampleRate: sampleRate))
        while let block = try reader.next(frames: chunkFrames(chunkSeconds)) { try emit(accept(block)) }
        try emit(finish())
    }

    /// Reads headerless 16-bit little-endian mono PCM at `sampleRate` from `input` until its end,
    /// in chunks of `chunkSeconds`, and passes the phones each chunk decides to `emit`, then the rest.
    public func recognize(rawPCM input: FileHandle, chunkSeconds: Double = 0.1,
                          emit: ([(phone: String, time: Double?)]) throws -> Void) throws {
        var carry = Data()
        while let data = try input.read(upToCount: chunkFrames(chunkSeconds) * 2), !data.isEmpty {
            carry.append(data)
            let whole = carry.count / 2 * 2   // an odd trailing byte waits for its partner
            let samples = carry.prefix(whole).withUnsafeBytes { bytes in
                bytes.bindMemory(to: Int16.self).map { Float(Int16(littleEndian: $0)) / 32768 }
            }
            carry = carry.dropFirst(whole)
            try emit(accept(samples))
        }
        try emit(finish())
    }

    private func chunkFrames(_ seconds: Double) -> Int { Swift.max(1, Int(seconds * Double(sampleRate))) }

    /// Takes samples in [-1, 1) at the model's rate; returns the phones decided so far.
    public func accept(_ samples: [Float]) throws -> [(phone: String, time: Double?)] {
        let frames = try fbank.accept(samples.map { $0 * 32768 }, sampleRate: frontEnd.features.fbank.sampleFrequency)
        return try push(frames, final: false)
    }

    /// Ends the input; returns the remaining phones.
    public func finish() throws -> [(phone: String, time: Double?)] {
        try push(fbank.finish(), final: true)
    }

    private func push(_ frames: FeatureMatrix, final: Bool) throws -> [(phone: String, time: Double?)] {
        var block = try deltas?.accept(frames) ?? frames
        if final, let deltas { block.append(deltas.finish()) }
        var emissions: [Emission] = []
        if block.frames > 0 {
            try frontEnd.normalize(&block)
            emissions += decoder.push(block.values)
        }
        if final { emissions += decoder.finish() }
        return emissions.map { emission in
            let phone = emission.label < frontEnd.phones.count ? frontEnd.phones[emission.label] : "?"
            return (phone, emission.frame.map { Double($0) * frameShift / 1000 })
        }
    }
}
