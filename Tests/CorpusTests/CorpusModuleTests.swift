import Foundation
import Testing
@testable import Corpus

@Test func manifestEntryRoundTripsThroughJSON() throws {
    let entry = ManifestEntry(id: "fcjf0_si1027", speaker: "fcjf0", dialect: "dr1", split: "train",
                              audio: "TRAIN/DR1/FCJF0/SI1027.WAV", sampleRate: 16000, samples: 100,
                              phones: [Segment(start: 0, end: 100, label: "h#")], words: [], text: "a")
    let data = try JSONEncoder().encode(entry)
    #expect(try JSONDecoder().decode(ManifestEntry.self, from: data) == entry)
}
