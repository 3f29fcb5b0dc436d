import Foundation
import Testing

/// `asr features` and `asr bench features` end to end, on wavs written here.
@Suite struct FeaturesCommandTests {
    /// A 16-bit PCM mono wav of `samples` (int16 values) at `rate`.
    static func wav(_ samples: [Int16], rate: Int) -> Data {
        var d = Data()
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) } }
        func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) } }
        d.append(contentsOf: Array("RIFF".utf8)); u32(UInt32(36 + samples.count * 2)); d.append(contentsOf: Array("WAVE".utf8))
        d.append(contentsOf: Array("fmt ".utf8)); u32(16); u16(1); u16(1); u32(UInt32(rate)); u32(UInt32(rate * 2)); u16(2); u16(16)
        d.append(contentsOf: Array("data".utf8)); u32(UInt32(samples.count * 2))
        for s in samples { u16(UInt16(bitPattern: s)) }
        return d
    }

    /// A 32-bit IEEE float mono wav of `samples` at `rate`.
    static func floatWav(_ samples: [Float], rate: Int) -> Data {
        var d = Data()
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) } }
        func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) } }
        d.append(contentsOf: Array("RIFF".utf8)); u32(UInt32(36 + samples.count * 4)); d.append(contentsOf: Array("WAVE".utf8))
        d.append(contentsOf: Array("fmt ".utf8)); u32(16); u16(3); u16(1); u32(UInt32(rate)); u32(UInt32(rate * 4)); u16(4); u16(32)
        d.append(contentsOf: Array("data".utf8)); u32(UInt32(samples.count * 4))
        for s in samples { u32(s.bitPattern) }
        return d
    }

    /// A chirp with a little noise: `count` samples.
    static func signal(_ count: Int, seed: Int) -> [Int16] {
        (0..<count).map { i in
            let t = Double(i) / 16000
            let noise = Double((i * 7919 + seed * 104729) % 201) - 100
            return Int16(3000 * sin(2 * Double.pi * (200 + 400 * t + Double(seed) * 50) * t) + noise)
        }
    }

    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("asr-features-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Parses Kaldi's text form: `id  [` rows `]`.
    static func parseText(_ text: String) -> (id: String, rows: [[Float]]) {
        var lines = text.split(separator: "\n").map(String.init)
        let header = lines.removeFirst()
        let id = String(header.prefix { $0 != " " })
        let rows = lines.map { line in
            line.replacingOccurrences(of: "]", with: "").split(separator: " ").compactMap { Float($0) }
        }
        return (id, rows)
    }

    @Test func textPrintsOneFileInKaldisFormat() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.wav(Self.signal(8000, seed: 1), rate: 16000).write(to: dir.appendingPathComponent("tone.wav"))
        let result = try ASRProcess.run(["features", dir.appendingPathComponent("tone.wav").path, "--text",
                                         "--dither", "0", "--num-mel-bins", "40", "--use-energy", "true"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("tone  [\n  "))
        #expect(result.stdout.hasSuffix(" ]\n"))
        let (id, rows) = Self.parseText(result.stdout)
        #expect(id == "tone")
        #expect(rows.count == 1 + (8000 - 400) / 160)
        #expect(rows.allSatisfy { $0.count == 41 })
        let noSnip = try ASRProcess.run(["features", dir.appendingPathComponent("tone.wav").path, "--text",
                                         "--dither", "0", "--snip-edges", "false"])
        #expect(Self.parseText(noSnip.stdout).rows.count == (8000 + 80) / 160)
    }

    @Test func manifestExtractionWritesArchiveIndexAndCmvnStats() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let lengths = [4000, 7300, 12345]
        var manifest = ""
        for (i, n) in lengths.enumerated() {
            try Self.wav(Self.signal(n, seed: i), rate: 16000).write(to: dir.appendingPathComponent("u\(i).wav"))
            manifest += #"{"id":"spk\#(i % 2)_u\#(i)","speaker":"spk\#(i % 2)","dialect":"dr1","split":"train","audio":"u\#(i).wav","sampleRate":16000,"samples":\#(n),"phones":[],"words":[],"text":""}"# + "\n"
        }
        try Data(manifest.utf8).write(to: dir.appendingPathComponent("train.jsonl"))
        let out = dir.appendingPathComponent("feats")
        let result = try ASRProcess.run(["features", "--manifest", dir.appendingPathComponent("train.jsonl").path,
                                         "--out", out.path, "--cmvn-stats", "--dither", "0", "--threads", "2",
                                         "--num-mel-bins", "40", "--use-energy", "true", "--delta-order", "2"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("3/3 utterances"))
        let names = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(names == ["train.cmvn.json", "train.feats", "train.index.json", "train.options.json"])
        let index = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("train.index.json"))) as! [String: Any]
        let entries = index["utterances"] as! [[String: Any]]
        #expect(entries.map { $0["id"] as! String } == ["spk0_u0", "spk1_u1", "spk0_u2"])
        #expect(entries.map { $0["frames"] as! Int } == lengths.map { 1 + ($0 - 400) / 160 })
        #expect(entries.allSatisfy { $0["dim"] as! Int == 123 })
        // The stored base columns equal what --text prints for the same file.
        let text = try ASRProcess.run(["features", dir.appendingPathComponent("u1.wav").path, "--text", "--dither", "0",
                                       "--num-mel-bins", "40", "--use-energy", "true"])
        let rows = Self.parseText(text.stdout).rows
        let data = try Data(contentsOf: out.appendingPathComponent("train.feats"))
        let offset = entries[1]["offset"] as! Int
        for t in [0, 10, rows.count - 1] {
            for d in [0, 1, 20, 40] {
                let stored = data.withUnsafeBytes { Float(bitPattern: UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: offset + (t * 123 + d) * 4, as: UInt32.self))) }
                #expect(abs(stored - rows[t][d]) <= 1e-4 * max(1, abs(stored)))
            }
        }
        let cmvn = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("train.cmvn.json"))) as! [String: Any]
        #expect(cmvn["grouping"] as? String == "global")
        let global = (cmvn["groups"] as! [String: Any])["global"] as! [String: Any]
        #expect(global["count"] as? Double == Double(entries.map { $0["frames"] as! Int }.reduce(0, +)))
    }

    @Test func badInputGivesOneClearLine() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.wav(Self.signal(300, seed: 2), rate: 16000).write(to: dir.appendingPathComponent("short.wav"))
        try Self.wav(Self.signal(8000, seed: 3), rate: 8000).write(to: dir.appendingPathComponent("eight.wav"))
        let short = try ASRProcess.run(["features", dir.appendingPathComponent("short.wav").path, "--text"])
        #expect(short.status == 1)
        #expect(short.stderr.hasPrefix("asr: ") && short.stderr.contains("shorter than one frame"))
        let rate = try ASRProcess.run(["features", dir.appendingPathComponent("eight.wav").path, "--text"])
        #expect(rate.status == 1 && rate.stderr.contains("8000 Hz differs from --sample-frequency=16000"))
        let ok = try ASRProcess.run(["features", dir.appendingPathComponent("eight.wav").path, "--text", "--sample-frequency", "8000"])
        #expect(ok.status == 0)
        let bins = try ASRProcess.run(["features", dir.appendingPathComponent("eight.wav").path, "--text", "--num-mel-bins", "1"])
        #expect(bins.status == 2 && bins.stderr.contains("--num-mel-bins=1") && bins.stderr.contains(">= 3"))
        let high = try ASRProcess.run(["features", dir.appendingPathComponent("eight.wav").path, "--text", "--high-freq", "9000"])
        #expect(high.status == 2 && high.stderr.contains("--high-freq"))
        var samples = [Float](repeating: 0.1, count: 4000)
        samples[2500] = .nan
        try Self.floatWav(samples, rate: 16000).write(to: dir.appendingPathComponent("nan.wav"))
        let nan = try ASRProcess.run(["features", dir.appendingPathComponent("nan.wav").path, "--text"])
        #expect(nan.status == 1 && nan.stderr.contains("sample 2500 is not a finite number"), "\(nan.stderr)")
        let empty = dir.appendingPathComponent("empty.wav")
        try Data().write(to: empty)
        let zero = try ASRProcess.run(["features", empty.path, "--text"])
        #expect(zero.status == 1 && zero.stderr == "asr: empty: \(empty.path): zero-length audio (no samples)\n", "\(zero.stderr)")
        let noOut = try ASRProcess.run(["features", "--manifest", "m.jsonl"])
        #expect(noOut.status == 2 && noOut.stderr.contains("--out"))
    }

    @Test func negativeHighFrequencyIsAnOffsetFromNyquistWithOrWithoutEquals() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("tone.wav")
        try Self.wav(Self.signal(8000, seed: 4), rate: 16000).write(to: file)
        let spaced = try ASRProcess.run(["features", file.path, "--text", "--dither", "0", "--high-freq", "-400"])
        let joined = try ASRProcess.run(["features", file.path, "--text", "--dither", "0", "--high-freq=-400"])
        let nyquist = try ASRProcess.run(["features", file.path, "--text", "--dither", "0"])
        #expect(spaced.status == 0, "\(spaced.stderr)")
        #expect(spaced.stdout == joined.stdout)
        #expect(spaced.stdout != nyquist.stdout)
        let negativeDither = try ASRProcess.run(["features", file.path, "--text", "--dither", "-1"])
        #expect(negativeDither.status == 2 && negativeDither.stderr.contains("--dither"), "\(negativeDither.stderr)")
    }

    @Test func manifestAudioOutsideItsFolderAsksForTheCorpusRoot() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = dir.appendingPathComponent("corpus"), data = dir.appendingPathComponent("data")
        for folder in [corpus, data] { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        try Self.wav(Self.signal(4000, seed: 5), rate: 16000).write(to: corpus.appendingPathComponent("u0.wav"))
        let line = #"{"id":"spk0_u0","speaker":"spk0","dialect":"dr1","split":"train","audio":"u0.wav","sampleRate":16000,"samples":4000,"phones":[],"words":[],"text":""}"#
        try Data((line + "\n").utf8).write(to: data.appendingPathComponent("train.jsonl"))
        let manifest = data.appendingPathComponent("train.jsonl").path
        let lost = try ASRProcess.run(["features", "--manifest", manifest, "--out", dir.appendingPathComponent("f").path])
        #expect(lost.status == 1 && lost.stderr.contains("--audio-root"), "\(lost.stderr)")
        let fileOut = corpus.appendingPathComponent("u0.wav").path
        let intoFile = try ASRProcess.run(["features", "--manifest", manifest, "--audio-root", corpus.path, "--out", fileOut])
        #expect(intoFile.status == 1 && intoFile.stderr == "asr: --out \(fileOut): is a file, not a folder\n")
        let found = try ASRProcess.run(["features", "--manifest", manifest, "--audio-root", corpus.path,
                                        "--out", dir.appendingPathComponent("f").path])
        #expect(found.status == 0, "\(found.stderr)")
    }

    @Test func benchPrintsOneJSONObjectWithTheRealtimeFactor() throws {
        let result = try ASRProcess.run(["bench", "features", "--seconds", "2", "--repeat", "1", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        let factor = try #require(object["realtime_factor"] as? Double)
        #expect(factor > 10)
        #expect(object["frames"] as? Int == 198)
    }
}
