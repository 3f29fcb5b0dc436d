import Testing
@testable import Models

/// The synthetic task's examples for a fixed seed, as bit patterns (its label draws and its
/// Box–Muller frame noise), computed by the code as it stood when they were committed.
@Suite struct SyntheticTaskKnownAnswerTests {
    @Test func examplesOfSeed3() {
        let examples = SyntheticTask().examples(count: 2, seed: 3)
        #expect(examples.map(\.labels) == [[5, 4, 0], [0, 2, 6, 0]])
        #expect(examples.map(\.frames) == [18, 23])
        #expect(examples[1].features.prefix(16).map(\.bitPattern) == [
            0xC03C4A91, 0x3E431A70, 0x4019E2A3, 0x3F70AE61, 0xBF69B2D8, 0x3F6D0616, 0x3EC43A04, 0xBFB98A4A,
            0x3E3CCE34, 0x3F3C9FD9, 0x3E5EA22E, 0x3FCDDDF4, 0xC0453536, 0x3E6CFE9C, 0x40102E74, 0x3F0B1976])
    }
}
