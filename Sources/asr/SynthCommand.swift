import ArgumentParser
import Foundation
import Recipes
import Synthesis

/// `asr synth`: Synthesize a TIMIT-layout corpus with flite.
struct Synth: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Synthesize a TIMIT-layout corpus with flite.",
        discussion: """
            Writes TRAIN/TEST/DRn/<SPEAKER>/<SENTENCE>.{WAV,PHN,WRD,TXT} (NIST SPHERE at 16 kHz, TIMIT-61 \
            phones with sample times), plus dev_spk.list and test_spk.list for \
            `asr prepare timit DIR --dev-speakers DIR/dev_spk.list --test-speakers DIR/test_spk.list`. \
            The corpus is a function of the options and the seed.
            """
    )

    @Option(help: "Output folder (must not already hold TRAIN or TEST).")
    var out: String
    @Option(help: "Number of pseudo-speakers.")
    var speakers: Int = SynthesisOptions().speakers
    @Option(help: "SX + SI sentences per speaker (5:3 as TIMIT); SA comes on top.")
    var sentences: Int = SynthesisOptions().sentences
    @Option(help: "SA sentences read by every speaker (0, 1 or 2).")
    var saSentences: Int = SynthesisOptions().saSentences
    @Option(help: "Seed of every random draw.")
    var seed: UInt64 = SynthesisOptions().seed
    @Option(help: "Fraction of speakers in TEST.")
    var testFraction: Double = SynthesisOptions().testFraction
    @Option(help: "Fraction of TEST speakers in dev_spk.list (the rest go to test_spk.list).")
    var devFraction: Double = SynthesisOptions().devFraction
    @Option(help: "Comma-separated flite voices (\(FliteVoice.allCases.map(\.rawValue).joined(separator: ", "))).")
    var voices: String = SynthesisOptions().voices.map(\.rawValue).joined(separator: ",")
    @Option(help: "Prompt file, one sentence a line (default: the built-in sentence grammar).")
    var prompts: String?
    @Option(help: "Parallel flite processes (0: two per core).")
    var jobs: Int = 0

    func run() throws {
        var options = SynthesisOptions()
        options.speakers = speakers
        options.sentences = sentences
        options.saSentences = saSentences
        options.seed = seed
        options.testFraction = testFraction
        options.devFraction = devFraction
        options.prompts = prompts
        options.jobs = jobs
        options.voices = try voices.split(separator: ",").map { name in
            guard let voice = FliteVoice(rawValue: String(name)) else {
                throw ValidationError("unknown voice '\(name)'; allowed: \(FliteVoice.allCases.map(\.rawValue))")
            }
            return voice
        }
        let synthesizer = try CorpusSynthesizer(options: options)
        let start = Date()
        let plan = try synthesizer.plan()
        let progress = ProgressReporter(label: "synth", total: plan.utterances.count, unit: "utts")
        let summary = try synthesizer.synthesize(into: URL(fileURLWithPath: out)) { done, _ in progress.update(done) }
        let seconds = Date().timeIntervalSince(start)
        print(String(format: "%d utterances (%d TRAIN / %d TEST speakers, %.1f min of audio) in %.1f s -> %@",
                     summary.utterances, summary.trainSpeakers, summary.testSpeakers, summary.seconds / 60,
                     seconds, out))
    }
}
