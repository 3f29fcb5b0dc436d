import Foundation
import Testing
@testable import AudioIO
import TestSupport

@Suite struct AudioErrorTests {
    /// Reads `url` and returns the error thrown (failing the test if none).
    func readError(_ url: URL, options: AudioReadOptions = .init()) -> AudioError? {
        do {
            _ = try AudioReader.read(url, options: options)
            Issue.record("reading \(url.path) should have failed")
            return nil
        } catch {
            return error
        }
    }

    /// A 16-bit mono SPHERE header for `samples` samples with extra `fields`, padded to 1024 bytes.
    func sphereHeader(samples: Int, fields: String = "") -> Data {
        var text = "NIST_1A\n   1024\nchannel_count -i 1\nsample_count -i \(samples)\nsample_rate -i 16000\n"
            + "sample_n_bytes -i 2\nsample_byte_format -s2 01\nsample_sig_bits -i 16\n\(fields)end_head\n"
        text += String(repeating: " ", count: 1024 - text.utf8.count)
        return Data(text.utf8)
    }

    @Test func missingFile() throws {
        let folder = try TemporaryFolder()
        let url = folder.file("nope.wav")
        let error = readError(url)
        #expect(error == .missing(path: url.path))
        #expect(error?.description == "\(url.path): no such file")
    }

    @Test func folderIsUnreadable() throws {
        let folder = try TemporaryFolder()
        let error = readError(folder.url)
        guard case .unreadable(let path, _)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(path == folder.url.path)
    }

    @Test func zeroByteAndZeroFrameFiles() throws {
        let folder = try TemporaryFolder()
        let empty = folder.file("empty.wav")
        try Data().write(to: empty)
        #expect(readError(empty) == .zeroLength(path: empty.path))
        let noFrames = folder.file("noframes.wav")
        try AudioWriter.write([], sampleRate: 16000, to: noFrames, format: .wav16)
        #expect(readError(noFrames) == .zeroLength(path: noFrames.path))
        #expect(readError(noFrames)?.description.contains("zero-length") == true)
    }

    @Test func garbageIsCorruptWithLibsndfilesMessage() throws {
        let folder = try TemporaryFolder()
        let url = folder.file("junk.wav")
        try Data(String(repeating: "not audio at all ", count: 20).utf8).write(to: url)
        let error = readError(url)
        guard case .corrupt(let path, let message)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(path == url.path)
        #expect(message.contains("Format not recognised"))
        #expect(error!.description.hasPrefix(url.path + ": "))
    }

    @Test func truncatedWavIsReported() throws {
        let folder = try TemporaryFolder()
        let url = folder.file("t.wav")
        try AudioWriter.write([Float](repeating: 0.25, count: 1000), sampleRate: 16000, to: url, format: .wav16)
        let bytes = try Data(contentsOf: url)
        try bytes.prefix(bytes.count - 800).write(to: url)
        let error = readError(url)
        guard case .truncated(let path, let detail)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(path == url.path)
        #expect(detail.contains("should be"))
    }

    @Test func truncatedSphereIsReported() throws {
        let folder = try TemporaryFolder()
        let url = folder.file("T.WAV")
        try (sphereHeader(samples: 1000) + Data(repeating: 1, count: 600)).write(to: url)
        let error = readError(url)
        #expect(error == .truncated(path: url.path, detail: "SPHERE header sample_count is 1000, data holds 300 frames"))
        // The same layout, complete, reads.
        try (sphereHeader(samples: 300) + Data(repeating: 1, count: 600)).write(to: url)
        #expect(try AudioReader.read(url).frames == 300)
    }

    @Test func shortenSphereNamesTheConverters() throws {
        let folder = try TemporaryFolder()
        let url = folder.file("s.sph")
        try (sphereHeader(samples: 100, fields: "sample_coding -s26 pcm,embedded-shorten-v2.00\n")
            + Data(repeating: 7, count: 200)).write(to: url)
        let error = readError(url)
        #expect(error == .shortenCompressed(path: url.path))
        #expect(error?.description.contains("sph2pipe") == true)
        #expect(error?.description.contains("sox") == true)
    }

