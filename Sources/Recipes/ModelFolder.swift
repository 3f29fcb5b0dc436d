import Foundation
import Seq2Seq

/// A trained model as `asr decode` finds it: an experiment folder (its `train/`), a model folder
/// (`best.json` + `best.safetensors` + `frontend.json`), or one checkpoint file in such a folder.
public struct ModelFolder {
    /// The model.
    public let model: Seq2SeqModel
    /// Its checkpoint information (epoch, dev PER).
    public let info: CheckpointInfo
    /// Audio → features and ids → phones.
    public let frontEnd: ModelFrontEnd

    /// Loads the model `path` names.
    public init(_ path: String) throws {
        var url = URL(fileURLWithPath: path).standardizedFileURL
        var name = "best"
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
            throw StageError.missingInput(path: path, hint: "give an experiment folder, its train/ folder or a checkpoint file")
        }
        if !isFolder.boolValue {
            name = url.deletingPathExtension().lastPathComponent
            url = url.deletingLastPathComponent()
        } else if FileManager.default.fileExists(atPath: url.appendingPathComponent("train/\(ModelFrontEnd.fileName)").path) {
            url = url.appendingPathComponent("train")
        }
        frontEnd = try ModelFrontEnd.read(from: url)
        (model, info) = try CheckpointStore.loadModel(from: url, name: name)
    }

    /// Decodes one utterance's normalised features.
    public func decode(_ features: [Float], frames: Int, id: String, search: DecodingConfig = .init()) -> PhoneTranscript {
        let hypothesis = Recognizer(model: model, config: search).decode(features: features, frames: frames)
        return PhoneTranscript(id: id, hypothesis: hypothesis, phones: frontEnd.phones, encoder: model.config.encoder,
                               frameShift: frontEnd.features.fbank.frameShift)
    }
}
