import Foundation
import Testing

/// The lines of standard output, each checked to end with a newline.
private func lines(_ output: String) -> [String] {
    #expect(output.isEmpty || output.hasSuffix("\n"), "every output line is complete: \(output.debugDescription)")
    return output.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
}

/// The phones of a Kaldi-text line (everything after the id).
private func phones(_ line: String?) -> [Substring] { (line ?? "").split(separator: " ").dropFirst().map { $0 } }

@Suite("asr decode: ids, lists, formats", .serialized)
struct DecodeListTests {
    @Test("colliding file names get path-derived ids; trn output carries them; the phones do not depend on the id")
    func uniqueIds() throws {
        let fixture = try DecodeFixture.get()
        let wave = try #require(try fixture.testWaves().first)
        let manager = FileManager.default
        for folder in ["a", "b"] {
            try manager.createDirectory(at: fixture.folder.appendingPathComponent(folder), withIntermediateDirectories: true)
            try? manager.removeItem(at: fixture.folder.appendingPathComponent("\(folder)/x.wav"))
            try manager.copyItem(at: wave, to: fixture.folder.appendingPathComponent("\(folder)/x.wav"))
        }
        try? manager.removeItem(at: fixture.folder.appendingPathComponent("c.wav"))
        try manager.copyItem(at: wave, to: fixture.folder.appendingPathComponent("c.wav"))
        let result = try fixture.asr(["decode", "--model", "exp", "a/x.wav", "b/x.wav", "c.wav"])
        #expect(result.status == 0, "\(result.stderr)")
        let out = lines(result.stdout)
        #expect(out.map { String($0.split(separator: " ")[0]) } == ["a_x", "b_x", "c"])
        #expect(phones(out.first).count > 0, "the fixture model emits phones")
        #expect(Set(out.map { phones($0) }).count == 1, "the same audio gives the same phones")
        let trn = try fixture.asr(["decode", "--model", "exp", "--format", "trn", "a/x.wav", "b/x.wav"])
        #expect(lines(trn.stdout) == out.prefix(2).map { line in
            (line.split(separator: " ").dropFirst().map(String.init) + ["(\(line.split(separator: " ")[0]))"]).joined(separator: " ")
        })
    }

    @Test("--nbest lists the beam's best hypotheses (ids -1, -2, ...), the first the default output; --json gives their log probabilities")
    func nbestAndJSON() throws {
        let fixture = try DecodeFixture.get()
        let wave = try #require(try fixture.testWaves().first).path
        let id = URL(fileURLWithPath: wave).deletingPathExtension().lastPathComponent
        let best = try fixture.asr(["decode", "--model", "exp", wave])
        #expect(best.status == 0, "\(best.stderr)")
        let listed = try fixture.asr(["decode", "--model", "exp", "--nbest", "3", wave])
        #expect(listed.status == 0, "\(listed.stderr)")
        let out = lines(listed.stdout)
        #expect(out.count >= 2 && out.count <= 3, "\(listed.stdout)")
        #expect(out.map { String($0.split(separator: " ")[0]) } == (1...out.count).map { "\(id)-\($0)" })
        #expect(phones(out.first) == phones(lines(best.stdout).first))
        #expect(Set(out.map { phones($0) }).count == out.count, "distinct hypotheses")

        let json = try fixture.asr(["decode", "--model", "exp", "--nbest", "3", "--json", "--times", wave])
        #expect(json.status == 0, "\(json.stderr)")
        let jsonLines = lines(json.stdout)
        #expect(jsonLines.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(jsonLines[0].utf8)) as? [String: Any])
        #expect(object["id"] as? String == id)
        let shown = phones(lines(best.stdout).first).map(String.init)
        #expect(object["phones"] as? [String] == shown)
        #expect((object["times"] as? [Any])?.count == shown.count)
        let nbest = try #require(object["nbest"] as? [[String: Any]])
        #expect(nbest.map { $0["phones"] as? [String] ?? [] } == out.map { phones($0).map(String.init) })
        let scores = nbest.compactMap { $0["logProbability"] as? Double }
        #expect(scores.count == nbest.count && scores.allSatisfy { $0 < 0 })
        #expect(zip(scores, scores.dropFirst()).allSatisfy { $0 >= $1 }, "ranked by probability (CTC prefix beam)")
        #expect(object["logProbability"] as? Double == scores.first)

        let streamed = try fixture.asr(["decode", "--model", "exp", "--stream", "--json", wave])
        #expect(streamed.status == 0, "\(streamed.stderr)")
        let streamedObject = try JSONSerialization.jsonObject(with: Data(lines(streamed.stdout).first?.utf8 ?? "".utf8)) as? [String: Any]
        #expect(streamedObject?["id"] as? String == id && streamedObject?["phones"] is [String])
        for usage in [["--stream", "--nbest", "2"], ["--beam", "1", "--nbest", "2"], ["--nbest", "0"], ["--json", "--format", "trn"]] {
            let refused = try fixture.asr(["decode", "--model", "exp"] + usage + [wave])
            #expect(refused.status == 2 && refused.stdout.isEmpty, "\(usage): \(refused.stderr)")
        }
    }

    @Test("decoding a prepared split with --manifest and scoring it against the same manifest gives the recipe's PER")
    func manifestDecodeScoresAsTheRecipe() throws {
        let fixture = try DecodeFixture.get()
        let decoded = try fixture.asr(["decode", "--model", "exp", "--manifest", "exp/data/test.jsonl"])
        #expect(decoded.status == 0, "\(decoded.stderr)")
        let manifest = try String(contentsOf: fixture.exp.appendingPathComponent("data/test.jsonl"), encoding: .utf8)
        let ids = manifest.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["id"] as? String
        }
        #expect(lines(decoded.stdout).map { String($0.split(separator: " ")[0]) } == ids)
        try decoded.stdout.write(to: fixture.folder.appendingPathComponent("test.hyp"), atomically: true, encoding: .utf8)
        let scored = try fixture.asr(["score", "--ref", "exp/data/test.jsonl", "--hyp", "test.hyp"])
        #expect(scored.status == 0, "\(scored.stderr)")
        #expect(!scored.stderr.contains("warning"), "\(scored.stderr)")
        let report = try String(contentsOf: fixture.exp.appendingPathComponent("score/report.txt"), encoding: .utf8)
        let recipePER = report.split(separator: "\n").last { $0.hasPrefix("PER ") }
        #expect(recipePER != nil && scored.stdout.split(separator: "\n").last == recipePER)
        // The stage's own 48-phone hypotheses decode to the same 39 classes.
        let stage = try ASRProcess.run(["score", "--ref", "exp/data/test.jsonl", "--hyp", "exp/decode/test.hyp"], in: fixture.folder)
        #expect(stage.stdout.split(separator: "\n").last == recipePER)
    }

    @Test("--ctm gives each phone a start and an end: it ends where its state ends and starts where the one before ended",
          arguments: [false, true])
    func ctm(stream: Bool) throws {
        let fixture = try DecodeFixture.get()
        let wave = try #require(try fixture.testWaves().first)
        let result = try fixture.asr(["decode", "--model", "exp", "--times", "--ctm", "out.ctm"] + (stream ? ["--stream"] : [])
            + [wave.path])
        #expect(result.status == 0, "\(result.stderr)")
        let timed = phones(lines(result.stdout).first).map { $0.split(separator: "@") }
        let ctm = try String(contentsOf: fixture.folder.appendingPathComponent("out.ctm"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: " ") }
        #expect(!timed.isEmpty && ctm.count == timed.count)
        let id = wave.deletingPathExtension().lastPathComponent
        // One encoder state of the fixture's model: stride 2 (subsampleAfter [0]) × 10 ms.
        let state = 0.02
        var previousEnd = 0.0
        for (phone, line) in zip(timed, ctm) {
            #expect(line.count == 5 && line[0] == id && line[1] == "1" && line[4] == phone[0])
            let start = Double(line[2]) ?? -1, end = start + (Double(line[3]) ?? -1)
            #expect(abs(start - previousEnd) < 0.002, "\(line)")
            #expect(end >= start)
            if let emitted = Double(phone[1]) { #expect(end <= emitted + state + 0.006, "\(phone) \(line)") }
            previousEnd = end
        }
        // --ctm-lag moves every time earlier by the lag (clamped at 0).
        let lagged = try fixture.asr(["decode", "--model", "exp", "--ctm", "lagged.ctm", "--ctm-lag", "0.05"]
            + (stream ? ["--stream"] : []) + [wave.path])
        #expect(lagged.status == 0)
        let moved = try String(contentsOf: fixture.folder.appendingPathComponent("lagged.ctm"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: " ") }
        #expect(moved.count == ctm.count)
        for (before, after) in zip(ctm, moved) {
            let (start, end) = (Double(before[2])!, Double(before[2])! + Double(before[3])!)
            #expect(abs(Double(after[2])! - max(0, start - 0.05)) < 0.002)
            #expect(abs(Double(after[2])! + Double(after[3])! - max(0, end - 0.05)) < 0.003)
        }
    }

    @Test("a Kaldi wav.scp with paths and piped commands decodes under its ids")
    func wavScp() throws {
        let fixture = try DecodeFixture.get()
        let waves = try fixture.testWaves()
        let scp = "# comment\nutt-one \(waves[0].path)\nutt-two cat \(waves[1].path) |\n"
        try scp.write(to: fixture.folder.appendingPathComponent("wav.scp"), atomically: true, encoding: .utf8)
        let result = try fixture.asr(["decode", "--model", "exp", "--wav-scp", "wav.scp"])
        #expect(result.status == 0, "\(result.stderr)")
        let files = try fixture.asr(["decode", "--model", "exp", waves[0].path, waves[1].path])
        let out = lines(result.stdout), expected = lines(files.stdout)
        #expect(out.map { String($0.split(separator: " ")[0]) } == ["utt-one", "utt-two"])
        #expect(out.map { phones($0) } == expected.map { phones($0) })
        // A CTC model streams greedily (best path), as offline --beam 1 decodes.
        let streamed = try fixture.asr(["decode", "--model", "exp", "--stream", "--wav-scp", "wav.scp"])
        #expect(streamed.status == 0, "\(streamed.stderr)")
        let greedy = try fixture.asr(["decode", "--model", "exp", "--beam", "1", "--wav-scp", "wav.scp"])
        #expect(lines(streamed.stdout).map { phones($0) } == lines(greedy.stdout).map { phones($0) })
        // The fixture's CTC model has no online beam search: said, not silently greedy.
        let beam = try fixture.asr(["decode", "--model", "exp", "--stream", "--beam", "3", waves[0].path])
        #expect(beam.status == 1 && beam.stderr.contains("--stream --beam needs an attention model"), "\(beam.stderr)")
        try "only-an-id\n".write(to: fixture.folder.appendingPathComponent("bad.scp"), atomically: true, encoding: .utf8)
        let bad = try fixture.asr(["decode", "--model", "exp", "--wav-scp", "bad.scp"])
        #expect(bad.status == 1 && bad.stderr.contains("bad.scp:1:"), "\(bad.stderr)")
    }
}

