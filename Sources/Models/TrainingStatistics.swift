import Synchronization

/// Named figures a model family measures on its training batches (the expected output length against
/// the target length, an estimator's bound…), averaged by the trainer over each epoch and logged
/// beside the loss. Safe to add to from several threads.
public final class TrainingStatistics: Sendable {
    private let sums = Mutex<[String: (total: Double, count: Int)]>([:])

    /// An empty set of figures.
    public init() {}

    /// Adds one batch's value of the figure `name`.
    public func add(_ name: String, _ value: Double) {
        sums.withLock { sums in
            let old = sums[name] ?? (0, 0)
            sums[name] = (old.total + value, old.count + 1)
        }
    }

    /// The mean of each figure since the last call, and a fresh start.
    public func drain() -> [String: Double] {
        sums.withLock { sums in
            defer { sums = [:] }
            return sums.mapValues { $0.total / Double(max($0.count, 1)) }
        }
    }
}
