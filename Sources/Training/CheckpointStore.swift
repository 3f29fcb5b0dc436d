import Foundation
import Models
import NeuralNet
import Options
import TensorCore
#if canImport(Glibc)
import Glibc
#endif

/// What `config.json` of a saved model holds: its configuration and where the weights come from.
public struct CheckpointInfo: DefaultedOptions, Sendable, Equatable {
    /// The model's shape.
    public var model: ModelConfig
    /// Epoch the weights come from (0: untrained).
    public var epoch: Int
    /// Dev error rate at that epoch (nil if not evaluated).
    public var devErrorRate: Double?

    /// Info for a checkpoint of `model`.
    public init(model: ModelConfig, epoch: Int, devErrorRate: Double?) {
        self.model = model
        self.epoch = epoch
        self.devErrorRate = devErrorRate
    }

    /// An untrained checkpoint of the default model: the defaults an older `config.json` is read over.
    public init() {
        self.init(model: ModelConfig(), epoch: 0, devErrorRate: nil)
    }
}

/// The checkpoints of a training run in one folder, each a NeuralNet checkpoint folder
/// (`weights.safetensors` + `config.json` [+ `optimizer.safetensors`]):
/// `best/` (the best model by dev error) and `last/` (the resume point: weights, optimizer moments
/// and the loop's position in the optimizer file's metadata). Each is written whole into a temporary
/// folder and then renamed into place, so a kill never leaves a mixed checkpoint.
public final class CheckpointStore {
    /// The run's folder.
    public let directory: URL

