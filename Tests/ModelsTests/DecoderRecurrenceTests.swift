import Randomness
import Testing
import TensorCore
@testable import Models
import TestSupport

/// Random weights and inputs of a tiny decoder, as flat arrays named like the parameters.
struct DecoderFixture {
    var dims: DecoderDimensions
    let kind: AttentionKind
    let mechanism: any AttentionMechanism
    var arrays: [String: [Float]]
    let lengths: [Int]
    let noise: [Float]?
    let gradOutput: [Float]

    init(kind: AttentionKind, runOff: RunOffRule, seed: UInt64, noisy: Bool = true) {
        var rng = SplitMix64(seed: seed)
        dims = DecoderDimensions(batch: 3, steps: 4, time: 6, memory: 5, embedding: 3, hidden: 4, attention: 18)
        self.kind = kind
        var unused = Xoshiro256StarStar(seed: 0)
        mechanism = try! AttentionConfig(kind: kind, dim: 18, runOff: runOff, chunkWidth: 2)
            .makeMechanism(ParameterRegistry(), query: 4, memory: 5, initScale: 0.1, rng: &unused)
        let d = dims
        var a: [String: [Float]] = [:]
        a["weightIH"] = rng.floats(4 * d.hidden * d.input, -0.5...0.5)
        a["weightHH"] = rng.floats(4 * d.hidden * d.hidden, -0.5...0.5)
        a["bias"] = rng.floats(4 * d.hidden, -0.3...0.3)
        for prefix in ["", "chunk."] {
            a[prefix + "queryWeight"] = rng.floats(d.attention * d.hidden, -0.6...0.6)
            a[prefix + "queryBias"] = rng.floats(d.attention, -0.3...0.3)
            a[prefix + "keyWeight"] = rng.floats(d.attention * d.memory, -0.6...0.6)
            a[prefix + "v"] = rng.floats(d.attention, -1...1)
            a[prefix + "gain"] = [Float(rng.uniform(0.8...1.5))]
            a[prefix + "offset"] = [Float(rng.uniform(-0.5...0.5))]
        }
        a["memory"] = rng.floats(d.batch * d.time * d.memory, -1...1)
        a["embedded"] = rng.floats(d.batch * d.steps * d.embedding, -1...1)
        arrays = a
        lengths = [6, 4, 2]
        noise = noisy ? rng.floats(d.steps * d.batch * d.time, -1...1) : nil
        gradOutput = rng.floats(d.batch * d.steps * d.output, -1...1)
    }

    /// Runs forward (and backward when `gradients` is given) on `arrays`; returns Σ gO ⊙ o.
    func run(_ arrays: [String: [Float]], gradients: inout [String: [Float]]) -> Double {
        run(arrays, gradients: &gradients, mechanism: mechanism)
    }

    private func run<Mechanism: AttentionMechanism>(_ arrays: [String: [Float]], gradients: inout [String: [Float]],
                                                    mechanism: Mechanism) -> Double {
        var a = arrays
        let d = dims
        return withPointers(&a) { p in
            func energy(_ prefix: String, normalised: Bool) -> EnergyWeights {
                EnergyWeights(queryWeight: p[prefix + "queryWeight"]!, queryBias: p[prefix + "queryBias"]!,
                              keyWeight: p[prefix + "keyWeight"]!, v: p[prefix + "v"]!,
                              gain: p[prefix + "gain"]![0], offset: p[prefix + "offset"]![0], normalised: normalised)
            }
            let weights = DecoderWeights(
                weightIH: p["weightIH"]!, weightHH: p["weightHH"]!, bias: p["bias"]!,
                energies: [energy("", normalised: kind != .softmax)] + (kind == .mocha ? [energy("chunk.", normalised: true)] : []))
            var output = [Float](repeating: 0, count: d.batch * d.steps * d.output)
            let cache = output.withUnsafeMutableBufferPointer { o in
                (noise ?? []).withUnsafeBufferPointer { n in
                    DecoderRecurrence.forward(dims: d, mechanism: mechanism, weights: weights, memory: p["memory"]!, lengths: lengths,
                                              embedded: p["embedded"]!, noise: noise == nil ? nil : n.baseAddress!,
                                              output: o.baseAddress!)
                }
            }
            let loss = zip(output, gradOutput).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            if !gradients.isEmpty {
                var g = arrays.mapValues { [Float](repeating: 0, count: $0.count) }
                withMutablePointers(&g) { q in
                    func energyGrad(_ prefix: String) -> EnergyGradients {
                        EnergyGradients(queryWeight: q[prefix + "queryWeight"]!, queryBias: q[prefix + "queryBias"]!,
                                        keyWeight: q[prefix + "keyWeight"]!, v: q[prefix + "v"]!,
                                        gain: q[prefix + "gain"]!, offset: q[prefix + "offset"]!)
                    }
                    let grads = DecoderGradients(weightIH: q["weightIH"]!, weightHH: q["weightHH"]!, bias: q["bias"]!,
                                                 energies: [energyGrad("")] + (kind == .mocha ? [energyGrad("chunk.")] : []))
                    gradOutput.withUnsafeBufferPointer { gO in
                        DecoderRecurrence.backward(cache: cache, mechanism: mechanism, weights: weights, memory: p["memory"]!, lengths: lengths,
                                                   gradOutput: gO.baseAddress!, gradients: grads,
                                                   gradMemory: q["memory"]!, gradEmbedded: q["embedded"]!)
                    }
                }
                gradients = g
            }
            return loss
        }
    }
}

