import Distributed
import Testing

/// The world of a process no launcher started: rank 0 of 1, collectives that leave buffers as they are.
@Suite struct SingleProcessWorldTests {
    @Test func isRankZeroOfOneAndWrites() {
        let world = SingleProcessWorld()
        #expect(world.rank == 0 && world.size == 1)
        #expect(world.isWriter)
        #expect(world.linePrefix == "")
    }

    @Test func collectivesLeaveBuffersUnchanged() throws {
        let world = SingleProcessWorld()
        var floats: [Float] = [1.5, -2, 0, .greatestFiniteMagnitude]
        try world.allreduceSum(&floats)
        #expect(floats == [1.5, -2, 0, .greatestFiniteMagnitude])
        var doubles: [Double] = [3, -4]
        try world.allreduce(&doubles, .sum)
        try world.allreduce(&doubles, .max)
        #expect(doubles == [3, -4])
        try world.broadcast(&floats, root: 0)
        #expect(floats == [1.5, -2, 0, .greatestFiniteMagnitude])
        #expect(try world.allgather([7, 8, 9]) == [[7, 8, 9]])
        try world.barrier()
    }

    @Test func broadcastFromAnotherRankIsRefused() {
        var floats: [Float] = [1]
        #expect(throws: DistributedError.self) { try SingleProcessWorld().broadcast(&floats, root: 1) }
    }

    @Test func shardOfOneRankIsEverything() {
        #expect(SingleProcessWorld().shard(5) == [0, 1, 2, 3, 4])
        #expect(SingleProcessWorld().shard(0) == [])
    }

    @Test func oneRankAlwaysAgreesWithItself() throws {
        try SingleProcessWorld().checkAgreement([12, 3.5], what: "parameter count")
    }

    @Test func aLauncherIsRecognisedByItsVariables() {
        #expect(World.launched(environment: ["OMPI_COMM_WORLD_SIZE": "2"]))
        #expect(World.launched(environment: ["PMIX_RANK": "0"]))
        #expect(World.launched(environment: ["PMI_RANK": "1"]))
        #expect(!World.launched(environment: ["PATH": "/usr/bin", "OMPI_ALLOW_RUN_AS_ROOT": "1"]))
    }

    @Test func withoutALauncherTheWorldIsOneProcess() {
        // The test process was not started by mpirun.
        #expect(World.current.size == 1 && World.current.rank == 0)
    }
}
