import TensorCore

/// Hard monotonic attention (Raffel et al. 2017): stopping probabilities p = σ(e + ε), ε ~ N(0, σ²) while
/// training, with the weight-normalised energy e = g·vᵀ/‖v‖·tanh(Wq s + bq + Wk h) + r (eq. 16); trained
/// on the expected alignment α (eqs. 11–14), decoded online by the hard scan of `MonotonicHead`.
struct MonotonicAttention: AttentionMechanism {
    /// The stopping energy, `attention.*` (with gain and offset).
    let energy: EnergyParameters
    /// What alignment mass past the last frame does.
    let runOff: RunOffRule
    /// σ of the pre-sigmoid training noise.
    let noiseStd: Float

    var energies: [EnergyParameters] { [energy] }
    var trainingNoise: Float { noiseStd }

    /// Stopping probabilities, recurrence states and alignments of a pass, and the backward's per-row scratch.
    final class Pass {
        /// p [U, B, T].
        let p: FloatStorage
        /// q [U, B, T] of `MonotonicAlignment.forward`.
        let q: FloatStorage
        /// α [U, B, T].
        let alpha: FloatStorage
        /// ∂L/∂α of the current step [B, T].
        let gradAlpha: FloatStorage
        /// ∂L/∂α carried from step i + 1 to step i [B, T].
        let gradAlphaNext: FloatStorage
        /// ∂L/∂p [B, T].
        let gradP: FloatStorage

        init(_ d: DecoderDimensions) {
            let ubt = d.steps * d.batch * d.time
            p = FloatStorage(ubt, zeroed: false)
            q = FloatStorage(ubt, zeroed: false)
            alpha = FloatStorage(ubt, zeroed: false)
            gradAlpha = FloatStorage(d.batch * d.time)
            gradAlphaNext = FloatStorage(d.batch * d.time)
            gradP = FloatStorage(d.batch * d.time)
        }
    }

    func makePass(_ dims: DecoderDimensions) -> Pass { Pass(dims) }

    func forward(_ row: AttentionRow, energies: [UnsafePointer<Float>], noise: UnsafePointer<Float>?, pass: Pass,
                 weights: UnsafeMutablePointer<Float>) {
        alignmentForward(row, energy: energies[0], noise: noise, pass: pass)
        weights.update(from: pass.alpha.base + row.index * row.time, count: row.time)
    }

    func backward(_ row: AttentionRow, weights: UnsafePointer<Float>, gradWeights: UnsafePointer<Float>, pass: Pass,
                  gradEnergies: [UnsafeMutablePointer<Float>]) {
        (pass.gradAlpha.base + row.batch * row.time).update(from: gradWeights, count: row.time)
        alignmentBackward(row, pass: pass, gradEnergy: gradEnergies[0])
    }

    /// α_i of the row from p = σ(e + noise) and α_{i−1} (α₀ = δ₀), into `pass.alpha`.
    func alignmentForward(_ row: AttentionRow, energy e: UnsafePointer<Float>, noise: UnsafePointer<Float>?, pass: Pass) {
        let T = row.time, length = row.length
        let p = pass.p.base + row.index * T
        for j in 0..<length { p[j] = SIMDMath.sigmoid(e[j] + (noise?[j] ?? 0)) }
        for j in length..<T { p[j] = 0 }
        let start = FloatStorage(row.step == 0 ? T : 0)
        if row.step == 0, T > 0 { start.base[0] = 1 }
        let previous = row.step == 0 ? start.base : pass.alpha.base + (row.index - row.rows) * T
        MonotonicAlignment.forward(p: p, alphaPrevious: previous, time: T, length: length, runOff: runOff,
                                   alpha: pass.alpha.base + row.index * T, q: pass.q.base + row.index * T)
    }

    /// From ∂L/∂α_i in `pass.gradAlpha` (plus what step i + 1 carried back) writes ∂L/∂e [T] and carries
    /// ∂L/∂α_{i−1} to the previous step.
    func alignmentBackward(_ row: AttentionRow, pass: Pass, gradEnergy: UnsafeMutablePointer<Float>) {
        let T = row.time
        let gAlpha = pass.gradAlpha.base + row.batch * T
        let gNext = pass.gradAlphaNext.base + row.batch * T
        for j in 0..<T { gAlpha[j] += gNext[j] }
        let p = pass.p.base + row.index * T
        let gp = pass.gradP.base + row.batch * T
        MonotonicAlignment.backward(p: p, q: pass.q.base + row.index * T, gradAlpha: gAlpha, time: T, length: row.length,
                                    runOff: runOff, gradP: gp, gradAlphaPrevious: gNext)
        for j in 0..<row.length { gradEnergy[j] = gp[j] * p[j] * (1 - p[j]) }
        for j in row.length..<T { gradEnergy[j] = 0 }
    }

    func initialHead() -> MonotonicHead { MonotonicHead(runOff: runOff) }

    func attend(_ step: inout PendingStep, memory: AttentionMemory, energy: StepEnergies) -> (context: [Float], frame: Int?)? {
        guard let frame = scan(&step, memory: memory, energy: energy) else { return nil }
        let M = memory.width
        var context = [Float](repeating: 0, count: M)
        if let t = frame { for k in 0..<M { context[k] = memory.states[t * M + k] } }
        return (context, frame)
    }

    /// The hard scan of a pending step from where it left off: `.some(frame)` once decided (frame nil when
    /// nothing is attended), nil while it waits for more states. Stops where the first energy is ≥ 0.
    func scan(_ step: inout PendingStep, memory: AttentionMemory, energy: StepEnergies) -> Int?? {
        let outcome = step.head.scan(from: step.scanFrom, available: memory.count, inputEnded: memory.isComplete) { j in
            energy(0, j)
        }
        step.scanFrom = outcome.resumeAt
        switch outcome.scan {
        case .needsMoreFrames: return nil
        case .stopped(let j): return .some(j)
        case .ranOff(let j): return .some(j)
        }
    }
}
