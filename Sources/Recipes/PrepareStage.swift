import AudioIO
import Corpus
import Foundation

/// The `prepare` stage: TIMIT-layout corpus → `EXP/data/{train,dev,test,test-full}.jsonl`.
enum PrepareStage {
    static let definition = StageDefinition(
        name: "prepare",
        fingerprint: { recipe, experiment in
            let corpus = try recipe.corpusFolder(experiment)
            var lists = ContentHash()
            for file in try speakerListFiles(recipe, corpus: corpus) { try lists.update(file: file) }
            return try StandardStages.canonical(recipe.settings.prepare) + StandardStages.listing(corpus) + lists.hex
        },
        run: run)

    /// The dev and test speaker list files in force (explicit ones, or the corpus's own), if any.
    static func speakerListFiles(_ recipe: Recipe, corpus: URL) throws -> [URL] {
        let options = recipe.settings.prepare
        return [(options.devSpeakers, "dev_spk.list"), (options.testSpeakers, "test_spk.list")].compactMap { given, own in
            if let given { return URL(fileURLWithPath: given) }
            let url = corpus.appendingPathComponent(own)
            return FileManager.default.fileExists(atPath: url.path) ? url : nil
        }
    }

    static func run(_ context: StageContext) throws {
        let recipe = context.recipe
        let options = recipe.settings.prepare
        let corpusFolder = try recipe.corpusFolder(context.experiment)
        var speakers = SpeakerLists.standard
        for (given, own, keyPath) in [(options.devSpeakers, "dev_spk.list", \SpeakerLists.dev),
                                      (options.testSpeakers, "test_spk.list", \SpeakerLists.coreTest)] {
            let url = given.map { URL(fileURLWithPath: $0) } ?? corpusFolder.appendingPathComponent(own)
            if given != nil || FileManager.default.fileExists(atPath: url.path) {
                speakers[keyPath: keyPath] = try SpeakerLists.read(from: url)
                context.log("speaker list \(url.path)")
            }
        }
        let corpus = try TimitCorpus.scan(corpusFolder)
        let preparation = try TimitPreparation.prepare(
            corpus, options: TimitPrepareOptions(includeSA: options.includeSA, strict: options.strict, speakers: speakers),
            audioLength: { url in
                let header = try AudioHeader.read(url)
                return AudioLength(samples: header.frames, sampleRate: header.sampleRate)
            })
        for skipped in preparation.skipped { context.log("skipped \(skipped.stem): \(skipped.reason)") }
        if !preparation.missingDevSpeakers.isEmpty || !preparation.missingTestSpeakers.isEmpty {
            context.log("speakers of the lists not in TEST: \((preparation.missingDevSpeakers + preparation.missingTestSpeakers).joined(separator: " "))")
        }
        for split in ["train", "dev", "test"] where preparation.splits[split]?.isEmpty ?? true {
            throw StageError.badData(stage: "prepare", message: "the \(split) split is empty; check the corpus and the speaker lists (prepare.devSpeakers, prepare.testSpeakers)")
        }
        try preparation.write(to: context.experiment.data)
        let counts = TimitPreparation.splitNames.map { "\($0) \(preparation.splits[$0]?.count ?? 0)" }
        context.log("manifests: " + counts.joined(separator: ", ") + "; SA left out: \(preparation.excludedSA)")
    }
}
