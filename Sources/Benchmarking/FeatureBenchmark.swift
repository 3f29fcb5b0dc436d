import AtomicFiles
import Features
import Foundation
import Randomness

/// Single-thread fbank throughput in times real time on audio held in memory (no file reading timed).
public enum FeatureBenchmark {
    /// One measurement.
    public struct Result: Codable, Sendable {
        /// Seconds of audio per run.
        public var audioSeconds: Double
        /// Frames per run.
        public var frames: Int
        /// The timed runs (wall and processor seconds), in order.
        public var times: TimedRuns
        /// Best run's wall seconds.
        public var best: Double { times.bestWall }
        /// Median run's wall seconds.
        public var median: Double { times.medianWall }
        /// Times real time of the best run: audio seconds / wall seconds.
        public var realtimeFactor: Double { audioSeconds / best }
        /// Microseconds per frame, best run: `best / frames · 10⁶`.
        public var microsecondsPerFrame: Double { best / Double(frames) * 1e6 }
    }

    /// `seconds` of speech-like int16-unit audio at `rate`: a voiced source (f0 gliding between 90 and
    /// 250 Hz, 40 harmonics shaped by three moving formants) in syllable-long bursts, with noise and pauses.
    /// Deterministic for a given seed.
    public static func synthesize(seconds: Double, rate: Double, seed: UInt64 = 1) -> [Float] {
        let count = Int(seconds * rate)
        var random = SplitMix64(seed: seed)
        var samples = [Float](repeating: 0, count: count)
        var phase = 0.0
        let block = Int(rate * 0.2)  // one "syllable" every 200 ms
        var start = 0
        while start < count {
            let end = min(count, start + block)
            let voiced = random.nextOpenUnit() < 0.8
            let f0a = 90 + 160 * random.nextOpenUnit(), f0b = 90 + 160 * random.nextOpenUnit()
            let formants = [300 + 600 * random.nextOpenUnit(), 900 + 1500 * random.nextOpenUnit(), 2200 + 1000 * random.nextOpenUnit()]
            let loudness = 1000 + 6000 * random.nextOpenUnit()
            for i in start..<end {
                let u = Double(i - start) / Double(block)
                let envelope = sin(Double.pi * u) * loudness
                var value = 0.0
                if voiced {
                    let f0 = f0a + (f0b - f0a) * u
                    phase += 2 * Double.pi * f0 / rate
                    var h = 1
                    while h <= 40, Double(h) * f0 < rate / 2 {
                        let f = Double(h) * f0
                        let gain = formants.reduce(0.0) { $0 + 1 / (1 + pow((f - $1) / 150, 2)) }
                        value += gain * sin(Double(h) * phase) / Double(h).squareRoot()
                        h += 1
                    }
                }
                value = value * envelope * 0.3 + (random.nextOpenUnit() - 0.5) * (voiced ? 60 : 800) * sin(Double.pi * u)
                samples[i] = Float(max(-32768, min(32767, value.rounded())))
            }
            start = end
        }
        return samples
    }

    /// `source` repeated until it holds `seconds` of audio at `rate`.
    public static func tile(_ source: [Float], seconds: Double, rate: Double) -> [Float] {
        let count = Int(seconds * rate)
        guard !source.isEmpty else { return [Float](repeating: 0, count: count) }
        var out = [Float]()
        out.reserveCapacity(count)
        while out.count < count { out.append(contentsOf: source.prefix(count - out.count)) }
        return out
    }

    /// `samples` cut into consecutive utterances of `seconds` (0 = one utterance); a last piece shorter
    /// than one second joins the one before it.
    public static func utterances(_ samples: [Float], seconds: Double, rate: Double) -> [[Float]] {
        let size = Int(seconds * rate)
        guard size > 0, samples.count > size else { return [samples] }
        var pieces = [[Float]]()
        var start = 0
        while start < samples.count {
            var end = min(samples.count, start + size)
            if samples.count - end < Int(rate) { end = samples.count }
            pieces.append(Array(samples[start..<end]))
            start = end
        }
        return pieces
    }

    /// Times `Fbank.compute` over `utterances` one after another on the calling thread: one warm-up pass
    /// (which also counts the frames), then `repeats` timed passes.
    public static func measure(_ utterances: [[Float]], options: FbankOptions, repeats: Int) throws -> Result {
        let fbank = try Fbank(options: options)
        var frames: Int?
        let times = try Harness.measure(warmUp: 1, repeats: repeats) {
            var count = 0
            for u in utterances { count += try fbank.compute(u, sampleRate: options.sampleFrequency).frames }
            if let frames { precondition(count == frames) } else { frames = count }
        }
        let count = utterances.reduce(0) { $0 + $1.count }
        return Result(audioSeconds: Double(count) / options.sampleFrequency, frames: frames ?? 0, times: times)
    }

    /// Writes `samples` as raw little-endian float32 (for a peer benchmark to read the same audio).
    public static func writeRaw(_ samples: [Float], to url: URL) throws {
        let data = samples.withUnsafeBufferPointer { Data(buffer: $0) }
        try AtomicFile.write(data, to: url)
    }
}
