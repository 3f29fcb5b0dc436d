import Foundation
import Testing
import Models
import TestSupport
@testable import Recipes

@Suite("Experiment report page")
struct ReportTests {
    /// Two fixture experiments on the same 12 test utterances: `good` errs on none, `bad` on 1 to 3 phones of each.
    static func twoExperiments(in folder: TemporaryFolder) throws -> [URL] {
        let corpus = folder.file("corpus")
        let good = folder.file("good"), bad = folder.file("bad")
        try ExperimentFixtures.write(name: "good", family: "ctc", to: good, corpus: corpus) { _ in 0 }
        try ExperimentFixtures.write(name: "bad", family: "attention", to: bad, corpus: corpus) { 1 + $0 % 3 }
        let pictures = bad.appendingPathComponent("plots/attention")
        try FileManager.default.createDirectory(at: pictures, withIntermediateDirectories: true)
        for (name, epoch) in [("u1", 1), ("u1", 2), ("u2", 2)] {
            try Data("<svg xmlns=\"http://www.w3.org/2000/svg\"><text>\(name) epoch \(epoch)</text></svg>\n".utf8)
                .write(to: pictures.appendingPathComponent(String(format: "%@-epoch%02d.svg", name, epoch)))
        }
        return [good, bad]
    }

    static func count(_ pattern: String, in text: String) -> Int {
        text.components(separatedBy: pattern).count - 1
    }

    @Test("the greedy and beam columns come from every search the decode stage kept")
    func greedyAndBeamSideBySide() throws {
        let folder = try TemporaryFolder()
        let experiments = try Self.twoExperiments(in: folder)
        // `bad` was decoded greedily (its own hypotheses) and then with beam 8, which here got every phone right.
        let decode = experiments[1].appendingPathComponent("decode")
        try FileManager.default.copyItem(at: decode.appendingPathComponent("test.hyp"), to: decode.appendingPathComponent("test.greedy.hyp"))
        try FileManager.default.copyItem(at: experiments[0].appendingPathComponent("decode/test.hyp"),
                                         to: decode.appendingPathComponent("test.beam8.hyp"))
        let page = HTMLReport.page(try experiments.map { try ExperimentRecord(folder: $0) }, options: ReportOptions())
        let rows = try #require(page.firstMatch(of: /<table class="sortable" id="summary-table">(.*?)<\/table>/.dotMatchesNewlines()))
            .output.1.components(separatedBy: "<tr>").filter { $0.contains("class=\"name\">bad") }
        let row = try #require(rows.first)
        #expect(row.contains("<td>20.00</td><td>0.00 (beam8)</td>"), "\(row)")
        #expect(DecodeStage.searchLabel(DecodingConfig(beamWidth: 8)) == "beam8")
        #expect(DecodeStage.searchLabel(DecodingConfig()) == "greedy")
        #expect(DecodeStage.searchLabel(DecodingConfig(beamWidth: 4, ctcWeight: 0.3)) == "beam4-ctc0.3")
    }

