import Randomness
import Testing
@testable import Scoring

@Suite struct TranscriptsTests {
    @Test func speakersAreDerivedAsScliteDoes() {
        #expect(Transcripts.speaker(ofId: "fadg0_si1279") == "fadg0")
        #expect(Transcripts.speaker(ofId: "a_b-u3") == "a_b")
        #expect(Transcripts.speaker(ofId: "ab_cd_u1") == "ab")
        #expect(Transcripts.speaker(ofId: "fadg0-fadg0_si1279") == "fadg0")
        #expect(Transcripts.speaker(ofId: "plain") == "")
    }

    @Test func trnAndKaldiTextParseTheSameUtterances() throws {
        let table = TokenTable()
        let trn = try Transcripts.parse(Array("sil b  iy sil (fadg0_si1279)\n\n(mbpm0_sx1)\r\n".utf8), file: "h.trn", table: table)
        let kaldi = try Transcripts.parse(Array("fadg0_si1279 sil b iy sil\nmbpm0_sx1\n".utf8), file: "h.txt", table: table)
        #expect(trn == kaldi)
        #expect(trn.count == 2)
        #expect(table.tokens(trn[0].tokens) == ["sil", "b", "iy", "sil"])
        #expect(trn[0].speaker == "fadg0" && trn[1].tokens.isEmpty)
        #expect(Transcripts.detectFormat(Array("\n a b (x_1) \n".utf8)) == .trn)
        #expect(Transcripts.detectFormat(Array("x_1 a b\n".utf8)) == .kaldi)
    }

    @Test func malformedLinesNameFileAndLine() {
        let table = TokenTable()
        #expect(throws: ScoringError.malformedLine(file: "r.trn", line: 2, reason: "a trn line must end with '(utterance-id)'")) {
            try Transcripts.parse(Array("a (x_1)\nb c\n".utf8), file: "r.trn", format: .trn, table: table)
        }
        #expect(throws: ScoringError.malformedLine(file: "r.trn", line: 1, reason: "no utterance id in the final '( )'")) {
            try Transcripts.parse(Array("a b ()\n".utf8), file: "r.trn", format: .trn, table: table)
        }
        #expect(throws: ScoringError.duplicateId(file: "h.txt", line: 3, id: "x_1")) {
            try Transcripts.parse(Array("x_1 a\nx_2 b\nx_1 c\n".utf8), file: "h.txt", table: table)
        }
    }

    @Test func absorbedTablesRemapUtterancesToTheSameTokens() {
        let ours = TokenTable(), theirs = TokenTable()
        _ = ours.ids(["sil", "b"])
        let utterances = (0..<300).map { Utterance(id: "s_\($0)", tokens: ["iy", "b", "x\($0 % 7)", "sil"], table: theirs) }
        let remapped = utterances.remapped(by: ours.absorb(theirs), threads: 2)
        #expect(remapped.map(\.id) == utterances.map(\.id))
        #expect(remapped.map { ours.tokens($0.tokens) } == utterances.map { theirs.tokens($0.tokens) })
        #expect(ours.id("sil") == 0 && ours.count == 2 + 1 + 7)
    }

    @Test func tokenTableInternsAndRoundTrips() {
        let table = TokenTable()
        var rng = SplitMix64(seed: 3)
        var words: [String] = []
        for index in 0..<5000 { words.append("w\(index)_\(UInt32.random(in: 0...UInt32.max, using: &rng))") }
        let ids = table.ids(words)
        #expect(ids == (0..<Int32(5000)).map { $0 })
        #expect(table.ids(words) == ids)
        #expect(table.tokens(ids) == words)
        #expect(table.id("ax-h") == table.id("ax-h") && table.token(table.id("é")) == "é")
    }
}