/// Calls body with stable pointers to every array of the dictionary.
func withPointers<R>(_ arrays: inout [String: [Float]], _ body: ([String: UnsafePointer<Float>]) -> R) -> R {
    withMutablePointers(&arrays) { body($0.mapValues { UnsafePointer($0) }) }
}

func withMutablePointers<R>(_ arrays: inout [String: [Float]], _ body: ([String: UnsafeMutablePointer<Float>]) -> R) -> R {
    let storage = arrays.mapValues { values -> UnsafeMutablePointer<Float> in
        let p = UnsafeMutablePointer<Float>.allocate(capacity: max(values.count, 1))
        p.initialize(from: values, count: values.count)
        return p
    }
    defer { storage.values.forEach { $0.deallocate() } }
    let result = body(storage)
    for (name, p) in storage { arrays[name] = Array(UnsafeBufferPointer(start: p, count: arrays[name]!.count)) }
    return result
}

@Suite struct DecoderRecurrenceTests {
    static let cases: [(AttentionKind, RunOffRule)] = [(.softmax, .zeros), (.monotonic, .zeros), (.monotonic, .stayOnLast), (.mocha, .zeros)]

    @Test(arguments: 0..<4)
    func backwardMatchesDirectionalFiniteDifferences(caseIndex: Int) {
        let (kind, rule) = Self.cases[caseIndex]
        let fixture = DecoderFixture(kind: kind, runOff: rule, seed: UInt64(100 + caseIndex))
        var gradients: [String: [Float]] = ["": []]
        _ = fixture.run(fixture.arrays, gradients: &gradients)
        var rng = SplitMix64(seed: 9)
        var unused: [String: [Float]] = [:]
        let names = fixture.arrays.keys.sorted().filter { name in
            if kind != .mocha && name.hasPrefix("chunk.") { return false }
            if kind == .softmax && (name == "gain" || name == "offset") { return false }
            return true
        }
        for name in names {
            let base = fixture.arrays[name]!
            let direction = rng.floats(base.count, -1...1)
            let analytic = zip(gradients[name]!, direction).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            let epsilon: Float = 2e-3
            var plus = fixture.arrays, minus = fixture.arrays
            plus[name] = zip(base, direction).map { $0 + epsilon * $1 }
            minus[name] = zip(base, direction).map { $0 - epsilon * $1 }
            let numeric = (fixture.run(plus, gradients: &unused) - fixture.run(minus, gradients: &unused)) / Double(2 * epsilon)
            #expect(abs(analytic - numeric) <= 2e-3 + 2e-2 * abs(numeric),
                    "\(kind) \(rule) ∂L/∂\(name): analytic \(analytic), numeric \(numeric)")
        }
    }

    @Test func paddedFramesGetNoAttentionAndNoGradient() {
        let fixture = DecoderFixture(kind: .monotonic, runOff: .stayOnLast, seed: 1)
        var gradients: [String: [Float]] = ["": []]
        _ = fixture.run(fixture.arrays, gradients: &gradients)
        let d = fixture.dims
        let gradMemory = gradients["memory"]!
        for (b, length) in fixture.lengths.enumerated() {
            for j in length..<d.time {
                for k in 0..<d.memory { #expect(gradMemory[(b * d.time + j) * d.memory + k] == 0) }
            }
        }
    }
}
