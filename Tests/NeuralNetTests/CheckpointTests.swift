import Foundation
import Randomness
import Testing
import NeuralNet
import Options
import TensorCore
import Testing

@Suite struct CheckpointTests {
    struct ToyConfig: DefaultedOptions, Equatable {
        var hidden = 6
        var name = "toy"
    }

    func temporaryFolder() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ckpt-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func model(hidden: Int = 6, seed: UInt64 = 1) throws -> ParameterRegistry {
        var rng = Xoshiro256StarStar(seed: seed)
        let registry = ParameterRegistry()
        _ = try LSTM(registry, name: "enc", config: LSTMConfig(inputSize: 3, hiddenSize: hidden, layers: 1), rng: &rng)
        _ = try Linear(registry, name: "out", inputs: hidden, outputs: 4, rng: &rng)
        return registry
    }

    @Test func weightsConfigAndOptimizerRoundTripBitExactly() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let saved = try model()
        // Awkward finite values must survive too (non-finite weights are refused: see below).
        saved["out.bias"]!.value = Tensor(shape: [4], scalars: [-0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude,
                                                               -.greatestFiniteMagnitude])
        var adam = try Adam()
        for p in saved.parameters { p.grad = Tensor(shape: p.shape) { Float($0 % 7) - 3 } }
        adam.step(saved.parameters, learningRate: 0.01)
        try Checkpoint.save(to: folder, registry: saved, config: ToyConfig(), optimizer: adam.state, trainingState: ["epoch": "3"])

