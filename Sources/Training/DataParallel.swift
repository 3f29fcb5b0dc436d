import Distributed
import Models
import TensorCore

/// Data-parallel training over the ranks of a world: each rank computes the loss of its shard of every
/// global batch, and one in-place allreduce per step sums the shard gradients, each weighted by the
/// shard's share of the batch's loss terms, into the gradient of the whole batch's mean loss:
///
///     ∇ (Σ_u ℓ_u / n) = Σ_r (n_r / n) · ∇ (Σ_{u∈r} ℓ_u / n_r)
///
/// (n: the loss terms of the global batch, `RecognitionModel.lossTerms`; n_r those of rank r's shard).
/// Every rank then holds the same gradient and takes the same clipped optimizer step. The identity is
/// exact for a loss with one divisor; a loss adding a term of another divisor (the attention model's CTC
/// head: a mean over labels without the end of sequence; the subsampling model's length penalty: a mean
/// over utterances) has that term weighted by the main term's share, which equals one process only
/// approximately when the shards differ in length.
public struct DataParallel {
    /// The ranks training together.
    public let world: any Communicator
    /// The flat, uniquely owned buffer the gradients travel in: every parameter's gradient in
    /// registration order, then the weighted loss.
    private var buffer: [Float] = []

    /// Training over `world`.
    public init(world: any Communicator) { self.world = world }

    /// Whether gradients are exchanged at all (more than one rank).
    public var isDistributed: Bool { world.size > 1 }

    /// This rank's part of a global batch: positions r, r + N, r + 2N, … (batches are sorted by length,
    /// so every shard gets short and long utterances alike).
    public func shard(_ batch: [Int]) -> [Int] { world.shard(batch.count).map { batch[$0] } }

    /// Replaces every parameter's gradient by Σ_r weight_r · gradient_r and returns Σ_r weight_r · loss_r
    /// (the global batch's mean loss), in one allreduce.
    public mutating func sum(_ parameters: [Parameter], weight: Float, loss: Float) throws(DistributedError) -> Float {
        let total = parameters.reduce(0) { $0 + $1.grad.count } + 1
        if buffer.count != total { buffer = [Float](repeating: 0, count: total) }
        buffer.withUnsafeMutableBufferPointer { flat in
            var offset = 0
            for p in parameters {
                p.grad.withUnsafeBufferPointer { g in
                    for i in 0..<g.count { flat[offset + i] = g[i] * weight }
                    offset += g.count
                }
            }
            flat[offset] = loss * weight
        }
        try world.allreduceSum(&buffer)
        buffer.withUnsafeBufferPointer { flat in
            var offset = 0
            for p in parameters {
                let n = p.grad.count
                p.grad.withUnsafeMutableBufferPointer { g in g.baseAddress!.update(from: flat.baseAddress! + offset, count: n) }
                offset += n
            }
        }
        return buffer[total - 1]
    }

    /// Checks, with one small allreduce, that every rank agrees on the parameter count, the parameters'
    /// sum, the training and dev examples, the global batch size and the resume step; throws one line
    /// naming what differs otherwise (a size mismatch in the gradient allreduce would corrupt memory).
    func checkAgreement(parameters: [Parameter], train: Int, dev: Int, batchSize: Int, step: Int) throws(DistributedError) {
        let count = parameters.reduce(0) { $0 + $1.value.count }
        let sum = parameters.reduce(0.0) { total, p in p.value.withUnsafeBufferPointer { v in v.reduce(total) { $0 + Double($1) } } }
        try world.checkAgreement([Double(count), sum, Double(train), Double(dev), Double(batchSize), Double(step)],
                                 what: "parameter count, parameter sum, training examples, dev examples, batch size, resume step")
    }

    /// The dev error rate Σ edit distance / Σ labels over every rank's shard of `examples` (exactly the
    /// single-process figure), whether every hypothesis was empty, and for a frame-labelling model its
    /// frame accuracy over all of them.
    func devEvaluation(_ model: any RecognitionModel, decoding: DecodingConfig, examples: [Example]) throws(DistributedError)
        -> (errorRate: Double, allEmpty: Bool, frameAccuracy: Double?) {
        let mine = world.shard(examples.count).map { examples[$0] }
        let hypotheses = Recognizer(model: model, config: decoding).decode(mine)
        let errors = zip(mine, hypotheses).reduce(0) { $0 + editDistance($1.0.labels, $1.1.labels) }
        let frames = (model as? FrameLabelling).map { $0.frameCounts(mine) } ?? FrameCounts()
        var totals: [Double] = [Double(errors), Double(mine.reduce(0) { $0 + $1.labels.count }),
                                Double(hypotheses.count(where: { !$0.labels.isEmpty })), Double(frames.correct), Double(frames.frames)]
        try world.allreduce(&totals, .sum)
        let accuracy = model is FrameLabelling && !examples.isEmpty
            ? FrameCounts(correct: Int(totals[3]), frames: Int(totals[4])).accuracy : nil
        return (totals[1] == 0 ? 0 : totals[0] / totals[1], !examples.isEmpty && totals[2] == 0, accuracy)
    }
}
