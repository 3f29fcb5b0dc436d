import Foundation
import Testing
@testable import Corpus
import TestSupport

@Suite struct ManifestTests {
    static func entry(_ id: String, samples: Int = 1000) -> ManifestEntry {
        ManifestEntry(id: id, speaker: String(id.prefix(5)), dialect: "dr1", split: "train",
                      audio: "TRAIN/DR1/\(id.prefix(5).uppercased())/SI1.WAV", sampleRate: 16000, samples: samples,
                      phones: [Segment(start: 0, end: 300, label: "h#"), Segment(start: 300, end: 900, label: "ax-h")],
                      words: [Segment(start: 300, end: 900, label: "a/b \"quoted\"")], text: "A / b \"quoted\".")
    }

    @Test func roundTripsThroughJSONLines() throws {
        let folder = try TemporaryFolder()
        let url = folder.file("train.jsonl")
        let entries = [Self.entry("fcjf0_si1"), Self.entry("mrjm4_sx2")]
        try Manifest.write(entries, to: url)
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.split(separator: "\n").count == 2)
        #expect(text.hasSuffix("\n"))
        #expect(try Manifest.read(from: url) == entries)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["train.jsonl"])
    }

    @Test func emptyManifestIsEmpty() throws {
        let folder = try TemporaryFolder()
        let url = folder.file("dev.jsonl")
        try Manifest.write([], to: url)
        #expect(try Manifest.read(from: url).isEmpty)
    }

    /// Writes line 1 good, line 2 `bad`, and returns the error reading it.
    func errorForSecondLine(_ bad: String) throws -> CorpusError? {
        let folder = try TemporaryFolder()
        let url = folder.file("m.jsonl")
        let good = String(decoding: try JSONEncoder().encode(Self.entry("fcjf0_si1")), as: UTF8.self)
        try (good + "\n" + bad + "\n").write(to: url, atomically: true, encoding: .utf8)
        do {
            _ = try Manifest.read(from: url)
            return nil
        } catch {
            guard case .badManifest(let path, let line, _) = error else { return error }
            #expect(path == url.path)
            #expect(line == 2)
            #expect(error.description.hasPrefix("manifest \(url.path) line 2: "))
            return error
        }
    }

    func encoded(_ change: (inout ManifestEntry) -> Void) -> String {
        var entry = Self.entry("mrjm4_sx2")
        change(&entry)
        return String(decoding: try! JSONEncoder().encode(entry), as: UTF8.self)
    }

    @Test func problemsNameTheLine() throws {
        let cases: [(String, String)] = [
            ("{not json", "invalid JSON"),
            ("{\"id\": \"x\"}", "missing field"),
            ("", "empty line"),
            (encoded { $0.sampleRate = 0 }, "sampleRate 0"),
            (encoded { $0.phones[1].end = 200 }, "ends before it starts"),
            (encoded { $0.phones[1].start = 100 }, "overlaps"),
            (encoded { $0.words[0].end = 5000 }, "ends after the audio's 1000 samples"),
            (encoded { $0.id = "fcjf0_si1" }, "duplicate id fcjf0_si1 (first on line 1)"),
            (encoded { $0.audio = "" }, "empty audio path"),
        ]
        for (line, reason) in cases {
            let error = try errorForSecondLine(line)
            #expect(error?.description.contains(reason) == true, "\(String(describing: error)) should say \(reason)")
        }
    }

    @Test func missingFileIsReported() throws {
        let folder = try TemporaryFolder()
        let url = folder.file("none.jsonl")
        #expect {
            try Manifest.read(from: url)
        } throws: { error in
            guard case .cannotRead(let path, _) = error as? CorpusError else { return false }
            return path == url.path
        }
    }
}
