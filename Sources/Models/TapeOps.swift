import TensorCore

/// Calls `body` with the base pointers of `tensors`, in order, without copying.
func withBasePointers<R>(_ tensors: [Tensor], _ body: ([UnsafePointer<Float>]) -> R) -> R {
    func walk(_ index: Int, _ collected: [UnsafePointer<Float>]) -> R {
        guard index < tensors.count else { return body(collected) }
        return tensors[index].withUnsafeBufferPointer { walk(index + 1, collected + [$0.baseAddress!]) }
    }
    return walk(0, [])
}

extension Tape {
    /// The teacher-forced attention decoder as one op (see `DecoderRecurrence`): memory h
    /// [B, T, M] with `lengths`, embedded previous labels x [B, U, E] and the decoder's weights in
    /// `AttentionDecoderWeights.order` → o [B, U, S + M] = [s_i; c_i] per step. `noise` [U, B, T] is
    /// added to the monotonic energies (nil: none).
    func attentionDecoder(
        memory: Variable, lengths: [Int], embedded: Variable, weights: [Variable], dims: DecoderDimensions,
        noise: Tensor?
    ) -> Variable {
        let inputs = [memory, embedded] + weights
        let values = inputs.map(\.value)
        let noiseValues = noise?.scalars
        var output = Tensor.zeros([dims.batch, dims.steps, dims.output])
        let cache: DecoderCache = withBasePointers(values) { p in
            let w = Self.decoderWeights(p, dims)
            return output.withUnsafeMutableBufferPointer { o in
                noiseValues.withOptionalPointer { n in
                    DecoderRecurrence.forward(dims: dims, weights: w, memory: p[0], lengths: lengths, embedded: p[1],
                                              noise: n, output: o.baseAddress!)
                }
            }
        }
        return record(inputs: inputs, output: output) { ctx in
            guard let gradOutput = ctx.outputGradient() else { return }
            let grads = values.map { FloatStorage($0.count) }
            withBasePointers(values) { p in
                let w = Self.decoderWeights(p, dims)
                let g = Self.decoderGradients(grads.map(\.base), dims)
                gradOutput.withUnsafeBufferPointer { gO in
                    DecoderRecurrence.backward(cache: cache, weights: w, memory: p[0], lengths: lengths,
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

    /// Pointers [memory, embedded, weights…] → `DecoderWeights` (order of `AttentionDecoderWeights.order`).
    static func decoderWeights(_ p: [UnsafePointer<Float>], _ d: DecoderDimensions) -> DecoderWeights {
        func energy(_ base: Int, normalised: Bool) -> EnergyWeights {
            EnergyWeights(queryWeight: p[base], queryBias: p[base + 1], keyWeight: p[base + 2], v: p[base + 3],
                          gain: p[base + 4][0], offset: p[base + 5][0], normalised: normalised)
        }
        return DecoderWeights(weightIH: p[2], weightHH: p[3], bias: p[4], energy: energy(5, normalised: d.kind != .softmax),
                              chunkEnergy: d.kind == .mocha ? energy(11, normalised: true) : nil)
    }

    private static func decoderGradients(_ p: [UnsafeMutablePointer<Float>], _ d: DecoderDimensions) -> DecoderGradients {
        func energy(_ base: Int) -> EnergyGradients {
            EnergyGradients(queryWeight: p[base], queryBias: p[base + 1], keyWeight: p[base + 2], v: p[base + 3],
                            gain: p[base + 4], offset: p[base + 5])
        }
        return DecoderGradients(weightIH: p[2], weightHH: p[3], bias: p[4], energy: energy(5),
                                chunkEnergy: d.kind == .mocha ? energy(11) : nil)
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