    @Test func channelOutOfRangeAndBadOptions() throws {
        let folder = try TemporaryFolder()
        let url = folder.file("m.wav")
        try AudioWriter.write([0.5, 0.25], sampleRate: 16000, to: url, format: .wav16)
        #expect(readError(url, options: .init(channels: .channel(1))) == .channelOutOfRange(path: url.path, channel: 1, channels: 1))
        guard case .option(let error)? = readError(url, options: .init(sampleRate: 0)) else {
            Issue.record("sampleRate 0 should be rejected"); return
        }
        #expect(error.keyPath == ["sampleRate"])
        #expect(throws: AudioError.self) { try AudioStreamReader(url).next(frames: 0) }
    }

    @Test func streamReaderAndInfoReportTheSameErrors() throws {
        let folder = try TemporaryFolder()
        let url = folder.file("gone.flac")
        #expect(throws: AudioError.missing(path: url.path)) { try AudioStreamReader(url) }
        #expect(throws: AudioError.missing(path: url.path)) { try AudioInfo.inspect(url) }
    }
}

@Suite struct StreamedWavTests {
    /// WAV written to a pipe carries a placeholder data size; it is read, not called truncated.
    @Test(arguments: [UInt32(0xFFFF_FFFF), UInt32(0x7FFF_F000)])
    func placeholderDataSizeIsNotTruncation(size: UInt32) throws {
        let folder = try TemporaryFolder()
        let url = folder.file("p.wav")
        let samples = exactlyRepresentable(bits: 16, count: 500)
        try AudioWriter.write(samples, sampleRate: 16000, to: url, format: .wav16)
        var bytes = try Data(contentsOf: url)
        let dataChunk = try #require(bytes.range(of: Data("data".utf8)))
        withUnsafeBytes(of: size.littleEndian) { bytes.replaceSubrange(dataChunk.upperBound..<(dataChunk.upperBound + 4), with: $0) }
        try bytes.write(to: url)
        #expect(try AudioReader.read(url).samples == samples)
    }
}

@Suite struct FLACLengthClaimTests {
    /// A FLAC whose STREAMINFO total samples (36 bits at byte 18 + 28 bits of the big-endian word) is 0
    /// (unknown: what an encoder writing to a pipe leaves) or absurd is read until its data ends, and
    /// every reader reports the frames it really holds; nothing is sized from the claim.
    @Test(arguments: [UInt64(0), (UInt64(1) << 36) - 1])
    func totalSamplesIsOnlyAClaim(claim: UInt64) throws {
        let folder = try TemporaryFolder()
        let url = folder.file("claim.flac")
        let samples = exactlyRepresentable(bits: 16, count: 5000)
        try AudioWriter.write(samples, sampleRate: 16000, to: url, format: .flac16)
        var bytes = [UInt8](try Data(contentsOf: url))
        #expect(Array(bytes[0..<4]) == Array("fLaC".utf8) && bytes[4] & 0x7F == 0)   // STREAMINFO first
        var word = bytes[18..<26].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        #expect(word & ((1 << 36) - 1) == 5000)
        word = word & ~((1 << 36) - 1) | claim
        for i in 0..<8 { bytes[18 + i] = UInt8(truncatingIfNeeded: word >> (56 - 8 * UInt64(i))) }
        try Data(bytes).write(to: url)
        let header = try SoundFile(reading: url)
        #expect(header.frames != 5000 && header.lengthIsAClaim, "libsndfile reads the claim \(header.frames)")
        #expect(try AudioReader.read(url).samples == samples)
        #expect(try AudioInfo.inspect(url).frames == 5000)
        #expect(try AudioHeader.read(url).frames == 5000)
        let stream = try AudioStreamReader(url)
        var streamed: [Float] = []
        while let block = try stream.next(frames: 1024) { streamed += block }
        #expect(streamed == samples)
    }
}
