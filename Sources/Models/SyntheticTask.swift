import Randomness
import TensorCore

/// A toy recognition task with a known monotonic alignment: random label sequences rendered as
/// feature frames, each label held for a random duration, every frame its label's random prototype
/// vector plus Gaussian noise; a label never follows itself. A model that learns it must align
/// monotonically.
public struct SyntheticTask: Sendable, Equatable {
    /// Distinct labels. Default 8.
    public var labelCount: Int = 8
    /// Features per frame. Default 12.
    public var featureSize: Int = 12
    /// Labels per utterance, inclusive range. Default 3...6.
    public var labelsPerUtterance: ClosedRange<Int> = 3...6
    /// Frames per label, inclusive range. Default 4...8.
    public var framesPerLabel: ClosedRange<Int> = 4...8
    /// Standard deviation of the frame noise (prototypes have unit-variance entries). Default 0.3.
    public var noise: Float = 0.3

    /// A task with the documented defaults unless given.
    public init(labelCount: Int = 8, featureSize: Int = 12, labelsPerUtterance: ClosedRange<Int> = 3...6,
                framesPerLabel: ClosedRange<Int> = 4...8, noise: Float = 0.3) {
        self.labelCount = labelCount
        self.featureSize = featureSize
        self.labelsPerUtterance = labelsPerUtterance
        self.framesPerLabel = framesPerLabel
        self.noise = noise
    }

    /// `count` examples drawn with a generator seeded by `seed`; the prototypes depend only on
    /// `prototypeSeed`, so training and test sets made with different `seed`s share them.
    /// Each example's `labels` are its label sequence; the alignment is label k on its frames.
    public func examples(count: Int, seed: UInt64, prototypeSeed: UInt64 = 1) -> [Example] {
        var prototypeRNG = SplitMix64(seed: prototypeSeed)
        let prototypes = (0..<labelCount).map { _ in (0..<featureSize).map { _ in prototypeRNG.floatGaussian() } }
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { n in
            let length = Int.random(in: labelsPerUtterance, using: &rng)
            // No label follows itself: two copies of one prototype would have no visible boundary.
            var labels: [Int] = []
            while labels.count < length {
                let label = Int.random(in: 0..<labelCount, using: &rng)
                if label != labels.last || labelCount == 1 { labels.append(label) }
            }
            var features: [Float] = []
            var frameLabels: [Int] = []
            for label in labels {
                for _ in 0..<Int.random(in: framesPerLabel, using: &rng) {
                    features += prototypes[label].map { $0 + noise * rng.floatGaussian() }
                    frameLabels.append(label)
                }
            }
            return Example(id: "synthetic\(seed)_\(n)", features: features, featureSize: featureSize, labels: labels,
                           frameLabels: frameLabels)
        }
    }
}
