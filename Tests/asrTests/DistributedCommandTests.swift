import Foundation
import ProcessRunner
import Testing

/// `asr features --manifest` and `asr decode --manifest` under `mpirun -np 2` share the utterances out
/// and write exactly what one process writes, in the same order.
@Suite(.serialized) struct DistributedCommandTests {
    @Test func shardedFeaturesWriteTheSameFiles() throws {
        let fixture = try DistributedFixture.get()
        let arguments = ["features", "--manifest", "base/data/train.jsonl", "--cmvn-stats", "--threads", "1", "--out"]
        let single = try ChildProcess.run(fixture.asr, arguments + ["features-1"], directory: fixture.folder.path)
        let shared = try fixture.mpirun(["-np", "2", fixture.asr] + arguments + ["features-2"])
        #expect(single.status == 0 && shared.status == 0, "\(single.errors)\n\(shared.errors)")
        let names = try FileManager.default.contentsOfDirectory(atPath: fixture.folder.appendingPathComponent("features-1").path).sorted()
        #expect(names == ["train.cmvn.json", "train.feats", "train.index.json", "train.options.json"])
        for name in names {
            let one = try Data(contentsOf: fixture.folder.appendingPathComponent("features-1/\(name)"))
            let two = try Data(contentsOf: fixture.folder.appendingPathComponent("features-2/\(name)"))
            #expect(one == two, "\(name) differs")
        }
        // Rank 0 alone reports.
        #expect(shared.output.components(separatedBy: "wrote ").count == 2, "stdout: \(shared.output)")
    }

    @Test func shardedDecodingPrintsTheSameLines() throws {
        let fixture = try DistributedFixture.get()
        let arguments = ["decode", "--model", "early", "--manifest", "base/data/test.jsonl", "--times"]
        let single = try ChildProcess.run(fixture.asr, arguments, directory: fixture.folder.path)
        let shared = try fixture.mpirun(["-np", "2", fixture.asr] + arguments)
        #expect(single.status == 0 && shared.status == 0, "\(single.errors)\n\(shared.errors)")
        #expect(single.output.split(separator: "\n").count == 8)
        #expect(shared.output == single.output)
    }
}
