import AtomicFiles
import AudioIO
import Corpus
import Foundation
import Options
import Parallelism

/// Writes a synthetic corpus in TIMIT's exact layout:
/// `TRAIN|TEST/DRn/<SPK>/<SENT>.{WAV,PHN,WRD,TXT}` with NIST SPHERE audio at 16 kHz, plus
/// `dev_spk.list` and `test_spk.list` (for `asr prepare timit --dev-speakers/--test-speakers`) and
/// `synthesis.json` (the options and the speakers' draws).
public struct CorpusSynthesizer {
    /// Counts of what was written.
    public struct Summary: Sendable, Equatable {
        /// Utterances written.
        public var utterances: Int
        /// Speakers in TRAIN and TEST.
        public var trainSpeakers: Int, testSpeakers: Int
        /// Total audio in seconds.
        public var seconds: Double
    }

    /// The options in force (validated by `init`).
    public let options: SynthesisOptions
    private let flite: FliteRunner

    /// A synthesizer for `options`, using `flite` (found on PATH when nil).
    public init(options: SynthesisOptions, flite: String? = nil) throws {
        try SynthesisError.validating(options.validate)
        self.options = options
        self.flite = try FliteRunner(executable: flite)
    }

    /// The plan (speakers and their sentences) this synthesizer writes.
    public func plan() throws -> CorpusPlan {
        let prompts = try PromptSource.prompts(count: CorpusPlan.requiredPrompts(options), options: options)
        return try CorpusPlan(options: options, prompts: prompts)
    }

    /// Synthesizes the corpus into `root` (created if needed; it must not already hold TRAIN or TEST),
    /// calling `progress(done, total)` as utterances finish (from any thread).
    public func synthesize(into root: URL, progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) throws -> Summary {
        let manager = FileManager.default
        for usage in ["TRAIN", "TEST"] where manager.fileExists(atPath: root.appendingPathComponent(usage).path) {
            throw SynthesisError.outputExists(path: root.path)
        }
        let plan = try plan()
        let vocabulary = Array(Set(plan.utterances.flatMap { PromptSource.words(of: $0.text) })).sorted()
        var pronunciations: [String: [String]] = [:]
        for start in stride(from: 0, to: vocabulary.count, by: 400) {
            let chunk = Array(vocabulary[start..<min(start + 400, vocabulary.count)])
            pronunciations.merge(try flite.pronunciations(of: chunk, voice: .slt)) { first, _ in first }
        }
        try manager.createDirectory(at: root, withIntermediateDirectories: true)
        let scratch = root.appendingPathComponent(".synth-\(ProcessInfo.processInfo.processIdentifier)")
        try manager.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? manager.removeItem(at: scratch) }
        let renderer = UtteranceRenderer(options: options, flite: flite, pronunciations: pronunciations, scratch: scratch)

        let jobs = options.jobs > 0 ? options.jobs : 2 * Cores.available
        let total = plan.utterances.count
        let state = SynthesisState()
        CorpusSynthesizer.onThreads(jobs) { worker in
            for index in stride(from: worker, to: total, by: jobs) {
                if state.failed { return }
                let utterance = plan.utterances[index]
                let speaker = plan.speakers[utterance.speaker]
                do {
                    let rendered = try renderer.render(utterance, speaker: speaker, index: index)
                    try CorpusSynthesizer.write(rendered, utterance: utterance, speaker: speaker, root: root)
                    progress(state.finish(seconds: Double(rendered.samples.count) / 16000), total)
                } catch {
                    state.fail(error)
                    return
                }
            }
        }
        if let error = state.error { throw error }

        try write(lines: plan.devSpeakers, to: root.appendingPathComponent("dev_spk.list"))
        try write(lines: plan.testSpeakers, to: root.appendingPathComponent("test_spk.list"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        var recorded = options
        recorded.jobs = 0 // parallelism does not change the corpus
        try AtomicFile.write(encoder.encode(SynthesisRecord(options: recorded, speakers: plan.speakers)), to: root.appendingPathComponent("synthesis.json"))
        let trainSpeakers = plan.speakers.filter { $0.usage == "TRAIN" }.count
        return Summary(utterances: total, trainSpeakers: trainSpeakers,
                       testSpeakers: plan.speakers.count - trainSpeakers, seconds: state.seconds)
    }

    /// Runs `body(worker)` for `worker` in `0..<count`, each on a thread of its own, and returns when
    /// all have finished. (`concurrentPerform` keeps to one thread a core, but these workers spend
    /// much of their time waiting for their flite process, so two a core keep the cores busy.)
    static func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        let group = DispatchGroup()
        for worker in 0..<count {
            group.enter()
            Thread {
                body(worker)
                group.leave()
            }.start()
        }
        group.wait()
    }

    /// Writes one utterance's four files.
    static func write(_ rendered: RenderedUtterance, utterance: PlannedUtterance, speaker: PseudoSpeaker,
                      root: URL) throws {
        let folder = root.appendingPathComponent(speaker.usage)
            .appendingPathComponent(speaker.dialect.uppercased())
            .appendingPathComponent(speaker.id.uppercased())
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let base = folder.appendingPathComponent(utterance.name)
        try AudioWriter.write(rendered.samples, sampleRate: UtteranceRenderer.sampleRate,
                              to: base.appendingPathExtension("WAV"), format: .sphere16)
        let labels = { (segments: [Segment]) in segments.map { "\($0.start) \($0.end) \($0.label)\n" }.joined() }
        try AtomicFile.write(Data(labels(rendered.phones).utf8), to: base.appendingPathExtension("PHN"))
        try AtomicFile.write(Data(labels(rendered.words).utf8), to: base.appendingPathExtension("WRD"))
        let sentence = utterance.text.prefix(1).uppercased() + utterance.text.dropFirst() + "."
        try AtomicFile.write(Data("0 \(rendered.samples.count) \(sentence)\n".utf8), to: base.appendingPathExtension("TXT"))
    }

    private func write(lines: [String], to url: URL) throws {
        try AtomicFile.write(Data(lines.map { $0 + "\n" }.joined().utf8), to: url)
    }
}

/// What `synthesis.json` records: the options and every speaker's draws.
struct SynthesisRecord: Codable {
    var options: SynthesisOptions
    var speakers: [PseudoSpeaker]
}

/// Shared state of the synthesis workers: progress count, audio total and the first error.
private final class SynthesisState: @unchecked Sendable {
    private let lock = NSLock()
    private var done = 0
    private(set) var seconds = 0.0
    private var firstError: Error?

    var failed: Bool { lock.withLock { firstError != nil } }
    var error: Error? { lock.withLock { firstError } }

    func finish(seconds: Double) -> Int {
        lock.withLock {
            done += 1
            self.seconds += seconds
            return done
        }
    }

    func fail(_ error: Error) {
        lock.withLock { if firstError == nil { firstError = error } }
    }
}
