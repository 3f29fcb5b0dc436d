import AudioIO
import Foundation

/// The committed fixtures (see Fixtures/README.md): wavs and kaldi-native-fbank golden matrices.
enum FixtureFiles {
    /// The Fixtures folder inside the test bundle.
    static var folder: URL {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
    }

    /// A fixture wav's samples in int16 units (AudioIO reads 16-bit PCM as x / 32768) and its rate.
    static func speech(_ name: String) throws -> (samples: [Float], rate: Double) {
        let audio = try AudioReader.read(folder.appendingPathComponent("wav/\(name).wav"))
        return (audio.samples.map { $0 * 32768 }, Double(audio.sampleRate))
    }

    /// One record of golden/index.json.
    struct GoldenCase: Decodable {
        var wav: String
        var kind: String
        var options: [String: JSONValue]
        var frames: Int?
        var dim: Int?
        var offset: Int?
        var melColumnsFrom: Int?
        var error: String?
    }

    /// A JSON scalar of an options record.
    enum JSONValue: Codable {
        case number(Double), bool(Bool), string(String)
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let b = try? c.decode(Bool.self) { self = .bool(b) }
            else if let d = try? c.decode(Double.self) { self = .number(d) }
            else { self = .string(try c.decode(String.self)) }
        }
        func encode(to encoder: Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .number(let d): try c.encode(d)
            case .bool(let b): try c.encode(b)
            case .string(let s): try c.encode(s)
            }
        }
    }

    struct GoldenIndex: Decodable {
        var cases: [GoldenCase]
    }

    /// All golden cases, in index order.
    static let goldenCases: [GoldenCase] = {
        let data = try! Data(contentsOf: folder.appendingPathComponent("golden/index.json"))
        return try! JSONDecoder().decode(GoldenIndex.self, from: data).cases
    }()

    /// The fbank options a case names (the others at their defaults).
    static func fbankOptions(_ record: GoldenCase) throws -> FbankOptionsJSON {
        try JSONEncoder().encode(record.options)
    }
    typealias FbankOptionsJSON = Data

    /// The expected matrix of case `position`, `[frames, dim]` row-major.
    static func expected(_ position: Int) throws -> [Float] {
        let record = goldenCases[position]
        let data = try Data(contentsOf: folder.appendingPathComponent("golden/\(record.wav).f32"))
        let floats = data.withUnsafeBytes { raw in
            (0..<(data.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
        }
        let frames = record.frames!, dim = record.dim!, offset = record.offset!
        guard let base = record.melColumnsFrom else {
            return Array(floats[offset..<(offset + frames * dim)])
        }
        let mel = try expected(base)
        var out = [Float]()
        out.reserveCapacity(frames * dim)
        for t in 0..<frames {
            out.append(floats[offset + t])
            out.append(contentsOf: mel[(t * (dim - 1))..<((t + 1) * (dim - 1))])
        }
        return out
    }
}
