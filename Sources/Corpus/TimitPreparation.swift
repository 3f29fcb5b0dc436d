import Foundation
import Options

/// Length and rate of one audio file, as the caller's audio reader measures it.
public struct AudioLength: Sendable, Equatable {
    /// Number of samples (frames).
    public var samples: Int
    /// Sample rate in Hz.
    public var sampleRate: Int

    /// A length of `samples` at `sampleRate` Hz.
    public init(samples: Int, sampleRate: Int) {
        self.samples = samples
        self.sampleRate = sampleRate
    }
}

/// Options of `asr prepare timit`.
public struct TimitPrepareOptions: DefaultedOptions, Sendable, Equatable {
    /// Include the SA sentences; default false (they repeat the same two texts for every speaker).
    public var includeSA: Bool = false
    /// Stop at the first problem instead of skipping the utterance, and require the phones of each .PHN to
    /// tile its audio (no gap; first start and last end within `tilingTolerance` of the audio's ends);
    /// default false.
    public var strict: Bool = false
    /// Under `strict`, how far (seconds) the first phone may start after 0 and the last end before the
    /// audio's end; default 0.025 (one 25 ms analysis window).
    public var tilingTolerance: Double = 0.025
    /// Dev and core test speakers; default the standard lists (50 and 24 speakers).
    public var speakers: SpeakerLists = .standard

    /// Every field at its default.
    public init() {}

    /// Options; defaults: SA excluded, problems skipped, standard speaker lists.
    public init(includeSA: Bool = false, strict: Bool = false, speakers: SpeakerLists = .standard) {
        self.includeSA = includeSA
        self.strict = strict
        self.speakers = speakers
    }

    /// Checks the speaker lists (non-empty, disjoint) and `0 <= tilingTolerance <= 10`.
    public func validate() throws(OptionError) {
        try OptionError.within("speakers", speakers.validate)
        try require(tilingTolerance, in: 0...10, "tilingTolerance")
    }
}

/// An utterance left out of the manifests, and why.
public struct SkippedUtterance: Sendable, Equatable {
    /// Relative path without extension (`TRAIN/DR1/FCJF0/SI1027`).
    public var stem: String
    /// What is wrong.
    public var reason: String
}

/// The manifests of a TIMIT-layout corpus: train (all TRAIN/), dev and core test (TEST/ speakers of the
/// lists), full test (all TEST/), plus what was skipped.
public struct TimitPreparation: Sendable {
    /// Split names, in output order; each is written as `<name>.jsonl`.
    public static let splitNames = ["train", "dev", "test", "test-full"]
    /// Entries per split name, sorted by id.
    public var splits: [String: [ManifestEntry]]
    /// Utterances left out, in corpus order.
    public var skipped: [SkippedUtterance]
    /// Listed dev speakers with no folder under TEST/.
    public var missingDevSpeakers: [String]
    /// Listed core test speakers with no folder under TEST/.
    public var missingTestSpeakers: [String]
    /// SA utterances left out because `includeSA` was off.
    public var excludedSA: Int

