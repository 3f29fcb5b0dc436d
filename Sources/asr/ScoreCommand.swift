import ArgumentParser
import Foundation
import Recipes
import Scoring

/// `asr score`: Score hypotheses against references: sclite-identical phone error rates.
struct Score: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score hypotheses against references: sclite-identical phone error rates.",
        discussion: """
            REF and HYP are Kaldi text (`utt-id tok tok ...`) or sclite trn (`tok tok ... (utt-id)`); REF may \
            also be a manifest (.jsonl: its phones and speakers). Utterances are matched by id; speakers come \
            from the manifest or, as sclite's `-i rm` derives them, from the id. Tokens and ids are compared \
            case-sensitively (sclite -s). The last line printed is `PER x.xx% [S s D d I i / N n]`.
            """
    )

    @Option(name: .long, help: "Reference transcripts: Kaldi text, trn, or a manifest (.jsonl).")
    var ref: String

    @Option(name: .long, help: "Hypothesis transcripts: Kaldi text or trn.")
    var hyp: String?

    @Option(name: .long, parsing: .upToNextOption, help: "Two hypothesis files to compare (MAPSSWE): HYP_A HYP_B.")
    var compare: [String] = []

    @Option(name: .long, help: "TIMIT fold applied to both sides: 39 (the default, as the recipes score), 48 or none (tokens untouched; the default with --map).")
    var fold: PhoneFold?

    @Option(name: .long, help: "Mapping file (`token target` per line; no target deletes the token), instead of --fold.")
    var map: String?

    @Option(name: .long, help: "Alignment costs: sclite (sub 4, ins 3, del 3, sclite's ties) or unit (Kaldi compute-wer).")
    var costs: CostModel = ScoringOptions().costs

    @Option(name: .long, help: "References without a hypothesis: empty (all deletions) or skip (sclite).")
    var missing: MissingHypothesisPolicy = ScoringOptions().missing

    @Option(name: .long, parsing: .upToNextOption, help: "Tokens whose consecutive repeats merge into one (e.g. sil).")
    var mergeRepeats: [String] = []

    @Option(name: .long, help: "Number of most frequent confusion pairs in the report.")
    var confusions: Int = ScoringOptions().confusionPairs

    @Option(name: .long, help: "Write the report (summary tables, confusion pairs) here instead of standard output.")
    var report: String?

    @Flag(name: .long, help: "Print one JSON object (totals, per-speaker counts, missing ids; with --compare both systems and the test) instead of the text.")
    var json = false

    @Option(name: .long, help: "Write per-utterance REF/HYP/Eval alignments here.")
    var alignments: String?

    @Option(name: .long, help: "Worker threads (0: every core).")
    var threads: Int = 0

    func validate() throws {
        guard (hyp == nil) != compare.isEmpty else { throw ValidationError("give either --hyp HYP or --compare HYP_A HYP_B") }
        guard compare.isEmpty || compare.count == 2 else { throw ValidationError("--compare takes exactly two files") }
        guard map == nil || fold == nil || fold == PhoneFold.none else { throw ValidationError("give --map or --fold, not both") }
        guard compare.isEmpty || alignments == nil else { throw ValidationError("--alignments goes with --hyp") }
        do { try scoringOptions.validate() } catch {
            let flag = ["confusionPairs": "confusions", "mergeRepeated": "merge-repeats"][error.key] ?? error.flagName
            throw ValidationError("--\(flag) \(error.value): allowed \(error.allowed)")
        }
    }

    var scoringOptions: ScoringOptions {
        ScoringOptions(costs: costs, missing: missing,
                       mergeRepeated: mergeRepeats, confusionPairs: confusions, keepAlignments: alignments != nil,
                       threads: threads)
    }

    func run() throws {
        let url = { (path: String) in URL(fileURLWithPath: path) }
        let run = ScoreRun(reference: url(ref), fold: fold ?? (map == nil ? .timit39 : .none), mapFile: map.map(url),
                           options: scoringOptions)
        if compare.count == 2 {
            let (a, b, test) = try run.compare(url(compare[0]), url(compare[1])) { writeStandardError("asr score: \($0)\n") }
            var text = ""
            for (name, result) in [(compare[0], a), (compare[1], b)] {
                text += ScoreReport.text(result, title: name) + "\n"
            }
            text += ScoreRun.describe(test, a: compare[0], b: compare[1]) + "\n"
            if json {
                if let report { try ScoreRun.write(text, to: url(report)) }
                print(String(decoding: try ScoreReport.comparisonJSON(a, b, test), as: UTF8.self))
                return
            }
            try emit(report: text, notes: [a, b].compactMap(ScoreReport.missingNote))
            print("A \(ScoreReport.perLine(a.totals))  \(compare[0])")
            print("B \(ScoreReport.perLine(b.totals))  \(compare[1])")
            print(ScoreRun.describe(test, a: "A", b: "B"))
            return
        }
        let hypothesis = hyp ?? ""
        let result = try run.score(hypothesis: url(hypothesis)) { writeStandardError("asr score: \($0)\n") }
        if let alignments, let aligned = result.alignments {
            try ScoreRun.write(ScoreReport.alignments(aligned), to: url(alignments))
        }
        if json {
            if let report { try ScoreRun.write(ScoreReport.text(result, title: hypothesis), to: url(report)) }
            print(String(decoding: try ScoreReport.json(result), as: UTF8.self))
            return
        }
        try emit(report: ScoreReport.text(result, title: hypothesis), notes: ScoreReport.missingNote(result).map { [$0] } ?? [])
        print(ScoreReport.perLine(result.totals))
    }

    /// Writes the report to `--report` (and the notes to standard output), or prints it without its PER line.
    private func emit(report text: String, notes: [String]) throws {
        if let report {
            try ScoreRun.write(text, to: URL(fileURLWithPath: report))
            for note in notes { print(note) }
        } else {
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            while lines.last == "" { lines.removeLast() }
            if compare.isEmpty, lines.last?.hasPrefix("PER ") == true { lines.removeLast() }
            print(lines.joined(separator: "\n"))
        }
    }
}
