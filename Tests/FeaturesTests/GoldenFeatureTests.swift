import Foundation
import Options
import Testing
@testable import Features

/// Fbank and MFCC against kaldi-native-fbank 1.23.0 (Fixtures/golden, made by Fixtures/generate.py).
@Suite struct GoldenFeatureTests {
    static let positions = Array(FixtureFiles.goldenCases.indices)

    @Test(arguments: positions)
    func matchesKaldiNativeFbank(position: Int) throws {
        let record = FixtureFiles.goldenCases[position]
        #expect(record.error == nil, "kaldi-native-fbank refused case \(position): \(record.error ?? "")")
        let json = try FixtureFiles.fbankOptions(record)
        let fbank = try OptionsJSON.decode(FbankOptions.self, from: json)
        let (samples, rate) = try FixtureFiles.speech(record.wav)
        let matrix: FeatureMatrix
        var melColumns: Range<Int>
        if record.kind == "mfcc" {
            var options = MfccOptions()
            options.fbank = fbank
            matrix = try Mfcc(options: options).compute(samples, sampleRate: rate)
            melColumns = 0..<0
        } else {
            matrix = try Fbank(options: fbank).compute(samples, sampleRate: rate)
            let first = fbank.useEnergy && !fbank.htkCompat ? 1 : 0
            melColumns = first..<(first + fbank.numMelBins)
        }
        let expected = try FixtureFiles.expected(position)
        let context = "case \(position) \(record.wav) \(record.kind) \(record.options)"
        try #require(matrix.frames == record.frames, "\(context): frame count")
        try #require(matrix.dim == record.dim, "\(context): dimension")
        var worst: Float = 0
        var checked = 0
        for t in 0..<matrix.frames {
            let row = expected[(t * matrix.dim)..<((t + 1) * matrix.dim)]
            let peak = melColumns.isEmpty ? 0 : melColumns.map { row[row.startIndex + $0] }.max()!
            for d in 0..<matrix.dim {
                let want = row[row.startIndex + d]
                // Log-mel values more than 15 nats below the frame's peak carry float32 FFT round-off.
                if melColumns.contains(d) && want < peak - 15 { continue }
                worst = max(worst, abs(matrix[t, d] - want))
                checked += 1
            }
        }
        let tolerance: Float = 1e-3
        #expect(worst <= tolerance, "\(context): max |difference| \(worst) over \(checked) values")
        #expect(checked >= matrix.frames * matrix.dim * 9 / 10, "\(context): only \(checked) values compared")
    }
}
