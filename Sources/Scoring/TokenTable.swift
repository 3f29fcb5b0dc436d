/// Interns tokens (phones, words, utterance labels) as dense `Int32` ids, so alignment compares integers.
///
/// Ids are assigned in first-seen order from 0. Lookups hash the token's UTF-8 bytes (FNV-1a) into an
/// open-addressing table, so reading a file never builds a `String` per token. Not thread-safe: intern
/// before aligning in parallel.
public final class TokenTable {
    /// The table's contents; a value type so that interning a whole file is one exclusive access.
    struct Storage {
        /// Concatenated UTF-8 bytes of every interned token.
        var bytes: [UInt8] = []
        /// `[count + 1]` start offsets of each token's bytes in `bytes`.
        var starts: [Int] = [0]
        /// Open-addressing slots holding `id + 1` (0 = empty); the count is a power of two.
        var slots: [Int32] = Array(repeating: 0, count: 1024)
        /// Full hash of each token, to skip byte comparisons on collisions and to rehash.
        var hashes: [UInt64] = []

        /// The id of the token whose UTF-8 bytes are `token`, interning it if new.
        mutating func id(bytes token: UnsafeBufferPointer<UInt8>) -> Int32 {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in token { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
            let mask = slots.count - 1
            var slot = Int(truncatingIfNeeded: hash) & mask
            while true {
                let entry = slots[slot]
                if entry == 0 { break }
                let candidate = Int(entry - 1)
                if hashes[candidate] == hash && equals(candidate, token) { return Int32(candidate) }
                slot = (slot + 1) & mask
            }
            let id = Int32(hashes.count)
            bytes.append(contentsOf: token)
            starts.append(bytes.count)
            hashes.append(hash)
            slots[slot] = id + 1
            if hashes.count * 2 > slots.count { grow() }
            return id
        }

        /// Whether interned token `candidate` has exactly the bytes `token`.
        func equals(_ candidate: Int, _ token: UnsafeBufferPointer<UInt8>) -> Bool {
            let start = starts[candidate]
            guard starts[candidate + 1] - start == token.count else { return false }
            for index in 0..<token.count where bytes[start + index] != token[index] { return false }
            return true
        }

        /// Doubles the slot array and reinserts every id.
        mutating func grow() {
            slots = Array(repeating: 0, count: slots.count * 2)
            let mask = slots.count - 1
            for (id, hash) in hashes.enumerated() {
                var slot = Int(truncatingIfNeeded: hash) & mask
                while slots[slot] != 0 { slot = (slot + 1) & mask }
                slots[slot] = Int32(id + 1)
            }
        }
    }

    /// The interned tokens.
    private var storage = Storage()

    /// An empty table.
    public init() {}

    /// Number of distinct tokens interned.
    public var count: Int { storage.hashes.count }

    /// The id of `token`, interning it if new.
    public func id(_ token: String) -> Int32 {
        var token = token
        return token.withUTF8 { storage.id(bytes: UnsafeBufferPointer(rebasing: $0[...])) }
    }

    /// The ids of `tokens`, in order.
    public func ids(_ tokens: [String]) -> [Int32] { tokens.map { id($0) } }

    /// The id of the token whose UTF-8 bytes are `bytes`, interning it if new.
    public func id(bytes token: UnsafeBufferPointer<UInt8>) -> Int32 { storage.id(bytes: token) }

    /// The token text of `id` (which this table returned earlier).
    public func token(_ id: Int32) -> String {
        let range = storage.starts[Int(id)]..<storage.starts[Int(id) + 1]
        return String(decoding: storage.bytes[range], as: UTF8.self)
    }

    /// The token texts of `ids`, in order.
    public func tokens(_ ids: [Int32]) -> [String] { ids.map { token($0) } }

    /// Interns every token of `other` here: `[other.count]` ids, in this table, of `other`'s ids.
    public func absorb(_ other: TokenTable) -> [Int32] {
        (0..<Int32(other.count)).map { id(other.token($0)) }
    }

    /// Runs `body` with exclusive access to the storage (one access for a whole file's tokens).
    func withStorage<R>(_ body: (inout Storage) throws -> R) rethrows -> R { try body(&storage) }
}
