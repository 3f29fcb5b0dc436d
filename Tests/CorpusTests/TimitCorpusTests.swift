import AudioIO
import Foundation
import Testing
@testable import Corpus
import TestSupport

@Suite struct TimitCorpusTests {
    /// A parent folder whose own path contains `train`, `test` and `sa1`, which must not leak into matching.
    static func trickyParent(_ folder: TemporaryFolder) -> URL {
        folder.url.appendingPathComponent("sa1_train_test_TIMIT")
    }

    @Test(arguments: [true, false])
    func scanFindsUtterancesInEitherCase(uppercase: Bool) throws {
        let folder = try TemporaryFolder()
        let tree = try TimitTree.standard(in: Self.trickyParent(folder), uppercase: uppercase)
        let corpus = try TimitCorpus.scan(tree.root)
        #expect(corpus.utterances.count == 11)
        #expect(corpus.utterances.map(\.id) == [
            "faks0_sa2", "faks0_si1", "faks0_sx2", "mdab0_si3", "mdab0_sx4", "mxyz9_si7",
            "fcjf0_sa1", "fcjf0_si1027", "fcjf0_sx37", "mabc1_si5", "mabc1_sx9",
        ])
        let first = try #require(corpus.utterances.first { $0.id == "fcjf0_si1027" })
        let stem = uppercase ? "TRAIN/DR1/FCJF0/SI1027" : "train/dr1/fcjf0/si1027"
        #expect(first.stem == stem)
        #expect(first.audio == stem + (uppercase ? ".WAV" : ".wav"))
        #expect(first.phones == stem + (uppercase ? ".PHN" : ".phn"))
        #expect(first.usage == "train" && first.dialect == "dr1" && first.speaker == "fcjf0" && first.type == .si)
        #expect(corpus.utterances.allSatisfy { $0.problems.isEmpty })
    }

    @Test func usageFoldersMayBeNestedBelowTheRoot() throws {
        let folder = try TemporaryFolder()
        let tree = TimitTree(root: folder.url.appendingPathComponent("timit/data"), uppercase: true)
        try tree.add("train", "dr4", "mxyz1", "sx1")
        let corpus = try TimitCorpus.scan(folder.url)
        #expect(corpus.utterances.map(\.audio) == ["timit/data/TRAIN/DR4/MXYZ1/SX1.WAV"])
    }

    @Test func folderErrors() throws {
        let folder = try TemporaryFolder()
        #expect(throws: CorpusError.notAFolder(path: folder.file("none").path)) { try TimitCorpus.scan(folder.file("none")) }
        #expect(throws: CorpusError.noTimitLayout(path: folder.url.path)) { try TimitCorpus.scan(folder.url) }
    }

    @Test func duplicateSpeakerAcrossDialectsIsAProblem() throws {
        let folder = try TemporaryFolder()
        let tree = TimitTree(root: folder.url, uppercase: true)
        try tree.add("train", "dr1", "fabc0", "si1")
        try tree.add("train", "dr2", "fabc0", "si1")
        let corpus = try TimitCorpus.scan(folder.url)
        #expect(corpus.utterances.count == 2)
        #expect(corpus.utterances[1].problems == ["utterance id fabc0_si1 also at TRAIN/DR1/FABC0/SI1"])
    }

    @Test func nameMatchers() {
        #expect(TimitCorpus.isDialect("DR8") && TimitCorpus.isDialect("dr1") && !TimitCorpus.isDialect("dr9") && !TimitCorpus.isDialect("drx1"))
        #expect(TimitCorpus.isSpeaker("FCJF0") && TimitCorpus.isSpeaker("mrjm4") && !TimitCorpus.isSpeaker("xcjf0") && !TimitCorpus.isSpeaker("fcjf"))
        #expect(TimitCorpus.sentenceType("sa1") == .sa && TimitCorpus.sentenceType("si1027") == .si
                && TimitCorpus.sentenceType("sx37") == .sx && TimitCorpus.sentenceType("sx") == nil
                && TimitCorpus.sentenceType("sxa") == nil && TimitCorpus.sentenceType("notes") == nil)
    }
}

@Suite struct TimitPreparationTests {
    static func prepare(_ tree: TimitTree, _ options: TimitPrepareOptions) throws -> TimitPreparation {
        try TimitPreparation.prepare(try TimitCorpus.scan(tree.root), options: options, audioLength: TimitTree.audioLength)
    }

