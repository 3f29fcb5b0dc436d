import Randomness
import TensorCore

extension AttentionConfig {
    /// The mechanism of `kind`, its energies registered under `attention` (and `attention.chunk` for
    /// MoChA) for decoder queries of width `query` and encoder states of width `memory`.
    func makeMechanism(_ registry: ParameterRegistry, query: Int, memory: Int, initScale: Float,
                       rng: inout Xoshiro256StarStar) throws -> any AttentionMechanism {
        func energy(_ prefix: String, normalised: Bool) throws -> EnergyParameters {
            try EnergyParameters(registry, prefix: prefix, dim: dim, query: query, memory: memory, initScale: initScale,
                                 normalisation: normalised ? (resolvedInitialGain, initialOffset) : nil, rng: &rng)
        }
        switch kind {
        case .softmax:
            return SoftmaxAttention(energy: try energy("attention", normalised: false))
        case .monotonic:
            return MonotonicAttention(energy: try energy("attention", normalised: true), runOff: runOff, noiseStd: noiseStd)
        case .mocha:
            let monotonic = MonotonicAttention(energy: try energy("attention", normalised: true), runOff: runOff,
                                               noiseStd: noiseStd)
            return MonotonicChunkwiseAttention(monotonic: monotonic, chunk: try energy("attention.chunk", normalised: true),
                                               width: chunkWidth)
        }
    }
}
