import Foundation
import Testing
import TensorCore
@testable import NeuralNet

/// A safetensors file is a claim to check: hostile headers give a `CheckpointError`, never a trap, an
/// absurd allocation or tensors read from the wrong bytes.
@Suite struct SafeTensorsValidationTests {
    /// A file of `header` (JSON, its length written as the 8-byte prefix, plus `lengthDelta`) and `body`.
    static func file(_ header: String, body: Int, lengthDelta: Int = 0) -> Data {
        var data = Data()
        let json = Data(header.utf8)
        withUnsafeBytes(of: UInt64(json.count + lengthDelta).littleEndian) { data.append(contentsOf: $0) }
        data.append(json)
        data.append(Data(repeating: 0x3F, count: body))
        return data
    }

    static func reason(_ data: Data) -> String? {
        do {
            _ = try SafeTensors.decode(data, file: "w.safetensors")
            return nil
        } catch {
            return error.description
        }
    }

    @Test func aWellFormedFileDecodesAndEveryHostileVariantIsRefused() throws {
        let good = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1,1],"data_offsets":[8,12]}}"#
        #expect(Self.reason(Self.file(good, body: 12)) == nil)
        let decoded = try SafeTensors.decode(Self.file(good, body: 12), file: "w.safetensors").tensors
        #expect(decoded["a"]?.shape == [2] && decoded["b"]?.shape == [1, 1])

        let cases: [(Data, String)] = [
            // Header length off by one either way: the JSON or the data is misread.
            (Self.file(good, body: 12, lengthDelta: 1), "header"),
            (Self.file(good, body: 12, lengthDelta: -1), "header"),
            // A header length of 2^63.
            ({ var d = Self.file(good, body: 12); d.replaceSubrange(0..<8, with: [0, 0, 0, 0, 0, 0, 0, 0x80]); return d }(), "w.safetensors"),
            // A shape whose byte count overflows.
            (Self.file(#"{"a":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,8]}}"#, body: 8), "do not hold shape"),
            // Overlapping, gapped and short ranges; bytes after the last tensor.
            (Self.file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, body: 8), "gap or an overlap"),
            (Self.file(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, body: 8), "gap or an overlap"),
            (Self.file(good, body: 13), "1 bytes after the last tensor"),
            (Self.file(good, body: 11), "12"),
            (Self.file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}"#, body: 8), "do not hold shape"),
        ]
        for (index, (data, expected)) in cases.enumerated() {
            let reason = try #require(Self.reason(data), "case \(index) was accepted")
            #expect(reason.contains("w.safetensors") && reason.contains(expected), "case \(index): \(reason)")
            #expect(!reason.contains("\n"))
        }
    }
}
