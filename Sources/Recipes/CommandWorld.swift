import Distributed
import Foundation

/// The processes a command runs in, as the command line sees them: one, or the ranks a launcher
/// (mpirun, srun) started.
public enum CommandWorld {
    /// `[rank r/N] ` under a launcher, empty for one process.
    public static var linePrefix: String { World.current.linePrefix }

    /// Whether this process prints results: rank 0 (the only process without a launcher).
    public static var isWriter: Bool { World.current.isWriter }

    /// Ends the process with `status`: MPI_Finalize under a launcher; under several ranks a failure (its
    /// reason already printed) is an MPI_Abort instead, which ends every rank of the job with `status`.
    public static func exit(_ status: Int32) -> Never {
        let world = World.current
        if world.size > 1 && status != 0 { world.abort("", code: status) }
        world.finish()
        Foundation.exit(status)
    }
}
