/// Wall and processor time of one timed run, in seconds.
public struct RunTime: Sendable, Equatable, Codable {
    /// Elapsed wall-clock seconds.
    public var wall: Double
    /// Processor seconds (user + system) used meanwhile, as the measurement's `ProcessorClock` counts them.
    public var processor: Double

    /// A run time from its parts.
    public init(wall: Double, processor: Double) {
        (self.wall, self.processor) = (wall, processor)
    }
}

/// The timed runs of one measurement (warm-up runs excluded), in the order they ran, and the figures
/// the benchmarks report from them.
public struct TimedRuns: Sendable, Equatable, Codable {
    /// Each timed run, in order; never empty.
    public var runs: [RunTime]

    /// Timed runs from their times (at least one).
    public init(runs: [RunTime]) {
        precondition(!runs.isEmpty, "a measurement has at least one timed run")
        self.runs = runs
    }

    /// Each run's wall seconds, in order.
    public var walls: [Double] { runs.map(\.wall) }
    /// Least wall seconds over the runs: `min_k wall_k`.
    public var bestWall: Double { walls.min()! }
    /// Median wall seconds: the `⌊n/2⌋`-th of the `n` sorted walls (0-based; the upper median when `n` is even).
    public var medianWall: Double { walls.sorted()[runs.count / 2] }
    /// Least processor seconds over the runs, taken independently of the wall times: `min_k processor_k`.
    public var bestProcessor: Double { runs.map(\.processor).min()! }
    /// Median processor seconds, as `medianWall`.
    public var medianProcessor: Double { runs.map(\.processor).sorted()[runs.count / 2] }
    /// The run with the least wall time (the first such), with its own processor time.
    public var fastest: RunTime { runs.min { $0.wall < $1.wall }! }
}
