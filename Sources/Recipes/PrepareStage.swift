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
            return try StandardStages.flattened(recipe.settings.prepare, prefix: "prepare") + "\n"
                + StandardStages.listing(corpus, name: "corpus", cache: ContentHashCache(experiment: experiment)) + "\ninput:speaker lists=\(lists.hex)"
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
        let corpus = try recipe.corpusFolder(context.experiment)
        let (lists, sources) = try CorpusPreparation.speakerLists(
            corpus: corpus, devFile: options.devSpeakers.map { URL(fileURLWithPath: $0) },
            testFile: options.testSpeakers.map { URL(fileURLWithPath: $0) })
        let prepareOptions = TimitPrepareOptions(includeSA: options.includeSA, strict: options.strict, speakers: lists)
        let out = context.experiment.data
        let result = try CorpusPreparation.prepareTimit(corpus: corpus, out: out, options: prepareOptions)
        for line in sources + CorpusPreparation.report(result, out: out, options: prepareOptions) { context.log(line) }
        for split in ["train", "dev", "test"] where result.splits[split]?.isEmpty ?? true {
            throw StageError.badData(stage: "prepare", message: "the \(split) split is empty; check the corpus and "
                + "the speaker lists (prepare.devSpeakers, prepare.testSpeakers)")
        }
    }
}
