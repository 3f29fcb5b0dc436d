import Options
import Randomness
/// A learning-rate schedule, as configured in a recipe.
public enum LearningRateSchedule: Codable, Sendable, Equatable {
    /// The base rate throughout.
    case constant
    /// The rate halves every `every` epochs: `lr = base · 0.5^⌊epoch / every⌋`.
    case stepHalving(every: Int)
    /// Linear warm-up over `steps` updates from `base/steps` to `base`, then constant.
    case warmup(steps: Int)
    /// Multiply by `factor` when the validation loss has not improved by more than `threshold`
    /// (relative) for `patience` consecutive evaluations; never below `minimum`.
    case reduceOnPlateau(factor: Float, patience: Int, threshold: Float, minimum: Float)

    /// Checks every parameter's range.
    public func validate() throws(OptionError) {
        switch self {
        case .constant: break
        case .stepHalving(let every): try require(every >= 1, "stepHalving.every", every, "≥ 1")
        case .warmup(let steps): try require(steps >= 1, "warmup.steps", steps, "≥ 1")
        case let .reduceOnPlateau(factor, patience, threshold, minimum):
            try require(factor > 0 && factor < 1, "reduceOnPlateau.factor", factor, "(0, 1)")
            try require(patience >= 0, "reduceOnPlateau.patience", patience, "≥ 0")
            try require(threshold >= 0, "reduceOnPlateau.threshold", threshold, "≥ 0")
            try require(minimum >= 0, "reduceOnPlateau.minimum", minimum, "≥ 0")
        }
    }
}

/// The running state of a schedule: call `rate(step:epoch:)` before each update and
/// `observe(validationLoss:)` after each evaluation. Codable, so it resumes from a checkpoint.
public struct LearningRateScheduler: Codable, Sendable, Equatable {
    /// The schedule.
    public let schedule: LearningRateSchedule
    /// The base rate.
    public let base: Float
    /// Current plateau-reduced rate (equals `base` for the other schedules).
    public private(set) var plateauRate: Float
    /// Best validation loss seen.
    public private(set) var best: Float = .infinity
    /// Evaluations since the best one.
    public private(set) var badEvaluations = 0

    /// A scheduler for `schedule` starting from `base`.
    public init(schedule: LearningRateSchedule, base: Float) throws(OptionError) {
        try schedule.validate()
        try require(base > 0, "base", base, "> 0")
        self.schedule = schedule
        self.base = base
        plateauRate = base
    }

    /// The rate for update `step` (0-based) in `epoch` (0-based).
    public func rate(step: Int, epoch: Int) -> Float {
        switch schedule {
        case .constant: base
        case .stepHalving(let every): base * Float(LibM.pow(0.5, Double(epoch / every)))
        case .warmup(let steps): base * Float(Swift.min(step + 1, steps)) / Float(steps)
        case .reduceOnPlateau: plateauRate
        }
    }

    /// Records a validation loss; for `reduceOnPlateau`, reduces the rate after `patience`
    /// evaluations without a relative improvement above `threshold`. Returns whether it reduced.
    @discardableResult
    public mutating func observe(validationLoss loss: Float) -> Bool {
        guard case let .reduceOnPlateau(factor, patience, threshold, minimum) = schedule else { return false }
        if loss < best * (1 - threshold) {
            best = loss
            badEvaluations = 0
            return false
        }
        badEvaluations += 1
        guard badEvaluations > patience else { return false }
        badEvaluations = 0
        let reduced = Swift.max(plateauRate * factor, minimum)
        defer { plateauRate = reduced }
        return reduced < plateauRate
    }
}
