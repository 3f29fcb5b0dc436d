/// A group of `size` cooperating processes of which this one is `rank`: the collectives data-parallel
/// training and sharded commands need. Every rank must make the same calls in the same order with the
/// same buffer sizes.
public protocol Communicator: Sendable {
    /// This process's index r in 0..<size.
    var rank: Int { get }
    /// Number of processes N.
    var size: Int { get }
    /// buffer[i] ← Σ_r buffer_r[i], in place, as consecutive chunks of at most `chunk` elements.
    func allreduceSum(_ buffer: inout [Float]) throws(DistributedError)
    /// buffer[i] ← op_r buffer_r[i] (sum or max) over every rank, in place.
    func allreduce(_ buffer: inout [Double], _ operation: Reduction) throws(DistributedError)
    /// buffer ← rank `root`'s buffer (every rank passes a buffer of the same size).
    func broadcast(_ buffer: inout [Float], root: Int) throws(DistributedError)
    /// Every rank's `bytes`, indexed by rank (sizes may differ).
    func allgather(_ bytes: [UInt8]) throws(DistributedError) -> [[UInt8]]
    /// Returns once every rank has called it.
    func barrier() throws(DistributedError)
    /// Writes `[rank r/N] message` to standard error (nothing when empty) and ends the whole job with exit status `code`.
    func abort(_ message: String, code: Int32) -> Never
    /// Ends the process's part in the group (MPI_Finalize); call once, last, on success.
    func finish()
}

/// The reduction an `allreduce` applies elementwise.
public enum Reduction: Sendable {
    /// Σ over ranks.
    case sum
    /// max over ranks (min is max of the negated values).
    case max
}

/// A collective that failed; one line naming the call and the MPI reason.
public struct DistributedError: Error, CustomStringConvertible, Equatable {
    /// What went wrong, in one line.
    public let description: String

    /// An error reading `description`.
    public init(_ description: String) { self.description = description }
}

extension Communicator {
    /// Whether this rank writes shared outputs (checkpoints, logs, plots): rank 0.
    public var isWriter: Bool { rank == 0 }

    /// The indices of `0..<count` this rank owns: r, r + N, r + 2N, … (disjoint over ranks, their union is all).
    public func shard(_ count: Int) -> [Int] { Array(stride(from: rank, to: count, by: size)) }

    /// The prefix every line this rank writes to standard error carries under a launcher: `[rank r/N] `
    /// (empty for a single process).
    public var linePrefix: String { size > 1 ? "[rank \(rank)/\(size)] " : "" }

    /// Checks that every rank holds the same `values` (e.g. parameter count, shard sizes); throws one
    /// line naming `what`, the range over ranks and this rank's values otherwise.
    public func checkAgreement(_ values: [Double], what: String) throws(DistributedError) {
        guard size > 1 else { return }
        var extremes = values + values.map { -$0 }
        try allreduce(&extremes, .max)
        let n = values.count
        for i in 0..<n where extremes[i] != -extremes[n + i] {
            throw DistributedError("ranks disagree on \(what): \(formatted(-extremes[n + i]))...\(formatted(extremes[i])) "
                + "(this rank: \(values.map(formatted).joined(separator: ", ")))")
        }
    }

    private func formatted(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x) }
}
