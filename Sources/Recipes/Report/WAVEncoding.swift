import Foundation

/// Audio as the bytes of a RIFF WAVE file (16-bit PCM), the one format every browser's audio element plays.
public enum WAVEncoding {
    /// The WAVE file of `samples` ([frames × channels] interleaved, each in [-1, 1], clipped beyond).
    public static func pcm16(_ samples: [Float], sampleRate: Int, channels: Int = 1) -> Data {
        var data = Data(capacity: 44 + 2 * samples.count)
        func u32(_ value: Int) { withUnsafeBytes(of: UInt32(truncatingIfNeeded: value).littleEndian) { data.append(contentsOf: $0) } }
        func u16(_ value: Int) { withUnsafeBytes(of: UInt16(truncatingIfNeeded: value).littleEndian) { data.append(contentsOf: $0) } }
        let payload = 2 * samples.count
        data.append(contentsOf: Array("RIFF".utf8)); u32(36 + payload); data.append(contentsOf: Array("WAVE".utf8))
        data.append(contentsOf: Array("fmt ".utf8)); u32(16); u16(1); u16(channels); u32(sampleRate)
        u32(sampleRate * channels * 2); u16(channels * 2); u16(16)
        data.append(contentsOf: Array("data".utf8)); u32(payload)
        for sample in samples {
            let value = Int16(max(-32768, min(32767, (Double(sample) * 32767).rounded())))
            withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
        }
        return data
    }
}
