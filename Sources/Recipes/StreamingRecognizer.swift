import Corpus
import Features
import Foundation
import Seq2Seq

/// Online recognition of audio that arrives in chunks: streaming fbank, deltas with the look-ahead they
/// need, global CMVN, and Seq2Seq's online decoder, which emits each phone as soon as its hard
/// monotonic (or MoChA) stop is found. The phones equal offline greedy decoding of the whole file.
public final class StreamingRecognizer {
    private let frontEnd: ModelFrontEnd
    private let fbank: OnlineFbank
    private let deltas: DeltaFeatures?
    private let decoder: OnlineDecoder
    private let frameShift: Double
    /// Fbank frames so far (kept for the deltas' context; only the last `2 · context` are needed).
    private var raw: FeatureMatrix
    private var rawStart = 0
    private var sent = 0

    /// A recognizer for `model`; its features must be normalisable frame by frame (global CMVN or none).
    public init(_ model: ModelFolder) throws {
        frontEnd = model.frontEnd
        let cmvn = frontEnd.cmvn
        guard !(cmvn.normMeans || cmvn.normVars) || (cmvn.grouping == .global && frontEnd.globalStats != nil) else {
            throw StageError.badData(stage: "decode", message: "--stream needs a model trained with global CMVN "
                + "(train.cmvn.grouping: global); this one normalises per \(cmvn.grouping.rawValue)")
        }
        guard !model.model.config.encoder.bidirectional else {
            throw StageError.badData(stage: "decode", message: "--stream needs a unidirectional encoder")
        }
        fbank = try OnlineFbank(options: frontEnd.features.fbank)
        deltas = try frontEnd.features.deltas.map { options throws in try DeltaFeatures(options: options) }
        decoder = OnlineDecoder(model: model.model)
        frameShift = frontEnd.features.fbank.frameShift
        raw = FeatureMatrix(dim: fbank.dim)
    }

    /// Frames of look-ahead (and look-back) the deltas need: order · window.
    private var context: Int { frontEnd.features.deltas.map { $0.order * $0.window } ?? 0 }

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
        raw.append(frames)
        let total = rawStart + raw.frames
        let ready = final ? total : max(sent, total - context)
        var emissions: [Emission] = []
        if ready > sent {
            var block: FeatureMatrix
            if let deltas {
                // Deltas over the buffered window; rows from `sent` on have their whole context inside it
                // (or are clamped at the true start or, at the end, the true end).
                let full = deltas.apply(raw)
                let dim = full.dim
                let from = (sent - rawStart) * dim, to = (ready - rawStart) * dim
                block = FeatureMatrix(frames: ready - sent, dim: dim, values: Array(full.values[from..<to]))
            } else {
                let dim = raw.dim
                block = FeatureMatrix(frames: ready - sent, dim: dim,
                                      values: Array(raw.values[(sent - rawStart) * dim..<(ready - rawStart) * dim]))
            }
            try frontEnd.normalize(&block)
            emissions += decoder.push(block.values)
            sent = ready
            trim()
        }
        if final { emissions += decoder.finish() }
        return emissions.map { emission in
            let phone = emission.label < frontEnd.phones.count ? frontEnd.phones[emission.label] : "?"
            return (phone, emission.frame.map { Double($0) * frameShift / 1000 })
        }
    }

    /// Drops buffered frames that no later delta needs.
    private func trim() {
        let keepFrom = max(rawStart, sent - 2 * context)
        let drop = keepFrom - rawStart
        guard drop > 256 else { return }
        let dim = raw.dim
        raw = FeatureMatrix(frames: raw.frames - drop, dim: dim, values: Array(raw.values[(drop * dim)...]))
        rawStart = keepFrom
    }
}