@Suite("asr decode: bad input, stdin, channels", .serialized)
struct DecodeRobustnessTests {
    @Test("a missing and a corrupt file among good ones are reported and skipped; the others decode; exit 1",
          arguments: [false, true])
    func badFilesAreSkipped(stream: Bool) throws {
        let fixture = try DecodeFixture.get()
        let waves = try fixture.testWaves()
        try Data("RIFF not really a wave file".utf8).write(to: fixture.folder.appendingPathComponent("corrupt.wav"))
        let result = try fixture.asr(["decode", "--model", "exp"] + (stream ? ["--stream"] : [])
            + [waves[0].path, "missing.wav", "corrupt.wav", waves[1].path])
        #expect(result.status == 1)
        let out = lines(result.stdout)
        let names = waves.prefix(2).map { $0.deletingPathExtension().lastPathComponent }
        #expect(out.map { String($0.split(separator: " ")[0]) } == names)
        let problems = result.stderr.split(separator: "\n").filter { $0.hasSuffix("skipped") }
        #expect(problems.count == 2, "\(result.stderr)")
        #expect(problems.first?.contains("missing.wav") == true && problems.last?.contains("corrupt.wav") == true)
        #expect(result.stderr.contains("2 of 4 utterance(s) decoded") && result.stderr.contains("real-time factor"))
    }

