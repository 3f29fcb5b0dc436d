/// One training or test utterance: features [frames, featureSize] (row-major) and its phone ids.
public struct Example: Sendable, Equatable, Codable {
    /// Utterance id, used in messages (e.g. `FCJF0_SI1027`).
    public var id: String
    /// Feature frames, row-major [frames, featureSize].
    public var features: [Float]
    /// Number of frames.
    public var frames: Int
    /// Phone ids in 0..<labelCount (end of sequence is added by the model).
    public var labels: [Int]
    /// The phone id of every frame (`frames` of them) where the corpus gives phone times; nil where it
    /// does not (frame classifiers then segment `labels` evenly).
    public var frameLabels: [Int]? = nil

    /// An example; `features.count` must be a multiple of `featureSize`.
    public init(id: String, features: [Float], featureSize: Int, labels: [Int], frameLabels: [Int]? = nil) {
        precondition(featureSize > 0 && features.count % featureSize == 0,
                     "\(id): \(features.count) feature values are not whole frames of \(featureSize)")
        self.id = id
        self.features = features
        self.frames = features.count / featureSize
        self.labels = labels
        self.frameLabels = frameLabels
    }
}

/// A problem with the examples handed to training or decoding.
public struct DatasetError: Error, CustomStringConvertible, Equatable {
    /// What is wrong, naming the utterance.
    public let message: String
    /// The message.
    public var description: String { message }
}

/// An in-memory set of examples with one feature size.
public struct Dataset: Sendable {
    /// The examples.
    public var examples: [Example]
    /// Features per frame.
    public var featureSize: Int

    /// A dataset; call `validate(labelCount:)` before training.
    public init(examples: [Example], featureSize: Int) {
        self.examples = examples
        self.featureSize = featureSize
    }

    /// Checks every example: whole frames, at least one frame, labels in 0..<labelCount, finite features.
    public func validate(labelCount: Int) throws {
        for e in examples {
            guard e.frames > 0, e.features.count == e.frames * featureSize else {
                throw DatasetError(message: "utterance \(e.id): \(e.features.count) feature values for \(e.frames) frames of \(featureSize)")
            }
            if let frameLabels = e.frameLabels, frameLabels.count != e.frames {
                throw DatasetError(message: "utterance \(e.id): \(frameLabels.count) frame labels for \(e.frames) frames")
            }
            if let bad = (e.labels + (e.frameLabels ?? [])).first(where: { $0 < 0 || $0 >= labelCount }) {
                throw DatasetError(message: "utterance \(e.id): label \(bad) outside 0..<\(labelCount)")
            }
            if e.features.contains(where: { !$0.isFinite }) {
                throw DatasetError(message: "utterance \(e.id): non-finite feature value")
            }
        }
    }

    /// Batches of at most `batchSize` examples of similar length for one epoch: examples sorted by
    /// frames (ties broken by a shuffle), cut into consecutive batches, and the batch order shuffled.
    /// Deterministic in `rng`.
    public func batches(batchSize: Int, rng: inout some RandomNumberGenerator) -> [[Int]] {
        let keys = examples.indices.map { _ in UInt64.random(in: 0...UInt64.max, using: &rng) }
        let order = examples.indices.sorted {
            (examples[$0].frames, keys[$0]) < (examples[$1].frames, keys[$1])
        }
        var result = stride(from: 0, to: order.count, by: batchSize).map { Array(order[$0..<min($0 + batchSize, order.count)]) }
        result.shuffle(using: &rng)
        return result
    }
}

/// Levenshtein distance between two label sequences (substitutions, deletions, insertions cost 1).
public func editDistance(_ a: [Int], _ b: [Int]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = previous
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
