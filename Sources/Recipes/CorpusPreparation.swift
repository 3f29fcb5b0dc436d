import AtomicFiles
import AudioIO
import Corpus
import Foundation

/// Joins Corpus and AudioIO to prepare manifests: audio lengths come from the files' headers.
public enum CorpusPreparation {
    /// Samples and rate of `url` from its header (AudioIO); throws `AudioError` for a bad file.
    public static func audioLength(_ url: URL) throws -> AudioLength {
        let header = try AudioHeader.read(url)
        return AudioLength(samples: header.frames, sampleRate: header.sampleRate)
    }

    /// The speaker lists in force and where each came from: an explicit file, else the corpus's own
    /// `dev_spk.list` / `test_spk.list` at its root (a synthetic corpus writes them), else the standard list.
    public static func speakerLists(corpus: URL, devFile: URL?, testFile: URL?) throws -> (lists: SpeakerLists, sources: [String]) {
        let standard = SpeakerLists.standard
        var sources: [String] = []
        func choose(_ given: URL?, own name: String, standard list: [String], what: String) throws -> [String] {
            let own = corpus.appendingPathComponent(name)
            if let url = given ?? (FileManager.default.fileExists(atPath: own.path) ? own : nil) {
                let ids = try SpeakerLists.read(from: url)
                sources.append("\(what) speakers: \(ids.count) from \(url.relativePath)")
                return ids
            }
            sources.append("\(what) speakers: the standard \(list.count)")
            return list
        }
        let dev = try choose(devFile, own: "dev_spk.list", standard: standard.dev, what: "dev")
        let test = try choose(testFile, own: "test_spk.list", standard: standard.coreTest, what: "core test")
        return (SpeakerLists(dev: dev, coreTest: test), sources)
    }

    /// Scans the TIMIT-layout tree at `corpus`, builds the split manifests and writes `<split>.jsonl`
    /// into `out`. Returns the result for `report`.
    public static func prepareTimit(corpus: URL, out: URL,
                                    options: TimitPrepareOptions = .init()) throws -> TimitPreparation {
        let scanned = try TimitCorpus.scan(corpus)
        let result = try TimitPreparation.prepare(scanned, options: options, audioLength: audioLength)
        try result.write(to: out)
        let record = out.appendingPathComponent(corpusRootFile)
        do {
            try AtomicFile.write(Data((corpus.standardizedFileURL.path + "\n").utf8), to: record)
        } catch {
            throw CorpusError.cannotWrite(path: record.path, reason: error.localizedDescription)
        }
        return result
    }

    /// The file beside the manifests that names the corpus folder their audio paths are relative
    /// to (one absolute path). `asr features` finds the audio through it; after moving the corpus,
    /// edit it or pass `--audio-root`.
    public static let corpusRootFile = "corpus-root.txt"

    /// The corpus folder recorded beside `manifest` by `prepareTimit`, if there is one.
    public static func recordedCorpusRoot(besideManifest manifest: URL) -> URL? {
        let file = manifest.deletingLastPathComponent().appendingPathComponent(corpusRootFile)
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return nil }
        let path = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return path.isEmpty ? nil : URL(fileURLWithPath: path)
    }

    /// Lines for the user: utterances and speakers per split, what was skipped and why, and speaker
    /// lists that do not match the corpus (with the options that replace them).
    public static func report(_ result: TimitPreparation, out: URL, options: TimitPrepareOptions) -> [String] {
        var lines: [String] = []
        for name in TimitPreparation.splitNames {
            let entries = result.splits[name] ?? []
            let speakers = Set(entries.map(\.speaker)).count
            let file = out.appendingPathComponent("\(name).jsonl").relativePath
            lines.append("\(name): \(entries.count) utterances, \(speakers) speakers -> \(file)")
        }
        if result.excludedSA > 0 {
            lines.append("left out \(result.excludedSA) SA utterances (--include-sa keeps them)")
        }
        if !result.skipped.isEmpty {
            lines.append("skipped \(result.skipped.count) utterances:")
            lines += result.skipped.map { "  \($0.stem): \($0.reason)" }
        }
        let standard = options.speakers == .standard
        for (name, listed, missing, option) in [
            ("dev", options.speakers.dev, result.missingDevSpeakers, "--dev-speakers"),
            ("core test", options.speakers.coreTest, result.missingTestSpeakers, "--test-speakers"),
        ] where !missing.isEmpty {
            let which = standard ? "the standard \(name) list" : "the \(name) list"
            if missing.count == listed.count {
                lines.append("warning: none of the \(listed.count) speakers of \(which) is in TEST/ of this corpus, "
                    + "so its manifest is empty; give this corpus's own list with \(option) FILE")
            } else {
                lines.append("warning: \(missing.count) of the \(listed.count) speakers of \(which) are not in TEST/: "
                    + missing.joined(separator: " "))
            }
        }
        if standard {
            for (name, expected) in [("dev", SpeakerLists.standardDevUtterances),
                                     ("test", SpeakerLists.standardCoreTestUtterances)] {
                let entries = result.splits[name] ?? []
                let present = Set(entries.map(\.id)), speakers = Set(entries.map(\.speaker))
                // Standard utterances of the speakers this corpus has, but absent from the split.
                let missing = expected.filter { !present.contains($0) && speakers.contains(String($0.prefix { $0 != "_" })) }
                if !missing.isEmpty {
                    lines.append("warning: \(name) lacks \(missing.count) standard utterances of its speakers: "
                        + missing.prefix(10).joined(separator: " ") + (missing.count > 10 ? " ..." : ""))
                }
            }
        }
        return lines
    }
}
