import Foundation
import Testing

/// A synthetic manifest shaped like TIMIT's core test or dev list, with phone sequences whose 39-fold
/// lengths are known: its ids come from the repository's utterance lists.
struct SyntheticTimitManifest {
    /// The 61-phone symbols used and their 39-class fold (nil: deleted), written out here independently
    /// of the project's map file.
    static let fold: [String: String?] = [
        "h#": "sil", "pau": "sil", "epi": "sil", "bcl": "sil", "tcl": "sil", "q": nil, "b": "b", "t": "t",
        "iy": "iy", "ix": "ih", "ao": "aa", "zh": "sh", "ax-h": "ah", "el": "l", "en": "n", "axr": "er",
    ]

    var lines: [String] = []
    var foldedReferences: [(id: String, phones: [String])] = []

    /// Utterances of `list` whose folded lengths sum to `total`; `q`s are sprinkled in, and speakers are
    /// written as `<id prefix>x` so that a test can see they come from the manifest.
    init(list: String, total: Int, seed: UInt64) throws {
        let ids = try String(contentsOf: repositoryRoot.appendingPathComponent("data-manifests/timit/\(list)"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        var state = seed
        func random(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        let kept = Self.fold.keys.filter { Self.fold[$0]! != nil && $0 != "h#" }.sorted()
        for (index, id) in ids.enumerated() {
            // Lengths differ by at most one and add up to `total`.
            let length = total / ids.count + (index < total % ids.count ? 1 : 0)
            var phones = ["h#"] + (0..<(length - 2)).map { _ in kept[random(kept.count)] } + ["h#"]
            for _ in 0..<random(4) { phones.insert("q", at: 1 + random(phones.count - 1)) }
            let folded = phones.compactMap { Self.fold[$0]! }
            precondition(folded.count == length)
            foldedReferences.append((id, folded))
            let segments = phones.enumerated().map { #"{"end":\#(($0.offset + 1) * 160),"label":"\#($0.element)","start":\#($0.offset * 160)}"# }
            let speaker = String(id.split(separator: "_")[0]) + "x"
            lines.append(#"{"audio":"TEST/DR1/\#(id).WAV","dialect":"dr1","id":"\#(id)","phones":[\#(segments.joined(separator: ","))],"#
                + #""sampleRate":16000,"samples":\#(phones.count * 160),"speaker":"\#(speaker)","split":"test","text":"","words":[]}"#)
        }
    }
}

/// The repository root, from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

@Suite struct ScoreCommandTests {
    func write(_ text: String, _ name: String, in folder: URL) throws -> String {
        let url = folder.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test(arguments: [("test_utt.list", 7215, 24), ("dev_utt.list", 15057, 50)])
    func manifestReferencesFoldedTo39CountTheStandardTokens(list: String, tokens: Int, speakers: Int) throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let manifest = try SyntheticTimitManifest(list: list, total: tokens, seed: UInt64(tokens))
        let ref = try write(manifest.lines.joined(separator: "\n") + "\n", "refs.jsonl", in: folder)
        // A perfect hypothesis in the 39 classes, one utterance left out.
        let hypLines = manifest.foldedReferences.dropFirst().map { "\($0.id) \($0.phones.joined(separator: " "))\n" }
        let hyp = try write(hypLines.joined(), "hyp.txt", in: folder)
        let result = try ASRProcess.run(["score", "--ref", ref, "--hyp", hyp, "--fold", "39"])
        #expect(result.status == 0, "\(result.stderr)")
        let missing = manifest.foldedReferences[0]
        let lastLine = result.stdout.split(separator: "\n").last.map(String.init)
        #expect(lastLine == "PER \(String(format: "%.2f", 100 * Double(missing.phones.count) / Double(tokens)))% [S 0 D \(missing.phones.count) I 0 / N \(tokens)]")
        #expect(result.stdout.contains("1 reference utterance(s) had no hypothesis, scored as empty"))
        #expect(result.stdout.contains(missing.id))
        // --json: the same figures as one JSON object, and nothing else, on standard output.
        let asJSON = try ASRProcess.run(["score", "--ref", ref, "--hyp", hyp, "--fold", "39", "--json"])
        #expect(asJSON.status == 0, "\(asJSON.stderr)")
        let summary = try JSONSerialization.jsonObject(with: Data(asJSON.stdout.utf8)) as! [String: Any]
        #expect(summary["referenceTokens"] as? Int == tokens)
        #expect(summary["missing"] as? [String] == [missing.id])
        let rows = summary["speakers"] as! [[String: Any]]
        #expect(rows.count == speakers)
        #expect(rows.allSatisfy { ($0["speaker"] as! String).hasSuffix("x") }, "speakers come from the manifest")
        // Without folding the 61-phone references keep their q's and closures: a different N.
        let unfolded = try ASRProcess.run(["score", "--ref", ref, "--hyp", hyp, "--missing", "skip", "--fold", "none"])
        #expect(unfolded.status == 0)
        #expect(!(unfolded.stdout.split(separator: "\n").last ?? "").hasSuffix("/ N \(tokens)]"))
    }

    @Test func trnAndKaldiInputsGiveTheSameLastLineAndCostsSwitch() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let refTrn = try write("a b c d e (s1_u1)\nsil b iy sil (s1_u2)\n(s2-u3)\n", "ref.trn", in: folder)
        let hypTrn = try write("d e x y z (s1_u1)\nsil b iy iy sil (s1_u2)\nx (s2-u3)\n", "hyp.trn", in: folder)
        let refTxt = try write("s1_u1 a b c d e\ns1_u2 sil b iy sil\ns2-u3\n", "ref.txt", in: folder)
        let hypTxt = try write("s2-u3 x\ns1_u2 sil b iy iy sil\ns1_u1 d e x y z\n", "hyp.txt", in: folder)
        let trn = try ASRProcess.run(["score", "--ref", refTrn, "--hyp", hypTrn])
        let txt = try ASRProcess.run(["score", "--ref", refTxt, "--hyp", hypTxt])
        #expect(trn.status == 0 && txt.status == 0)
        // sclite: C 2 D 3 I 3, then C 4 I 1, then I 1.
        #expect(trn.stdout.hasSuffix("PER 88.89% [S 0 D 3 I 5 / N 9]\n"))
        #expect(trn.stdout.split(separator: "\n").last == txt.stdout.split(separator: "\n").last)
        #expect(trn.stdout.contains("Sum/Avg"))
        let unit = try ASRProcess.run(["score", "--ref", refTrn, "--hyp", hypTrn, "--costs", "unit"])
        #expect(unit.stdout.hasSuffix("PER 77.78% [S 5 D 0 I 2 / N 9]\n"))
    }

    @Test func reportJsonAndAlignmentsGoToFiles() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let ref = try write("s1_u1 sil b iy sil\ns1_u2 a b\n", "ref.txt", in: folder)
        let hyp = try write("s1_u1 sil b iy iy sil\n", "hyp.txt", in: folder)
        let report = folder.appendingPathComponent("report.txt")
        let pra = folder.appendingPathComponent("align.pra")
        let result = try ASRProcess.run(["score", "--ref", ref, "--hyp", hyp, "--report", report.path,
                                         "--alignments", pra.path])
        #expect(result.status == 0)
        #expect(result.stdout == "1 reference utterance(s) had no hypothesis, scored as empty (every reference token a deletion): s1_u2\n"
                + "PER 50.00% [S 0 D 2 I 1 / N 6]\n")
        let reportText = try String(contentsOf: report, encoding: .utf8)
        #expect(reportText.contains("SYSTEM SUMMARY PERCENTAGES by SPEAKER") && reportText.contains("s1_u2"))
        let alignments = try String(contentsOf: pra, encoding: .utf8)
        #expect(alignments.contains("REF:  sil b ** iy sil"))
        #expect(alignments.contains("id: (s1_u2)\nScores: (#C #S #D #I) 0 0 2 0"))
        let asJSON = try ASRProcess.run(["score", "--ref", ref, "--hyp", hyp, "--json"])
        let summary = try JSONSerialization.jsonObject(with: Data(asJSON.stdout.utf8)) as! [String: Any]
        #expect(abs((summary["per"] as? Double ?? 0) - 50) < 1e-9)
        let skipped = try ASRProcess.run(["score", "--ref", ref, "--hyp", hyp, "--missing", "skip", "--report", report.path])
        #expect(skipped.stdout.hasSuffix("PER 25.00% [S 0 D 0 I 1 / N 4]\n"))
        #expect(skipped.stdout.contains("skipped, as sclite does"))
    }

    @Test func userMappingFileAndMergedRepeats() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let ref = try write("s1_u1 h# bcl b iy q pau h#\n", "ref.txt", in: folder)
        let hyp = try write("s1_u1 sil b iy sil\n", "hyp.txt", in: folder)
        let map = try write("h#\tsil\nbcl sil\npau sil\nq\n", "my.map", in: folder)
        let mapped = try ASRProcess.run(["score", "--ref", ref, "--hyp", hyp, "--map", map])
        // sil sil b iy sil sil against sil b iy sil.
        #expect(mapped.stdout.hasSuffix("PER 33.33% [S 0 D 2 I 0 / N 6]\n"))
        let merged = try ASRProcess.run(["score", "--ref", ref, "--hyp", hyp, "--map", map, "--merge-repeats", "sil"])
        #expect(merged.stdout.hasSuffix("PER 0.00% [S 0 D 0 I 0 / N 4]\n"))
        let timit = try ASRProcess.run(["score", "--ref", ref, "--hyp", hyp, "--fold", "39"])
        #expect(timit.stdout.hasSuffix("PER 33.33% [S 0 D 2 I 0 / N 6]\n"))
    }

    @Test func errorsNameTheirFileLineAndIds() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let ref = try write("a b (s1_u1)\n", "ref.trn", in: folder)
        let extra = try write("s1_u1 a b\ns9_zz a\ns9_yy\n", "hyp.txt", in: folder)
        let unknown = try ASRProcess.run(["score", "--ref", ref, "--hyp", extra])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("2 hypothesis id(s) have no reference: s9_zz s9_yy"))
        let bad = try write("a b (s1_u1)\na b\n", "bad.trn", in: folder)
        let malformed = try ASRProcess.run(["score", "--ref", ref, "--hyp", bad])
        #expect(malformed.status == 1)
        #expect(malformed.stderr.contains("bad.trn line 2:"))
        let duplicate = try write("s1_u1 a\ns1_u1 b\n", "dup.txt", in: folder)
        #expect(try ASRProcess.run(["score", "--ref", ref, "--hyp", duplicate]).stderr.contains("dup.txt line 2: utterance id 's1_u1'"))
        #expect(try ASRProcess.run(["score", "--ref", ref]).status == 2)
        #expect(try ASRProcess.run(["score", "--ref", ref, "--hyp", extra, "--fold", "40"]).status == 2)
        #expect(try ASRProcess.run(["score", "--ref", ref, "--compare", extra]).status == 2)
        #expect(try ASRProcess.run(["score", "--ref", ref, "--hyp", folder.appendingPathComponent("none").path]).status == 1)
    }

    @Test func compareReportsMapssweWithPValue() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var ref = "", a = "", b = ""
        for index in 0..<60 {
            ref += "s\(index % 6)_u\(index) a b c d e f g h\n"
            a += "s\(index % 6)_u\(index) a b c d e f g h\n"
            b += "s\(index % 6)_u\(index) a x c d e y g h\n"
        }
        let refPath = try write(ref, "ref.txt", in: folder)
        let aPath = try write(a, "a.txt", in: folder), bPath = try write(b, "b.txt", in: folder)
        let result = try ASRProcess.run(["score", "--ref", refPath, "--compare", aPath, bPath, "--report",
                                         folder.appendingPathComponent("r.txt").path])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("A PER 0.00% [S 0 D 0 I 0 / N 480]"))
        #expect(lines[1].hasPrefix("B PER 25.00% [S 120 D 0 I 0 / N 480]"))
        // Every one of the 120 segments has A − B = −1: no spread, so sclite's Z is 0 (and p 1).
        #expect(lines[2].hasPrefix("MAPSSWE A vs B: 120 segments, mean difference (A - B) -1.000, s.d. 0.000, Z 0.000, p 1"))
        let asJSON = try ASRProcess.run(["score", "--ref", refPath, "--compare", aPath, bPath, "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(asJSON.stdout.utf8)) as! [String: Any]
        #expect((object["mapsswe"] as! [String: Any])["segments"] as? Int == 120)
    }

    @Test func benchScorePrintsOneJsonObjectWithUtterancesPerSecond() throws {
        let result = try ASRProcess.run(["bench", "score", "--utterances", "3000", "--repeats", "1",
                                         "--sclite-utterances", "0", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 1)
        let object = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as! [String: Any]
        #expect((object["utterances_per_second"] as? Double ?? 0) > 0)
        #expect(object["utterances"] as? Int == 3000)
        // 20-80 phones per utterance.
        let tokens = object["reference_tokens"] as? Int ?? 0
        #expect(tokens >= 3000 * 20 && tokens <= 3000 * 80)
    }
}