    @Test(arguments: [true, false])
    func splitsAndManifests(uppercase: Bool) throws {
        let folder = try TemporaryFolder()
        let tree = try TimitTree.standard(in: TimitCorpusTests.trickyParent(folder), uppercase: uppercase)
        let result = try Self.prepare(tree, .init(speakers: TimitTree.lists))
        func ids(_ split: String) -> [String] { result.splits[split]!.map(\.id) }
        #expect(ids("train") == ["fcjf0_si1027", "fcjf0_sx37", "mabc1_si5", "mabc1_sx9"])
        #expect(ids("dev") == ["faks0_si1", "faks0_sx2"])
        #expect(ids("test") == ["mdab0_si3", "mdab0_sx4"])
        #expect(ids("test-full") == ["faks0_si1", "faks0_sx2", "mdab0_si3", "mdab0_sx4", "mxyz9_si7"])
        #expect(result.excludedSA == 2 && result.skipped.isEmpty)
        #expect(result.missingDevSpeakers.isEmpty && result.missingTestSpeakers.isEmpty)
        for name in TimitPreparation.splitNames { #expect(result.splits[name]!.allSatisfy { $0.split == name }) }

        let entry = result.splits["dev"]![0]
        #expect(entry.speaker == "faks0" && entry.dialect == "dr1")
        #expect(entry.audio == (uppercase ? "TEST/DR1/FAKS0/SI1.WAV" : "test/dr1/faks0/si1.wav"))
        #expect(entry.sampleRate == 16000 && entry.samples == TimitTree.samples)
        #expect(entry.phones.map(\.label) == ["h#", "sh", "iy", "q", "ax-h", "h#"])
        #expect(entry.phones[4] == Segment(start: 1100, end: 1500, label: "ax-h"))
        #expect(entry.words == [Segment(start: 200, end: 900, label: "she"), Segment(start: 850, end: 1500, label: "had")])
        #expect(entry.text == "She had.")
        // The audio path resolves against the root the manifest was prepared from.
        #expect(FileManager.default.fileExists(atPath: tree.root.appendingPathComponent(entry.audio).path))

        let out = folder.file("manifests")
        try result.write(to: out)
        for name in TimitPreparation.splitNames {
            #expect(try Manifest.read(from: out.appendingPathComponent("\(name).jsonl")) == result.splits[name]!)
        }
    }

    @Test func saIsIncludedOnRequest() throws {
        let folder = try TemporaryFolder()
        let tree = try TimitTree.standard(in: folder.url, uppercase: true)
        let result = try Self.prepare(tree, .init(includeSA: true, speakers: TimitTree.lists))
        #expect(result.excludedSA == 0)
        #expect(result.splits["train"]!.map(\.id).contains("fcjf0_sa1"))
        #expect(result.splits["dev"]!.map(\.id) == ["faks0_sa2", "faks0_si1", "faks0_sx2"])
    }

    @Test func standardListsAgainstTheCorpusSpeakers() throws {
        let folder = try TemporaryFolder()
        // The standard tree uses one standard dev (faks0) and one core test speaker (mdab0).
        let result = try Self.prepare(try TimitTree.standard(in: folder.file("a"), uppercase: false), .init())
        #expect(result.missingDevSpeakers.count == 49 && result.missingTestSpeakers.count == 23)
        #expect(!result.missingDevSpeakers.contains("faks0") && !result.missingTestSpeakers.contains("mdab0"))
        #expect(result.splits["dev"]!.map(\.id) == ["faks0_si1", "faks0_sx2"])
        #expect(result.splits["test"]!.map(\.id) == ["mdab0_si3", "mdab0_sx4"])
        // A corpus with other speakers matches none of them.
        let other = TimitTree(root: folder.file("b"), uppercase: true)
        try other.add("test", "dr1", "fzzz0", "si1")
        let unmatched = try Self.prepare(other, .init())
        #expect(unmatched.missingDevSpeakers == SpeakerLists.standard.dev)
        #expect(unmatched.missingTestSpeakers == SpeakerLists.standard.coreTest)
        #expect(unmatched.splits["dev"]!.isEmpty && unmatched.splits["test"]!.isEmpty)
        #expect(unmatched.splits["test-full"]!.map(\.id) == ["fzzz0_si1"])
    }

    /// Label files, each with one problem, and the error it must give for TRAIN/DR1/FCJF0/SI1027.
    static let badLabels: [(String, String, String)] = [
        ("phn", "0 200 h#\n200 x5 sh\n", "PHN line 2: end x5 is not a whole number in TRAIN/DR1/FCJF0/SI1027.PHN"),
        ("phn", "0 200 h#\n\n500 400 sh\n", "PHN line 3: end 400 before start 500 in TRAIN/DR1/FCJF0/SI1027.PHN"),
        ("phn", "0 200 h#\n150 400 sh\n", "PHN line 2: start 150 overlaps the previous segment, which ends at 200 in TRAIN/DR1/FCJF0/SI1027.PHN"),
        ("phn", "100 200 h#\n0 50 sh\n", "PHN line 2: start 0 before the previous segment's start 100 (out of order) in TRAIN/DR1/FCJF0/SI1027.PHN"),
        ("phn", "0 200 h#\n200 400 zz\n", "PHN line 2: label zz is not in the 61-phone set in TRAIN/DR1/FCJF0/SI1027.PHN"),
        ("phn", "0 200 h#\n200 1700 sh\n", "PHN line 2: end 1700 is past the end of the audio (1600 samples) in TRAIN/DR1/FCJF0/SI1027.PHN"),
        ("phn", "0 200\n", "PHN line 1: expected `start end label`, found 2 fields in TRAIN/DR1/FCJF0/SI1027.PHN"),
        ("wrd", "200 900 she\n100 1500 had\n", "WRD line 2: start 100 before the previous word's start 200 (out of order) in TRAIN/DR1/FCJF0/SI1027.WRD"),
        ("wrd", "200 1601 she\n", "WRD line 1: end 1601 is past the end of the audio (1600 samples) in TRAIN/DR1/FCJF0/SI1027.WRD"),
        ("txt", "zero 1600 She had.\n", "TXT line 1: start zero is not a whole number in TRAIN/DR1/FCJF0/SI1027.TXT"),
    ]

    @Test(arguments: badLabels)
    func badLabelIsSkippedOrStopsStrictRun(fileExtension: String, contents: String, message: String) throws {
        let folder = try TemporaryFolder()
        let tree = try TimitTree.standard(in: folder.url, uppercase: true)
        try tree.add("train", "dr1", "fcjf0", "si1027", replace: [fileExtension: contents])
        let result = try Self.prepare(tree, .init(speakers: TimitTree.lists))
        #expect(result.skipped == [SkippedUtterance(stem: "TRAIN/DR1/FCJF0/SI1027", reason: message)])
        #expect(result.splits["train"]!.count == 3)
        #expect {
            try Self.prepare(tree, .init(strict: true, speakers: TimitTree.lists))
        } throws: { error in
            (error as? CorpusError)?.description == message
        }
    }

