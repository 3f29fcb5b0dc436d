/// Edit costs and tie rule of an alignment.
///
/// Each cell of the dynamic programme takes, with `diag = cost[a-1][b-1] + (0 or substitution)`,
/// `del = cost[a-1][b] + deletion` and `ins = cost[a][b-1] + insertion`: the diagonal when it is no worse
/// (`.sclite`: `diag ≤ del` and `diag ≤ ins`) or strictly better (`.unit`, as Kaldi's `compute-wer`) than
/// both; otherwise the deletion when `del < ins`; otherwise the insertion.
public enum CostModel: String, Codable, Sendable, Equatable, CaseIterable {
    /// NIST sclite's defaults: substitution 4, insertion 3, deletion 3; ties go to the diagonal.
    case sclite
    /// Levenshtein unit costs with Kaldi `compute-wer`'s tie rule (diagonal only if strictly cheaper).
    case unit

    /// Cost of a substitution.
    public var substitution: Int32 { self == .sclite ? 4 : 1 }
    /// Cost of an insertion.
    public var insertion: Int32 { self == .sclite ? 3 : 1 }
    /// Cost of a deletion.
    public var deletion: Int32 { self == .sclite ? 3 : 1 }
    /// Whether the diagonal wins a tie with the cheapest of deletion and insertion.
    public var diagonalWinsTies: Bool { self == .sclite }
}
