import Randomness
import Testing
@testable import Features

/// The streaming extractor gives exactly the whole-utterance rows, whatever the chunk sizes.
@Suite struct OnlineFbankTests {
    static let cases: [(snipEdges: Bool, dither: Float, seed: UInt64)] = [
        (true, 0, 1), (false, 0, 2), (true, 1, 3), (false, 1, 4), (false, 0, 5), (true, 0, 6),
    ]

    @Test(arguments: cases.indices)
    func streamingEqualsWholeUtterance(index: Int) throws {
        let (snipEdges, dither, seed) = Self.cases[index]
        var options = FbankOptions()
        options.snipEdges = snipEdges
        options.dither = dither
        options.useEnergy = true
        options.numMelBins = 40
        let (speech, rate) = try FixtureFiles.speech("librivox0870-16k")
        let whole = try Fbank(options: options).compute(speech, sampleRate: rate)
        let stream = try OnlineFbank(options: options)
        var random = SplitMix64(seed: seed)
        var streamed = FeatureMatrix(dim: stream.dim)
        var position = 0
        while position < speech.count {
            // Chunks from 1 sample to about a second, biased towards small ones.
            let size = min(speech.count - position, Int.random(in: 1...(Bool.random(using: &random) ? 50 : 3000), using: &random))
            let rows = try stream.accept(Array(speech[position..<(position + size)]), sampleRate: rate)
            position += size
            streamed.append(rows)
            // A frame comes out as soon as its last sample has arrived.
            #expect(stream.framesEmitted == stream.fbank.geometry.completeFrameCount(samples: position))
        }
        streamed.append(stream.finish())
        #expect(streamed.frames == whole.frames)
        #expect(streamed == whole)
    }

    @Test(arguments: [1, 79, 80, 250, 399, 400, 401])
    func shortSignalsStreamLikeTheWholePath(count: Int) throws {
        for snipEdges in [true, false] {
            var options = FbankOptions()
            options.snipEdges = snipEdges
            options.dither = 0
            var random = SplitMix64(seed: UInt64(count))
            let samples = (0..<count).map { _ in Float(random.nextOpenUnit() * 2000 - 1000) }
            let stream = try OnlineFbank(options: options)
            var streamed = try stream.accept(samples, sampleRate: 16000)
            streamed.append(stream.finish())
            let frames = FrameGeometry(options).frameCount(samples: count)
            #expect(streamed.frames == frames)
            if frames > 0 { #expect(streamed == (try Fbank(options: options).compute(samples, sampleRate: 16000))) }
        }
    }

    @Test func streamRefusesBadSamples() throws {
        let stream = try OnlineFbank()
        #expect(throws: FeatureError.sampleRateMismatch(expected: 16000, actual: 8000)) { try stream.accept([0], sampleRate: 8000) }
        #expect(throws: FeatureError.nonFiniteSample(index: 1)) { try stream.accept([0, .nan], sampleRate: 16000) }
    }
}
