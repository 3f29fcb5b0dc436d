import Foundation
import Testing

/// A tiny experiment made once per test process by `asr run` (a synthesized corpus of a few utterances
/// and a small unidirectional CTC model trained for three epochs: seconds, and unlike an attention model
/// this briefly trained its phones follow the input frame by frame), shared by the decode tests, with
/// helpers to make audio.
final class DecodeFixture: Sendable {
    /// The folder holding `tiny.yaml` and the experiment `exp`.
    let folder: URL

    /// The shared fixture, or the error that stopped `asr run`.
    static let shared: Result<DecodeFixture, any Error> = Result { try DecodeFixture() }

    /// `shared`, or a test failure naming what went wrong.
    static func get() throws -> DecodeFixture { try shared.get() }

    private init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("decode-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let recipe = tinyCorpusSections + """

            train:
              model:
                kind: ctc
                encoder: {layers: 2, hiddenSize: 16, bidirectional: false, subsampleAfter: [0]}
              training: {epochs: 3, batchSize: 4}
              alignmentPlots: 0
            """
        try Data(recipe.utf8).write(to: folder.appendingPathComponent("tiny.yaml"))
        let run = try ASRProcess.run(["run", "tiny.yaml", "--exp", "exp"], in: folder)
        guard run.status == 0 else { throw FixtureError(message: "asr run failed: \(run.stderr)") }
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// The experiment folder.
    var exp: URL { folder.appendingPathComponent("exp") }

    /// The corpus's test utterances (NIST SPHERE, 16 kHz, 16-bit little-endian), sorted.
    func testWaves() throws -> [URL] {
        let root = exp.appendingPathComponent("corpus/TEST")
        let found = FileManager.default.enumerator(atPath: root.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".WAV") }
        return (found ?? []).sorted().map { root.appendingPathComponent($0) }
    }

    /// Runs `asr` in the fixture's folder.
    func asr(_ arguments: [String], input: Data? = nil) throws -> ASRProcess.Result {
        try ASRProcess.run(arguments, in: folder, input: input)
    }
}

/// The name, synthesis and features sections of the tiny recipes of the CLI tests: a handful of
/// synthesized utterances from six speakers, 20 mel bins.
let tinyCorpusSections = """
    name: tiny
    synthesize:
      speakers: 6
      sentences: 3
      saSentences: 0
      sxReaders: 2
      testFraction: 0.5
      voices: [slt, kal16]
    features:
      fbank: {numMelBins: 20, dither: 0}
    """

struct FixtureError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// Audio the decode tests make: samples of the corpus's SPHERE files, written as WAVE or raw bytes.
enum TestAudio {
    /// The int16 samples of a NIST SPHERE file of the corpus (after its 1024-byte header).
    static func samples(ofSphere url: URL) throws -> [Int16] {
        let data = try Data(contentsOf: url).dropFirst(1024)
        return stride(from: data.startIndex, to: data.endIndex - 1, by: 2).map {
            Int16(bitPattern: UInt16(data[$0]) | UInt16(data[$0 + 1]) << 8)
        }
    }

    /// Little-endian bytes of `value`'s `width` low bytes.
    static func little(_ value: Int, _ width: Int) -> [UInt8] { (0..<width).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }

    /// A 16-bit PCM RIFF/WAVE file of interleaved `samples`.
    static func wave(_ samples: [Int16], rate: Int, channels: Int = 1) -> Data {
        let body = raw(samples)
        var bytes = Array("RIFF".utf8) + little(36 + body.count, 4) + Array("WAVEfmt ".utf8) + little(16, 4)
        bytes += little(1, 2) + little(channels, 2) + little(rate, 4) + little(rate * channels * 2, 4) + little(channels * 2, 2)
        bytes += little(16, 2) + Array("data".utf8) + little(body.count, 4)
        return Data(bytes) + body
    }

    /// Headerless 16-bit little-endian bytes.
    static func raw(_ samples: [Int16]) -> Data {
        Data(samples.flatMap { little(Int(UInt16(bitPattern: $0)), 2) })
    }

    /// Headerless 32-bit float little-endian bytes of `samples / 32768`.
    static func float32(_ samples: [Int16]) -> Data {
        Data(samples.flatMap { little(Int((Float($0) / 32768).bitPattern), 4) })
    }
}
