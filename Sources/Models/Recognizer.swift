import TensorCore

/// Test-time recognition with a trained model of any family: many utterances decoded in parallel on
/// `ComputeThreads.count` threads, and the error rate against their labels.
public struct Recognizer {
    /// The model (read only while decoding).
    public let model: any RecognitionModel
    /// The family's decoder over the model's current weights.
    public let decoder: any UtteranceDecoder
    /// Search options.
    public let config: DecodingConfig

    /// A recognizer over the model's current weights.
    public init(model: any RecognitionModel, config: DecodingConfig = .init()) {
        self.model = model
        self.decoder = model.makeDecoder(search: config)
        self.config = config
    }

    /// Decodes one utterance's features [frames, F].
    public func decode(features: [Float], frames: Int) -> Hypothesis {
        decoder.decode(features: features, frames: frames)
    }

    /// Decodes every example, in order, spreading utterances over the compute threads.
    public func decode(_ examples: [Example]) -> [Hypothesis] {
        let decoder = self.decoder
        return Self.parallelMap(examples) { decoder.decode(features: $0.features, frames: $0.frames) }
    }

    /// The `count` best hypotheses of every example at most, in order, best first (`UtteranceDecoder.nbest`).
    public func nbest(_ examples: [Example], count: Int) -> [[Hypothesis]] {
        let decoder = self.decoder
        return Self.parallelMap(examples) { decoder.nbest(features: $0.features, frames: $0.frames, count: count) }
    }

    /// `body` of every example, in order, spread over the compute threads.
    private static func parallelMap<Value>(_ examples: [Example], _ body: (Example) -> Value) -> [Value] {
        let results = IndexedSlots<Value>(count: examples.count)
        ComputeThreads.parallelFor(examples.count) { i in results.set(i, body(examples[i])) }
        return results.values
    }

    /// Phone error rate of decoding against the examples' labels: Σ edit distance / Σ labels.
    public func errorRate(_ examples: [Example]) -> Double {
        Self.errorRate(decode(examples), examples)
    }

    /// Phone error rate of `hypotheses` against the labels of `examples` (in the same order): Σ edit
    /// distance / Σ labels, 0 when there are no labels.
    public static func errorRate(_ hypotheses: [Hypothesis], _ examples: [Example]) -> Double {
        let errors = zip(examples, hypotheses).reduce(0) { $0 + editDistance($1.0.labels, $1.1.labels) }
        let total = examples.reduce(0) { $0 + $1.labels.count }
        return total == 0 ? 0 : Double(errors) / Double(total)
    }
}

/// Result slots written by distinct indices from several threads.
final class IndexedSlots<Value>: @unchecked Sendable {
    private var storage: UnsafeMutablePointer<Value?>
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
    func set(_ i: Int, _ value: Value) { storage[i] = value }
    var values: [Value] { (0..<count).map { storage[$0]! } }
}
