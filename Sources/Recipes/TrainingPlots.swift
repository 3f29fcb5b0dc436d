import AtomicFiles
import Corpus
import Foundation
import Models
import Training

/// The pictures of a training run: curves of the training loss and dev PER, and attention alignments of
/// a few dev utterances after each epoch.
public enum TrainingPlots {
    /// Writes `PLOTS/loss.svg` and `PLOTS/dev-per.svg` (train loss and dev PER in % against epochs), and
    /// `PLOTS/figures-WORD.svg` with the family's own training figures when it reports any.
    public static func write(history: [EpochSummary], to plots: URL) throws {
        try FileManager.default.createDirectory(at: plots, withIntermediateDirectories: true)
        let loss = SVGLineChart(title: "training loss", xLabel: "epoch", yLabel: "loss per label (nats)", series: [
            .init(name: "train loss", points: history.map { (Double($0.epoch), Double($0.trainLoss)) }, color: "#1f77b4"),
        ])
        let per = SVGLineChart(title: "dev phone error rate (48 phones, greedy)", xLabel: "epoch", yLabel: "dev PER (%)", series: [
            .init(name: "dev PER", points: history.map { (Double($0.epoch), 100 * $0.devErrorRate) }, color: "#d62728"),
        ])
        try AtomicFile.write(Data(loss.svg.utf8), to: plots.appendingPathComponent("loss.svg"))
        try AtomicFile.write(Data(per.svg.utf8), to: plots.appendingPathComponent("dev-per.svg"))
        try writeStatistics(history: history, to: plots)
    }

    /// Writes the family's per-epoch figures (`EpochSummary.statistics`) as `PLOTS/figures-WORD.svg`, one
    /// chart per first word of their names (`angle layer1`, `angle layer2` → `figures-angle.svg`).
    static func writeStatistics(history: [EpochSummary], to plots: URL) throws {
        let names = Set(history.flatMap { ($0.statistics ?? [:]).keys }).sorted()
        let groups = Dictionary(grouping: names) { String($0.split(separator: " ").first ?? "figures") }
        let colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#7f7f7f"]
        for (word, members) in groups.sorted(by: { $0.key < $1.key }) {
            let series = members.enumerated().map { index, name in
                SVGLineChart.Series(name: name, points: history.compactMap { summary in
                    summary.statistics?[name].map { (Double(summary.epoch), $0) }
                }, color: colors[index % colors.count])
            }
            let chart = SVGLineChart(title: "\(word) per epoch (mean over the measured training batches)", xLabel: "epoch",
                                     yLabel: word == "angle" ? "degrees" : word, series: series)
            let file = word.filter { $0.isLetter || $0.isNumber }
            try AtomicFile.write(Data(chart.svg.utf8), to: plots.appendingPathComponent("figures-\(file.isEmpty ? "figures" : file).svg"))
        }
    }

    /// Decodes `examples` with the model's current weights and writes each one's hard alignment
    /// (emitted phone × encoder state, with the reference phones' spans drawn above) as
    /// `PLOTS/attention/UTT-epochNN.svg`.
    public static func alignments(model: any RecognitionModel, examples: [Example], entries: [ManifestEntry], epoch: Int,
                                  phones: [String], to plots: URL) throws {
        guard !examples.isEmpty else { return }
        let folder = plots.appendingPathComponent("attention")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let byId = Dictionary(entries.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for example in examples {
            guard let image = alignmentImage(model: model, example: example, entry: byId[example.id], phones: phones,
                                             title: { "\(example.id), epoch \(epoch): \($0)" }) else { return }
            try AtomicFile.write(Data(image.svg.utf8), to: folder.appendingPathComponent(String(format: "%@-epoch%02d.svg", example.id, epoch)))
        }
    }

    /// The picture of `model`'s alignment of `example` (nil when the family has none) on a time axis in
    /// seconds, with the reference phone boundaries of `entry`; `title` gets the picture's caption.
    public static func alignmentImage(model: any RecognitionModel, example: Example, entry: ManifestEntry?, phones: [String],
                                      title: (String) -> String) -> SVGAlignmentImage? {
        guard let picture = model.alignment(of: example) else { return nil }
        let states = picture.states
        let factor = max(1, (example.frames + states - 1) / max(states, 1))
        let reference = (entry?.phones ?? []).map { segment in
            (label: segment.label, start: segment.start / 160 / factor, end: max(segment.start / 160 / factor + 1, segment.end / 160 / factor))
        }
        return SVGAlignmentImage(
            title: title(picture.caption),
            weights: picture.weights, states: states, rowLabels: picture.labels.map { $0 < phones.count ? phones[$0] : "?" },
            attended: picture.attended, reference: reference, emissionProbabilities: picture.emissionProbabilities ?? [],
            secondsPerState: 0.01 * Double(factor))
    }
}
