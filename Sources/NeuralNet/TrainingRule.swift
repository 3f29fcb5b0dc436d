import Options
import Randomness
import TensorCore

/// How the hidden layers of a feed-forward stack get their error signal (see `FeedForwardStack`).
/// The output layer always gets its true gradient e = ∂J/∂a_y.
public enum TrainingRule: String, Codable, Sendable, CaseIterable {
    /// Backprop: δa_l = (W_{l+1}ᵀ δa_{l+1}) ⊙ f′(a_l).
    case backprop
    /// Feedback alignment (Lillicrap et al. 2016): δa_l = (B_l δa_{l+1}) ⊙ f′(a_l), B_l fixed, shaped like W_{l+1}ᵀ.
    case feedbackAlignment
    /// Direct feedback alignment (Nøkland 2016): δa_l = (B_l e) ⊙ f′(a_l), B_l [n_l, n_y] fixed.
    case dfa
    /// LAFS (Gilmer et al. 2017): δa_l = (B_l e_l) ⊙ f′(a_l), e_l = softmax(B_lᵀ h_l) − y, each layer's own
    /// readout error through its fixed B_l; no signal crosses layers.
    case lafs
}

/// How the fixed feedback matrices' entries are drawn.
public enum FeedbackDistribution: String, Codable, Sendable, CaseIterable {
    /// Uniform on ±scale.
    case uniform
    /// Normal with standard deviation scale.
    case normal
}

/// Options of the fixed random feedback matrices B_l of `TrainingRule`s other than backprop.
public struct FeedbackOptions: DefaultedOptions, Sendable, Equatable {
    /// Distribution of the entries. Default uniform (the DFA author code).
    public var distribution: FeedbackDistribution = .uniform
    /// Scale of the entries (uniform: half-width; normal: standard deviation); 0 for 1/√n_l with n_l the
    /// width of the receiving hidden layer (the author code's "auto scale"). Default 0; allowed 0...100.
    public var scale: Float = 0
    /// The seed the matrices are drawn from. It is part of the model's configuration (saved with every
    /// checkpoint), not the run's `training.seed`, so a checkpoint loaded for further training or a run
    /// resumed under another training seed rebuilds the same matrices. A configuration saved before this
    /// field existed reads as 1, which draws what those models drew under the default training seed 1.
    /// Default 1; any value.
    public var seed: UInt64 = 1

    /// Every field at its documented default.
    public init() {}

    /// The defaults, except what is given.
    public init(distribution: FeedbackDistribution = .uniform, scale: Float = 0, seed: UInt64 = 1) {
        self.distribution = distribution
        self.scale = scale
        self.seed = seed
    }

    /// Checks every field, naming the first one out of range.
    public func validate() throws(OptionError) {
        try require(scale, in: 0...100, "feedback.scale")
    }

    /// The scale used for a receiving layer of `width` units.
    public func scale(forWidth width: Int) -> Float { scale > 0 ? scale : 1 / Float(max(width, 1)).squareRoot() }

    /// A fixed feedback matrix B [rows, columns] for a receiving layer of `rows` units: entries drawn in
    /// row-major order from `rng` by `distribution` at `scale(forWidth: rows)`.
    public func draw(rows: Int, columns: Int, rng: inout Xoshiro256StarStar) -> Tensor {
        let scale = scale(forWidth: rows)
        return Tensor(shape: [rows, columns]) { _ in
            distribution == .uniform ? rng.nextUniform(-scale, scale) : rng.nextNormal() * scale
        }
    }
}
