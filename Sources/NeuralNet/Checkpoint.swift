import Foundation
import Options
import TensorCore

/// A checkpoint folder: `weights.safetensors` (every parameter by its stable name),
/// `config.json` (the model configuration) and, for resuming, `optimizer.safetensors` (the
/// optimizer's moments, with its step count and the caller's training state in the metadata).
/// Each file is written atomically.
public enum Checkpoint {
    /// File names inside the folder.
    public static let weightsFile = "weights.safetensors", configFile = "config.json", optimizerFile = "optimizer.safetensors"

    /// Writes the weights of `registry`, `config` and (if given) the optimizer state and
    /// `trainingState` (free-form strings, e.g. epoch, scheduler JSON) into `folder` (created if needed).
    public static func save(to folder: URL, registry: ParameterRegistry, config: some Encodable,
                            optimizer: OptimizerState? = nil, trainingState: [String: String] = [:]) throws(CheckpointError) {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw .io(file: folder.path, reason: "cannot create the folder: \(error.localizedDescription)")
        }
        var weights: [String: Tensor] = [:]
        var metadata = ["format": "pt"]
        for p in registry.parameters {
            weights[p.name] = p.value
            metadata[TensorChecksum.key(p.name)] = TensorChecksum.of(p.value)
        }
        try SafeTensors.write(weights, metadata: metadata, to: folder.appendingPathComponent(weightsFile))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let json: Data
        do { json = try encoder.encode(config) } catch {
            throw .io(file: folder.appendingPathComponent(configFile).path, reason: "cannot encode the configuration: \(error)")
        }
        try atomicWrite(json, to: folder.appendingPathComponent(configFile))
        if let optimizer {
            var metadata = trainingState
            metadata["step"] = String(optimizer.step)
            try SafeTensors.write(optimizer.tensors, metadata: metadata, to: folder.appendingPathComponent(optimizerFile))
        }
    }

    /// The model configuration saved in `folder`; fields it lacks (a checkpoint older than the field)
    /// take their defaults.
    public static func loadConfig<C: DefaultedOptions>(_ type: C.Type, from folder: URL) throws(CheckpointError) -> C {
        let url = folder.appendingPathComponent(configFile)
        do {
            return try OptionsJSON.decode(C.self, from: Data(contentsOf: url))
        } catch let error as DecodingError {
            throw .io(file: url.path, reason: "cannot read the configuration: \(error.summary)")
        } catch {
            throw .io(file: url.path, reason: "cannot read the configuration: \(error)")
        }
    }

    /// Copies the saved weights into `registry`'s parameters after checking that every name is
    /// present with the same shape, that the file holds no other tensor, that each tensor matches the
    /// checksum recorded beside it (files written before checksums have none) and that every weight is finite.
    public static func loadWeights(into registry: ParameterRegistry, from folder: URL) throws(CheckpointError) {
        let url = folder.appendingPathComponent(weightsFile)
        let (tensors, metadata) = try SafeTensors.read(url)
        for p in registry.parameters {
            guard let t = tensors[p.name] else { throw .missingTensor(name: p.name, file: url.path) }
            guard t.shape == p.shape else { throw .shapeMismatch(name: p.name, file: url.path, expected: p.shape, found: t.shape) }
            if let recorded = metadata[TensorChecksum.key(p.name)], recorded != TensorChecksum.of(t) {
                throw .checksumMismatch(name: p.name, file: url.path)
            }
            if let index = t.withUnsafeBufferPointer({ $0.firstIndex { !$0.isFinite } }) {
                throw .notFinite(name: p.name, file: url.path, index: index)
            }
        }
        if let extra = tensors.keys.sorted().first(where: { registry[$0] == nil }) {
            throw .unexpectedTensor(name: extra, file: url.path)
        }
        for p in registry.parameters { p.value = tensors[p.name]! }
    }

    /// The saved optimizer state and training state, or nil when the folder has none.
    public static func loadOptimizerState(from folder: URL) throws(CheckpointError) -> (optimizer: OptimizerState, trainingState: [String: String])? {
        let url = folder.appendingPathComponent(optimizerFile)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let decoded = try SafeTensors.read(url)
        var metadata = decoded.metadata
        guard let stepText = metadata.removeValue(forKey: "step"), let step = Int(stepText) else {
            throw .badHeader(file: url.path, reason: "no integer 'step' in __metadata__")
        }
        return (OptimizerState(step: step, tensors: decoded.tensors), metadata)
    }
}
