import AtomicFiles
import Foundation
import Models
import Scoring

/// The `score` stage: the decoded split against its manifest's phones, folded as the recipe says
/// (39 by default), into `EXP/score/report.txt` (sclite-style) and `score.json`, and the experiment's
/// page (`HTMLReport`) into `EXP/report.html`; when the decode stage measured frame accuracy
/// (`decode/SPLIT.frames.json`), it is logged, added to the report's end and copied to `score/frames.json`.
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
        var report = ScoreReport.text(result, title: title) // ends with the `PER ...` line
        let frames = try frameCounts(experiment.decode.appendingPathComponent("\(split).frames.json"))
        if let frames { report += frameAccuracyLine(frames) + "\n" }
        try ScoreRun.write(report, to: experiment.score.appendingPathComponent("report.txt"))
        try AtomicFile.write(ScoreReport.json(result), to: experiment.score.appendingPathComponent("score.json"))
        let framesFile = experiment.score.appendingPathComponent("frames.json")
        if let frames { try AtomicFile.write(JSONEncoder().encode(frames), to: framesFile) } else { try? FileManager.default.removeItem(at: framesFile) }
        try HTMLReport.write(experiments: [experiment.root], to: experiment.root.appendingPathComponent("report.html"),
                             options: ReportOptions(title: recipe.settings.name))
        context.log(ScoreReport.perLine(result.totals))
        if let frames { context.log(frameAccuracyLine(frames)) }
    }

    /// `frame accuracy 71.25% [C 2850 / N 4000]`.
    static func frameAccuracyLine(_ counts: FrameCounts) -> String {
        String(format: "frame accuracy %.2f%% [C %d / N %d]", 100 * counts.accuracy, counts.correct, counts.frames)
    }

    /// The frame counts the decode stage wrote to `file`; nil when it wrote none.
    static func frameCounts(_ file: URL) throws -> FrameCounts? {
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        do { return try JSONDecoder().decode(FrameCounts.self, from: Data(contentsOf: file)) } catch {
            throw StageError.badData(stage: "score", message: "cannot read the frame counts \(file.path): \(error)")
        }
    }
}
