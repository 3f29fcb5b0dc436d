/// Monotonic chunkwise attention (MoChA, Chiu & Raffel 2018): the monotonic stopping energy
/// `attention.*` picks where each step ends, and a softmax of the chunk energy `attention.chunk.*`
/// (weight-normalised, no noise) over the `width` frames ending there gives the context. Training uses
/// the expected chunk weights β (`ChunkwiseAttention`); w = 1 is plain monotonic attention.
struct MonotonicChunkwiseAttention: AttentionMechanism {
    /// The stopping part (energy, run-off rule, training noise).
    let monotonic: MonotonicAttention
    /// The chunk energy, `attention.chunk.*`.
    let chunk: EnergyParameters
    /// Chunk width w in encoder states.
    let width: Int

    var energies: [EnergyParameters] { [monotonic.energy, chunk] }
    var trainingNoise: Float { monotonic.noiseStd }

    /// The monotonic pass plus the chunk softmax caches of every row and ∂L/∂u.
    final class Pass {
        /// α, p, q and the monotonic scratch.
        let monotonic: MonotonicAttention.Pass
        /// Per-row chunk caches [U·B].
        var chunks: [ChunkwiseAttention.Cache]

        init(_ d: DecoderDimensions) {
            monotonic = MonotonicAttention.Pass(d)
            chunks = (0..<(d.steps * d.batch)).map { _ in ChunkwiseAttention.Cache(time: d.time) }
        }
    }

    func makePass(_ dims: DecoderDimensions) -> Pass { Pass(dims) }

    func forward(_ row: AttentionRow, energies: [UnsafePointer<Float>], noise: UnsafePointer<Float>?, pass: Pass,
                 weights: UnsafeMutablePointer<Float>) {
        monotonic.alignmentForward(row, energy: energies[0], noise: noise, pass: pass.monotonic)
        ChunkwiseAttention.forward(alpha: pass.monotonic.alpha.base + row.index * row.time, energy: energies[1],
                                   time: row.time, length: row.length, width: width, beta: weights,
                                   cache: &pass.chunks[row.index])
    }

    func backward(_ row: AttentionRow, weights: UnsafePointer<Float>, gradWeights: UnsafePointer<Float>, pass: Pass,
                  gradEnergies: [UnsafeMutablePointer<Float>]) {
        ChunkwiseAttention.backward(alpha: pass.monotonic.alpha.base + row.index * row.time, gradBeta: gradWeights,
                                    time: row.time, length: row.length, width: width, cache: pass.chunks[row.index],
                                    gradAlpha: pass.monotonic.gradAlpha.base + row.batch * row.time,
                                    gradEnergy: gradEnergies[1])
        monotonic.alignmentBackward(row, pass: pass.monotonic, gradEnergy: gradEnergies[0])
    }

    func initialHead() -> MonotonicHead { monotonic.initialHead() }

    func attend(_ step: inout PendingStep, memory: AttentionMemory, energy: StepEnergies) -> (context: [Float], frame: Int?)? {
        guard let frame = monotonic.scan(&step, memory: memory, energy: energy) else { return nil }
        let M = memory.width
        var context = [Float](repeating: 0, count: M)
        guard let stop = frame else { return (context, nil) }
        // Test time: a softmax of the chunk energies over the w states ending at the stop.
        var u = [Float](repeating: 0, count: stop + 1)
        for j in max(0, stop - width + 1)...stop { u[j] = energy(1, j) }
        var w = [Float](repeating: 0, count: stop + 1)
        ChunkwiseAttention.hardWeights(energy: u, time: stop + 1, stop: stop, width: width, weights: &w)
        AttentionContext.forward(alpha: w, memory: memory.states, length: stop + 1, dim: M, context: &context)
        return (context, frame)
    }
}
