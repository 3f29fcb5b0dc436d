import Corpus
import Features
import Foundation

/// The `features` stage: every split's manifest → `EXP/features/SPLIT.feats` (+ index, options), and the
/// training split's CMVN statistics (under several ranks, shared out over them; rank 0 writes).
enum FeaturesStage {
    /// The splits the later stages read.
    static let splits = ["train", "dev", "test"]

    static let definition = StageDefinition(
        name: "features",
        fingerprint: { recipe, _ in try StandardStages.flattened(recipe.settings.features, prefix: "features") },
        everyRank: true,
        run: run)

    static func run(_ context: StageContext) throws {
        let options = context.recipe.settings.features
        let corpus = try context.recipe.corpusFolder(context.experiment)
        for split in splits {
            let entries = try Manifest.read(from: context.experiment.data.appendingPathComponent("\(split).jsonl"))
            let progress = context.progress(split, total: entries.count, unit: "utts")
            let summary = try FeatureExtraction.extract(
                entries, audioRoot: corpus, to: context.experiment.features, name: split, options: options,
                cmvnStats: split == "train", world: context.world) { progress.update($0.done) }
            context.log(String(format: "%@: %d utterances, %d frames of %d values, %.0f× real time", split,
                               summary.utterances, summary.frames, summary.dim,
                               summary.audioSeconds / max(summary.elapsed, 1e-9)))
        }
    }
}

extension WindowType: RecipeChoice {}
extension CmvnGrouping: RecipeChoice {}
