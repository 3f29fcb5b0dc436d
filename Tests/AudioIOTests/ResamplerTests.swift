import Foundation
import Testing
@testable import AudioIO
import TestSupport

@Suite struct ResamplerTests {
    /// Zero crossings (sign changes) of `x`.
    func zeroCrossings(_ x: ArraySlice<Float>) -> Int {
        zip(x, x.dropFirst()).filter { ($0 < 0) != ($1 < 0) }.count
    }

    /// Frequency of the largest DFT magnitude over `x`, searched in 1 Hz steps around `guess`.
    func peakFrequency(_ x: ArraySlice<Float>, rate: Int, around guess: Double) -> Double {
        var best = (frequency: 0.0, power: -1.0)
        for step in -50...50 {
            let f = guess + Double(step)
            var re = 0.0, im = 0.0
            for (n, v) in x.enumerated() {
                let phase = 2 * Double.pi * f * Double(n) / Double(rate)
                re += Double(v) * cos(phase)
                im -= Double(v) * sin(phase)
            }
            let power = re * re + im * im
            if power > best.power { best = (f, power) }
        }
        return best.frequency
    }

    func rms(_ x: ArraySlice<Float>) -> Double {
        (x.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(x.count)).squareRoot()
    }

    @Test(arguments: [(16000, 8000), (16000, 22050), (8000, 16000), (44100, 16000)])
    func sineKeepsFrequencyAndLevel(rates: (Int, Int)) throws {
        let (from, to) = rates
        let frequency = 440.0, seconds = 0.5
        let input = sine(frequency: frequency, rate: from, count: Int(Double(from) * seconds))
        let output = try Resampler.resample(input, from: from, to: to)
        let expectedCount = Double(input.count) * Double(to) / Double(from)
        #expect(abs(Double(output.count) - expectedCount) <= 2)
        // Away from the edges, where the filter sees only part of the signal.
        let middle = output[(output.count / 10)..<(output.count * 9 / 10)]
        let middleSeconds = Double(middle.count) / Double(to)
        let crossings = Double(zeroCrossings(middle))
        #expect(abs(crossings - 2 * frequency * middleSeconds) <= 2)
        #expect(peakFrequency(middle, rate: to, around: frequency) == frequency)
        let levelDB = 20 * log10(rms(middle) / (0.5 / 2.0.squareRoot()))
        #expect(abs(levelDB) < 0.05)
    }

    @Test func blockwiseConversionEqualsOneShot() throws {
        let input = sine(frequency: 1000, rate: 16000, count: 8000)
        let whole = try Resampler.resample(input, from: 16000, to: 11025)
        let resampler = try Resampler(from: 16000, to: 11025)
        var pieces: [Float] = []
        var start = 0
        for size in [1, 999, 2048, 17, 3000] {
            pieces += try resampler.process(Array(input[start..<(start + size)]))
            start += size
        }
        pieces += try resampler.process(Array(input[start...]), endOfInput: true)
        #expect(pieces.count == whole.count)
        let difference = zip(pieces, whole).map { abs($0 - $1) }.max() ?? 0
        #expect(difference < 1e-5)
    }

    @Test func readerResamplesOnlyWhenAsked() throws {
        let folder = try TemporaryFolder()
        let url = folder.file("r.wav")
        let input = sine(frequency: 300, rate: 16000, count: 4000)
        try AudioWriter.write(input, sampleRate: 16000, to: url, format: .wavFloat)
        #expect(try AudioReader.read(url).samples == input)
        #expect(try AudioReader.read(url, options: .init(sampleRate: 16000)).samples == input)
        let resampled = try AudioReader.read(url, options: .init(sampleRate: 8000, resampleQuality: .linear))
        #expect(resampled.sampleRate == 8000)
        #expect(resampled.samples == (try Resampler.resample(input, from: 16000, to: 8000, quality: .linear)))
    }

    @Test func invalidRatioIsRejected() {
        #expect(throws: AudioError.self) { try Resampler(from: 16000, to: 16) }
        #expect(throws: AudioError.self) { try Resampler(from: 0, to: 16000) }
    }
}
