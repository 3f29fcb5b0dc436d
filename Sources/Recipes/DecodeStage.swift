import AtomicFiles
import Foundation
import Models
import Parallelism
import TensorCore
import Training

/// The `decode` stage: the best checkpoint decodes the recipe's split into `EXP/decode/SPLIT.hyp`
/// (Kaldi text, 48 phones; the same lines also into `SPLIT.LABEL.hyp`, LABEL naming the search, e.g.
/// `greedy` or `beam8`, so a rerun with another search keeps both for `asr report`), `SPLIT.times` (each
/// phone with its emission time) and `SPLIT.ctm` (NIST CTM: each phone's start and duration, as `asr decode
/// --ctm`); a model that labels every frame (`FrameLabelling`) also gets its frame accuracy on the split
/// in `SPLIT.frames.json`. Under several ranks the decoding is shared out and rank 0 writes.
enum DecodeStage {
    static let definition = StageDefinition(
        name: "decode",
        fingerprint: { recipe, _ in try StandardStages.flattened(recipe.settings.decode, prefix: "decode") },
        everyRank: true,
        run: run)

    static func run(_ context: StageContext) throws {
        let options = context.recipe.settings.decode
        let experiment = context.experiment
        ComputeThreads.configure(Cores.available)
        let (model, info) = try CheckpointStore.loadModel(from: experiment.train)
        let frontEnd = try ModelFrontEnd.read(from: experiment.train)
        let data = try TrainingData.load(split: options.split, experiment: experiment, frontEnd: frontEnd)
        context.log("model of epoch \(info.epoch); \(data.examples.count) \(options.split) utterances, beam \(options.search.beamWidth)")
        let recognizer = Recognizer(model: model, config: options.search)
        var transcripts: [PhoneTranscript] = []
        let progress = context.progress(total: data.examples.count, unit: "utts")
        let chunk = 64
        for start in stride(from: 0, to: data.examples.count, by: chunk) {
            let slice = Array(data.examples[start..<min(start + chunk, data.examples.count)])
            transcripts += try ShardedDecoding.transcripts(slice, recognizer: recognizer, world: context.world) { example, hypothesis in
                PhoneTranscript(id: example.id, hypothesis: hypothesis, phones: frontEnd.phones, frameStride: model.frameStride,
                                frameShift: frontEnd.features.fbank.frameShift)
            }
            progress.update(transcripts.count)
        }
        guard context.world.isWriter else { return }  // rank 0 writes what every rank decoded
        try experiment.folder(experiment.decode)
        let hyp = experiment.decode.appendingPathComponent("\(options.split).hyp")
        let times = experiment.decode.appendingPathComponent("\(options.split).times")
        let lines = Data(transcripts.map { $0.kaldiLine + "\n" }.joined().utf8)
        try AtomicFile.write(lines, to: hyp)
        try AtomicFile.write(lines, to: experiment.decode.appendingPathComponent("\(options.split).\(Self.searchLabel(options.search)).hyp"))
        try AtomicFile.write(Data(transcripts.map { $0.timedLine + "\n" }.joined().utf8), to: times)
        let stateSeconds = Double(model.frameStride) * frontEnd.features.fbank.frameShift / 1000
        try AtomicFile.write(Data(transcripts.flatMap { $0.ctmLines(stateSeconds: stateSeconds) }.map { $0 + "\n" }.joined().utf8),
                             to: experiment.decode.appendingPathComponent("\(options.split).ctm"))
        context.log("hypotheses: \(hyp.path)")
        let frameFile = experiment.decode.appendingPathComponent("\(options.split).frames.json")
        if let labelling = model as? FrameLabelling {
            let counts = labelling.frameCounts(data.examples)
            try AtomicFile.write(JSONEncoder().encode(counts), to: frameFile)
            context.log(ScoreStage.frameAccuracyLine(counts))
        } else {
            try? FileManager.default.removeItem(at: frameFile)
        }
    }

    /// The file label of a search: `greedy` or `beamN`, with `-ctcW` for a CTC weight W > 0.
    public static func searchLabel(_ search: DecodingConfig) -> String {
        (search.beamWidth > 1 ? "beam\(search.beamWidth)" : "greedy") + (search.ctcWeight > 0 ? "-ctc\(search.ctcWeight)" : "")
    }
}