    @Test("standard input: RIFF and NIST headers are recognised; headerless PCM follows --raw-rate and --raw-format",
          arguments: [false, true])
    func standardInput(stream: Bool) throws {
        let fixture = try DecodeFixture.get()
        let sphere = try #require(try fixture.testWaves().first)
        let mode = (stream ? ["--stream"] : []) + ["--times"]
        let reference = try fixture.asr(["decode", "--model", "exp"] + mode + [sphere.path])
        let expected = phones(lines(reference.stdout).first)
        #expect(!expected.isEmpty)
        let nist = try fixture.asr(["decode", "--model", "exp"] + mode + ["-"], input: try Data(contentsOf: sphere))
        #expect(nist.status == 0, "\(nist.stderr)")
        #expect(phones(lines(nist.stdout).first) == expected)
        #expect(lines(nist.stdout).first?.hasPrefix("- ") == true)

        // 8 kHz audio (every other sample): a WAVE file, the same on standard input, and its raw samples.
        let samples = try TestAudio.samples(ofSphere: sphere)
        let halved = stride(from: 0, to: samples.count, by: 2).map { samples[$0] }
        try TestAudio.wave(halved, rate: 8000).write(to: fixture.folder.appendingPathComponent("8k.wav"))
        let file = try fixture.asr(["decode", "--model", "exp"] + mode + ["8k.wav"])
        let eight = phones(lines(file.stdout).first)
        let riff = try fixture.asr(["decode", "--model", "exp"] + mode + ["-"], input: TestAudio.wave(halved, rate: 8000))
        #expect(phones(lines(riff.stdout).first) == eight)
        let raw = try fixture.asr(["decode", "--model", "exp", "--raw-rate", "8000"] + mode + ["-"], input: TestAudio.raw(halved))
        #expect(phones(lines(raw.stdout).first) == eight)
        let float = try fixture.asr(["decode", "--model", "exp", "--raw-rate", "8000", "--raw-format", "f32"] + mode + ["-"],
                                    input: TestAudio.float32(halved))
        #expect(phones(lines(float.stdout).first) == eight)
        // Read at the wrong rate the same bytes decode differently: the option is used.
        let misread = try fixture.asr(["decode", "--model", "exp"] + mode + ["-"], input: TestAudio.raw(halved))
        #expect(phones(lines(misread.stdout).first) != eight)
    }

