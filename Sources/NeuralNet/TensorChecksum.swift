import TensorCore

/// The checksum a checkpoint records for each tensor: FNV-1a 64 over the tensor's little-endian F32
/// bytes, h = (h ⊕ byte) · 0x100000001b3 (mod 2⁶⁴) from 0xcbf29ce484222325, as 16 hex digits. It
/// catches corrupted or replaced bytes, not deliberate forgery.
public enum TensorChecksum {
    /// The metadata key holding the checksum of tensor `name` in a weights file: `fnv1a64:NAME`.
    public static func key(_ name: String) -> String { "fnv1a64:" + name }

    /// 16 hex digits of FNV-1a 64 over `tensor`'s bytes.
    public static func of(_ tensor: Tensor) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        tensor.withUnsafeBufferPointer { values in
            for byte in UnsafeRawBufferPointer(values) { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
