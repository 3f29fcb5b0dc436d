import ArgumentParser
import Foundation
import Recipes

/// `asr run`: Run a recipe end to end into an experiment folder.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a recipe end to end into an experiment folder.",
        discussion: """
            Stages, in order: \(StandardStages.names.joined(separator: ", ")). A stage whose options and \
            inputs are unchanged since it completed is skipped; a killed run resumes at the stage it was in.
            """
    )

    @Argument(help: "The recipe (YAML).")
    var recipe: String
    @Option(name: .customLong("set"), help: "Override a recipe value: key.path=value (repeatable).")
    var overrides: [String] = []
    @Option(help: "Rerun this stage and every later one.")
    var from: Choice<RecipeStages>?
    @Option(help: "Run only this stage.")
    var only: Choice<RecipeStages>?
    @Option(help: "Stop after this stage.")
    var until: Choice<RecipeStages>?
    @Flag(help: "Validate the recipe and show which stages would run, without running them.")
    var dryRun = false
    @Option(help: "Experiment folder (default: exp/<recipe name>).")
    var exp: String?

    func run() throws {
        let loaded = try Recipe.load(recipe, overrides: overrides)
        let folder = exp ?? "exp/\(loaded.settings.name)"
        let runner = StageRunner(recipe: loaded, experiment: Experiment(root: URL(fileURLWithPath: folder)))
        let outcomes = try runner.run(RunRequest(from: from?.name, only: only?.name, until: until?.name, dryRun: dryRun)) { line in
            writeStandardError(line + "\n")
        }
        guard CommandWorld.isWriter else { return }
        let scored = outcomes.contains { $0.0 == "score" && ($0.1 == .ran || $0.1 == .skipped) }
        if dryRun {
            print("recipe \(recipe) is valid; experiment folder \(folder)")
        } else if scored, let report = try? String(contentsOf: runner.experiment.score.appendingPathComponent("report.txt"), encoding: .utf8) {
            print(report, terminator: report.hasSuffix("\n") ? "" : "\n")
        }
    }
}
