import Foundation

/// The process group this process belongs to, chosen once from the environment.
public enum World {
    /// Variables a launcher (Open MPI's mpirun, PMIx or PMI as under Slurm's srun) sets in each rank.
    public static let launcherVariables = ["OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK"]

    /// Whether `environment` shows a launcher started this process.
    public static func launched(environment: [String: String]) -> Bool {
        launcherVariables.contains { environment[$0] != nil }
    }

    /// The world of this process: MPI's when a launcher started it, else `SingleProcessWorld` (no MPI
    /// initialisation). Made on first use; a failing MPI start ends the process with one line on stderr.
    public static let current: any Communicator = {
        guard launched(environment: ProcessInfo.processInfo.environment) else { return SingleProcessWorld() }
        do {
            return try MPIWorld()
        } catch {
            FileHandle.standardError.write(Data("asr: cannot start MPI: \(error)\n".utf8))
            exit(1)
        }
    }()
}
