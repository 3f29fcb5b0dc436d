import Foundation
import Testing

/// A NIST SPHERE file (TIMIT style: 1024-byte header, 16-bit little-endian PCM) holding `samples`.
func sphereFile(_ samples: [Int16], rate: Int = 16000) -> Data {
    var header = "NIST_1A\n   1024\nchannel_count -i 1\nsample_count -i \(samples.count)\nsample_rate -i \(rate)\n"
        + "sample_n_bytes -i 2\nsample_byte_format -s2 01\nsample_sig_bits -i 16\nend_head\n"
    header += String(repeating: " ", count: 1024 - header.utf8.count)
    var data = Data(header.utf8)
    for sample in samples { withUnsafeBytes(of: sample.littleEndian) { data.append(contentsOf: $0) } }
    return data
}

/// A fresh temporary folder for one test.
func makeTemporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("asrTests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite struct InfoCommandTests {
    @Test func printsOneLinePerFileAndReportsBadOnesAfter() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Half-scale square wave: peak and RMS both 20 log10(0.5) = -6.02 dBFS.
        let samples = (0..<8000).map { $0 % 20 < 10 ? Int16(16384) : Int16(-16384) }
        try sphereFile(samples).write(to: folder.appendingPathComponent("a.sph"))
        try Data("garbage, not audio".utf8).write(to: folder.appendingPathComponent("bad.wav"))
        try sphereFile(Array(samples.prefix(1600)), rate: 8000).write(to: folder.appendingPathComponent("b.sph"))

        let result = try ASRProcess.run(["info", "a.sph", "missing.wav", "bad.wav", "b.sph"], in: folder)
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines[0] == "a.sph: WAV (NIST Sphere), Signed 16 bit PCM, 16000 Hz, 1 ch, 8000 frames, 0.500 s, "
                + "peak -6.02 dBFS, RMS -6.02 dBFS")
        #expect(lines[1].hasPrefix("b.sph: WAV (NIST Sphere), Signed 16 bit PCM, 8000 Hz, 1 ch, 1600 frames, 0.200 s"))
        let errors = result.stderr.split(separator: "\n").map(String.init)
        #expect(errors == ["asr: missing.wav: no such file", "asr: bad.wav: not readable audio: Format not recognised."])
    }

    @Test func allGoodFilesExitZero() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try sphereFile([0, 0, 0, 0]).write(to: folder.appendingPathComponent("silence.sph"))
        let result = try ASRProcess.run(["info", "silence.sph"], in: folder)
        #expect(result.status == 0)
        #expect(result.stdout.contains("peak -inf dBFS, RMS -inf dBFS"))
        #expect(result.stderr.isEmpty)
    }

    @Test func headerlessPCMIsDescribedByOptions() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var bytes = Data()
        for sample in [Int16](repeating: 8192, count: 800) { withUnsafeBytes(of: sample.bigEndian) { bytes.append(contentsOf: $0) } }
        try bytes.write(to: folder.appendingPathComponent("x.pcm"))
        let result = try ASRProcess.run(["info", "--raw-rate", "8000", "--raw-channels", "2", "--raw-byte-order", "big", "x.pcm"],
                                        in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        // 8192 / 32768 = 0.25: 20 log10(0.25) = -12.04 dBFS.
        #expect(result.stdout == "x.pcm: RAW (header-less), Signed 16 bit PCM, 8000 Hz, 2 ch, 400 frames, 0.050 s, "
                + "peak -12.04 dBFS, RMS -12.04 dBFS\n")
        let bad = try ASRProcess.run(["info", "--raw-rate", "0", "x.pcm"], in: folder)
        #expect(bad.status == 2 && bad.stderr.contains("raw.sampleRate"))
    }

    @Test func noFilesIsAUsageError() throws {
        let result = try ASRProcess.run(["info"])
        #expect(result.status == 2)
    }
}
