import ArgumentParser
import Foundation
import Recipes

/// `asr report`: several experiment folders side by side in one self-contained HTML page.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Compare experiment folders side by side in one self-contained HTML page.",
        discussion: """
            The page holds a summary table (family, parameters, training time, dev and test PER, Sub/Del/Ins), \
            sclite's MAPSSWE test for every pair on the same test set, overlaid training curves, per-speaker PER, \
            confusions with a heat map, chosen utterances aligned with their audio, and each recipe. Parts missing \
            from a folder are marked absent.
            """
    )

    @Argument(help: "Experiment folders (made by `asr run`).")
    var experiments: [String]
    @Option(help: "The HTML file to write.")
    var out: String = "report.html"
    @Option(help: "Utterance ids to show in detail (comma-separated; default: chosen by PER rank).")
    var utterances: String?
    @Option(help: "How many utterances to choose by PER rank when --utterances is not given.")
    var count: Int = 4
    @Flag(help: "Do not embed the utterances' audio.")
    var noAudio = false
    @Option(help: "The page title.")
    var title: String = "MonotonicASR experiments"

    func validate() throws {
        if experiments.isEmpty { throw ValidationError("give at least one experiment folder") }
    }

    func run() throws {
        var options = ReportOptions()
        options.utterances = utterances.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } } ?? []
        options.utteranceCount = count
        options.audio = !noAudio
        options.title = title
        let output = URL(fileURLWithPath: out)
        try HTMLReport.write(experiments: experiments.map { URL(fileURLWithPath: $0) }, to: output, options: options)
        print("report: \(output.path)")
    }
}