    /// .PHN files that do not tile the 1600-sample audio, and the line `--strict` gives for each.
    static let untiledPhones: [(String, String)] = [
        ("0 200 h#\n200 500 sh\n600 900 iy\n900 1600 h#\n",
         "PHN line 3: start 600 leaves a gap of 100 samples after the previous segment, which ends at 500 (phones must tile the audio) in TRAIN/DR1/FCJF0/SI1027.PHN"),
        // Cut after the fourth line: 500 samples missing, more than the 400 (25 ms at 16 kHz) allowed.
        ("0 200 h#\n200 500 sh\n500 900 iy\n900 1100 q\n",
         "PHN line 4: the last segment ends at 1100, 500 samples before the audio's end (1600 samples; tolerance 400): the file may be cut short in TRAIN/DR1/FCJF0/SI1027.PHN"),
        ("500 900 iy\n900 1600 h#\n",
         "PHN line 1: the first segment starts at 500, more than 400 samples after 0 (phones must tile the audio) in TRAIN/DR1/FCJF0/SI1027.PHN"),
    ]

    @Test(arguments: untiledPhones)
    func strictRefusesPhonesThatDoNotTileTheAudio(contents: String, message: String) throws {
        let folder = try TemporaryFolder()
        let tree = try TimitTree.standard(in: folder.url, uppercase: true)
        try tree.add("train", "dr1", "fcjf0", "si1027", replace: ["phn": contents])
        let lenient = try Self.prepare(tree, .init(speakers: TimitTree.lists))
        #expect(lenient.skipped.isEmpty && lenient.splits["train"]!.count == 4)
        #expect {
            try Self.prepare(tree, .init(strict: true, speakers: TimitTree.lists))
        } throws: { error in
            (error as? CorpusError)?.description == message
        }
    }

    @Test func strictCatchesAPhoneFileCutAtEveryLineBoundary() throws {
        // Closing silence of 450 samples, as TIMIT's (longer than the 400-sample tolerance).
        let whole = "0 450 h#\n450 700 sh\n700 1000 iy\n1000 1150 q\n1150 1600 h#\n"
        let lines = whole.split(separator: "\n").map { $0 + "\n" }
        for kept in 1...lines.count {
            let folder = try TemporaryFolder()
            let tree = try TimitTree.standard(in: folder.url, uppercase: true)
            try tree.add("train", "dr1", "fcjf0", "si1027", replace: ["phn": lines.prefix(kept).joined()])
            let run = { try Self.prepare(tree, .init(strict: true, speakers: TimitTree.lists)) }
            if kept == lines.count {
                #expect(try run().splits["train"]!.count == 4)
            } else {
                #expect(throws: CorpusError.self, "cut after line \(kept)") { try run() }
            }
        }
    }

    @Test func strictAcceptsEndsWithinTheTolerance() throws {
        let folder = try TemporaryFolder()
        let tree = try TimitTree.standard(in: folder.url, uppercase: true)
        // The last phone ends 400 samples (25 ms at 16 kHz) before the audio's end: within the tolerance.
        try tree.add("train", "dr1", "fcjf0", "si1027", replace: ["phn": "0 200 h#\n200 500 sh\n500 1200 h#\n"])
        let strict = try Self.prepare(tree, .init(strict: true, speakers: TimitTree.lists))
        #expect(strict.splits["train"]!.first { $0.id == "fcjf0_si1027" }?.phones.last?.end == 1200)
        var tight = TimitPrepareOptions(strict: true, speakers: TimitTree.lists)
        tight.tilingTolerance = 0.02
        #expect(throws: CorpusError.self) { try Self.prepare(tree, tight) }
    }

    @Test func missingFilesAndUnreadableAudioAreSkipped() throws {
        let folder = try TemporaryFolder()
        let tree = try TimitTree.standard(in: folder.url, uppercase: false)
        try FileManager.default.removeItem(at: tree.folder("train", "dr1", "fcjf0").appendingPathComponent("sx37.phn"))
        try FileManager.default.removeItem(at: tree.folder("train", "dr2", "mabc1").appendingPathComponent("si5.wav"))
        try tree.add("train", "dr2", "mabc1", "sx9", replace: ["wav": "this is not audio"])
        let result = try Self.prepare(tree, .init(speakers: TimitTree.lists))
        #expect(result.splits["train"]!.map(\.id) == ["fcjf0_si1027"])
        #expect(result.skipped.count == 3)
        #expect(result.skipped[0] == SkippedUtterance(stem: "train/dr1/fcjf0/sx37", reason: "train/dr1/fcjf0/sx37: missing .PHN"))
        #expect(result.skipped[1] == SkippedUtterance(stem: "train/dr2/mabc1/si5", reason: "train/dr2/mabc1/si5: missing .WAV"))
        #expect(result.skipped[2].stem == "train/dr2/mabc1/sx9")
        #expect(result.skipped[2].reason.hasPrefix("train/dr2/mabc1/sx9.wav: unreadable audio: "))
        #expect(result.skipped[2].reason.contains("Format not recognised"))
    }

    @Test func truncatedSphereIsSkippedWithItsReason() throws {
        let folder = try TemporaryFolder()
        let tree = try TimitTree.standard(in: folder.url, uppercase: true)
        let audio = tree.folder("test", "dr1", "faks0").appendingPathComponent("SI1.WAV")
        let bytes = try Data(contentsOf: audio)
        try bytes.prefix(bytes.count - 1000).write(to: audio)
        let result = try Self.prepare(tree, .init(speakers: TimitTree.lists))
        #expect(result.splits["dev"]!.map(\.id) == ["faks0_sx2"])
        #expect(result.skipped.count == 1)
        #expect(result.skipped[0].reason.contains("truncated"))
    }
}
