import Foundation
import Models
import Training

/// A trained model as `asr decode` finds it: an experiment folder (its `train/`), a training run's
/// folder (`frontend.json`, `best/`, `last/`), one checkpoint folder of a run (`best/`, `last/`), or a
/// file inside such a checkpoint folder.
public struct ModelFolder {
    /// The model.
    public let model: any RecognitionModel
    /// Its checkpoint information (epoch, dev PER).
    public let info: CheckpointInfo
    /// Audio → features and ids → phones.
    public let frontEnd: ModelFrontEnd

    /// Loads the model `path` names.
    public init(_ path: String) throws {
        var url = URL(fileURLWithPath: path).standardizedFileURL
        let manager = FileManager.default
        var isFolder: ObjCBool = false
        guard manager.fileExists(atPath: url.path, isDirectory: &isFolder) else {
            throw StageError.missingInput(path: path, hint: "give an experiment folder, its train/ folder or a checkpoint")
        }
        if !isFolder.boolValue { url = url.deletingLastPathComponent() }
        if manager.fileExists(atPath: url.appendingPathComponent("train/\(ModelFrontEnd.fileName)").path) {
            url = url.appendingPathComponent("train")
        }
        // A checkpoint folder sits inside the run folder that holds frontend.json.
        let run = manager.fileExists(atPath: url.appendingPathComponent(ModelFrontEnd.fileName).path)
            ? url : url.deletingLastPathComponent()
        frontEnd = try ModelFrontEnd.read(from: run)
        (model, info) = try CheckpointStore.loadModel(from: url)
        try frontEnd.check(model: model, file: run.appendingPathComponent(ModelFrontEnd.fileName).path)
    }

    /// Seconds of audio one encoder state spans: frame stride × frame shift.
    public var stateSeconds: Double { Double(model.frameStride) * frontEnd.features.fbank.frameShift / 1000 }

    /// Decodes one utterance's normalised features.
    public func decode(_ features: [Float], frames: Int, id: String, search: DecodingConfig = .init()) -> PhoneTranscript {
        let hypothesis = Recognizer(model: model, config: search).decode(features: features, frames: frames)
        return PhoneTranscript(id: id, hypothesis: hypothesis, phones: frontEnd.phones, frameStride: model.frameStride,
                               frameShift: frontEnd.features.fbank.frameShift)
    }
}
