import Foundation
import Options
import Testing
@testable import AudioIO
import TestSupport

@Suite struct AudioRoundTripTests {
    static let integerFormats: [(AudioFileFormat, Int)] = [
        (.wav8, 8), (.wav16, 16), (.wav24, 24), (.wav32, 32), (.flac16, 16), (.flac24, 24), (.sphere16, 16),
        (.aiff16, 16), (.aiff24, 24),
    ]

    @Test(arguments: integerFormats.map(\.0))
    func integerFormatsRoundTripExactly(format: AudioFileFormat) throws {
        let bits = Self.integerFormats.first { $0.0 == format }!.1
        // 32-bit values must also be exact in Float, so use 24 significant bits there.
        let samples = exactlyRepresentable(bits: min(bits, 24), count: 800)
        let folder = try TemporaryFolder()
        let url = folder.file("a.\(format.fileExtension)")
        try AudioWriter.write(samples, sampleRate: 16000, to: url, format: format)
        let audio = try AudioReader.read(url)
        #expect(audio.sampleRate == 16000)
        #expect(audio.channels == 1)
        #expect(audio.frames == samples.count)
        #expect(audio.samples == samples)
    }

    @Test func channelSelectionCodesAsRecipeValues() throws {
        let options = AudioReadOptions(channels: .channel(1), sampleRate: 8000)
        let json = String(decoding: try JSONEncoder().encode(options), as: UTF8.self)
        #expect(json.contains("\"channels\":1"))
        #expect(try OptionsJSON.decode(AudioReadOptions.self, from: Data(json.utf8)) == options)
        for (text, selection) in [("\"mix\"", ChannelSelection.mixDown), ("\"all\"", .all), ("0", .channel(0))] {
            #expect(try JSONDecoder().decode(ChannelSelection.self, from: Data(text.utf8)) == selection)
        }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(ChannelSelection.self, from: Data("\"left\"".utf8)) }
    }

    @Test func floatWavKeepsArbitraryValues() throws {
        let samples: [Float] = [0.1, -0.333, 1.5, -2, 1e-7, 0]
        let folder = try TemporaryFolder()
        let url = folder.file("f.wav")
        try AudioWriter.write(samples, sampleRate: 8000, to: url, format: .wavFloat)
        let audio = try AudioReader.read(url)
        #expect(audio.samples == samples)
        #expect(audio.sampleRate == 8000)
    }

    @Test func integerWritesClampOutOfRangeValues() throws {
        let folder = try TemporaryFolder()
        let url = folder.file("c.wav")
        try AudioWriter.write([1.5, -1.5, 1.0], sampleRate: 16000, to: url, format: .wav16)
        let audio = try AudioReader.read(url)
        #expect(audio.samples == [32767 / 32768, -1, 32767 / 32768])
    }

    @Test func stereoRoundTripsInterleavedAndMixesDown() throws {
        let left = exactlyRepresentable(bits: 16, count: 100)
        let right = Array(left.reversed())
        var interleaved: [Float] = []
        for (l, r) in zip(left, right) { interleaved += [l, r] }
        let folder = try TemporaryFolder()
        let url = folder.file("s.flac")
        try AudioWriter.write(interleaved, sampleRate: 16000, channels: 2, to: url, format: .flac16)

        let all = try AudioReader.read(url, options: .init(channels: .all))
        #expect(all.channels == 2 && all.frames == 100 && all.samples == interleaved)
        let second = try AudioReader.read(url, options: .init(channels: .channel(1)))
        #expect(second.channels == 1 && second.samples == right)
        let mono = try AudioReader.read(url)
        #expect(mono.channels == 1)
        #expect(mono.samples == zip(left, right).map { ($0 + $1) * 0.5 })
    }

    @Test func sphereHeaderIsTimitStyle() throws {
        let folder = try TemporaryFolder()
        let url = folder.file("t.sph")
        try AudioWriter.write(exactlyRepresentable(bits: 16, count: 321), sampleRate: 16000, to: url, format: .sphere16)
        let bytes = try Data(contentsOf: url)
        let header = String(decoding: bytes.prefix(1024), as: UTF8.self)
        #expect(header.hasPrefix("NIST_1A"))
        #expect(header.contains("sample_count -i 321"))
        #expect(header.contains("sample_rate -i 16000"))
        #expect(header.contains("sample_n_bytes -i 2"))
        #expect(bytes.count == 1024 + 321 * 2)
    }

    @Test func writingLeavesNoTemporaryFilesAndFailsCleanly() throws {
        let folder = try TemporaryFolder()
        try AudioWriter.write([0, 0.5], sampleRate: 16000, to: folder.file("x.wav"), format: .wav16)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["x.wav"])
        let missingFolder = folder.file("no/such/folder/y.wav")
        #expect(throws: AudioError.self) {
            try AudioWriter.write([0], sampleRate: 16000, to: missingFolder, format: .wav16)
        }
        #expect(throws: AudioError.self) {
            try AudioWriter.write([0, 1, 2], sampleRate: 16000, channels: 2, to: folder.file("z.wav"), format: .wav16)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["x.wav"])
    }
}
