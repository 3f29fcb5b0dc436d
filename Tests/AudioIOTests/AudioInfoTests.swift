import Foundation
import Testing
@testable import AudioIO
import TestSupport

@Suite struct AudioInfoTests {
    @Test func sphereSineLevelsAndLength() throws {
        let folder = try TemporaryFolder()
        let url = folder.file("SA1.WAV")
        let samples = exactlyRepresentable(bits: 16, count: 8).map { $0 * 0 }
            + sine(frequency: 250, rate: 16000, count: 16000).map { (($0 * 32768).rounded()) / 32768 }
        try AudioWriter.write(samples, sampleRate: 16000, to: url, format: .sphere16)
        let info = try AudioInfo.inspect(url)
        let peak = Double(samples.map { abs($0) }.max()!)
        let rms = (samples.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(samples.count)).squareRoot()
        #expect(info.frames == samples.count && info.channels == 1 && info.sampleRate == 16000)
        #expect(abs(info.duration - Double(samples.count) / 16000) < 1e-12)
        #expect(abs(info.peakDBFS - 20 * log10(peak)) < 1e-4)
        #expect(abs(info.rmsDBFS - 20 * log10(rms)) < 1e-4)
        #expect(info.formatName.contains("NIST"))
        #expect(info.summary.hasPrefix("\(url.path): "))
        #expect(info.summary.contains("16000 Hz, 1 ch, 16008 frames, 1.000 s"))
        #expect(info.summary.contains(String(format: "peak %.2f dBFS", 20 * log10(peak))))
    }

    @Test func silenceIsMinusInfinity() throws {
        let folder = try TemporaryFolder()
        let url = folder.file("z.flac")
        try AudioWriter.write([Float](repeating: 0, count: 50), sampleRate: 8000, channels: 2, to: url, format: .flac16)
        let info = try AudioInfo.inspect(url)
        #expect(info.peakDBFS == -.infinity && info.rmsDBFS == -.infinity)
        #expect(info.channels == 2 && info.frames == 25)
        #expect(info.summary.contains("peak -inf dBFS, RMS -inf dBFS"))
        #expect(info.formatName.contains("FLAC"))
    }

    @Test func nonFiniteSamplesAreCountedAndLeftOutOfTheLevels() throws {
        let folder = try TemporaryFolder()
        let url = folder.file("nan.wav")
        var samples = [Float](repeating: 0.5, count: 100)
        samples[10] = .nan
        samples[20] = .infinity
        try AudioWriter.write(samples, sampleRate: 16000, to: url, format: .wavFloat)
        let info = try AudioInfo.inspect(url)
        #expect(info.nonFiniteSamples == 2)
        #expect(abs(info.peakDBFS - 20 * log10(0.5)) < 1e-6 && abs(info.rmsDBFS - 20 * log10(0.5)) < 1e-6)
        #expect(info.summary.hasSuffix(", 2 non-finite samples (NaN or infinite)"))
    }
}

@Suite struct AudioHeaderTests {
    @Test func headerMatchesTheFullRead() throws {
        let folder = try TemporaryFolder()
        let url = folder.file("h.aiff")
        try AudioWriter.write([Float](repeating: 0.1, count: 3 * 441), sampleRate: 44100, channels: 3, to: url, format: .aiff16)
        let header = try AudioHeader.read(url)
        let audio = try AudioReader.read(url, options: .init(channels: .all))
        #expect(header.frames == audio.frames && header.channels == audio.channels && header.sampleRate == audio.sampleRate)
        #expect(header.formatName.contains("AIFF"))
        #expect(abs(header.duration - 0.01) < 1e-12)
    }
}
