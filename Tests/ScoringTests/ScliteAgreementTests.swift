import Foundation
import Randomness
import Testing
@testable import Scoring

/// Random reference/hypothesis sets scored by real sclite and by `Scorer` must give identical counts.
@Suite struct ScliteAgreementTests {
    /// A random set: references, hypotheses (some ids missing), over `alphabet`.
    struct RandomSet {
        var references: [(id: String, tokens: [String])] = []
        var hypotheses: [(id: String, tokens: [String])] = []
        var missing: [String] = []
    }

    static func randomSet(utterances: Int, alphabet: [String], seed: UInt64) -> RandomSet {
        var rng = SplitMix64(seed: seed)
        var set = RandomSet()
        func token() -> String { alphabet.randomElement(using: &rng)! }
        for index in 0..<utterances {
            let speaker = "s\(Int.random(in: 0..<40, using: &rng))"
            let id = Bool.random(using: &rng) ? "\(speaker)_u\(index)" : "\(speaker)-x_u\(index)"
            var reference: [String]
            switch Int.random(in: 0..<100, using: &rng) {
            case 0..<4: reference = []
            case 4..<14:  // long repeats
                reference = (0..<Int.random(in: 1...4, using: &rng)).flatMap { _ in
                    Array(repeating: token(), count: Int.random(in: 2...12, using: &rng))
                }
            default: reference = (0..<Int.random(in: 1...40, using: &rng)).map { _ in token() }
            }
            var hypothesis: [String]
            switch Int.random(in: 0..<100, using: &rng) {
            case 0..<8: hypothesis = []
            case 8..<16: hypothesis = (0..<Int.random(in: 0...30, using: &rng)).map { _ in token() }
            case 16..<24:  // shifted
                let k = Int.random(in: 1...3, using: &rng)
                hypothesis = Array(reference.dropFirst(k)) + (0..<k).map { _ in token() }
            case 24..<32:  // repeated tail or head
                hypothesis = reference + reference.suffix(Int.random(in: 1...6, using: &rng))
                if Bool.random(using: &rng) { hypothesis = Array(reference.prefix(3)) + reference }
            default:  // edits
                hypothesis = []
                for t in reference {
                    let r = Int.random(in: 0..<100, using: &rng)
                    if r < 12 { continue }
                    hypothesis.append(r < 26 ? token() : t)
                    while Int.random(in: 0..<100, using: &rng) < 10 { hypothesis.append(token()) }
                }
            }
            set.references.append((id, reference))
            if Int.random(in: 0..<100, using: &rng) < 5 { set.missing.append(id) } else { set.hypotheses.append((id, hypothesis)) }
        }
        set.hypotheses.shuffle(using: &rng)
        return set
    }

    static func trn(_ lines: [(id: String, tokens: [String])]) -> String {
        lines.map { Transcripts.trnLine(id: $0.id, tokens: $0.tokens) + "\n" }.joined()
    }

    static let alphabets: [[String]] = [
        ["a", "b", "c"],
        ["a", "b", "c", "d", "e", "f", "g", "h"],
        "aa ae ah aw ay b ch d dh dx eh er ey f g hh ih iy jh k l m n ng ow oy p r s sh sil t th uh uw v w y z"
            .split(separator: " ").map(String.init),
    ]

