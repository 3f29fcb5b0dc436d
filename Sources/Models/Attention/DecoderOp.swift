import TensorCore

/// Contiguous floats that lend a pointer to themselves: tensors and arrays.
protocol FloatBuffer {
    /// Calls `body` with the floats in place.
    func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R
}

extension Tensor: FloatBuffer {}
extension Array: FloatBuffer where Element == Float {}

/// Calls `body` with the base pointers of `buffers`, in order, without copying (an empty buffer lends a
/// pointer that must not be read).
func withBasePointers<Buffer: FloatBuffer, R>(_ buffers: [Buffer], _ body: ([UnsafePointer<Float>]) -> R) -> R {
    func walk(_ index: Int, _ collected: [UnsafePointer<Float>]) -> R {
        guard index < buffers.count else { return body(collected) }
        return buffers[index].withUnsafeBufferPointer { buffer in
            walk(index + 1, collected + [buffer.baseAddress ?? UnsafePointer(bitPattern: MemoryLayout<Float>.alignment)!])
        }
    }
    return walk(0, [])
}

/// Buffers found by the parameter they belong to (by identity), for building `DecoderWeights` and
/// `DecoderGradients` from one declaration, `AttentionDecoderParameters`.
struct ParameterBuffers<Pointer> {
    private let table: [ObjectIdentifier: Pointer]

    /// The buffers of `parameters`, in the same order as `pointers`.
    init(_ parameters: [Parameter], _ pointers: [Pointer]) {
        precondition(parameters.count == pointers.count, "one buffer per parameter")
        table = Dictionary(uniqueKeysWithValues: zip(parameters.map(ObjectIdentifier.init), pointers))
    }

    /// The buffer of `parameter`.
    func callAsFunction(_ parameter: Parameter) -> Pointer {
        guard let pointer = table[ObjectIdentifier(parameter)] else { preconditionFailure("no buffer for \(parameter.name)") }
        return pointer
    }
}

extension Tape {
    /// The teacher-forced attention decoder as one op (see `DecoderRecurrence`): memory h [B, T, M] with
    /// `lengths`, embedded previous labels x [B, U, E] and the decoder's parameters → o [B, U, S + M] =
    /// [s_i; c_i] per step. `noise` [U, B, T] is added to the mechanism's first energy (nil: none). With
    /// `keepWeights`, the expected weights the contexts used (α, β for MoChA) [U, B, T] are kept there.
    func attentionDecoder<Mechanism: AttentionMechanism>(
        memory: Variable, lengths: [Int], embedded: Variable, parameters: AttentionDecoderParameters,
        mechanism: Mechanism, dims: DecoderDimensions, noise: Tensor?, keepWeights: AttendedError? = nil
    ) -> Variable {
        let declared = parameters.all
        let inputs = [memory, embedded] + declared.map { parameter($0) }
        let values = inputs.map(\.value)
        let noiseValues = noise?.scalars
        var output = Tensor.zeros([dims.batch, dims.steps, dims.output])
        let cache = withBasePointers(values) { p in
            let w = parameters.weights(ParameterBuffers(declared, Array(p.dropFirst(2))))
            return output.withUnsafeMutableBufferPointer { o in
                noiseValues.withOptionalPointer { n in
                    DecoderRecurrence.forward(dims: dims, mechanism: mechanism, weights: w, memory: p[0], lengths: lengths,
                                              embedded: p[1], noise: n, output: o.baseAddress!)
                }
            }
        }
        keepWeights?.weights = Tensor(shape: [dims.steps, dims.batch, dims.time],
                                      scalars: Array(UnsafeBufferPointer(start: cache.weights.base, count: dims.steps * dims.batch * dims.time)))
        return record(inputs: inputs, output: output) { ctx in
            guard let gradOutput = ctx.outputGradient() else { return }
            let grads = values.map { FloatStorage($0.count) }
            withBasePointers(values) { p in
                let w = parameters.weights(ParameterBuffers(declared, Array(p.dropFirst(2))))
                let g = parameters.gradients(ParameterBuffers(declared, grads.dropFirst(2).map(\.base)))
                gradOutput.withUnsafeBufferPointer { gO in
                    DecoderRecurrence.backward(cache: cache, mechanism: mechanism, weights: w, memory: p[0], lengths: lengths,
                                               gradOutput: gO.baseAddress!, gradients: g,
                                               gradMemory: grads[0].base, gradEmbedded: grads[1].base)
                }
            }
            for (i, g) in grads.enumerated() where ctx.needsGradient(i) {
                ctx.withGradient(i) { d in
                    for k in 0..<d.count { d[k] += g.base[k] }
                }
            }
        }
    }
}

extension Optional where Wrapped == [Float] {
    /// Calls `body` with the array's base pointer, or nil.
    func withOptionalPointer<R>(_ body: (UnsafePointer<Float>?) -> R) -> R {
        switch self {
        case .none: return body(nil)
        case .some(let array): return array.withUnsafeBufferPointer { body($0.baseAddress) }
        }
    }
}