    @Test("--channel picks one channel of a stereo file; a silent channel gives an empty hypothesis", arguments: [false, true])
    func channels(stream: Bool) throws {
        let fixture = try DecodeFixture.get()
        let sphere = try #require(try fixture.testWaves().first)
        let samples = try TestAudio.samples(ofSphere: sphere)
        let stereo: [Int16] = samples.flatMap { [$0, Int16(0)] }
        try TestAudio.wave(stereo, rate: 16000, channels: 2).write(to: fixture.folder.appendingPathComponent("stereo.wav"))
        let mode = (stream ? ["--stream"] : []) + ["--times"]
        let mono = try fixture.asr(["decode", "--model", "exp"] + mode + [sphere.path])
        let left = try fixture.asr(["decode", "--model", "exp", "--channel", "0"] + mode + ["stereo.wav"])
        #expect(left.status == 0)
        #expect(phones(lines(left.stdout).first) == phones(lines(mono.stdout).first))
        let right = try fixture.asr(["decode", "--model", "exp", "--channel", "1"] + mode + ["stereo.wav"])
        #expect(right.status == 0)
        #expect(lines(right.stdout) == ["stereo"])
        #expect(right.stderr.contains("stereo (stereo.wav): no usable frames") && right.stderr.contains("digital silence"))
        let outside = try fixture.asr(["decode", "--model", "exp", "--channel", "2"] + mode + ["stereo.wav"])
        #expect(outside.status == 1 && outside.stderr.contains("channel 2"))
    }

    @Test("a long recording is cut at its pauses and decoded piece by piece: every sentence is decoded, times in place")
    func longRecordingsAreSegmented() throws {
        let fixture = try DecodeFixture.get()
        let waves = Array(try fixture.testWaves().prefix(3))
        #expect(waves.count == 3)
        let pause = [Int16](repeating: 0, count: 8000)   // 0.5 s between sentences
        var joined: [Int16] = [], starts: [Double] = [], separate = 0
        for wave in waves {
            starts.append(Double(joined.count) / 16000)
            joined += try TestAudio.samples(ofSphere: wave) + pause
            separate += phones(lines(try fixture.asr(["decode", "--model", "exp", wave.path]).stdout).first).count
        }
        try TestAudio.wave(joined, rate: 16000).write(to: fixture.folder.appendingPathComponent("joined.wav"))
        let cut = try fixture.asr(["decode", "--model", "exp", "--times", "--segment-above", "0", "joined.wav"])
        #expect(cut.status == 0, "\(cut.stderr)")
        let times = phones(lines(cut.stdout).first).compactMap { Double($0.split(separator: "@").last ?? "") }
        #expect(times.count >= separate * 4 / 5, "\(times.count) phones against \(separate) decoded one file at a time")
        #expect(times == times.sorted() && (times.last ?? 0) >= starts[2] && (times.last ?? 0) <= Double(joined.count) / 16000)
        #expect(times.contains { $0 >= starts[1] && $0 < starts[2] }, "the middle sentence is decoded: \(times)")
        let whole = try fixture.asr(["decode", "--model", "exp", "--segment-above", "inf", "joined.wav"])
        #expect(whole.status == 0 && lines(whole.stdout).count == 1)
        let refused = try fixture.asr(["decode", "--model", "exp", "--segment-pause", "0", "joined.wav"])
        #expect(refused.status == 2 && refused.stderr.contains("--segment-pause"))
    }

