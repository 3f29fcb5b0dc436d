/// xoshiro256** (Blackman and Vigna 2018): four 64-bit words of state, each output
/// `rotl(s₁·5, 7)·9`, then `t = s₁ << 17; s₂ ^= s₀; s₃ ^= s₁; s₁ ^= s₂; s₀ ^= s₃; s₂ ^= t; s₃ = rotl(s₃, 45)`.
///
/// The stream of training randomness (initialisation, dropout masks, weight noise, batch order),
/// its state seeded by four outputs of `SplitMix64`. Each consumer should own one (or derive one
/// with `split()`), so adding a consumer does not shift the others' streams.
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable, Equatable, Codable {
    /// The four 64-bit words of state (exposed so optimizer checkpoints can resume the stream).
    public private(set) var state: [UInt64]

    /// A generator whose stream is determined by `seed`: its state is `SplitMix64(seed:)`'s first four outputs.
    public init(seed: UInt64) {
        var seeder = SplitMix64(seed: seed)
        state = (0..<4).map { _ in seeder.next() }
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = rotl(state[1] &* 5, 7) &* 9
        let t = state[1] << 17
        state[2] ^= state[0]
        state[3] ^= state[1]
        state[1] ^= state[2]
        state[0] ^= state[3]
        state[2] ^= t
        state[3] = rotl(state[3], 45)
        return result
    }

    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// A new generator seeded with this one's next output: `Xoshiro256StarStar(seed: next())`.
    public mutating func split() -> Xoshiro256StarStar { Xoshiro256StarStar(seed: next()) }
}
