import Randomness
import Testing
@testable import Synthesis

/// Pink noise of a fixed seed, as bit patterns, computed by the code as it stood when they were committed.
@Suite struct NoiseColorKnownAnswerTests {
    @Test func pinkNoiseOfSeed5() {
        var g = SplitMix64(seed: 5)
        #expect(NoiseColor.pink.samples(6, using: &g).map { UInt64($0.bitPattern) } == [
            0xBE0521E6, 0xBF85E8E6, 0xBFE113E0, 0xBF9B3CB8, 0xBEFF2FA0, 0x3E8E5D20])
    }
}