    /// A store in `directory`, created if needed.
    public init(directory: URL) throws {
        self.directory = directory
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw CheckpointError.io(file: directory.path, reason: "cannot create the folder: \(error.localizedDescription)")
        }
    }

    /// The folder of the best model.
    public var bestFolder: URL { directory.appendingPathComponent("best") }
    /// The folder of the resume point.
    public var lastFolder: URL { directory.appendingPathComponent("last") }

    /// Saves the model's weights and configuration as the best model.
    public func saveBest(_ model: any RecognitionModel, epoch: Int = 0, devErrorRate: Double? = nil) throws {
        try install(bestFolder) { folder in
            try Checkpoint.save(to: folder, registry: model.registry,
                                config: CheckpointInfo(model: model.config, epoch: epoch, devErrorRate: devErrorRate))
        }
    }

    /// The folder of the best epochs kept for averaging (`epoch-NNNN/` each).
    public var rankedFolder: URL { directory.appendingPathComponent("ranked") }
    /// The folder the single best model moves to when the averaged model takes `best/`.
    public var bestSingleFolder: URL { directory.appendingPathComponent("best-single") }

    /// The kept checkpoints of `ranked/` with their info, best first (lower dev error, then earlier epoch).
    public func rankedCheckpoints() throws -> [(folder: URL, info: CheckpointInfo)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: rankedFolder.path)) ?? []
        return try names.filter { $0.hasPrefix("epoch-") && !$0.contains(".") }.sorted().map { name in
            let folder = rankedFolder.appendingPathComponent(name)
            return (folder, try Checkpoint.loadConfig(CheckpointInfo.self, from: folder))
        }.sorted { ($0.info.devErrorRate ?? .infinity, $0.info.epoch) < ($1.info.devErrorRate ?? .infinity, $1.info.epoch) }
    }

    /// Saves this epoch's model into `ranked/` if it is among the `keep` best, and removes the one it pushes out.
    func saveRanked(_ model: any RecognitionModel, epoch: Int, devErrorRate: Double, keep: Int) throws {
        let ranked = try rankedCheckpoints()
        if ranked.count >= keep, let worst = ranked.last,
           (worst.info.devErrorRate ?? .infinity, worst.info.epoch) < (devErrorRate, epoch) { return }
        try FileManager.default.createDirectory(at: rankedFolder, withIntermediateDirectories: true)
        try install(rankedFolder.appendingPathComponent(String(format: "epoch-%04d", epoch))) { folder in
            try Checkpoint.save(to: folder, registry: model.registry,
                                config: CheckpointInfo(model: model.config, epoch: epoch, devErrorRate: devErrorRate))
        }
        for dropped in try rankedCheckpoints().dropFirst(keep) { try FileManager.default.removeItem(at: dropped.folder) }
    }

    /// Sets `model`'s weights to the element-wise mean of the checkpoints in `ranked/`; returns their epochs.
    func averageRanked(into model: any RecognitionModel) throws -> [Int] {
        let ranked = try rankedCheckpoints()
        guard !ranked.isEmpty else { return [] }
        var sums = model.parameters.map { [Double](repeating: 0, count: $0.value.count) }
        for (folder, _) in ranked {
            try Checkpoint.loadWeights(into: model.registry, from: folder)
            for (i, parameter) in model.parameters.enumerated() {
                parameter.value.withUnsafeBufferPointer { w in for j in 0..<w.count { sums[i][j] += Double(w[j]) } }
            }
        }
        for (i, parameter) in model.parameters.enumerated() {
            parameter.value.withUnsafeMutableBufferPointer { w in
                for j in 0..<w.count { w[j] = Float(sums[i][j] / Double(ranked.count)) }
            }
        }
        return ranked.map(\.info.epoch).sorted()
    }

    /// Makes the averaged `model` the best model (`best/`, which decoding loads), keeping the single
    /// best epoch's as `best-single/`; its config records the last averaged epoch and the averaged dev error.
    func saveAveraged(_ model: any RecognitionModel, epochs: [Int], devErrorRate: Double) throws {
        let manager = FileManager.default
        if let best = Self.existing(bestFolder) {
            try? manager.removeItem(at: bestSingleFolder)
            try manager.copyItem(at: best, to: bestSingleFolder)
        }
        try saveBest(model, epoch: epochs.max() ?? 0, devErrorRate: devErrorRate)
    }

    /// Saves a resume point: weights, optimizer moments and the loop's position.
    func saveResumePoint(model: any RecognitionModel, optimizer: OptimizerState, position: TrainingPosition) throws {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        encoder.outputFormatting = [.sortedKeys]   // the same position gives the same bytes
        let json = String(decoding: try encoder.encode(position), as: UTF8.self)
        try install(lastFolder) { folder in
            try Checkpoint.save(to: folder, registry: model.registry,
                                config: CheckpointInfo(model: model.config, epoch: position.epoch - 1, devErrorRate: nil),
                                optimizer: optimizer, trainingState: ["position": json])
        }
    }

    /// Loads the resume point into `model` (same configuration required); nil if there is none.
    func loadResumePoint(into model: any RecognitionModel) throws -> (optimizer: OptimizerState, position: TrainingPosition)? {
        guard let folder = Self.existing(lastFolder) else { return nil }
        let info = try Checkpoint.loadConfig(CheckpointInfo.self, from: folder)
        guard info.model == model.config else {
            throw CheckpointError.badHeader(file: folder.appendingPathComponent(Checkpoint.configFile).path,
                                            reason: "the saved model configuration differs from the one being trained")
        }
        try Checkpoint.loadWeights(into: model.registry, from: folder)
        let optimizerFile = folder.appendingPathComponent(Checkpoint.optimizerFile).path
        guard let (optimizer, state) = try Checkpoint.loadOptimizerState(from: folder), let json = state["position"] else {
            throw CheckpointError.badHeader(file: optimizerFile, reason: "no training position in the metadata")
        }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return (optimizer, try decoder.decode(TrainingPosition.self, from: Data(json.utf8)))
        } catch {
            throw CheckpointError.badHeader(file: optimizerFile, reason: "bad training position: \(error)")
        }
    }

    /// Loads a saved model from a checkpoint folder, or from a run folder (its `best/`).
    public static func loadModel(from url: URL) throws -> (model: any RecognitionModel, info: CheckpointInfo) {
        var folder = url
        if !FileManager.default.fileExists(atPath: url.appendingPathComponent(Checkpoint.configFile).path),
           let best = existing(url.appendingPathComponent("best")) {
            folder = best
        }
        let info = try Checkpoint.loadConfig(CheckpointInfo.self, from: folder)
        let model: any RecognitionModel
        do {
            model = try info.model.makeModel()
        } catch {
            throw CheckpointError.io(file: folder.appendingPathComponent(Checkpoint.configFile).path,
                                     reason: "invalid model configuration: \(error)")
        }
        try Checkpoint.loadWeights(into: model.registry, from: folder)
        return (model, info)
    }

    /// `folder`, or its `.old` copy left by a kill between the two renames of `install`.
    static func existing(_ folder: URL) -> URL? {
        let manager = FileManager.default
        if manager.fileExists(atPath: folder.appendingPathComponent(Checkpoint.configFile).path) { return folder }
        let old = folder.appendingPathExtension("old")
        return manager.fileExists(atPath: old.appendingPathComponent(Checkpoint.configFile).path) ? old : nil
    }

    /// Writes a checkpoint into `<folder>.tmp`, then swaps it in for `folder`.
    private func install(_ folder: URL, write: (URL) throws -> Void) throws {
        let manager = FileManager.default
        let temporary = folder.appendingPathExtension("tmp"), old = folder.appendingPathExtension("old")
        try? manager.removeItem(at: temporary)
        try write(temporary)
        try? manager.removeItem(at: old)
        if manager.fileExists(atPath: folder.path), rename(folder.path, old.path) != 0 {
            throw CheckpointError.io(file: folder.path, reason: "cannot move the previous checkpoint aside (errno \(errno))")
        }
        guard rename(temporary.path, folder.path) == 0 else {
            throw CheckpointError.io(file: folder.path, reason: "cannot rename \(temporary.lastPathComponent) into place (errno \(errno))")
        }
        try? manager.removeItem(at: old)
    }
}
