import CMPI
import Foundation

/// MPI_COMM_WORLD of a job started by a launcher (mpirun, srun): MPI is initialised (funneled: every
/// call from one thread) when this is made, errors come back as `DistributedError`.
public final class MPIWorld: Communicator {
    /// This process's rank in MPI_COMM_WORLD.
    public let rank: Int
    /// Processes in MPI_COMM_WORLD.
    public let size: Int
    /// Largest number of floats per allreduce call (about 4 MB by default: measured faster than one call).
    public let chunk: Int

    /// Initialises MPI and reads rank and size; throws when MPI cannot start.
    public init(chunk: Int = 1 << 20) throws(DistributedError) {
        var provided: Int32 = 0
        try Self.check(MPI_Init_thread(nil, nil, Int32(MPI_THREAD_FUNNELED), &provided), "MPI_Init_thread")
        MPI_Comm_set_errhandler(cmpi_comm_world(), cmpi_errors_return())
        var r: Int32 = 0, n: Int32 = 0
        try Self.check(MPI_Comm_rank(cmpi_comm_world(), &r), "MPI_Comm_rank")
        try Self.check(MPI_Comm_size(cmpi_comm_world(), &n), "MPI_Comm_size")
        rank = Int(r)
        size = Int(n)
        self.chunk = max(1, min(chunk, Int(Int32.max)))
    }

    /// MPI_Allreduce(MPI_IN_PLACE, SUM) over consecutive chunks of `chunk` floats.
    public func allreduceSum(_ buffer: inout [Float]) throws(DistributedError) {
        let chunk = self.chunk
        let result: Int32 = buffer.withUnsafeMutableBufferPointer { p in
            var start = 0
            while start < p.count {
                let n = min(chunk, p.count - start)
                let code = MPI_Allreduce(cmpi_in_place(), p.baseAddress! + start, Int32(n), cmpi_float(), cmpi_op_sum(),
                                         cmpi_comm_world())
                if code != MPI_SUCCESS { return code }
                start += n
            }
            return MPI_SUCCESS
        }
        try Self.check(result, "MPI_Allreduce of \(buffer.count) floats")
    }

    /// MPI_Allreduce(MPI_IN_PLACE, SUM or MAX) of the doubles in one call.
    public func allreduce(_ buffer: inout [Double], _ operation: Reduction) throws(DistributedError) {
        guard !buffer.isEmpty, buffer.count <= Int(Int32.max) else { return }
        let op = operation == .sum ? cmpi_op_sum() : cmpi_op_max()
        let code = buffer.withUnsafeMutableBufferPointer { p in
            MPI_Allreduce(cmpi_in_place(), p.baseAddress, Int32(p.count), cmpi_double(), op, cmpi_comm_world())
        }
        try Self.check(code, "MPI_Allreduce of \(buffer.count) doubles")
    }

    /// MPI_Bcast from `root`, in chunks of `chunk` floats.
    public func broadcast(_ buffer: inout [Float], root: Int) throws(DistributedError) {
        guard root >= 0 && root < size else { throw DistributedError("broadcast from rank \(root) in a world of \(size)") }
        let chunk = self.chunk
        let result: Int32 = buffer.withUnsafeMutableBufferPointer { p in
            var start = 0
            while start < p.count {
                let n = min(chunk, p.count - start)
                let code = MPI_Bcast(p.baseAddress! + start, Int32(n), cmpi_float(), Int32(root), cmpi_comm_world())
                if code != MPI_SUCCESS { return code }
                start += n
            }
            return MPI_SUCCESS
        }
        try Self.check(result, "MPI_Bcast of \(buffer.count) floats")
    }

    /// MPI_Allgather of the sizes, then MPI_Allgatherv of the bytes.
    public func allgather(_ bytes: [UInt8]) throws(DistributedError) -> [[UInt8]] {
        guard bytes.count <= Int(Int32.max) else { throw DistributedError("allgather of \(bytes.count) bytes is too large") }
        var mine = Int32(bytes.count)
        var counts = [Int32](repeating: 0, count: size)
        try Self.check(counts.withUnsafeMutableBufferPointer { c in
            MPI_Allgather(&mine, 1, cmpi_int32(), c.baseAddress, 1, cmpi_int32(), cmpi_comm_world())
        }, "MPI_Allgather of sizes")
        var offsets = [Int32](repeating: 0, count: size)
        for r in 1..<max(size, 1) { offsets[r] = offsets[r - 1] + counts[r - 1] }
        let total = Int(counts.reduce(0, +))
        var all = [UInt8](repeating: 0, count: max(total, 1))
        let code = bytes.withUnsafeBufferPointer { send in
            all.withUnsafeMutableBufferPointer { receive in
                MPI_Allgatherv(send.baseAddress ?? UnsafePointer(receive.baseAddress!), Int32(send.count), cmpi_byte(),
                               receive.baseAddress, counts, offsets, cmpi_byte(), cmpi_comm_world())
            }
        }
        try Self.check(code, "MPI_Allgatherv of \(total) bytes")
        return (0..<size).map { r in Array(all[Int(offsets[r])..<Int(offsets[r] + counts[r])]) }
    }

    /// MPI_Ibarrier, then MPI_Test every millisecond: ranks waiting while rank 0 alone runs a stage
    /// sleep instead of spinning on a core.
    public func barrier() throws(DistributedError) {
        var request: MPI_Request?
        try Self.check(MPI_Ibarrier(cmpi_comm_world(), &request), "MPI_Ibarrier")
        var done: Int32 = 0
        while done == 0 {
            try Self.check(MPI_Test(&request, &done, cmpi_status_ignore()), "MPI_Test of a barrier")
            if done == 0 { usleep(1000) }
        }
    }

    /// Flushes stdout, writes `[rank r/N] message` to fd 2, then MPI_Abort(code).
    public func abort(_ message: String, code: Int32) -> Never {
        fflush(nil)
        if !message.isEmpty { FileHandle.standardError.write(Data((linePrefix + message + "\n").utf8)) }
        MPI_Abort(cmpi_comm_world(), code)
        exit(code)
    }

    /// MPI_Finalize.
    public func finish() { MPI_Finalize() }

    /// Throws a `DistributedError` naming `call` and MPI's reason unless `code` is MPI_SUCCESS.
    static func check(_ code: Int32, _ call: @autoclosure () -> String) throws(DistributedError) {
        guard code != MPI_SUCCESS else { return }
        var text = [CChar](repeating: 0, count: Int(cmpi_max_error_string()) + 1)
        var length: Int32 = 0
        MPI_Error_string(code, &text, &length)
        let reason = String(decoding: text.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        throw DistributedError("\(call()) failed: \(reason)")
    }
}
