import Foundation

/// A 128-bit content hash (two FNV-1a 64-bit lanes with different offsets) for stage stamps: it tells
/// whether a stage's inputs or options changed, not a cryptographic digest.
///
/// Lane update: h = (h ⊕ byte) · 0x100000001b3 (mod 2⁶⁴).
public struct ContentHash: Sendable {
    private var low: UInt64 = 0xCBF2_9CE4_8422_2325
    private var high: UInt64 = 0x6C62_272E_07BB_0142

    /// An empty hash.
    public init() {}

    /// Mixes `bytes` in.
    public mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        for byte in bytes {
            low = (low ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            high = (high ^ UInt64(byte ^ 0x5A)) &* 0x0000_0100_0000_01B3
        }
    }

    /// Mixes a string in, with a terminator so that ("ab", "c") and ("a", "bc") differ.
    public mutating func update(_ text: String) {
        update(Array(text.utf8) + [0])
    }

    /// Mixes in a file's size and contents, read in blocks.
    public mutating func update(file url: URL) throws {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        while let block = try handle.read(upToCount: 1 << 20), !block.isEmpty {
            block.withUnsafeBytes { update(UnsafeRawBufferPointer($0)) }
        }
        update("<eof>")
    }

    /// Mixes `bytes` in (the same result as the generic `update`, without its per-element overhead).
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var (low, high) = (self.low, self.high)
        for byte in bytes {
            low = (low ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            high = (high ^ UInt64(byte ^ 0x5A)) &* 0x0000_0100_0000_01B3
        }
        (self.low, self.high) = (low, high)
    }

    /// 32 hex digits.
    public var hex: String { String(format: "%016llx%016llx", high, low) }

    /// The hash of one string.
    public static func of(_ text: String) -> String {
        var hash = ContentHash()
        hash.update(text)
        return hash.hex
    }
}
