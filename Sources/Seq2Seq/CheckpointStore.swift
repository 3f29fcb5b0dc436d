import Foundation
#if canImport(Glibc)
import Glibc
#endif
import NeuralNet
import TensorCore

/// A saved model: its configuration and where its weights are.
public struct CheckpointInfo: Codable, Sendable, Equatable {
    /// The model's shape.
    public var model: ModelConfig
    /// Epoch the weights come from (0: untrained).
    public var epoch: Int
    /// Dev error rate at that epoch (nil if not evaluated).
    public var devErrorRate: Double?
}

/// The files of a training run in one folder, each written to a temporary name and renamed:
/// `best.safetensors` + `best.json` (the best model by dev error), and the resume point
/// `last.safetensors` + `last.optimizer.safetensors` + `last.json` (position, optimizer step).
public final class CheckpointStore {
    /// The folder.
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

    private func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

    /// Writes the model's weights and configuration as the best model.
    public func saveBest(_ model: Seq2SeqModel, epoch: Int = 0, devErrorRate: Double? = nil) throws {
        try SafeTensors.write(Dictionary(uniqueKeysWithValues: model.parameters.map { ($0.name, $0.value) }),
                              to: url("best.safetensors"))
        try writeJSON(CheckpointInfo(model: model.config, epoch: epoch, devErrorRate: devErrorRate), to: url("best.json"))
    }

    struct ResumeFile: Codable {
        var model: ModelConfig
        var position: TrainingPosition
        var optimizerStep: Int
    }

    /// Writes a resume point: weights, optimizer moments and the loop's position.
    func saveResumePoint(model: Seq2SeqModel, optimizer: OptimizerState, position: TrainingPosition) throws {
        try SafeTensors.write(Dictionary(uniqueKeysWithValues: model.parameters.map { ($0.name, $0.value) }),
                              to: url("last.safetensors"))
        try SafeTensors.write(optimizer.tensors, to: url("last.optimizer.safetensors"))
        // The position is written last: a resume point counts only once it names its step.
        try writeJSON(ResumeFile(model: model.config, position: position, optimizerStep: optimizer.step), to: url("last.json"))
    }

    /// Loads the resume point into `model` (same configuration required); nil if there is none.
    func loadResumePoint(into model: Seq2SeqModel) throws -> (optimizer: OptimizerState, position: TrainingPosition)? {
        guard FileManager.default.fileExists(atPath: url("last.json").path) else { return nil }
        let file: ResumeFile = try readJSON(url("last.json"))
        guard file.model == model.config else {
            throw CheckpointError.badHeader(file: url("last.json").path, reason: "the saved model configuration differs from the one being trained")
        }
        try Self.load(SafeTensors.read(url("last.safetensors")), into: model, file: url("last.safetensors").path)
        let moments = try SafeTensors.read(url("last.optimizer.safetensors"))
        return (OptimizerState(step: file.optimizerStep, tensors: moments), file.position)
    }

    /// Loads a model saved as `<name>.json` + `<name>.safetensors` (default the best one) from `directory`.
    public static func loadModel(from directory: URL, name: String = "best") throws -> (model: Seq2SeqModel, info: CheckpointInfo) {
        let info: CheckpointInfo = try readJSON(directory.appendingPathComponent("\(name).json"))
        let model = try Seq2SeqModel(config: info.model)
        let weights = directory.appendingPathComponent("\(name).safetensors")
        try load(SafeTensors.read(weights), into: model, file: weights.path)
        return (model, info)
    }

    /// Copies tensors into the model's parameters, checking every name and shape.
    static func load(_ tensors: [String: Tensor], into model: Seq2SeqModel, file: String) throws {
        for p in model.parameters {
            guard let t = tensors[p.name] else { throw CheckpointError.missingTensor(name: p.name, file: file) }
            guard t.shape == p.shape else {
                throw CheckpointError.shapeMismatch(name: p.name, file: file, expected: p.shape, found: t.shape)
            }
            p.value = t
        }
        if let extra = tensors.keys.sorted().first(where: { model.registry[$0] == nil }) {
            throw CheckpointError.unexpectedTensor(name: extra, file: file)
        }
    }
}

