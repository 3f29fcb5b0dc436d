import Foundation
import Testing
@testable import AudioIO
import TestSupport

@Suite struct AudioStreamReaderTests {
    @Test(arguments: [7, 1000, 4096, 100_000])
    func blocksConcatenateToTheWholeFileRead(blockSize: Int) throws {
        let folder = try TemporaryFolder()
        let url = folder.file("s.wav")
        let left = exactlyRepresentable(bits: 16, count: 5003)
        var interleaved: [Float] = []
        for value in left { interleaved += [value, -value * 0.25] }
        try AudioWriter.write(interleaved, sampleRate: 16000, channels: 2, to: url, format: .wav16)

        let whole = try AudioReader.read(url)
        let stream = try AudioStreamReader(url)
        #expect(stream.channels == 1 && stream.sampleRate == 16000 && stream.fileFrames == 5003)
        var joined: [Float] = []
        var blocks = 0
        while let block = try stream.next(frames: blockSize) {
            #expect(block.count <= blockSize)
            joined += block
            blocks += 1
        }
        #expect(joined == whole.samples)
        #expect(blocks == (5003 + blockSize - 1) / blockSize)
        #expect(try stream.next(frames: blockSize) == nil)
    }

    @Test func resampledStreamMatchesResampledRead() throws {
        let folder = try TemporaryFolder()
        let url = folder.file("r.flac")
        try AudioWriter.write(sine(frequency: 500, rate: 16000, count: 6000), sampleRate: 16000, to: url, format: .flac16)
        let options = AudioReadOptions(sampleRate: 8000)
        let whole = try AudioReader.read(url, options: options)
        let stream = try AudioStreamReader(url, options: options)
        #expect(stream.sampleRate == 8000)
        var joined: [Float] = []
        while let block = try stream.next(frames: 1024) { joined += block }
        #expect(joined.count == whole.samples.count)
        #expect((zip(joined, whole.samples).map { abs($0 - $1) }.max() ?? 1) < 1e-5)
    }
}
