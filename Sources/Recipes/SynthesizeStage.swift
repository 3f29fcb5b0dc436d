import Foundation
import Synthesis

/// The `synthesize` stage: writes the recipe's synthetic TIMIT-layout corpus into `EXP/corpus`. A
/// recipe given a corpus (`corpus: PATH` or `--set corpus=PATH`) uses that one and synthesizes nothing,
/// so one demo recipe runs on its own synthetic corpus or on any TIMIT-layout folder.
enum SynthesizeStage {
    static let definition = StageDefinition(
        name: "synthesize",
        isEnabled: { $0.settings.synthesize != nil && $0.settings.corpus == nil },
        fingerprint: { recipe, experiment in
            var options = recipe.settings.synthesize ?? SynthesisOptions()
            options.jobs = 0 // parallelism does not change the corpus
            let folder = StandardStages.relative(try recipe.corpusFolder(experiment), to: experiment)
            return try StandardStages.flattened(options, prefix: "synthesize") + "\ninput:corpus folder=\(folder)"
        },
        run: run)

    static func run(_ context: StageContext) throws {
        guard let options = context.recipe.settings.synthesize else { return }
        let folder = try context.recipe.corpusFolder(context.experiment)
        // A rerun replaces an earlier synthetic corpus (recognised by its synthesis.json), never anything else.
        let manager = FileManager.default
        if manager.fileExists(atPath: folder.appendingPathComponent("synthesis.json").path)
            || folder.path.hasPrefix(context.experiment.root.path + "/") {
            for item in ["TRAIN", "TEST", "synthesis.json", "dev_spk.list", "test_spk.list"] {
                try? manager.removeItem(at: folder.appendingPathComponent(item))
            }
        }
        let synthesizer = try CorpusSynthesizer(options: options)
        let total = try synthesizer.plan().utterances.count
        context.log("\(total) utterances from \(options.speakers) speakers into \(folder.path)")
        let progress = context.progress(total: total, unit: "utts")
        let summary = try synthesizer.synthesize(into: folder) { done, _ in progress.update(done) }
        context.log(String(format: "%d utterances, %d TRAIN / %d TEST speakers, %.1f min of audio",
                           summary.utterances, summary.trainSpeakers, summary.testSpeakers, summary.seconds / 60))
    }
}