    /// Reads every utterance of `corpus` into manifests. `audioLength` measures an audio file (it may
    /// throw; the error's description becomes the skip reason). Without `strict`, a bad utterance is
    /// skipped and recorded; with it, the first problem is thrown.
    public static func prepare(_ corpus: TimitCorpus, options: TimitPrepareOptions = .init(),
                               audioLength: (URL) throws -> AudioLength) throws(CorpusError) -> TimitPreparation {
        try CorpusError.validating(options.validate)
        let dev = Set(options.speakers.dev), coreTest = Set(options.speakers.coreTest)
        let testSpeakers = Set(corpus.utterances.filter { $0.usage == "test" }.map(\.speaker))
        var result = TimitPreparation(
            splits: Dictionary(uniqueKeysWithValues: splitNames.map { ($0, []) }), skipped: [],
            missingDevSpeakers: options.speakers.dev.filter { !testSpeakers.contains($0) },
            missingTestSpeakers: options.speakers.coreTest.filter { !testSpeakers.contains($0) }, excludedSA: 0)
        for utterance in corpus.utterances {
            if utterance.type == .sa && !options.includeSA {
                result.excludedSA += 1
                continue
            }
            let entry: ManifestEntry
            do {
                entry = try makeEntry(utterance, root: corpus.root, tilingTolerance: options.strict ? options.tilingTolerance : nil,
                                      audioLength: audioLength)
            } catch {
                if options.strict { throw error }
                result.skipped.append(SkippedUtterance(stem: utterance.stem, reason: error.description))
                continue
            }
            var names: [String] = []
            if utterance.usage == "train" {
                names = ["train"]
            } else {
                if dev.contains(utterance.speaker) { names.append("dev") }
                if coreTest.contains(utterance.speaker) { names.append("test") }
                names.append("test-full")
            }
            for name in names {
                var copy = entry
                copy.split = name
                result.splits[name, default: []].append(copy)
            }
        }
        for name in splitNames { result.splits[name]?.sort { $0.id < $1.id } }
        return result
    }

    /// One utterance's manifest record (split left empty); throws its first problem. With `tilingTolerance`
    /// (seconds) its phones must tile the audio (see `LabelFile.segments`).
    static func makeEntry(_ utterance: TimitUtterance, root: URL, tilingTolerance: Double? = nil,
                          audioLength: (URL) throws -> AudioLength) throws(CorpusError) -> ManifestEntry {
        if let problem = utterance.problems.first { throw .badUtterance(path: utterance.stem, reason: problem) }
        let missing = [("WAV", utterance.audio), ("PHN", utterance.phones), ("WRD", utterance.words),
                       ("TXT", utterance.text)].filter { $0.1 == nil }.map { "." + $0.0 }
        guard missing.isEmpty, let audio = utterance.audio, let phonePath = utterance.phones,
              let wordPath = utterance.words, let textPath = utterance.text else {
            throw .badUtterance(path: utterance.stem, reason: "missing \(missing.joined(separator: ", "))")
        }
        let length: AudioLength
        do { length = try audioLength(root.appendingPathComponent(audio)) } catch {
            throw .badUtterance(path: audio, reason: "unreadable audio: \(error)")
        }
        let tolerance = tilingTolerance.map { Int(($0 * Double(length.sampleRate)).rounded()) }
        let phones = try LabelFile.segments(from: try read(root, phonePath), kind: .phones, path: phonePath,
                                            samples: length.samples, tilingTolerance: tolerance)
        let words = try LabelFile.segments(from: try read(root, wordPath), kind: .words, path: wordPath,
                                           samples: length.samples)
        let text = try LabelFile.transcript(from: try read(root, textPath), path: textPath)
        return ManifestEntry(id: utterance.id, speaker: utterance.speaker, dialect: utterance.dialect, split: "",
                             audio: audio, sampleRate: length.sampleRate, samples: length.samples,
                             phones: phones, words: words, text: text)
    }

    /// The text of `root/relative` (UTF-8, or Latin-1 when that fails).
    private static func read(_ root: URL, _ relative: String) throws(CorpusError) -> String {
        let url = root.appendingPathComponent(relative)
        do {
            let data = try Data(contentsOf: url)
            return String(data: data, encoding: .utf8) ?? String(data: data, encoding: .isoLatin1) ?? ""
        } catch {
            throw .cannotRead(path: relative, reason: error.localizedDescription)
        }
    }

    /// Writes `<split>.jsonl` for every split into `folder` (created if needed), each atomically.
    public func write(to folder: URL) throws(CorpusError) {
        do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
            throw .cannotWrite(path: folder.path, reason: error.localizedDescription)
        }
        for name in Self.splitNames {
            try Manifest.write(splits[name] ?? [], to: folder.appendingPathComponent("\(name).jsonl"))
        }
    }
}
