import AudioIO
import Corpus
import Foundation
import Randomness

/// One finished utterance: 16 kHz samples and its TIMIT labels.
public struct RenderedUtterance: Sendable {
    /// Samples in [-1, 1) at 16 kHz.
    public var samples: [Float]
    /// `.PHN` segments (TIMIT-61), tiling `[0, samples.count)`.
    public var phones: [Segment]
    /// `.WRD` segments.
    public var words: [Segment]
}

/// Synthesizes one planned utterance for its speaker: flite, vocal-tract-length resampling, flite's edge
/// pauses cut to 20 ms, silence padding, level and additive noise. The labels are computed before noise is added and stay exact.
public struct UtteranceRenderer: Sendable {
    /// The corpus's sample rate (TIMIT's).
    public static let sampleRate = 16000

    /// The options in force.
    public var options: SynthesisOptions
    /// The flite command line tool.
    public var flite: FliteRunner
    /// Every prompt word's phones in isolation.
    public var pronunciations: [String: [String]]
    /// Folder for flite's temporary wave files.
    public var scratch: URL

    /// A renderer with everything it needs.
    public init(options: SynthesisOptions, flite: FliteRunner, pronunciations: [String: [String]], scratch: URL) {
        self.options = options
        self.flite = flite
        self.pronunciations = pronunciations
        self.scratch = scratch
    }

    /// Renders utterance number `index` (its random draws depend only on the seed and `index`).
    public func render(_ utterance: PlannedUtterance, speaker: PseudoSpeaker, index: Int) throws -> RenderedUtterance {
        var generator = SplitMix64(seed: options.seed, stream: 1000 + UInt64(index))
        let jitter = options.utteranceJitter
        let alpha = speaker.vocalTract
        let stretch = speaker.rate * alpha * (1 + generator.uniform(-jitter...jitter))
        let f0 = speaker.f0 / alpha * (1 + generator.uniform(-jitter...jitter))
        let wave = scratch.appendingPathComponent("utt\(index).wav")
        defer { try? FileManager.default.removeItem(at: wave) }
        let rendering = try flite.synthesize(text: utterance.text, voice: speaker.voice, durationStretch: stretch,
                                             f0Mean: f0, output: wave)
        let audio = try AudioReader.read(wave)
        guard audio.sampleRate == UtteranceRenderer.sampleRate else {
            throw SynthesisError.fliteOutput(text: utterance.text, reason: "wave at \(audio.sampleRate) Hz, not 16000")
        }
        // Playing the wave α times faster scales its formants by α; flite already stretched it by α.
        let inputRate = Int((Double(UtteranceRenderer.sampleRate) * alpha).rounded())
        var speech = audio.samples
        if inputRate != UtteranceRenderer.sampleRate {
            let resampler = try Resampler(from: inputRate, to: UtteranceRenderer.sampleRate, quality: .mediumSinc)
            speech = try resampler.process(speech, endOfInput: true)
        }
        let timeScale = Double(UtteranceRenderer.sampleRate) / Double(inputRate)
        // flite's own edge pauses are cut to 20 ms, so that the silence around the speech is the drawn padding.
        let margin = UtteranceRenderer.sampleRate / 50
        func sample(_ seconds: Double) -> Int { Int((seconds * Double(UtteranceRenderer.sampleRate) * timeScale).rounded()) }
        let phonesOut = rendering.phones
        var cutStart = 0, cutEnd = speech.count
        if phonesOut.count > 2, phonesOut[0].label == "pau" { cutStart = max(0, min(sample(phonesOut[0].end) - margin, speech.count)) }
        if phonesOut.count > 2, phonesOut[phonesOut.count - 1].label == "pau" {
            cutEnd = min(speech.count, max(cutStart, sample(phonesOut[phonesOut.count - 2].end) + margin))
        }
        speech = Array(speech[cutStart..<cutEnd])

        let padding = options.paddingRange
        let lead = Int(generator.uniform(padding[0]...padding[1]) * Double(UtteranceRenderer.sampleRate))
        let trail = Int(generator.uniform(padding[0]...padding[1]) * Double(UtteranceRenderer.sampleRate))
        let level = generator.uniform(options.levelRange[0]...options.levelRange[1])
        let snr = generator.uniform(options.snrRange[0]...options.snrRange[1])
        let color = NoiseColor.allCases[Int.random(in: 0..<NoiseColor.allCases.count, using: &generator)]

        let total = lead + speech.count + trail
        let rms = (speech.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(max(speech.count, 1))).squareRoot()
        let gain = rms > 0 ? pow(10, level / 20) / rms : 0
        let noiseRMS = pow(10, (level - snr) / 20)
        var samples = color.samples(total, using: &generator).map { Float(Double($0) * noiseRMS) }
        for (i, value) in speech.enumerated() { samples[lead + i] += Float(Double(value) * gain) }
        if let peak = samples.map({ abs($0) }).max(), peak > 0.95 {
            let scale = 0.95 / peak
            samples = samples.map { $0 * scale }
        }

        let phones = UtteranceLabels.phones(rendering, sampleRate: UtteranceRenderer.sampleRate, timeScale: timeScale,
                                            offset: lead - cutStart, speechSamples: cutStart + speech.count, sampleCount: total)
        let words = try UtteranceLabels.words(PromptSource.words(of: utterance.text), pronunciations: pronunciations,
                                              phones: phones, text: utterance.text)
        return RenderedUtterance(samples: samples, phones: phones, words: words)
    }
}