    @Test("two experiments: summary rows, a significant MAPSSWE pair, 2 curves per chart, one audio per utterance")
    func structure() throws {
        let folder = try TemporaryFolder()
        let experiments = try Self.twoExperiments(in: folder)
        var options = ReportOptions()
        options.utteranceCount = 3
        let output = folder.file("report.html")
        try HTMLReport.write(experiments: experiments, to: output, options: options)
        let page = try String(contentsOf: output, encoding: .utf8)

        let summary = try #require(page.firstMatch(of: /<table class="sortable" id="summary-table">(.*?)<\/table>/.dotMatchesNewlines()))
        #expect(Self.count("<tr>", in: String(summary.output.1)) == 3)   // heading + two experiments
        // `bad` errs on 1+i%3 of 10 phones over 12 utterances: 24 substitutions of 120 → PER 20.00%.
        #expect(summary.output.1.contains("<td>20.00</td>"))
        #expect(summary.output.1.contains("<td>0.00</td>"))
        #expect(summary.output.1.contains("<td>16</td>"))   // parameters from the safetensors header: 3×4 + 4
        #expect(summary.output.1.contains("<td>2:05</td>"))  // 125 s of training

        let significance = try #require(page.firstMatch(of: /<table id="significance">(.*?)<\/table>/.dotMatchesNewlines()))
        #expect(Self.count("<tr>", in: String(significance.output.1)) == 2)
        #expect(Self.count("class=\"significant\"", in: String(significance.output.1)) == 1)
        #expect(significance.output.1.contains("good is better"))

        let curves = try #require(page.firstMatch(of: #/<h2 id="curves">(.*?)<h2 /#.dotMatchesNewlines()))
        #expect(Self.count("<polyline", in: String(curves.output.1)) == 4)
        #expect(Self.count("<audio ", in: page) == 3)
        #expect(Self.count("<h3 class=\"utterance\">", in: page) == 3)
        #expect(Self.count("<span class=\"S\">", in: page) > 0)
        #expect(Self.count("<table class=\"sortable\" id=\"speaker-table\">", in: page) == 1)
        #expect(Self.count("class=\"figure heatmap\"", in: page) == 2)
        #expect(!page.contains("src=\"http") && !page.contains("href=\"http"))
        // The last epoch's alignment pictures of `bad`; `good` has none and is marked absent.
        #expect(Self.count("class=\"figure training-alignment\"", in: page) == 2)
        #expect(page.contains("u1 epoch 2") && page.contains("u2 epoch 2") && !page.contains("u1 epoch 1"))
        #expect(page.contains("good: absent (no plots/attention"))
    }

    @Test("chosen utterances and --no-audio: exactly those, no audio element")
    func chosenWithoutAudio() throws {
        let folder = try TemporaryFolder()
        let experiments = try Self.twoExperiments(in: folder)
        var options = ReportOptions()
        options.audio = false
        options.utterances = Array(ExperimentFixtures.utteranceIds(count: 12).suffix(2)) + ["nowhere"]
        let records = try experiments.map { try ExperimentRecord(folder: $0) }
        let page = HTMLReport.page(records, options: options)
        #expect(Self.count("<audio ", in: page) == 0)
        #expect(Self.count("<h3 class=\"utterance\">", in: page) == 2)
        #expect(page.contains("<h3>nowhere</h3><p class=\"absent\">"))
        // Every shown utterance has one emission row per experiment on its time axis.
        #expect(Self.count("class=\"emit\"", in: page) == 2 * 2 * ExperimentFixtures.phones.count)
    }

    @Test("an empty folder is marked absent, a missing one is a one-line error")
    func absentParts() throws {
        let folder = try TemporaryFolder()
        var experiments = try Self.twoExperiments(in: folder)
        let empty = folder.file("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        experiments.append(empty)
        let output = folder.file("report.html")
        try HTMLReport.write(experiments: experiments, to: output)
        let page = try String(contentsOf: output, encoding: .utf8)
        #expect(page.contains("absent: recipe.yaml, train/history.json"))
        #expect(Self.count("<tr>", in: String(page.firstMatch(of: /id="significance">(.*?)<\/table>/.dotMatchesNewlines())!.output.1)) == 2)
        let error = #expect(throws: ReportError.self) {
            try HTMLReport.write(experiments: [folder.file("missing")], to: output)
        }
        #expect(error?.description.contains("is not an experiment folder") == true)
        #expect(error?.description.contains("\n") == false)
    }

    @Test("ticks are round steps covering the data")
    func ticks() {
        let ticks = AxisTicks(minimum: 0, maximum: 87.3, target: 5)
        #expect(ticks.step == 20 && ticks.lower == 0 && ticks.upper == 100)
        #expect(ticks.values.map { ticks.label($0) } == ["0", "20", "40", "60", "80", "100"])
        let small = AxisTicks(minimum: 0, maximum: 2.37, target: 8)
        #expect(small.step == 0.5 && small.upper == 2.5 && small.label(1.5) == "1.5")
        let epochs = AxisTicks(minimum: 1, maximum: 3, target: 6, integers: true)
        #expect(epochs.step == 1 && epochs.values == [1, 2, 3])
    }
}
