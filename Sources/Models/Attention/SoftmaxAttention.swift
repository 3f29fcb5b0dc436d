/// Softmax (Bahdanau) attention: α = softmax(e) over all valid frames, e = vᵀ tanh(Wq s + bq + Wk h) (eq. 15).
/// Offline: a test-time step waits for the whole input.
struct SoftmaxAttention: AttentionMechanism {
    /// The one plain energy, `attention.*`.
    let energy: EnergyParameters

    var energies: [EnergyParameters] { [energy] }
    var trainingNoise: Float { 0 }

    func makePass(_ dims: DecoderDimensions) -> StatelessPass { StatelessPass() }

    func forward(_ row: AttentionRow, energies: [UnsafePointer<Float>], noise: UnsafePointer<Float>?, pass: StatelessPass,
                 weights: UnsafeMutablePointer<Float>) {
        SoftmaxAlignment.forward(energy: energies[0], time: row.time, length: row.length, alpha: weights)
    }

    func backward(_ row: AttentionRow, weights: UnsafePointer<Float>, gradWeights: UnsafePointer<Float>, pass: StatelessPass,
                  gradEnergies: [UnsafeMutablePointer<Float>]) {
        SoftmaxAlignment.backward(alpha: weights, gradAlpha: gradWeights, time: row.time, length: row.length,
                                  gradEnergy: gradEnergies[0])
    }

    func initialHead() -> MonotonicHead { MonotonicHead(runOff: .zeros) }

    func attend(_ step: inout PendingStep, memory: AttentionMemory, energy: StepEnergies) -> (context: [Float], frame: Int?)? {
        guard memory.isComplete else { return nil }
        let T = memory.count, M = memory.width
        var context = [Float](repeating: 0, count: M)
        guard T > 0 else { return (context, nil) }
        let e = energy.all(0, count: T)
        var alpha = [Float](repeating: 0, count: T)
        SoftmaxAlignment.forward(energy: e, time: T, length: T, alpha: &alpha)
        AttentionContext.forward(alpha: alpha, memory: memory.states, length: T, dim: M, context: &context)
        return (context, alpha.indices.max { alpha[$0] < alpha[$1] })
    }
}
