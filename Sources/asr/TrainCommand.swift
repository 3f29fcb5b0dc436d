import ArgumentParser
import Foundation
import Recipes

/// `asr train`: Train the model a recipe names (any family).
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the model a recipe names (train.model.kind).",
        discussion: """
            Runs a recipe's stages up to and including train (synthesize, prepare, features, train; those \
            already done are skipped) and leaves the model in EXP/train: best/ (weights and configuration of the \
            best dev PER), last/ (the resume point, with the optimizer state), frontend.json (features, CMVN, \
            phones), history.json, and \
            curves and attention alignments in EXP/plots. A killed run resumes from its last resume point. \
            Decode with `asr decode --model EXP FILE...`.
            """
    )

    @Argument(help: "The recipe (YAML): its train section holds model (kind and its fields), training, cmvn, specAugment.")
    var recipe: String
    @Option(name: .customLong("set"), help: "Override a recipe value: key.path=value (repeatable), e.g. train.training.epochs=5.")
    var overrides: [String] = []
    @Option(help: "Experiment folder (default: exp/<recipe name>).")
    var exp: String?
    @Flag(help: "Train again from scratch even when a trained model with these options exists.")
    var restart = false

    func run() throws {
        let loaded = try Recipe.load(recipe, overrides: overrides)
        let folder = exp ?? "exp/\(loaded.settings.name)"
        let runner = StageRunner(recipe: loaded, experiment: Experiment(root: URL(fileURLWithPath: folder)))
        try runner.run(RunRequest(from: restart ? "train" : nil, until: "train")) { writeStandardError($0 + "\n") }
        if CommandWorld.isWriter { print("model: \(runner.experiment.train.path)") }
    }
}
