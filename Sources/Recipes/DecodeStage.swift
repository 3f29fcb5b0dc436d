import AtomicFiles
import Foundation
import Models
import Parallelism
import TensorCore
import Training

/// The `decode` stage: the best checkpoint decodes the recipe's split into `EXP/decode/SPLIT.hyp`
/// (Kaldi text, 48 phones) and `SPLIT.times` (each phone with its emission time); a model that labels
/// every frame (`FrameLabelling`) also gets its frame accuracy on the split in `SPLIT.frames.json`.
enum DecodeStage {
    static let definition = StageDefinition(
        name: "decode",
        fingerprint: { recipe, _ in try StandardStages.canonical(recipe.settings.decode) },
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
            for (example, hypothesis) in zip(slice, recognizer.decode(slice)) {
                transcripts.append(PhoneTranscript(id: example.id, hypothesis: hypothesis, phones: frontEnd.phones,
                                                   frameStride: model.frameStride,
                                                   frameShift: frontEnd.features.fbank.frameShift))
            }
            progress.update(transcripts.count)
        }
        try experiment.folder(experiment.decode)
        let hyp = experiment.decode.appendingPathComponent("\(options.split).hyp")
        let times = experiment.decode.appendingPathComponent("\(options.split).times")
        try AtomicFile.write(Data(transcripts.map { $0.kaldiLine + "\n" }.joined().utf8), to: hyp)
        try AtomicFile.write(Data(transcripts.map { $0.timedLine + "\n" }.joined().utf8), to: times)
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
}
