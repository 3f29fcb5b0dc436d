import Randomness
/// A pseudo-speaker: a flite voice and the per-speaker draws that make it sound like someone else.
public struct PseudoSpeaker: Codable, Sendable, Equatable {
    /// TIMIT-style id in lower case: sex letter, three initials, a digit (`fcjf0`).
    public var id: String
    /// Dialect region folder (`dr1` ... `dr8`), assigned round-robin; it has no acoustic meaning.
    public var dialect: String
    /// `TRAIN` or `TEST`.
    public var usage: String
    /// The base voice.
    public var voice: FliteVoice
    /// Vocal-tract-length factor α: formants scale by α, durations and f0 are restored.
    public var vocalTract: Double
    /// Mean f0 in Hz before the α compensation.
    public var f0: Double
    /// Duration stretch before the α compensation (1 = the voice's own rate).
    public var rate: Double
}

/// One utterance to synthesize: who reads what, and where it goes.
public struct PlannedUtterance: Codable, Sendable, Equatable {
    /// Index of the speaker in `CorpusPlan.speakers`.
    public var speaker: Int
    /// Sentence name in upper case (`SA1`, `SX12`, `SI1027`).
    public var name: String
    /// The prompt, lower-case words separated by spaces.
    public var text: String
}

/// Which speakers exist and which sentences each reads, with TIMIT's structure: SA texts read by every
/// speaker, SX texts read by `sxReaders` speakers of one split, SI texts read once; TRAIN and TEST share
/// no speaker and no SX or SI text.
public struct CorpusPlan: Codable, Sendable, Equatable {
    /// Every speaker, TRAIN first.
    public var speakers: [PseudoSpeaker]
    /// Every utterance, grouped by speaker.
    public var utterances: [PlannedUtterance]
    /// Ids of the TEST speakers listed as the development set.
    public var devSpeakers: [String]
    /// Ids of the TEST speakers listed as the (core) test set.
    public var testSpeakers: [String]

    /// Draws the plan for `options`, taking sentences from `prompts` (distinct, at least `requiredPrompts`).
    public init(options: SynthesisOptions, prompts: [String]) throws {
        var generator = SplitMix64(seed: options.seed, stream: 1)
        let trainCount = CorpusPlan.splitSizes(options).train
        var ids = Set<String>()
        var speakers: [PseudoSpeaker] = []
        for index in 0..<options.speakers {
            let voice = options.voices[index % options.voices.count]
            let alpha = generator.uniform(options.vocalTractRange[0]...options.vocalTractRange[1])
            let f0 = voice.defaultF0 * (1 + generator.uniform(-options.pitchSpread...options.pitchSpread))
            let rate = 1 + generator.uniform(-options.rateSpread...options.rateSpread)
            speakers.append(PseudoSpeaker(
                id: CorpusPlan.speakerId(sex: voice.sex, taken: &ids, using: &generator),
                dialect: "dr\(index % 8 + 1)", usage: index < trainCount ? "TRAIN" : "TEST",
                voice: voice, vocalTract: alpha, f0: f0, rate: rate))
        }
        let testIds = speakers[trainCount...].map(\.id)
        let devCount = Int((Double(testIds.count) * options.devFraction).rounded())
        devSpeakers = Array(testIds.prefix(devCount))
        testSpeakers = Array(testIds.dropFirst(devCount))
        self.speakers = speakers

        let needed = CorpusPlan.requiredPrompts(options)
        guard prompts.count >= needed else {
            throw SynthesisError.tooManySentences(requested: needed, capacity: prompts.count)
        }
        var next = 0
        /// The next unused prompt and its number (1-based, used in the sentence name).
        func take() -> (number: Int, text: String) {
            next += 1
            return (next, prompts[next - 1])
        }
        let sa = (0..<options.saSentences).map { _ in take().text }
        let (sxCount, siCount) = CorpusPlan.sentenceTypes(options.sentences)
        var utterances: [PlannedUtterance] = []
        for range in [0..<trainCount, trainCount..<options.speakers] {
            // Slot s of the split (speaker-major) reads SX text s mod K: each text gets about sxReaders
            // readers, and a speaker's sxCount <= K consecutive slots are distinct texts.
            let textCount = CorpusPlan.sxTextCount(speakers: range.count, options: options)
            let sxTexts = (0..<textCount).map { _ in take() }
            for (position, speaker) in range.enumerated() {
                for (number, text) in sa.enumerated() {
                    utterances.append(PlannedUtterance(speaker: speaker, name: "SA\(number + 1)", text: text))
                }
                for slot in position * sxCount..<(position + 1) * sxCount {
                    let sx = sxTexts[slot % textCount]
                    utterances.append(PlannedUtterance(speaker: speaker, name: "SX\(sx.number)", text: sx.text))
                }
                for _ in 0..<siCount {
                    let si = take()
                    utterances.append(PlannedUtterance(speaker: speaker, name: "SI\(si.number)", text: si.text))
                }
            }
        }
        self.utterances = utterances
    }

    /// SX and SI counts for `sentences` per speaker, in TIMIT's 5 : 3 proportion.
    public static func sentenceTypes(_ sentences: Int) -> (sx: Int, si: Int) {
        let sx = Int((Double(sentences) * 5 / 8).rounded())
        return (sx, sentences - sx)
    }

    /// Numbers of TRAIN and TEST speakers: round(speakers · testFraction) in TEST, at least one on each side.
    public static func splitSizes(_ options: SynthesisOptions) -> (train: Int, test: Int) {
        let test = min(options.speakers - 1, max(1, Int((Double(options.speakers) * options.testFraction).rounded())))
        return (options.speakers - test, test)
    }

    /// How many distinct prompts a plan for `options` consumes.
    public static func requiredPrompts(_ options: SynthesisOptions) -> Int {
        let (trainSpeakers, testSpeakers) = splitSizes(options)
        let si = sentenceTypes(options.sentences).si
        return options.saSentences + sxTextCount(speakers: trainSpeakers, options: options)
            + sxTextCount(speakers: testSpeakers, options: options) + (trainSpeakers + testSpeakers) * si
    }

    /// Number of SX texts a split of `speakers` speakers reads: ⌈speakers · sx / sxReaders⌉, at least sx.
    static func sxTextCount(speakers: Int, options: SynthesisOptions) -> Int {
        let sx = sentenceTypes(options.sentences).sx
        return max(sx, (speakers * sx + options.sxReaders - 1) / options.sxReaders)
    }

    /// An unused TIMIT-style speaker id: the sex letter, three random initials and the lowest free digit.
    static func speakerId(sex: Character, taken: inout Set<String>, using generator: inout SplitMix64) -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        while true {
            let initials = String((0..<3).map { _ in letters[Int.random(in: 0..<letters.count, using: &generator)] })
            for digit in 0...9 {
                let id = "\(sex)\(initials)\(digit)"
                if taken.insert(id).inserted { return id }
            }
        }
    }
}
