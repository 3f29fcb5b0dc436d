import TensorCore

/// Test-time recognition with a trained model: encoder, then greedy or beam search over the
/// encoder states. Many utterances are decoded in parallel on `ComputeThreads.count` threads.
public struct Recognizer {
    /// The model (read only while decoding).
    public let model: Seq2SeqModel
    /// Frozen decoder weights.
    public let decoder: DecoderSnapshot
    /// Search options.
    public let config: DecodingConfig

    /// A recognizer over the model's current weights.
    public init(model: Seq2SeqModel, config: DecodingConfig = .init()) {
        self.model = model
        self.decoder = model.decoderSnapshot()
        self.config = config
    }

    /// The encoder states of `features` [frames, F] as a complete attention memory.
    public func memory(features: [Float], frames: Int) -> AttentionMemory {
        let memory = decoder.makeMemory()
        if frames > 0 { memory.append(model.encode(features: features, frames: frames)) }
        memory.complete()
        return memory
    }

    /// Decodes one utterance's features [frames, F].
    public func decode(features: [Float], frames: Int) -> Hypothesis {
        decoder.beamSearch(memory(features: features, frames: frames), config: config)
    }

    /// Decodes every example, in order, spreading utterances over the compute threads.
    public func decode(_ examples: [Example]) -> [Hypothesis] {
        let results = HypothesisSlots(count: examples.count)
        ComputeThreads.parallelFor(examples.count) { i in
            results.set(i, decode(features: examples[i].features, frames: examples[i].frames))
        }
        return results.values
    }

    /// Phone error rate of greedy/beam decoding against the examples' labels: Σ edit distance / Σ labels.
    public func errorRate(_ examples: [Example]) -> Double {
        let hypotheses = decode(examples)
        let errors = zip(examples, hypotheses).reduce(0) { $0 + editDistance($1.0.labels, $1.1.labels) }
        let total = examples.reduce(0) { $0 + $1.labels.count }
        return total == 0 ? 0 : Double(errors) / Double(total)
    }
}

/// Result slots written by distinct indices from several threads.
final class HypothesisSlots: @unchecked Sendable {
    private var storage: UnsafeMutablePointer<Hypothesis?>
    let count: Int
    init(count: Int) {
        self.count = count
        storage = .allocate(capacity: max(count, 1))
        storage.initialize(repeating: nil, count: max(count, 1))
    }
    deinit {
        storage.deinitialize(count: max(count, 1))
        storage.deallocate()
    }
    func set(_ i: Int, _ value: Hypothesis) { storage[i] = value }
    var values: [Hypothesis] { (0..<count).map { storage[$0]! } }
}
