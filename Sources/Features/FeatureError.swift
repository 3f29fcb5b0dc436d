import Options

/// What went wrong while configuring or computing features, with the option or input it concerns.
public enum FeatureError: OptionErrorCarrying, CustomStringConvertible, Equatable, Sendable {
    /// An option is outside its allowed range (its key path names the field, whose Kaldi name is the
    /// key in kebab case).
    case option(OptionError)
    /// The samples' rate differs from `--sample-frequency`.
    case sampleRateMismatch(expected: Double, actual: Double)
    /// The input is shorter than one frame, so there are no frames.
    case tooShort(samples: Int, minimum: Int)
    /// A sample is NaN or infinite.
    case nonFiniteSample(index: Int)
    /// Matrices or statistics whose dimensions do not fit together.
    case dimensionMismatch(what: String, expected: Int, actual: Int)

    /// One line saying what is wrong and where.
    public var description: String {
        switch self {
        case let .option(error):
            return "invalid option --\(error.flagName)=\(error.value): allowed \(error.allowed)"
        case let .sampleRateMismatch(expected, actual):
            return "audio sample rate \(Self.format(actual)) Hz differs from --sample-frequency=\(Self.format(expected))"
        case let .tooShort(samples, minimum):
            return "audio of \(samples) samples is shorter than one frame (\(minimum) samples): no frames"
        case let .nonFiniteSample(index):
            return "sample \(index) is not a finite number (NaN or infinity)"
        case let .dimensionMismatch(what, expected, actual):
            return "\(what): dimension \(actual), expected \(expected)"
        }
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
