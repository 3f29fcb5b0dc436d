import Foundation
import Testing

/// The repository's root (three levels above this file).
private let checkoutRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// A recipe that synthesizes a handful of utterances and trains a tiny model for two epochs (seconds).
private let tinyRecipe = tinyCorpusSections + """

    train:
      model:
        encoder: {layers: 2, hiddenSize: 16, subsampleAfter: [0]}
        decoder: {hiddenSize: 16, embeddingSize: 8}
        attention: {dim: 16}
      training: {epochs: 2, batchSize: 4}
      alignmentPlots: 1
    """

@Suite("asr run end to end", .serialized)
struct RecipeEndToEndTests {
    @Test("every stage runs into the experiment folder; a second run skips them all; decode reads the model")
    func tinyRecipeEndToEnd() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(tinyRecipe.utf8).write(to: folder.appendingPathComponent("tiny.yaml"))

        let first = try ASRProcess.run(["run", "tiny.yaml", "--exp", "exp"], in: folder)
        #expect(first.status == 0, "\(first.stderr)")
        for stage in ["synthesize", "prepare", "features", "train", "decode", "score"] {
            #expect(first.stderr.contains("\(stage): done in"), "\(stage) should have run")
        }
        #expect(first.stdout.split(separator: "\n").last?.hasPrefix("PER ") == true, "\(first.stdout)")
        let exp = folder.appendingPathComponent("exp")
        let expected = [
            "recipe.yaml", "corpus/dev_spk.list", "data/train.jsonl", "data/dev.jsonl", "data/test.jsonl",
            "features/train.feats", "features/train.cmvn.json", "train/best/config.json", "train/best/weights.safetensors",
            "train/frontend.json", "train/history.json", "decode/test.hyp", "decode/test.beam8.hyp", "decode/test.times", "decode/test.ctm", "score/report.txt",
            "score/score.json", "report.html", "plots/loss.svg", "plots/dev-per.svg",
        ] + ["synthesize", "prepare", "features", "train", "decode", "score"].flatMap { ["stamps/\($0).json", "logs/\($0).log"] }
        for path in expected {
            #expect(FileManager.default.fileExists(atPath: exp.appendingPathComponent(path).path), "missing \(path)")
        }
        let attention = try FileManager.default.contentsOfDirectory(atPath: exp.appendingPathComponent("plots/attention").path)
        #expect(attention.count == 2, "one alignment per epoch: \(attention)")
        let history = try JSONSerialization.jsonObject(with: Data(contentsOf: exp.appendingPathComponent("train/history.json"))) as? [Any]
        #expect(history?.count == 2)
        let hypotheses = try String(contentsOf: exp.appendingPathComponent("decode/test.hyp"), encoding: .utf8)
        let tests = try String(contentsOf: exp.appendingPathComponent("data/test.jsonl"), encoding: .utf8)
        #expect(hypotheses.split(separator: "\n").count == tests.split(separator: "\n").count)
        // The experiment's page draws the trained model's alignment of each chosen test utterance.
        let page = try String(contentsOf: exp.appendingPathComponent("report.html"), encoding: .utf8)
        let pictures = page.components(separatedBy: "class=\"figure model-alignment\"").count - 1
        #expect(pictures >= 1 && !page.contains("no model alignment picture"), "\(pictures) model pictures")

        let second = try ASRProcess.run(["run", "tiny.yaml", "--exp", "exp"], in: folder)
        #expect(second.status == 0, "\(second.stderr)")
        for stage in ["synthesize", "prepare", "features", "train", "decode", "score"] {
            #expect(second.stderr.contains("\(stage): up to date, skipped"), "\(stage) should be skipped")
        }
        #expect(second.stdout == first.stdout)

        // A changed score option reruns only the score stage.
        let third = try ASRProcess.run(["run", "tiny.yaml", "--exp", "exp", "--set", "score.fold=48"], in: folder)
        #expect(third.status == 0, "\(third.stderr)")
        #expect(third.stderr.contains("decode: up to date, skipped") && third.stderr.contains("score: done in"))

