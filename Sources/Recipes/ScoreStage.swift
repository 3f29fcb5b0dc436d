import AtomicFiles
import Foundation
import Scoring

/// The `score` stage: the decoded split against its manifest's phones, folded as the recipe says
/// (39 by default), into `EXP/score/report.txt` (sclite-style) and `score.json`, and the experiment's
/// page (`HTMLReport`) into `EXP/report.html`.
enum ScoreStage {
    static let definition = StageDefinition(
        name: "score",
        fingerprint: { recipe, _ in
            var options = recipe.settings.score
            options.scoring.threads = 0 // parallelism does not change the counts
            return try StandardStages.flattened(options, prefix: "score")
        },
        run: run)

    static func run(_ context: StageContext) throws {
        let recipe = context.recipe
        let split = recipe.settings.decode.split
        let experiment = context.experiment
        let run = ScoreRun(reference: experiment.data.appendingPathComponent("\(split).jsonl"),
                           fold: recipe.settings.score.fold, options: recipe.settings.score.scoring)
        let result = try run.score(hypothesis: experiment.decode.appendingPathComponent("\(split).hyp"))
        try experiment.folder(experiment.score)
        let title = "\(recipe.settings.name): \(split), fold \(recipe.settings.score.fold.rawValue)"
        let report = ScoreReport.text(result, title: title) // ends with the `PER ...` line
        try ScoreRun.write(report, to: experiment.score.appendingPathComponent("report.txt"))
        try AtomicFile.write(ScoreReport.json(result), to: experiment.score.appendingPathComponent("score.json"))
        try HTMLReport.write(experiments: [experiment.root], to: experiment.root.appendingPathComponent("report.html"),
                             options: ReportOptions(title: recipe.settings.name))
        context.log(ScoreReport.perLine(result.totals))
    }
}