    @Test(arguments: [(0, UInt64(1)), (1, UInt64(2)), (2, UInt64(3)), (0, UInt64(4))])
    func countsEqualScliteOnRandomSets(alphabet: Int, seed: UInt64) throws {
        guard Sclite.tool("sclite") != nil else {
            Issue.record("sclite (Debian package sctk) is not installed")
            return
        }
        let set = Self.randomSet(utterances: 2500, alphabet: Self.alphabets[alphabet], seed: seed)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("scoring-sclite-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let refText = Self.trn(set.references), hypText = Self.trn(set.hypotheses)
        try refText.write(to: directory.appendingPathComponent("ref.trn"), atomically: true, encoding: .utf8)
        try hypText.write(to: directory.appendingPathComponent("hyp.trn"), atomically: true, encoding: .utf8)
        // The same hypotheses with an empty line for each missing one: sclite then counts them as deletions.
        let padded = set.hypotheses + set.missing.map { ($0, [String]()) }
        try Self.trn(padded).write(to: directory.appendingPathComponent("padded.trn"), atomically: true, encoding: .utf8)

        for (policy, hypothesisFile) in [(MissingHypothesisPolicy.skip, "hyp.trn"), (.empty, "padded.trn")] {
            let sclite = try Sclite.score(hypothesis: hypothesisFile, in: directory)
            let table = TokenTable()
            let refs = try Transcripts.parse(Array(refText.utf8), file: "ref.trn", table: table)
            let hyps = try Transcripts.parse(Array(hypText.utf8), file: "hyp.trn", table: table)
            let result = try Scorer.score(references: refs, hypotheses: hyps, hypothesisFile: "hyp.trn", table: table,
                                          map: nil, options: ScoringOptions(missing: policy, keepAlignments: true))
            // The very same path as sclite's, token by token (its REF/HYP rows of pralign).
            var differentPaths = 0
            let pra = ScoreReport.alignments(try #require(result.alignments)).split(separator: "\n")
            var current: String?
            for line in pra {
                if line.hasPrefix("id: (") { current = String(line.dropFirst(5).dropLast()) }
                guard let id = current, line.hasPrefix("REF:") || line.hasPrefix("HYP:") else { continue }
                let ours = Sclite.gapNormalised(line.dropFirst(4))
                // sclite prints no rows for an empty reference aligned to an empty hypothesis.
                let theirs = (line.hasPrefix("REF:") ? sclite.paths[id]?.ref : sclite.paths[id]?.hyp) ?? []
                if ours != theirs {
                    differentPaths += 1
                    if differentPaths <= 2 { Issue.record("\(id) \(line.prefix(4)) ours \(ours), sclite \(theirs)") }
                }
            }
            #expect(differentPaths == 0)
            #expect(sclite.paths.count == result.utterances.filter { $0.counts.referenceTokens + $0.counts.hypothesisTokens > 0 }.count)
            #expect(result.utterances.count == sclite.utterances.count)
            var mismatches = 0
            for utterance in result.utterances where sclite.utterances[utterance.id] != utterance.counts {
                mismatches += 1
                if mismatches <= 3 {
                    Issue.record("\(utterance.id): ours \(utterance.counts), sclite \(String(describing: sclite.utterances[utterance.id]))")
                }
            }
            #expect(mismatches == 0)
            let sum = try #require(sclite.sum)
            #expect(result.totals == sum.counts)
            #expect(result.totals.errors == sum.errors)
            #expect(result.utterances.count == sum.sentences)
            #expect(result.totals.referenceTokens == sum.words)
            #expect(result.sentenceErrors == sum.sentenceErrors)
            let speakers = result.speakers
            #expect(speakers.count == sclite.speakers.count)
            for speaker in speakers {
                let theirs = try #require(sclite.speakers[speaker.speaker], "speaker \(speaker.speaker)")
                #expect(speaker.sentences == theirs.sentences)
                #expect(speaker.counts.referenceTokens == theirs.words)
                #expect(speaker.counts == theirs.counts)
                #expect(speaker.sentenceErrors == theirs.sentenceErrors)
            }
            // Mean, S.D. and Median of the summary tables (sclite prints one decimal).
            let countStats = try #require(ColumnStatistics(rows: speakers.map(\.countColumns)))
            let percentStats = try #require(ColumnStatistics(rows: speakers.compactMap(\.percentages)))
            for (name, ours, theirs) in [("Mean", countStats.mean, sclite.countStatistics["Mean"]),
                                         ("S.D.", countStats.standardDeviation, sclite.countStatistics["S.D."]),
                                         ("Median", countStats.median, sclite.countStatistics["Median"]),
                                         ("Mean", percentStats.mean, sclite.percentStatistics["Mean"]),
                                         ("S.D.", percentStats.standardDeviation, sclite.percentStatistics["S.D."]),
                                         ("Median", percentStats.median, sclite.percentStatistics["Median"])] {
                let theirs = try #require(theirs, "\(name) row")
                #expect(theirs.count == 8)
                #expect(zip(ours, theirs).allSatisfy { abs($0 - $1) <= 0.051 }, "\(name): ours \(ours), sclite \(theirs)")
            }
            // The linear-memory counts must equal the traceback's on every utterance.
            let countsOnly = try Scorer.score(references: refs, hypotheses: hyps, hypothesisFile: "hyp.trn", table: table,
                                              map: nil, options: ScoringOptions(missing: policy, confusionPairs: 0))
            #expect(countsOnly.utterances == result.utterances)
        }
    }
}
