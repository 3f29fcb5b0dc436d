/// Labelled frames and how many of them a model classified right (its most probable label is the frame
/// label): frame accuracy = correct / frames.
public struct FrameCounts: Codable, Sendable, Equatable {
    /// Frames whose most probable label is their frame label.
    public var correct: Int
    /// Frames counted (those of examples with phones).
    public var frames: Int

    /// Counts as given.
    public init(correct: Int = 0, frames: Int = 0) {
        self.correct = correct
        self.frames = frames
    }

    /// correct / frames; 0 for no frames.
    public var accuracy: Double { frames == 0 ? 0 : Double(correct) / Double(frames) }

    /// The counts of both.
    public static func + (a: FrameCounts, b: FrameCounts) -> FrameCounts {
        FrameCounts(correct: a.correct + b.correct, frames: a.frames + b.frames)
    }
}

/// A model that labels every frame, so that its frame accuracy can be reported beside the error rate
/// (the decode stage writes it, the score stage reports it).
public protocol FrameLabelling {
    /// The frames of `examples` (with their frame labels, or phones spread evenly without) and how many
    /// are classified right by the current weights.
    func frameCounts(_ examples: [Example]) -> FrameCounts
}