        let loaded = try model(seed: 99)
        try Checkpoint.loadWeights(into: loaded, from: folder)
        for p in saved.parameters { #expect(loaded[p.name]!.value.isBitwiseEqual(to: p.value), "\(p.name)") }
        #expect(try Checkpoint.loadConfig(ToyConfig.self, from: folder) == ToyConfig())
        let resumed = try #require(try Checkpoint.loadOptimizerState(from: folder))
        #expect(resumed.trainingState == ["epoch": "3"])
        #expect(resumed.optimizer.step == 1)
        #expect(resumed.optimizer.tensors.keys.sorted() == adam.state.tensors.keys.sorted())
        for (k, t) in adam.state.tensors { #expect(resumed.optimizer.tensors[k]!.isBitwiseEqual(to: t)) }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty, "no temporary files remain")
    }

    @Test func corruptedBytesAndNonFiniteWeightsAreRefused() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let saved = try model()
        try Checkpoint.save(to: folder, registry: saved, config: ToyConfig())
        let url = folder.appendingPathComponent(Checkpoint.weightsFile)
        let (tensors, metadata) = try SafeTensors.read(url)
        #expect(metadata[TensorChecksum.key("out.bias")] == TensorChecksum.of(saved["out.bias"]!.value))
        // One flipped bit of one weight, same length: the checksum catches it.
        var flipped = tensors
        flipped["out.bias"]!.withUnsafeMutableBufferPointer { $0[1] = Float(bitPattern: $0[1].bitPattern ^ 1) }
        try SafeTensors.write(flipped, metadata: metadata, to: url)
        #expect(throws: CheckpointError.checksumMismatch(name: "out.bias", file: url.path)) {
            try Checkpoint.loadWeights(into: try model(seed: 2), from: folder)
        }
        // Without checksums (an older file) the same tensors load; a NaN among them does not.
        try SafeTensors.write(tensors, metadata: ["format": "pt"], to: url)
        let loaded = try model(seed: 2)
        try Checkpoint.loadWeights(into: loaded, from: folder)
        #expect(loaded["out.bias"]!.value.isBitwiseEqual(to: saved["out.bias"]!.value))
        var poisoned = tensors
        let name = tensors.keys.sorted()[0]
        poisoned[name]!.withUnsafeMutableBufferPointer { $0[2] = .nan }
        try SafeTensors.write(poisoned, metadata: ["format": "pt"], to: url)
        #expect(throws: CheckpointError.notFinite(name: name, file: url.path, index: 2)) {
            try Checkpoint.loadWeights(into: try model(seed: 2), from: folder)
        }
    }

    @Test func fileFollowsTheSafetensorsLayout() throws {
        let data = SafeTensors.encode(["b": Tensor(shape: [2], scalars: [1, 2]), "a": Tensor(shape: [1, 1], scalars: [3])],
                                      metadata: ["format": "pt"])
        let n = data.prefix(8).withUnsafeBytes { Int(UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self))) }
        #expect(n % 8 == 0 && data.count == 8 + n + 12)
        let header = try JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + n))) as! [String: Any]
        let a = header["a"] as! [String: Any], b = header["b"] as! [String: Any]
        #expect(a["dtype"] as? String == "F32" && a["shape"] as? [Int] == [1, 1] && a["data_offsets"] as? [Int] == [0, 4])
        #expect(b["data_offsets"] as? [Int] == [4, 12])
        #expect(header["__metadata__"] as? [String: String] == ["format": "pt"])
        let floats = data.suffix(12).withUnsafeBytes { raw in (0..<3).map { raw.loadUnaligned(fromByteOffset: 4 * $0, as: Float.self) } }
        #expect(floats == [3, 1, 2])
    }

    @Test func truncatedFileGivesAClearError() throws {
        let data = SafeTensors.encode(["w": Tensor(shape: [10], repeating: 1)])
        #expect(throws: CheckpointError.truncated(file: "w.safetensors", expectedBytes: data.count, actualBytes: data.count - 5)) {
            _ = try SafeTensors.decode(data.prefix(data.count - 5), file: "w.safetensors")
        }
        #expect(throws: CheckpointError.self) { _ = try SafeTensors.decode(data.prefix(20), file: "w.safetensors") }
        #expect(throws: CheckpointError.truncated(file: "w.safetensors", expectedBytes: 8, actualBytes: 3)) {
            _ = try SafeTensors.decode(data.prefix(3), file: "w.safetensors")
        }
        let error = CheckpointError.truncated(file: "w.safetensors", expectedBytes: 100, actualBytes: 95)
        #expect(error.description == "w.safetensors: truncated: header promises 100 bytes, file has 95")
    }

    @Test func mismatchedModelNamesTheTensor() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Checkpoint.save(to: folder, registry: try model(hidden: 6), config: ToyConfig())
        let file = folder.appendingPathComponent(Checkpoint.weightsFile).path
        #expect(throws: CheckpointError.shapeMismatch(name: "enc.lstm0.weightIH", file: file, expected: [32, 3], found: [24, 3])) {
            try Checkpoint.loadWeights(into: try model(hidden: 8), from: folder)
        }
        let bigger = try model()
        var rng = Xoshiro256StarStar(seed: 2)
        _ = try Linear(bigger, name: "extra", inputs: 2, outputs: 2, rng: &rng)
        #expect(throws: CheckpointError.missingTensor(name: "extra.weight", file: file)) {
            try Checkpoint.loadWeights(into: bigger, from: folder)
        }
        let smaller = ParameterRegistry()
        _ = try LSTM(smaller, name: "enc", config: LSTMConfig(inputSize: 3, hiddenSize: 6, layers: 1), rng: &rng)
        #expect(throws: CheckpointError.unexpectedTensor(name: "out.bias", file: file)) {
            try Checkpoint.loadWeights(into: smaller, from: folder)
        }
    }

    @Test func readsAFileWrittenByTheReferenceImplementation() throws {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/python", withExtension: "safetensors"))
        let (tensors, metadata) = try SafeTensors.read(url)
        #expect(metadata == ["format": "np", "note": "fixture"])
        #expect(tensors.keys.sorted() == ["encoder.lstm0.weightIH", "out.bias", "scale"])
        #expect(tensors["encoder.lstm0.weightIH"] == Tensor(shape: [4, 3], generator: { Float($0) * 0.5 - 2 }))
        #expect(tensors["out.bias"]!.isBitwiseEqual(to: Tensor(shape: [3], scalars: [-0.0, 1.5, -3.25])))
        #expect(tensors["scale"] == Tensor(scalar: 7))
    }
}
