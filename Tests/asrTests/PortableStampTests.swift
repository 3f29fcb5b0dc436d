import Foundation
import ProcessRunner
import Testing

@Suite("asr run: portable stamps, dry-run reasons, resolved recipe", .serialized)
struct PortableStampTests {
    @Test("a cp -a copy of an experiment, or a changed thread count, reruns nothing; --dry-run says why a stage would run")
    func copiedExperimentRerunsNothing() throws {
        let fixture = try DecodeFixture.get()
        let copy = fixture.folder.appendingPathComponent("copied")
        try? FileManager.default.removeItem(at: copy)
        let copied = try ChildProcess.run("/bin/cp", ["-a", fixture.exp.path, copy.path])
        #expect(copied.status == 0)
        let stages = ["synthesize", "prepare", "features", "train", "decode", "score"]
        for arguments in [["--exp", "copied"], ["--exp", "copied", "--set", "train.threads=1", "--set", "score.scoring.threads=1"]] {
            let rerun = try fixture.asr(["run", "tiny.yaml"] + arguments)
            #expect(rerun.status == 0, "\(rerun.stderr)")
            for stage in stages { #expect(rerun.stderr.contains("\(stage): up to date, skipped"), "\(arguments): \(rerun.stderr)") }
        }
        let dry = try fixture.asr(["run", "tiny.yaml", "--exp", "copied", "--dry-run", "--set", "train.training.epochs=4"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stderr.contains("features: up to date, skipped"))
        #expect(dry.stderr.contains("train: would run (train.training.epochs 3 → 4)"), "\(dry.stderr)")
        #expect(dry.stderr.contains("decode: would run (earlier stage train changed)"), "\(dry.stderr)")
        // A changed corpus file is named as a changed input.
        let phn = try #require(FileManager.default.enumerator(atPath: copy.appendingPathComponent("corpus/TEST").path)?
            .compactMap { $0 as? String }.first { $0.hasSuffix(".TXT") })
        let handle = try FileHandle(forWritingTo: copy.appendingPathComponent("corpus/TEST/\(phn)"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(" ".utf8))
        try handle.close()
        let changed = try fixture.asr(["run", "tiny.yaml", "--exp", "copied", "--dry-run"])
        #expect(changed.stderr.contains("prepare: would run (input corpus changed)"), "\(changed.stderr)")
    }

    @Test("recipe.yaml records the model's input size and label count as trained")
    func resolvedRecipe() throws {
        let fixture = try DecodeFixture.get()
        let recorded = try String(contentsOf: fixture.exp.appendingPathComponent("recipe.yaml"), encoding: .utf8)
        let config = try String(contentsOf: fixture.exp.appendingPathComponent("train/best/config.json"), encoding: .utf8)
        // 20 mel bins, no deltas: 20 inputs; 48 phones + blank for CTC.
        #expect(recorded.contains("inputSize: 20"), "\(recorded)")
        #expect(config.contains("\"inputSize\" : 20"))
    }
}
