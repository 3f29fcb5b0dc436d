import Foundation
import Randomness
import Testing
@testable import Features

@Suite struct SpeechPresenceTests {
    /// Gaussian white noise of standard deviation `level`, seeded.
    func whiteNoise(_ count: Int, level: Float, seed: UInt64) -> [Float] {
        var rng = Xoshiro256StarStar(seed: seed)
        return (0..<count).map { _ in level * rng.nextNormal() }
    }

    /// A vowel-like signal: 30 harmonics of f0 under a two-formant envelope.
    func vowel(_ count: Int, f0: Double, rate: Double) -> [Float] {
        (0..<count).map { i in
            var x = 0.0
            for h in 1...30 {
                let f = Double(h) * f0
                let envelope = exp(-pow((f - 700) / 250, 2)) + 0.5 * exp(-pow((f - 1200) / 300, 2)) + 0.01
                x += envelope * sin(2 * Double.pi * f * Double(i) / rate)
            }
            return Float(0.1 * x)
        }
    }

    @Test("white noise is flat at every level (about e^-γ ≈ 0.56), a voiced frame is not")
    func noiseAgainstVoice() {
        for (level, seed) in [(Float(0.001), UInt64(1)), (0.03, 2), (0.3, 3)] {
            let presence = SpeechPresence(sampleRate: 16000)
            presence.append(whiteNoise(48000, level: level, seed: seed))
            #expect(presence.minimumFlatness > 0.4 && presence.minimumFlatness < 0.75, "level \(level): \(presence.minimumFlatness)")
        }
        let voiced = SpeechPresence(sampleRate: 16000)
        voiced.append(vowel(4000, f0: 120, rate: 16000))
        #expect(voiced.minimumFlatness < 0.1, "\(voiced.minimumFlatness)")
        // One voiced frame in three seconds of noise is enough.
        let mixed = SpeechPresence(sampleRate: 16000)
        mixed.append(whiteNoise(24000, level: 0.01, seed: 4) + vowel(800, f0: 200, rate: 16000) + whiteNoise(24000, level: 0.01, seed: 5))
        #expect(mixed.minimumFlatness < 0.3)
    }

    @Test("silence leaves it at 1; chunks of any size give the same frames as one block")
    func silenceAndChunking() {
        let silent = SpeechPresence(sampleRate: 16000)
        silent.append([Float](repeating: 0, count: 16000) + [Float](repeating: 1e-6, count: 16000))
        #expect(silent.minimumFlatness == 1)
        let signal = whiteNoise(20000, level: 0.05, seed: 9) + vowel(3000, f0: 150, rate: 16000)
        let whole = SpeechPresence(sampleRate: 16000)
        whole.append(signal)
        let chunked = SpeechPresence(sampleRate: 16000)
        var start = 0, size = 1
        while start < signal.count {
            chunked.append(Array(signal[start..<min(signal.count, start + size)]))
            start += size
            size = size * 3 % 997 + 1
        }
        #expect(chunked.minimumFlatness == whole.minimumFlatness)
        #expect(whole.frameLength == 400 && SpeechPresence(sampleRate: 8000).frameLength == 200)
    }
}
