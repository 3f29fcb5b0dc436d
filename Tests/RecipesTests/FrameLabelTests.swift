import Corpus
import Features
import Testing
@testable import Recipes

@Suite struct FrameLabelTests {
    /// 16 kHz, 25 ms frames every 10 ms (snip edges): frame t's centre is sample 160 t + 200.
    @Test func everyFrameTakesThePhoneAtItsCentre() throws {
        let phones = [Segment(start: 0, end: 800, label: "h#"), Segment(start: 800, end: 2400, label: "aa"),
                      Segment(start: 2400, end: 3200, label: "q"), Segment(start: 3200, end: 4800, label: "b")]
        let entry = ManifestEntry(id: "u", speaker: "s", dialect: "dr1", split: "train", audio: "u.wav", sampleRate: 16000,
                                  samples: 5000, phones: phones, words: [], text: "")
        let labels = try #require(try TrainingData.frameLabels(entry, frames: 30, fbank: FbankOptions()))
        let (sil, aa, b) = (TrainingData.phones.index(of: "sil")!, TrainingData.phones.index(of: "aa")!,
                            TrainingData.phones.index(of: "b")!)
        // Centres 200…680 in h# (→ sil), 840…2280 in aa, 2440…3080 in q (deleted: aa carries on),
        // 3240…4680 in b, 4840 past the end (b carries on).
        #expect(labels == Array(repeating: sil, count: 4) + Array(repeating: aa, count: 15) + Array(repeating: b, count: 11))

        // At 8 kHz the same times are half the samples.
        let halved = ManifestEntry(id: "u", speaker: "s", dialect: "dr1", split: "train", audio: "u.wav", sampleRate: 8000,
                                   samples: 2500, phones: phones.map { Segment(start: $0.start / 2, end: $0.end / 2, label: $0.label) },
                                   words: [], text: "")
        #expect(try TrainingData.frameLabels(halved, frames: 30, fbank: FbankOptions()) == labels)
        let none = ManifestEntry(id: "u", speaker: "s", dialect: "dr1", split: "train", audio: "u.wav", sampleRate: 16000,
                                 samples: 5000, phones: [], words: [], text: "")
        #expect(try TrainingData.frameLabels(none, frames: 30, fbank: FbankOptions()) == nil)
    }
}