/// Encodes `value` as pretty JSON into `url` through a temporary file and a rename.
func writeJSON<T: Encodable>(_ value: T, to url: URL) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    try writeAtomically(try encoder.encode(value), to: url)
}

/// Decodes JSON from `url`, naming the file in errors.
func readJSON<T: Decodable>(_ url: URL) throws -> T {
    let data: Data
    do { data = try Data(contentsOf: url) } catch {
        throw CheckpointError.io(file: url.path, reason: "cannot read: \(error.localizedDescription)")
    }
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    do { return try decoder.decode(T.self, from: data) } catch {
        throw CheckpointError.badHeader(file: url.path, reason: "\(error)")
    }
}

/// Writes `data` to a temporary name beside `url`, then renames it over `url`.
func writeAtomically(_ data: Data, to url: URL) throws {
    let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp")
    do {
        try data.write(to: temporary)
    } catch {
        throw CheckpointError.io(file: url.path, reason: "cannot write: \(error.localizedDescription)")
    }
    guard rename(temporary.path, url.path) == 0 else {
        throw CheckpointError.io(file: url.path, reason: "cannot rename \(temporary.lastPathComponent) into place (errno \(errno))")
    }
}

/// Minimal safetensors I/O for F32 tensors: 8-byte little-endian header size, JSON header
/// `{name: {dtype, shape, data_offsets}}`, then the data.
enum SafeTensors {
    static func write(_ tensors: [String: Tensor], to url: URL) throws {
        var header: [String: Any] = [:]
        var offset = 0
        let names = tensors.keys.sorted()
        for name in names {
            let t = tensors[name]!
            header[name] = ["dtype": "F32", "shape": t.shape, "data_offsets": [offset, offset + 4 * t.count]]
            offset += 4 * t.count
        }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        while json.count % 8 != 0 { json.append(0x20) }
        var data = Data()
        var size = UInt64(json.count).littleEndian
        withUnsafeBytes(of: &size) { data.append(contentsOf: $0) }
        data.append(json)
        for name in names {
            tensors[name]!.withUnsafeBufferPointer { data.append(UnsafeBufferPointer(start: UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: UInt8.self), count: 4 * $0.count)) }
        }
        try writeAtomically(data, to: url)
    }

    static func read(_ url: URL) throws -> [String: Tensor] {
        let file = url.path
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw CheckpointError.io(file: file, reason: "cannot read: \(error.localizedDescription)") }
        guard data.count >= 8 else { throw CheckpointError.truncated(file: file, expectedBytes: 8, actualBytes: data.count) }
        let size = Int(data.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }.littleEndian)
        guard data.count >= 8 + size else { throw CheckpointError.truncated(file: file, expectedBytes: 8 + size, actualBytes: data.count) }
        guard let header = try? JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + size))) as? [String: Any] else {
            throw CheckpointError.badHeader(file: file, reason: "not a JSON object")
        }
        var result: [String: Tensor] = [:]
        for (name, entry) in header where name != "__metadata__" {
            guard let e = entry as? [String: Any], let shape = e["shape"] as? [Int], let offsets = e["data_offsets"] as? [Int],
                  offsets.count == 2, let dtype = e["dtype"] as? String else {
                throw CheckpointError.badHeader(file: file, reason: "bad entry for \(name)")
            }
            guard dtype == "F32" else { throw CheckpointError.unsupportedDType(name: name, file: file, dtype: dtype) }
            let count = shape.reduce(1, *)
            guard offsets[1] - offsets[0] == 4 * count else { throw CheckpointError.badHeader(file: file, reason: "offsets of \(name) do not match its shape") }
            guard 8 + size + offsets[1] <= data.count else {
                throw CheckpointError.truncated(file: file, expectedBytes: 8 + size + offsets[1], actualBytes: data.count)
            }
            var values = [Float](repeating: 0, count: count)
            values.withUnsafeMutableBytes { dst in
                data.copyBytes(to: dst.bindMemory(to: UInt8.self), from: (8 + size + offsets[0])..<(8 + size + offsets[1]))
            }
            result[name] = Tensor(shape: shape, scalars: values)
        }
        return result
    }
}
