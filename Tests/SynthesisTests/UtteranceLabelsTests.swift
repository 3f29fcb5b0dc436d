import Corpus
import Testing
@testable import Synthesis

@Suite("flite output to TIMIT labels")
struct UtteranceLabelsTests {
    @Test("-psdur output parses into labels and end times; garbage is an error")
    func parse() throws {
        let rendering = try FliteRunner.parsePhoneTimes("pau:0.159 sh:0.296 iy:0.364 pau:0.5\n", text: "she")
        #expect(rendering.phones.map(\.label) == ["pau", "sh", "iy", "pau"])
        #expect(rendering.phones.map(\.end) == [0.159, 0.296, 0.364, 0.5])
        #expect(throws: SynthesisError.self) { _ = try FliteRunner.parsePhoneTimes("pau:0.2 sh:0.1", text: "x") }
        #expect(throws: SynthesisError.self) { _ = try FliteRunner.parsePhoneTimes("pau 0.2", text: "x") }
    }

    @Test("times scale, shift and clamp; edge pauses become h#, medial ones stay pau")
    func phones() {
        // kal16-like: the last pause ends 0.112 s after the wave.
        let rendering = FliteRendering(phones: [("pau", 0.1), ("s", 0.2), ("pau", 0.25), ("iy", 0.3), ("pau", 0.5)])
        let speech = Int(0.388 * 16000 / 1.25)
        let segments = UtteranceLabels.phones(rendering, sampleRate: 16000, timeScale: 1 / 1.25, offset: 800,
                                              speechSamples: speech, sampleCount: 800 + speech + 1600)
        #expect(segments.map(\.label) == ["h#", "s", "pau", "iy", "h#"])
        #expect(segments[0] == Segment(start: 0, end: 800 + 1280, label: "h#"))
        #expect(segments[1].end == 800 + 2560)
        #expect(segments[3].end == 800 + 3840)
        #expect(segments[4].end == 800 + speech + 1600)
    }

    @Test("words own the phones aligned to their pronunciations, context changes included")
    func words() throws {
        let phones = ["h#", "dh", "iy", "ae", "p", "ax", "l", "h#"].enumerated().map {
            Segment(start: $0.offset * 10, end: $0.offset * 10 + 10, label: $0.element)
        }
        // In isolation flite says "dh ax"; before a vowel "dh iy".
        let words = try UtteranceLabels.words(["the", "apple"], pronunciations: ["the": ["dh", "ax"], "apple": ["ae", "p", "ax", "l"]],
                                              phones: phones, text: "the apple")
        #expect(words == [Segment(start: 10, end: 30, label: "the"), Segment(start: 30, end: 70, label: "apple")])
    }
}
