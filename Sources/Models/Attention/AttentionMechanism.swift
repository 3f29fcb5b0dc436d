/// How the attention decoder turns its energies over the encoder states into the weights of its
/// context: in expectation over a teacher-forced pass while training (row by row, with a backward
/// pass), and one hard step at a time at test time.
///
/// The decoder computes every energy the mechanism declares (`energies`, each
/// e_j = scale·vᵀ tanh(Wq s + bq + Wk h_j) + r) and its gradients; a mechanism only maps energies to
/// weights. Adding a mechanism is one file conforming to this protocol and one `AttentionKind` case.
protocol AttentionMechanism {
    /// What one teacher-forced pass keeps from its forward rows for its backward rows.
    associatedtype Pass: AnyObject

    /// The energies the mechanism scores frames with, in order; their parameters are the mechanism's.
    var energies: [EnergyParameters] { get }
    /// Standard deviation of the Gaussian noise added to the first energy while training (0: none).
    var trainingNoise: Float { get }

    /// Storage for a pass of `dims` (zeroed where the rows accumulate).
    func makePass(_ dims: DecoderDimensions) -> Pass
    /// Step i, row b forward: from `energies[k]` [T] (and `noise` [T] on the first, if any) writes the
    /// context weights [T] (zero on padding). Steps run in increasing order; rows of a step in parallel.
    func forward(_ row: AttentionRow, energies: [UnsafePointer<Float>], noise: UnsafePointer<Float>?, pass: Pass,
                 weights: UnsafeMutablePointer<Float>)
    /// Step i, row b backward: from the forward's `weights` [T] and ∂L/∂weights [T] writes ∂L/∂energies[k] [T].
    /// Steps run in decreasing order; rows of a step in parallel.
    func backward(_ row: AttentionRow, weights: UnsafePointer<Float>, gradWeights: UnsafePointer<Float>, pass: Pass,
                  gradEnergies: [UnsafeMutablePointer<Float>])
    /// Test time: the head before the first output step.
    func initialHead() -> MonotonicHead
    /// Test time: the context [M] and attended frame of a pending step over the states in `memory`, with
    /// `energy(k, j)` the k-th energy of frame j; nil while the step waits for more states.
    func attend(_ step: inout PendingStep, memory: AttentionMemory, energy: StepEnergies) -> (context: [Float], frame: Int?)?
}

/// One (output step, batch row) of a teacher-forced pass.
struct AttentionRow {
    /// Output step i.
    let step: Int
    /// Batch row b.
    let batch: Int
    /// Batch rows B.
    let rows: Int
    /// Padded encoder frames T.
    let time: Int
    /// Valid frames of this batch row.
    let length: Int

    /// The row's index in [U, B] layouts: i·B + b.
    var index: Int { step * rows + batch }
}

/// The pass of a mechanism that keeps nothing between its forward and backward rows.
final class StatelessPass {}
