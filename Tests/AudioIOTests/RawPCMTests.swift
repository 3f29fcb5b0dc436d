import Foundation
import Options
import Testing
@testable import AudioIO
import TestSupport

@Suite struct RawPCMTests {
    @Test func littleAndBigEndian16BitStereo() throws {
        let values: [Int16] = [0, 1, -1, 32767, -32768, 1234, -4321, 99]
        let folder = try TemporaryFolder()
        for order in [ByteOrder.little, .big] {
            var bytes = Data()
            for value in values {
                let word = order == .little ? value.littleEndian : value.bigEndian
                withUnsafeBytes(of: word) { bytes.append(contentsOf: $0) }
            }
            let url = folder.file("pcm-\(order.rawValue).raw")
            try bytes.write(to: url)
            let raw = RawPCMFormat(sampleRate: 8000, channels: 2, encoding: .pcm16, byteOrder: order)
            let audio = try AudioReader.read(url, options: .init(channels: .all, raw: raw))
            #expect(audio.sampleRate == 8000 && audio.channels == 2 && audio.frames == 4)
            #expect(audio.samples == values.map { Float($0) / 32768 })
        }
    }

    @Test func float32AndUnsigned8Bit() throws {
        let folder = try TemporaryFolder()
        let floats: [Float] = [0.25, -0.75, 0.5]
        var bytes = Data()
        for value in floats { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
        let floatURL = folder.file("f.raw")
        try bytes.write(to: floatURL)
        let audio = try AudioReader.read(floatURL, options: .init(raw: .init(encoding: .float32)))
        #expect(audio.samples == floats)

        let unsigned: [UInt8] = [128, 255, 0, 192]
        let byteURL = folder.file("u8.raw")
        try Data(unsigned).write(to: byteURL)
        let bytesAudio = try AudioReader.read(byteURL, options: .init(raw: .init(encoding: .pcmU8)))
        #expect(bytesAudio.samples == unsigned.map { (Float($0) - 128) / 128 })
    }

    @Test func invalidRawLayoutNamesTheField() throws {
        let folder = try TemporaryFolder()
        let url = folder.file("x.raw")
        try Data([1, 2, 3, 4]).write(to: url)
        #expect(throws: AudioError.option(OptionError("raw.channels", value: 0, allowed: "1...256"))) {
            try AudioReader.read(url, options: .init(raw: .init(channels: 0)))
        }
    }
}
