import Foundation
import Testing

/// A tiny TIMIT-layout corpus on disk, written byte by byte (SPHERE audio, label files).
struct TinyTimit {
    let root: URL

    static let phn = "0 100 h#\n100 300 sh\n300 500 iy\n500 600 h#\n"
    static let wrd = "100 500 she\n"
    static let txt = "0 600 She.\n"

    /// Writes `usage/dialect/speaker/sentence.*` with the given name case; `phn` replaces the phone file.
    func add(_ path: String, phn: String = TinyTimit.phn) throws {
        let stem = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: stem.deletingLastPathComponent(), withIntermediateDirectories: true)
        let upper = path == path.uppercased()
        func file(_ ext: String) -> URL { URL(fileURLWithPath: stem.path + "." + (upper ? ext.uppercased() : ext)) }
        try sphereFile((0..<600).map { Int16($0 % 50) * 100 }).write(to: file("wav"))
        try phn.write(to: file("phn"), atomically: true, encoding: .utf8)
        try Self.wrd.write(to: file("wrd"), atomically: true, encoding: .utf8)
        try Self.txt.write(to: file("txt"), atomically: true, encoding: .utf8)
    }
}

@Suite struct PrepareCommandTests {
    /// Manifest ids of `out/name`, in file order.
    func ids(_ out: URL, _ name: String) throws -> [String] {
        let text = try String(contentsOf: out.appendingPathComponent(name), encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            return object["id"] as! String
        }
    }

    @Test func writesManifestsAndReportsSkips() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let corpus = TinyTimit(root: folder.appendingPathComponent("corpus"))
        try corpus.add("TRAIN/DR1/FCJF0/SI1027")
        try corpus.add("TRAIN/DR1/FCJF0/SA1")
        try corpus.add("train/dr2/mabc0/sx3")                       // lower-case copy
        try corpus.add("TRAIN/DR1/FCJF0/SX37", phn: "0 100 h#\n100 50 sh\n")
        try corpus.add("TEST/DR1/FAKS0/SI1")                        // a standard dev speaker
        try corpus.add("TEST/DR1/MDAB0/SX4")                        // a standard core test speaker
        try corpus.add("TEST/DR2/MZZZ0/SI9")                        // full test only

        let result = try ASRProcess.run(["prepare", "timit", "corpus", "--out", "out"], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        let out = folder.appendingPathComponent("out")
        #expect(try ids(out, "train.jsonl") == ["fcjf0_si1027", "mabc0_sx3"])
        #expect(try ids(out, "dev.jsonl") == ["faks0_si1"])
        #expect(try ids(out, "test.jsonl") == ["mdab0_sx4"])
        #expect(try ids(out, "test-full.jsonl") == ["faks0_si1", "mdab0_sx4", "mzzz0_si9"])
        let report = result.stdout
        #expect(report.contains("train: 2 utterances, 2 speakers -> out/train.jsonl"))
        #expect(report.contains("test-full: 3 utterances, 3 speakers"))
        #expect(report.contains("left out 1 SA utterances"))
        #expect(report.contains("(recorded in out/corpus-root.txt); next: asr features --manifest out/train.jsonl --out FEATS_DIR"))
        // The manifests' audio is found through corpus-root.txt, from any working folder.
        let recorded = try String(contentsOf: out.appendingPathComponent("corpus-root.txt"), encoding: .utf8)
        #expect(recorded == folder.appendingPathComponent("corpus").standardizedFileURL.path + "\n")
        let features = try ASRProcess.run(["features", "--manifest", out.appendingPathComponent("train.jsonl").path,
                                           "--out", folder.appendingPathComponent("feats").path])
        #expect(features.status == 0, "\(features.stderr)")
        #expect(report.contains("TRAIN/DR1/FCJF0/SX37: PHN line 2: end 50 before start 100 in TRAIN/DR1/FCJF0/SX37.PHN"))
        #expect(report.contains("49 of the 50 speakers of the standard dev list are not in TEST/"))
        // faks0 has 8 standard dev utterances, none of them in this corpus.
        #expect(report.contains("warning: dev lacks 8 standard utterances of its speakers: faks0_si1573 faks0_si2203 faks0_si943"))

        let strict = try ASRProcess.run(["prepare", "timit", "corpus", "--out", "out2", "--strict"], in: folder)
        #expect(strict.status == 1)
        #expect(strict.stderr == "asr: PHN line 2: end 50 before start 100 in TRAIN/DR1/FCJF0/SX37.PHN\n")

        let withSA = try ASRProcess.run(["prepare", "timit", "corpus", "--out", "out3", "--include-sa"], in: folder)
        #expect(withSA.status == 0)
        #expect(try ids(folder.appendingPathComponent("out3"), "train.jsonl") == ["fcjf0_sa1", "fcjf0_si1027", "mabc0_sx3"])
    }

