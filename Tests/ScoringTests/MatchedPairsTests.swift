import Foundation
import Randomness
import Testing
@testable import Scoring

@Suite struct MatchedPairsTests {
    /// Two systems on one random reference set; B makes more errors than A when `worse`.
    static func systems(seed: UInt64, utterances: Int, worse: Bool) -> (ref: String, a: String, b: String) {
        var rng = SplitMix64(seed: seed)
        let alphabet = ["a", "b", "c", "d", "e", "f"]
        var ref = "", a = "", b = ""
        func mutate(_ tokens: [String], _ p: Int) -> [String] {
            var out: [String] = []
            for t in tokens {
                let r = Int.random(in: 0..<100, using: &rng)
                if r < p { continue }
                out.append(r < 2 * p ? alphabet.randomElement(using: &rng)! : t)
                if Int.random(in: 0..<100, using: &rng) < p / 2 { out.append(alphabet.randomElement(using: &rng)!) }
            }
            return out
        }
        for index in 0..<utterances {
            let id = "s\(Int.random(in: 0..<12, using: &rng))_u\(index)"
            let tokens = (0..<Int.random(in: 0...25, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            ref += Transcripts.trnLine(id: id, tokens: tokens) + "\n"
            a += Transcripts.trnLine(id: id, tokens: mutate(tokens, 10)) + "\n"
            b += Transcripts.trnLine(id: id, tokens: mutate(tokens, worse ? 14 : 10)) + "\n"
        }
        return (ref, a, b)
    }

    @Test(arguments: [(UInt64(21), true), (UInt64(22), false), (UInt64(23), true)])
    func segmentsAndStatisticsEqualScStats(seed: UInt64, worse: Bool) throws {
        guard let sclite = Sclite.tool("sclite"), let scStats = Sclite.tool("sc_stats") else {
            Issue.record("sclite (Debian package sctk) is not installed")
            return
        }
        let (refText, aText, bText) = Self.systems(seed: seed, utterances: 1500, worse: worse)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("scoring-mapsswe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, text) in [("ref.trn", refText), ("A.trn", aText), ("B.trn", bText)] {
            try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        try Sclite.run(sclite + ["-r", "ref.trn", "trn", "-h", "A.trn", "trn", "sysA", "-h", "B.trn", "trn", "sysB",
                                 "-i", "rm", "-s", "-o", "sgml", "-O", directory.path, "-f", "0"], in: directory)
        let sgml = try Data(contentsOf: directory.appendingPathComponent("A.trn.sgml"))
            + Data(contentsOf: directory.appendingPathComponent("B.trn.sgml"))
        let piped = directory.appendingPathComponent("both.sgml")
        try sgml.write(to: piped)
        try Sclite.run(scStats + ["-p", "-t", "mapsswe", "-v", "-n", "cmp", "-O", directory.path], stdin: piped, in: directory)
        let stats = try String(contentsOf: directory.appendingPathComponent("cmp.stats.mapsswe"), encoding: .utf8)
        // The line may follow a form feed.
        let line = try #require(stats.split(separator: "\n").first { $0.contains("MTCH_PR_RESULTS") })
        func field(_ name: String) -> [String] {
            let start = line.range(of: "(\(name): ")!.upperBound
            return line[start...].prefix { $0 != ")" }.split(separator: " ").map(String.init)
        }

        let table = TokenTable()
        let refs = try Transcripts.parse(Array(refText.utf8), file: "ref.trn", table: table)
        let pairs = try [aText, bText].map { text in
            try Scorer.pair(references: refs, hypotheses: Transcripts.parse(Array(text.utf8), file: "hyp", table: table),
                            hypothesisFile: "hyp", table: table, map: nil, options: ScoringOptions())
        }
        let result = MatchedPairsTest.compare(pairs[0], pairs[1])
        #expect(result.segments == Int(field("# segs")[0]))
        #expect(String(format: "%5.2f", result.segmentErrorRateA).trimmingCharacters(in: .whitespaces) == field("% Error")[0])
        #expect(String(format: "%5.2f", result.segmentErrorRateB).trimmingCharacters(in: .whitespaces) == field("% Error")[1])
        #expect(String(format: "%5.3f", result.meanDifference).trimmingCharacters(in: .whitespaces) == field("mean")[0])
        #expect(String(format: "%5.3f", result.standardDeviation) == field("std dev")[0])
        #expect(String(format: "%5.3f", result.z) == field("Z Stat")[0])
        #expect(result.isSignificant() == (field("Stat Diff")[0] == "Yes"))
        #expect(abs(result.pValue - erfc(abs(result.z) / 2.0.squareRoot())) < 1e-12)
    }

    @Test func identicalSystemsHaveNoSegmentsAndPValueOne() throws {
        let table = TokenTable()
        let refs = [Utterance(id: "s_1", tokens: ["a", "b", "c"], table: table)]
        let hyps = [Utterance(id: "s_1", tokens: ["a", "x", "c"], table: table)]
        let pairs = try Scorer.pair(references: refs, hypotheses: hyps, hypothesisFile: "h", table: table, map: nil,
                                    options: ScoringOptions())
        let result = MatchedPairsTest.compare(pairs, pairs)
        #expect(result.segments == 1 && result.meanDifference == 0 && result.z == 0 && result.pValue == 1)
        #expect(!result.isSignificant())
    }

    @Test func segmentsCloseAfterTwoCommonCorrectTokens() {
        // A errs at 1 and 5, B nowhere. The first segment closes at the second common correct token after
        // the error (0...3); the next starts one boundary token back from there (3...6), as sclite's do.
        let c = EditOperation.correct, s = EditOperation.substitution
        var segments: [MatchedPairsTest.Segment] = []
        MatchedPairsTest.collectSegments([c, s, c, c, c, s, c], [c, c, c, c, c, c, c], minimumGood: 2, into: &segments)
        #expect(segments.map { [$0.reference, $0.errorsA, $0.errorsB] } == [[4, 1, 0], [4, 1, 0]])
    }
}
