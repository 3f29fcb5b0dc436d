import Randomness
/// Coloured noise for the additive-noise augmentation, seeded.
public enum NoiseColor: String, Codable, Sendable, CaseIterable {
    /// Flat spectrum.
    case white
    /// Roughly 1/f: a sum of three one-pole low-passed white noises with poles an octave band apart, plus white.
    case pink
    /// 1/f²: leaky integration of white noise, y[n] = 0.995 · y[n-1] + w[n].
    case brown

    /// `count` samples of this colour with unit RMS.
    public func samples(_ count: Int, using generator: inout SplitMix64) -> [Float] {
        var output = [Float](repeating: 0, count: count)
        switch self {
        case .white:
            for i in 0..<count { output[i] = Float(generator.gaussian()) }
        case .pink:
            let poles: [Double] = [0.99, 0.95, 0.75]
            let gains: [Double] = [0.1, 0.2, 0.4]
            var state = [Double](repeating: 0, count: poles.count)
            for i in 0..<count {
                let white = generator.gaussian()
                var value = 0.25 * white
                for k in poles.indices {
                    state[k] = poles[k] * state[k] + (1 - poles[k]) * white * 10 * gains[k]
                    value += state[k]
                }
                output[i] = Float(value)
            }
        case .brown:
            var state = 0.0
            for i in 0..<count {
                state = 0.995 * state + generator.gaussian()
                output[i] = Float(state)
            }
        }
        let power = output.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(max(count, 1))
        let scale = power > 0 ? Float(1 / power.squareRoot()) : 0
        return output.map { $0 * scale }
    }
}