    @Test func strictRefusesAPhoneFileCutShort() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let corpus = TinyTimit(root: folder.appendingPathComponent("corpus"))
        try corpus.add("TRAIN/DR1/FCJF0/SI1027")
        try corpus.add("TRAIN/DR1/FCJF0/SX37", phn: "0 100 h#\n")   // 500 of 600 samples unlabelled
        let strict = try ASRProcess.run(["prepare", "timit", "corpus", "--out", "out", "--strict"], in: folder)
        #expect(strict.status == 1)
        #expect(strict.stderr == "asr: PHN line 1: the last segment ends at 100, 500 samples before the audio's end "
                + "(600 samples; tolerance 400): the file may be cut short in TRAIN/DR1/FCJF0/SX37.PHN\n")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/train.jsonl").path))
    }

    @Test func ownSpeakerListsReplaceTheStandardOnes() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let corpus = TinyTimit(root: folder.appendingPathComponent("synth"))
        try corpus.add("TRAIN/DR1/MAAA0/SI1")
        try corpus.add("TEST/DR1/FBBB0/SI2")
        try corpus.add("TEST/DR1/MCCC0/SX3")

        let plain = try ASRProcess.run(["prepare", "timit", "synth", "--out", "a"], in: folder)
        #expect(plain.status == 0)
        #expect(plain.stdout.contains("none of the 50 speakers of the standard dev list is in TEST/"))
        #expect(plain.stdout.contains("--dev-speakers FILE"))
        #expect(plain.stdout.contains("none of the 24 speakers of the standard core test list is in TEST/"))
        #expect(plain.stdout.contains("--test-speakers FILE"))

        try "fbbb0\n".write(to: folder.appendingPathComponent("dev.list"), atomically: true, encoding: .utf8)
        try "MCCC0\n".write(to: folder.appendingPathComponent("test.list"), atomically: true, encoding: .utf8)
        let own = try ASRProcess.run(["prepare", "timit", "synth", "--out", "b", "--dev-speakers", "dev.list",
                                      "--test-speakers", "test.list"], in: folder)
        #expect(own.status == 0, "\(own.stderr)")
        #expect(!own.stdout.contains("warning"))
        #expect(try ids(folder.appendingPathComponent("b"), "dev.jsonl") == ["fbbb0_si2"])
        #expect(try ids(folder.appendingPathComponent("b"), "test.jsonl") == ["mccc0_sx3"])
        #expect(own.stdout.contains("dev speakers: 1 from dev.list"))

        // Lists at the corpus root are used when no option names a list; an option still wins.
        try "mccc0\n".write(to: corpus.root.appendingPathComponent("dev_spk.list"), atomically: true, encoding: .utf8)
        try "fbbb0\n".write(to: corpus.root.appendingPathComponent("test_spk.list"), atomically: true, encoding: .utf8)
        let corpusLists = try ASRProcess.run(["prepare", "timit", "synth", "--out", "c"], in: folder)
        #expect(corpusLists.status == 0, "\(corpusLists.stderr)")
        #expect(corpusLists.stdout.contains("dev speakers: 1 from synth/dev_spk.list"))
        #expect(try ids(folder.appendingPathComponent("c"), "dev.jsonl") == ["mccc0_sx3"])
        #expect(try ids(folder.appendingPathComponent("c"), "test.jsonl") == ["fbbb0_si2"])
        let mixed = try ASRProcess.run(["prepare", "timit", "synth", "--out", "d", "--dev-speakers", "dev.list",
                                        "--test-speakers", "test.list"], in: folder)
        #expect(try ids(folder.appendingPathComponent("d"), "dev.jsonl") == ["fbbb0_si2"])
        #expect(mixed.stdout.contains("standard") == false)
    }

    @Test func userErrorsExitOne() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = try ASRProcess.run(["prepare", "timit", "nowhere", "--out", "o"], in: folder)
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("asr: ") && missing.stderr.contains("nowhere: not a folder"))
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("empty"), withIntermediateDirectories: true)
        let empty = try ASRProcess.run(["prepare", "timit", "empty", "--out", "o"], in: folder)
        #expect(empty.status == 1 && empty.stderr.contains("no TRAIN or TEST folder"))
        let noList = try ASRProcess.run(["prepare", "timit", "empty", "--out", "o", "--dev-speakers", "none.list"], in: folder)
        #expect(noList.status == 1 && noList.stderr.contains("none.list"))
        let usage = try ASRProcess.run(["prepare", "timit", "empty"], in: folder)
        #expect(usage.status == 2)
    }
}
