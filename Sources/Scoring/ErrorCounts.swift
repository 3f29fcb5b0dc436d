/// Correct, substituted, deleted and inserted token counts of one or more aligned utterances.
///
/// `C + S + D = N` (reference tokens) and `C + S + I` = hypothesis tokens.
public struct ErrorCounts: Codable, Sendable, Equatable, Hashable {
    /// Reference tokens matched by an identical hypothesis token (C).
    public var correct: Int
    /// Reference tokens aligned to a different hypothesis token (S).
    public var substitutions: Int
    /// Reference tokens with no hypothesis token (D).
    public var deletions: Int
    /// Hypothesis tokens with no reference token (I).
    public var insertions: Int

    /// Counts `C`, `S`, `D`, `I`.
    public init(correct: Int = 0, substitutions: Int = 0, deletions: Int = 0, insertions: Int = 0) {
        self.correct = correct
        self.substitutions = substitutions
        self.deletions = deletions
        self.insertions = insertions
    }

    /// Reference tokens: `N = C + S + D`.
    public var referenceTokens: Int { correct + substitutions + deletions }
    /// Hypothesis tokens: `C + S + I`.
    public var hypothesisTokens: Int { correct + substitutions + insertions }
    /// Errors: `E = S + D + I`.
    public var errors: Int { substitutions + deletions + insertions }

    /// Error rate in percent, `100 · (S + D + I) / N`; nil when `N = 0` (undefined, even with insertions).
    public var errorRate: Double? {
        referenceTokens == 0 ? nil : 100 * Double(errors) / Double(referenceTokens)
    }

    /// Element-wise sum.
    public static func + (lhs: ErrorCounts, rhs: ErrorCounts) -> ErrorCounts {
        ErrorCounts(correct: lhs.correct + rhs.correct, substitutions: lhs.substitutions + rhs.substitutions,
                    deletions: lhs.deletions + rhs.deletions, insertions: lhs.insertions + rhs.insertions)
    }

    /// Adds `rhs` element-wise.
    public static func += (lhs: inout ErrorCounts, rhs: ErrorCounts) { lhs = lhs + rhs }
}
