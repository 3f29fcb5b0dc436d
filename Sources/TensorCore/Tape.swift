/// A value flowing through a `Tape`: its tensor and its slot on the tape (if it is tracked).
public struct Variable {
    /// The forward value.
    public let value: Tensor
    /// Slot on the tape; `-1` when no gradient flows to it (constants, inference mode).
    public let id: Int

    /// Shape of `value`.
    public var shape: [Int] { value.shape }

    /// Whether gradients flow to this variable.
    public var isTracked: Bool { id >= 0 }
}

/// Reverse-mode automatic differentiation: records coarse ops with hand-written backward
/// functions, then runs them in reverse.
///
/// Every op is a `Tape` method (`matmul`, `add`, `sigmoid`, `softmax`, `concat`, ... and the
/// layers in NeuralNet). A tape is used for one forward/backward pass and then dropped;
/// parameter gradients accumulate in `Parameter.grad` across passes until zeroed.
/// `Tape(recording: false)` is inference mode: ops compute values and record nothing.
///
/// ```swift
/// let tape = Tape()
/// let x = tape.constant(batch)                      // [batch, in]
/// let w = tape.parameter(weight)                    // Parameter [out, in]
/// let y = tape.tanh(tape.matmul(x, w, transposeB: true))
/// let loss = tape.mean(tape.multiply(y, y))
/// tape.backward(loss)                               // weight.grad += ∂loss/∂weight
/// ```
///
/// A custom op computes its forward value itself and records a backward closure that reads the
/// output gradient(s) and accumulates into the inputs' gradients. Here `y = x²` elementwise:
///
/// ```swift
/// extension Tape {
///     func square(_ x: Variable) -> Variable {
///         var y = x.value
///         y.withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] *= p[i] } }
///         let xv = x.value                       // capture what backward needs
///         return record(inputs: [x], output: y) { ctx in
///             guard ctx.needsGradient(0), let dy = ctx.outputGradient() else { return }
///             ctx.withGradient(0) { dx in        // zero-initialised on first use
///                 xv.withUnsafeBufferPointer { xp in
///                     dy.withUnsafeBufferPointer { g in
///                         for i in dx.indices { dx[i] += 2 * xp[i] * g[i] }
///                     }
///                 }
///             }
///         }
///     }
/// }
/// ```
///
/// Ops with several outputs use `record(inputs:outputs:backward:)`; `ctx.outputGradient(k)` is
/// `nil` for an output that no gradient reached (treat it as zero). Check every backward with
/// `GradientCheck`. Not thread-safe: one tape per thread.
public final class Tape {
    /// Whether ops are recorded (false: inference mode).
    public let isRecording: Bool

    struct Record {
        let inputs: [Int]
        let outputs: [Int]
        let backward: (BackwardContext) -> Void
    }

    var records: [Record] = []
    var grads: [Tensor?] = []
    var shapes: [[Int]] = []
    var slotParameter: [Parameter?] = []
    private var parameterSlots: [ObjectIdentifier: Int] = [:]
    private var finished = false

    /// A tape; `recording: false` gives inference mode.
    public init(recording: Bool = true) { isRecording = recording }

    private func newSlot(shape: [Int], parameter: Parameter? = nil) -> Int {
        grads.append(nil)
        shapes.append(shape)
        slotParameter.append(parameter)
        return grads.count - 1
    }

    /// A value no gradient flows to.
    public func constant(_ value: Tensor) -> Variable { Variable(value: value, id: -1) }

    /// A leaf whose gradient `gradient(of:)` returns after `backward` (untracked in inference mode).
    public func input(_ value: Tensor) -> Variable {
        Variable(value: value, id: isRecording ? newSlot(shape: value.shape) : -1)
    }

    /// The parameter's current value as a leaf; backward accumulates into `parameter.grad`.
    /// Using the same parameter many times (e.g. per decoder step) shares one slot.
    public func parameter(_ parameter: Parameter) -> Variable {
        guard isRecording else { return Variable(value: parameter.value, id: -1) }
        let key = ObjectIdentifier(parameter)
        if let slot = parameterSlots[key] { return Variable(value: parameter.value, id: slot) }
        let slot = newSlot(shape: parameter.shape, parameter: parameter)
        parameterSlots[key] = slot
        return Variable(value: parameter.value, id: slot)
    }

    /// Whether any of `inputs` is tracked on a recording tape (ops skip backward bookkeeping otherwise).
    public func needsGradient(_ inputs: [Variable]) -> Bool {
        isRecording && inputs.contains { $0.id >= 0 }
    }