    @Test("digital silence, white noise and a 0.05 s clip print an empty hypothesis and say why", arguments: [false, true])
    func unusableInput(stream: Bool) throws {
        let fixture = try DecodeFixture.get()
        let sphere = try #require(try fixture.testWaves().first)
        try TestAudio.wave([Int16](repeating: 0, count: 16000), rate: 16000).write(to: fixture.folder.appendingPathComponent("zeros.wav"))
        let clip = Array(try TestAudio.samples(ofSphere: sphere).dropFirst(8000).prefix(800))
        #expect(clip.contains { $0 != 0 })
        try TestAudio.wave(clip, rate: 16000).write(to: fixture.folder.appendingPathComponent("clip.wav"))
        var seed: UInt64 = 7
        let noise = (0..<32000).map { _ -> Int16 in
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int16(truncatingIfNeeded: Int(seed >> 52) - 2048) * 4   // uniform, about −40 dBFS peak to −22
        }
        try TestAudio.wave(noise, rate: 16000).write(to: fixture.folder.appendingPathComponent("noise.wav"))
        let result = try fixture.asr(["decode", "--model", "exp", "--format", "trn"] + (stream ? ["--stream"] : [])
            + ["zeros.wav", "clip.wav", "noise.wav", sphere.path])
        #expect(result.status == 0, "\(result.stderr)")
        let out = lines(result.stdout)
        #expect(out.prefix(3) == ["(zeros)", "(clip)", "(noise)"])
        #expect(out.count == 4 && out[3].split(separator: " ").count > 1, "speech is decoded: \(out)")
        #expect(result.stderr.contains("zeros (zeros.wav): no usable frames: 1.00 s of digital silence"))
        #expect(result.stderr.contains("clip (clip.wav): no usable frames: 0.050 s is shorter than --min-duration 0.1 s"))
        #expect(result.stderr.contains("noise (noise.wav): no usable frames: none of 2.00 s has the spectrum of speech"))
        #expect(result.stderr.split(separator: "\n").filter { $0.contains("no usable frames") }.count == 3, "\(result.stderr)")
        let allowed = try fixture.asr(["decode", "--model", "exp", "--min-duration", "0.01", "--max-flatness", "1"]
            + (stream ? ["--stream"] : []) + ["clip.wav", "noise.wav"])
        #expect(!allowed.stderr.contains("no usable frames"), "\(allowed.stderr)")
    }
}