        let wave = try #require(FileManager.default.enumerator(atPath: exp.appendingPathComponent("corpus/TEST").path)?
            .compactMap { $0 as? String }.first { $0.hasSuffix(".WAV") })
        let decoded = try ASRProcess.run(["decode", "--model", "exp", "--times", "--fold", "39",
                                          "exp/corpus/TEST/\(wave)"], in: folder)
        #expect(decoded.status == 0, "\(decoded.stderr)")
        let fields = decoded.stdout.split(separator: "\n").first?.split(separator: " ") ?? []
        #expect(fields.first.map(String.init) == URL(fileURLWithPath: wave).deletingPathExtension().lastPathComponent)
        #expect(fields.count > 1 && fields.dropFirst().allSatisfy { $0.contains("@") })
        let scoring39: Set<Substring> = ["aa", "ae", "ah", "aw", "ay", "b", "ch", "d", "dh", "dx", "eh", "er", "ey", "f", "g",
                                         "hh", "ih", "iy", "jh", "k", "l", "m", "n", "ng", "ow", "oy", "p", "r", "s", "sh",
                                         "sil", "t", "th", "uh", "uw", "v", "w", "y", "z"]
        #expect(fields.dropFirst().allSatisfy { scoring39.contains($0.split(separator: "@")[0]) })

        // Online decoding while reading the file in chunks gives the same phones and times.
        let streamed = try ASRProcess.run(["decode", "--model", "exp", "--times", "--fold", "39", "--stream",
                                           "exp/corpus/TEST/\(wave)"], in: folder)
        #expect(streamed.status == 0, "\(streamed.stderr)")
        #expect(streamed.stdout == decoded.stdout)
        // Online beam search gives the offline beam's phones and times.
        let beamArguments = ["decode", "--model", "exp", "--times", "--beam", "3", "exp/corpus/TEST/\(wave)"]
        let offlineBeam = try ASRProcess.run(beamArguments, in: folder)
        let onlineBeam = try ASRProcess.run(beamArguments + ["--stream"], in: folder)
        #expect(offlineBeam.status == 0 && onlineBeam.status == 0, "\(onlineBeam.stderr)")
        #expect(onlineBeam.stdout == offlineBeam.stdout && !offlineBeam.stdout.isEmpty)
        // Raw 16 kHz PCM on standard input (the SPHERE file's samples after its 1024-byte header).
        let pcm = try Data(contentsOf: exp.appendingPathComponent("corpus/TEST/\(wave)")).dropFirst(1024)
        let piped = try ASRProcess.run(["decode", "--model", "exp", "--times", "--fold", "39", "--stream", "-"],
                                       in: folder, input: Data(pcm))
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(piped.stdout.split(separator: " ").dropFirst() == decoded.stdout.split(separator: " ").dropFirst())
    }

    @Test("every recipe in recipes/ passes --dry-run validation; a recipe mistake exits 1 naming line and column")
    func timitRecipesValidate() throws {
        let recipes = try FileManager.default.contentsOfDirectory(atPath: checkoutRoot.appendingPathComponent("recipes").path)
            .filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(recipes.count >= 14)
        for recipe in recipes {
            let path = checkoutRoot.appendingPathComponent("recipes/\(recipe)").path
            let result = try ASRProcess.run(["run", path, "--dry-run", "--set", "corpus=/nonexistent/TIMIT",
                                             "--exp", FileManager.default.temporaryDirectory.appendingPathComponent("dry-\(UUID().uuidString)").path])
            #expect(result.status == 0, "\(recipe): \(result.stderr)")
            #expect(result.stdout.contains("is valid"))
        }
        let bad = try ASRProcess.run(["run", checkoutRoot.appendingPathComponent("recipes/timit.yaml").path, "--dry-run",
                                      "--set", "train.model.attention.kind=hard"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("must be one of softmax, monotonic, mocha"), "\(bad.stderr)")
    }
}