    /// Records a single-output op: `output` was computed from `inputs`; `backward` accumulates the
    /// inputs' gradients from `ctx.outputGradient()`. Records nothing when no input is tracked.
    public func record(inputs: [Variable], output: Tensor,
                       backward: @escaping (BackwardContext) -> Void) -> Variable {
        record(inputs: inputs, outputs: [output], backward: backward)[0]
    }

    /// Records an op with several outputs (e.g. an LSTM's sequence and final states).
    public func record(inputs: [Variable], outputs: [Tensor],
                       backward: @escaping (BackwardContext) -> Void) -> [Variable] {
        precondition(!finished, "the tape has already run backward; use a new tape")
        guard needsGradient(inputs) else { return outputs.map { constant($0) } }
        let ids = outputs.map { newSlot(shape: $0.shape) }
        records.append(Record(inputs: inputs.map(\.id), outputs: ids, backward: backward))
        return zip(outputs, ids).map { Variable(value: $0, id: $1) }
    }

    /// Runs every recorded backward in reverse order, starting from `output` with gradient `seed`
    /// (default 1, which needs a one-element output). Parameter gradients accumulate into
    /// `Parameter.grad`. A tape runs backward once.
    public func backward(_ output: Variable, seed: Tensor? = nil) {
        precondition(isRecording, "backward on an inference-mode tape")
        precondition(!finished, "backward ran already on this tape")
        finished = true
        guard output.id >= 0 else { return }
        let start = seed ?? Tensor(shape: output.shape, repeating: 1)
        precondition(start.count == output.value.count,
                     "seed \(start.shape) for an output of shape \(output.shape); pass a seed for non-scalar outputs")
        accumulate(output.id, start.reshaped(output.shape))
        for index in records.indices.reversed() {
            let r = records[index]
            if r.outputs.contains(where: { grads[$0] != nil }) {
                r.backward(BackwardContext(tape: self, inputs: r.inputs, outputs: r.outputs))
            }
            for o in r.outputs { grads[o] = nil }   // intermediate gradients are no longer needed
        }
        records = []
    }

    /// Gradient of the loss with respect to a leaf made by `input(_:)` (nil if none reached it).
    public func gradient(of variable: Variable) -> Tensor? {
        guard variable.id >= 0 else { return nil }
        if let p = slotParameter[variable.id] { return p.grad }
        return grads[variable.id]
    }

    // MARK: gradient storage

    func accumulate(_ slot: Int, _ g: Tensor) {
        if let p = slotParameter[slot] {
            precondition(g.count == p.grad.count, "gradient \(g.shape) for parameter \(p.name) \(p.shape)")
            g.withUnsafeBufferPointer { src in
                p.grad.withUnsafeMutableBufferPointer { dst in
                    for i in 0..<dst.count { dst[i] += src[i] }
                }
            }
        } else if grads[slot] == nil {
            grads[slot] = g.reshaped(shapes[slot])
        } else {
            g.withUnsafeBufferPointer { src in
                grads[slot]!.withUnsafeMutableBufferPointer { dst in
                    for i in 0..<dst.count { dst[i] += src[i] }
                }
            }
        }
    }

    func withGradient(_ slot: Int, _ body: (UnsafeMutableBufferPointer<Float>) -> Void) {
        if let p = slotParameter[slot] {
            p.grad.withUnsafeMutableBufferPointer(body)
            return
        }
        if grads[slot] == nil { grads[slot] = Tensor.zeros(shapes[slot]) }
        grads[slot]!.withUnsafeMutableBufferPointer(body)
    }
}

/// What a backward closure sees: the output gradients and write access to the inputs' gradients.
public struct BackwardContext {
    unowned let tape: Tape
    let inputs: [Int]
    let outputs: [Int]

    /// Gradient of the loss with respect to output `k`, shaped like it; nil if none reached it.
    public func outputGradient(_ k: Int = 0) -> Tensor? { tape.grads[outputs[k]] }

    /// Whether input `i` is tracked (skip computing its gradient otherwise).
    public func needsGradient(_ i: Int) -> Bool { inputs[i] >= 0 }

    /// Adds `g` (same element count as input `i`) to input `i`'s gradient.
    public func accumulate(_ i: Int, _ g: Tensor) {
        guard inputs[i] >= 0 else { return }
        tape.accumulate(inputs[i], g)
    }

    /// Gives `body` the gradient buffer of input `i` (zero on first use) to add into in place,
    /// e.g. as the `C` of a GEMM with `beta: 1`. Does nothing for an untracked input.
    public func withGradient(_ i: Int, _ body: (UnsafeMutableBufferPointer<Float>) -> Void) {
        guard inputs[i] >= 0 else { return }
        tape.withGradient(inputs[i], body)
    }
}
