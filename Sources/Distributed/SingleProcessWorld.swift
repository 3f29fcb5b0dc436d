import Foundation

/// The world of one process, not started by a launcher: rank 0 of 1, every collective a no-op, no MPI
/// initialisation.
public struct SingleProcessWorld: Communicator {
    /// The only process.
    public init() {}

    /// 0.
    public var rank: Int { 0 }
    /// 1.
    public var size: Int { 1 }
    /// Leaves `buffer` as it is (the sum over one rank).
    public func allreduceSum(_ buffer: inout [Float]) throws(DistributedError) {}
    /// Leaves `buffer` as it is (the sum or max over one rank).
    public func allreduce(_ buffer: inout [Double], _ operation: Reduction) throws(DistributedError) {}
    /// Leaves `buffer` as it is (root must be 0).
    public func broadcast(_ buffer: inout [Float], root: Int) throws(DistributedError) {
        guard root == 0 else { throw DistributedError("broadcast from rank \(root) in a world of 1") }
    }
    /// [bytes].
    public func allgather(_ bytes: [UInt8]) throws(DistributedError) -> [[UInt8]] { [bytes] }
    /// Returns at once.
    public func barrier() throws(DistributedError) {}
    /// Writes `message` to standard error (nothing when empty) and exits with `code`.
    public func abort(_ message: String, code: Int32) -> Never {
        if !message.isEmpty { FileHandle.standardError.write(Data((message + "\n").utf8)) }
        exit(code)
    }
    /// Nothing to finish.
    public func finish() {}
}
