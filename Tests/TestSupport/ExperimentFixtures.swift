import Foundation

/// Tiny experiment folders in the layout `asr run` writes (recipe, history, stamps, a weights header,
/// a test manifest with WAV audio, hypotheses and phone times), for report tests.
public enum ExperimentFixtures {
    /// The phones of every fixture utterance (39-class symbols, so folding leaves them alone).
    public static let phones = ["sil", "dh", "ah", "k", "ae", "t", "s", "ae", "t", "sil"]

    /// The utterance ids of the fixture test set.
    public static func utteranceIds(count: Int) -> [String] {
        (0..<count).map { String(format: "spk%d_u%02d", $0 % 3, $0) }
    }

    /// Writes an experiment named `name` into `folder` whose hypothesis of utterance i has
    /// `errors(i)` substitutions (0...phones.count); `corpus` receives the utterances' audio.
    public static func write(name: String, family: String, to folder: URL, corpus: URL, utterances: Int = 12,
                             errors: (Int) -> Int) throws {
        let fm = FileManager.default
        for sub in ["train/best", "data", "decode", "stamps", "score"] {
            try fm.createDirectory(at: folder.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        try """
            # resolved from recipes/\(name).yaml
            name: \(name)
            corpus: \(corpus.path)
            train:
              model:
                kind: \(family)
                encoder:
                  layers: 1
                  hiddenSize: 8
            decode:
              search:
                beamWidth: 1
              split: test
            score:
              fold: '39'

            """.write(to: folder.appendingPathComponent("recipe.yaml"), atomically: true, encoding: .utf8)
        let history = (1...3).map { epoch in
            "{\"epoch\": \(epoch), \"trainLoss\": \(3.0 / Double(epoch)), \"devErrorRate\": \(0.9 / Double(epoch)), \"isBest\": true, \"learningRate\": 0.001}"
        }
        try Data(("[" + history.joined(separator: ",") + "]").utf8).write(to: folder.appendingPathComponent("train/history.json"))
        try Data("{\"stage\": \"train\", \"seconds\": 125.0, \"key\": \"x\", \"completed\": \"2026-01-01T00:00:00Z\"}".utf8)
            .write(to: folder.appendingPathComponent("stamps/train.json"))
        let header = Data("{\"w\":{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[0,48]},\"b\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[48,64]}}".utf8)
        var weights = Data()
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { weights.append(contentsOf: $0) }
        weights.append(header)
        weights.append(Data(count: 64))
        try weights.write(to: folder.appendingPathComponent("train/best/weights.safetensors"))

        let rate = 16000, segment = 1600   // 0.1 s per phone
        var manifest = "", hyp = "", times = ""
        for (index, id) in utteranceIds(count: utterances).enumerated() {
            let speaker = String(id.prefix(4))
            let audioPath = "TEST/\(id).wav"
            let audioURL = corpus.appendingPathComponent(audioPath)
            try fm.createDirectory(at: audioURL.deletingLastPathComponent(), withIntermediateDirectories: true)
            try wav(seconds: Double(phones.count * segment) / Double(rate), rate: rate).write(to: audioURL)
            let segments = phones.enumerated().map { position, phone in
                "{\"start\":\(position * segment),\"end\":\((position + 1) * segment),\"label\":\"\(phone)\"}"
            }
            manifest += "{\"id\":\"\(id)\",\"speaker\":\"\(speaker)\",\"dialect\":\"dr1\",\"split\":\"test\",\"audio\":\"\(audioPath)\","
                + "\"sampleRate\":\(rate),\"samples\":\(phones.count * segment),\"phones\":[\(segments.joined(separator: ","))],"
                + "\"words\":[],\"text\":\"the cat sat\"}\n"
            let wrong = min(errors(index), phones.count)
            let tokens = phones.enumerated().map { position, phone in position < wrong ? (phone == "ih" ? "iy" : "ih") : phone }
            hyp += id + " " + tokens.joined(separator: " ") + "\n"
            times += id + " " + tokens.enumerated().map { String(format: "%@@%.2f", $1, 0.1 * Double($0) + 0.02) }.joined(separator: " ") + "\n"
        }
        try Data(manifest.utf8).write(to: folder.appendingPathComponent("data/test.jsonl"))
        try Data(corpus.path.utf8).write(to: folder.appendingPathComponent("data/corpus-root.txt"))
        try Data(hyp.utf8).write(to: folder.appendingPathComponent("decode/test.hyp"))
        try Data(times.utf8).write(to: folder.appendingPathComponent("decode/test.times"))
    }

    /// A mono 16-bit RIFF WAVE file of a quiet 220 Hz tone.
    static func wav(seconds: Double, rate: Int) -> Data {
        let count = Int(seconds * Double(rate))
        var data = Data("RIFF".utf8)
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        append(UInt32(36 + 2 * count)); data.append(Data("WAVEfmt ".utf8))
        append(UInt32(16)); append(UInt16(1)); append(UInt16(1)); append(UInt32(rate)); append(UInt32(2 * rate))
        append(UInt16(2)); append(UInt16(16)); data.append(Data("data".utf8)); append(UInt32(2 * count))
        for n in 0..<count { append(Int16(3000 * sin(2 * Double.pi * 220 * Double(n) / Double(rate)))) }
        return data
    }
}