@Suite("asr decode: checkpoint sanity", .serialized)
struct CheckpointSanityTests {
    /// A copy of the fixture's trained model in `name/`, its weights file rewritten by `change` (header
    /// JSON object, data bytes after the header).
    func copyModel(_ fixture: DecodeFixture, _ name: String,
                   change: (inout [String: Any], inout [UInt8]) throws -> Void) throws -> String {
        let target = fixture.folder.appendingPathComponent(name)
        try? FileManager.default.removeItem(at: target)
        try FileManager.default.copyItem(at: fixture.exp.appendingPathComponent("train"), to: target)
        let weights = target.appendingPathComponent("best/weights.safetensors")
        let bytes = [UInt8](try Data(contentsOf: weights))
        let length = (0..<8).reduce(0) { $0 | Int(bytes[$1]) << (8 * $1) }
        var header = try #require(try JSONSerialization.jsonObject(with: Data(bytes[8..<8 + length])) as? [String: Any])
        var data = Array(bytes[(8 + length)...])
        try change(&header, &data)
        var json = [UInt8](try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
        while json.count % 8 != 0 { json.append(0x20) }
        try Data(TestAudio.little(json.count, 8) + json + data).write(to: weights)
        return name
    }

    /// The data range of the first tensor (by name) of a header.
    func firstTensor(_ header: [String: Any]) throws -> (name: String, begin: Int) {
        let name = try #require(header.keys.filter { $0 != "__metadata__" }.sorted().first)
        let offsets = try #require((header[name] as? [String: Any])?["data_offsets"] as? [Int])
        return (name, offsets[0])
    }

    @Test("corrupted weight bytes are refused by their checksum; a checkpoint without checksums loads; a NaN is refused")
    func checksumsAndFiniteWeights() throws {
        let fixture = try DecodeFixture.get()
        let wave = try #require(try fixture.testWaves().first).path
        let good = try fixture.asr(["decode", "--model", "exp", wave])
        #expect(good.status == 0)

        let corrupted = try copyModel(fixture, "corrupted") { header, data in
            let (_, begin) = try firstTensor(header)
            data[begin] ^= 0x40
        }
        let refused = try fixture.asr(["decode", "--model", corrupted, wave])
        #expect(refused.status == 1 && refused.stdout.isEmpty)
        #expect(refused.stderr.split(separator: "\n").count == 1)
        #expect(refused.stderr.contains("does not match its recorded checksum"), "\(refused.stderr)")

        func dropChecksums(_ header: inout [String: Any]) throws {
            var metadata = try #require(header["__metadata__"] as? [String: String])
            #expect(metadata.keys.contains { $0.hasPrefix("fnv1a64:") }, "checkpoints record checksums")
            metadata = metadata.filter { !$0.key.hasPrefix("fnv1a64:") }
            header["__metadata__"] = metadata
        }
        let old = try copyModel(fixture, "old") { header, _ in try dropChecksums(&header) }
        let loaded = try fixture.asr(["decode", "--model", old, wave])
        #expect(loaded.status == 0, "\(loaded.stderr)")
        #expect(loaded.stdout == good.stdout)

        let nan = try copyModel(fixture, "nan") { header, data in
            try dropChecksums(&header)
            let (_, begin) = try firstTensor(header)
            data.replaceSubrange(begin..<begin + 4, with: TestAudio.little(Int(Float.nan.bitPattern), 4))
        }
        let notFinite = try fixture.asr(["decode", "--model", nan, wave])
        #expect(notFinite.status == 1 && notFinite.stdout.isEmpty)
        #expect(notFinite.stderr.contains("non-finite weight"), "\(notFinite.stderr)")
    }
}

@Suite("asr score: folding by default, phone-set warning")
struct ScoreFoldDefaultTests {
    @Test("score folds to 39 by default; unfolded 61-phone references against 39-class hypotheses draw a warning")
    func defaultFoldAndWarning() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let ref = folder.appendingPathComponent("ref.txt"), hyp = folder.appendingPathComponent("hyp.txt")
        try "s1_u1 h# bcl b iy q ix pau h#\n".write(to: ref, atomically: true, encoding: .utf8)
        try "s1_u1 sil b iy ih sil\n".write(to: hyp, atomically: true, encoding: .utf8)
        let folded = try ASRProcess.run(["score", "--ref", ref.path, "--hyp", hyp.path])
        // 39 classes: sil sil b iy ih sil sil against sil b iy ih sil: two deletions of 7.
        #expect(folded.stdout.hasSuffix("PER 28.57% [S 0 D 2 I 0 / N 7]\n"), "\(folded.stdout)")
        #expect(folded.stderr.isEmpty)
        let explicit = try ASRProcess.run(["score", "--ref", ref.path, "--hyp", hyp.path, "--fold", "39"])
        #expect(explicit.stdout == folded.stdout)
        let unfolded = try ASRProcess.run(["score", "--ref", ref.path, "--hyp", hyp.path, "--fold", "none"])
        #expect(unfolded.status == 0)
        #expect(unfolded.stderr.contains("warning: the references use the 61 TIMIT phones and the hypotheses the 39 scoring classes"),
                "\(unfolded.stderr)")
        let compared = try ASRProcess.run(["score", "--ref", ref.path, "--compare", hyp.path, ref.path, "--fold", "none"])
        #expect(compared.status == 0)
        #expect(compared.stderr.split(separator: "\n").count == 1 && compared.stderr.contains("hyp.txt: warning: the references use"),
                "\(compared.stderr)")
        let same = try ASRProcess.run(["score", "--ref", ref.path, "--hyp", ref.path, "--fold", "none"])
        #expect(same.stderr.isEmpty && same.stdout.hasSuffix("PER 0.00% [S 0 D 0 I 0 / N 8]\n"))
    }
}
