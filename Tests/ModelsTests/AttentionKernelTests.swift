import Foundation
import Randomness
import Testing
@testable import Models
import TensorCore
import TestSupport

/// Expected chunk weights by eq. 17 as a float64 double loop (chunks truncated at the start).
func literalChunkwise(alpha: [Double], u: [Double], length: Int, width: Int) -> [Double] {
    var beta = [Double](repeating: 0, count: alpha.count)
    for j in 0..<length {
        for k in j..<min(j + width, length) {
            var denominator = 0.0
            for l in max(0, k - width + 1)...k { denominator += Foundation.exp(u[l]) }
            beta[j] += alpha[k] * Foundation.exp(u[j]) / denominator
        }
    }
    return beta
}

func chunkwise(alpha: [Float], u: [Float], length: Int, width: Int) -> [Float] {
    var beta = [Float](repeating: 0, count: alpha.count)
    var cache = ChunkwiseAttention.Cache(time: alpha.count)
    ChunkwiseAttention.forward(alpha: alpha, energy: u, time: alpha.count, length: length, width: width,
                               beta: &beta, cache: &cache)
    return beta
}

@Suite struct ChunkwiseAttentionTests {
    let mocha = MonotonicVectors.shared.mocha

    @Test func matchesTheMochaVector() {
        let alpha = MonotonicAlignment.expected(p: floats(mocha.p_choose))
        #expect(maxAbsDifference(alpha, mocha.alpha_expected) < 1e-5)
        let u = floats(mocha.u_chunk_energy)
        let beta = zip(alpha, u).map { chunkwise(alpha: $0, u: $1, length: $0.count, width: mocha.chunk_size) }
        #expect(maxAbsDifference(beta, mocha.beta_expected) < 1e-5)
        for (b, a) in zip(beta, alpha) { #expect(abs(b.reduce(0, +) - a.reduce(0, +)) < 1e-5) }

        let stops = MonotonicHead.alignment(p: floats(mocha.p_choose), runOff: .zeros)
        let hard: [[Float]] = zip(u, stops).map { row, stop in
            var weights = [Float](repeating: 0, count: row.count)
            ChunkwiseAttention.hardWeights(energy: row, time: row.count, stop: stop, width: mocha.chunk_size, weights: &weights)
            return weights
        }
        #expect(maxAbsDifference(hard, mocha.hard_chunk_weights) < 1e-5)
    }

    @Test func widthOneIsMonotonicAttentionAndMassIsKept() {
        var rng = SplitMix64(seed: 5)
        for _ in 0..<100 {
            let time = Int.random(in: 1...20, using: &rng)
            let length = Int.random(in: 1...time, using: &rng)
            let alpha = rng.floats(time, 0...0.2).enumerated().map { $0.offset < length ? $0.element : 0 }
            let u = rng.floats(time, -30...30)
            let one = chunkwise(alpha: alpha, u: u, length: length, width: 1)
            #expect(zip(one, alpha).allSatisfy { abs($0 - $1) <= 1e-6 * max(1, abs($1)) })
            for width in 2...4 {
                let beta = chunkwise(alpha: alpha, u: u, length: length, width: width)
                #expect(abs(beta.reduce(0, +) - alpha.reduce(0, +)) < 1e-5)
                let reference = literalChunkwise(alpha: alpha.map(Double.init), u: u.map(Double.init), length: length, width: width)
                expectClose(beta, reference, abs: 1e-6, rel: 1e-4, "β w=\(width)")
            }
        }
    }

    @Test(arguments: [1, 2, 3])
    func backwardMatchesFiniteDifferences(width: Int) {
        var rng = SplitMix64(seed: UInt64(width))
        for trial in 0..<20 {
            let time = Int.random(in: 1...12, using: &rng)
            let length = trial % 2 == 0 ? time : Int.random(in: 1...time, using: &rng)
            let alpha = rng.floats(time, 0.01...0.3)
            let u = rng.floats(time, -2...2)
            let weights = rng.floats(time, -1...1)
            var cache = ChunkwiseAttention.Cache(time: time)
            var beta = [Float](repeating: 0, count: time)
            ChunkwiseAttention.forward(alpha: alpha, energy: u, time: time, length: length, width: width, beta: &beta, cache: &cache)
            var gradAlpha = [Float](repeating: 0, count: time)
            var gradU = [Float](repeating: 0, count: time)
            ChunkwiseAttention.backward(alpha: alpha, gradBeta: weights, time: time, length: length, width: width,
                                        cache: cache, gradAlpha: &gradAlpha, gradEnergy: &gradU)
            let w64 = weights.map(Double.init)
            func loss(_ a: [Double], _ e: [Double]) -> Double {
                zip(literalChunkwise(alpha: a, u: e, length: length, width: width), w64).reduce(0) { $0 + $1.0 * $1.1 }
            }
            let a64 = alpha.map(Double.init), u64 = u.map(Double.init)
            expectClose(gradAlpha, numericalGradient(a64) { loss($0, u64) }, "∂L/∂α w=\(width)")
            expectClose(gradU, numericalGradient(u64) { loss(a64, $0) }, "∂L/∂u w=\(width)")
        }
    }
}

@Suite struct SoftmaxAndContextTests {
    @Test func softmaxForwardAndBackward() {
        var rng = SplitMix64(seed: 21)
        for _ in 0..<30 {
            let time = Int.random(in: 1...15, using: &rng)
            let length = Int.random(in: 1...time, using: &rng)
            let e = rng.floats(time, -5...5)
            let weights = rng.floats(time, -1...1)
            var alpha = [Float](repeating: 0, count: time)
            SoftmaxAlignment.forward(energy: e, time: time, length: length, alpha: &alpha)
            var gradE = [Float](repeating: 0, count: time)
            SoftmaxAlignment.backward(alpha: alpha, gradAlpha: weights, time: time, length: length, gradEnergy: &gradE)
            func softmax64(_ x: [Double]) -> [Double] {
                let m = x[..<length].max()!
                let z = x[..<length].reduce(0) { $0 + Foundation.exp($1 - m) }
                return x.indices.map { $0 < length ? Foundation.exp(x[$0] - m) / z : 0 }
            }
            let e64 = e.map(Double.init)
            expectClose(alpha, softmax64(e64), abs: 1e-6, rel: 1e-5, "softmax")
            let numeric = numericalGradient(e64) { zip(softmax64($0), weights).reduce(0) { $0 + $1.0 * Double($1.1) } }
            expectClose(gradE, numeric, "∂L/∂e softmax")
        }
    }

    @Test func contextForwardAndBackward() {
        var rng = SplitMix64(seed: 22)
        for dim in [3, 16, 37] {
            let time = 9, length = 7
            let alpha = rng.floats(time, 0...1)
            let memory = rng.floats(time * dim, -1...1)
            let gradContext = rng.floats(dim, -1...1)
            var context = [Float](repeating: 0, count: dim)
            AttentionContext.forward(alpha: alpha, memory: memory, length: length, dim: dim, context: &context)
            var gradAlpha = [Float](repeating: 0, count: time)
            var gradMemory = [Float](repeating: 0, count: time * dim)
            AttentionContext.backward(alpha: alpha, memory: memory, gradContext: gradContext, time: time, length: length,
                                      dim: dim, gradAlpha: &gradAlpha, gradMemory: &gradMemory)
            func context64(_ a: [Double], _ h: [Double]) -> [Double] {
                (0..<dim).map { k in (0..<length).reduce(0) { $0 + a[$1] * h[$1 * dim + k] } }
            }
            let a64 = alpha.map(Double.init), h64 = memory.map(Double.init), g64 = gradContext.map(Double.init)
            expectClose(context, context64(a64, h64), abs: 1e-5, rel: 1e-5, "context")
            func loss(_ a: [Double], _ h: [Double]) -> Double { zip(context64(a, h), g64).reduce(0) { $0 + $1.0 * $1.1 } }
            expectClose(gradAlpha, numericalGradient(a64) { loss($0, h64) }, "∂L/∂α context")
            expectClose(gradMemory, numericalGradient(h64) { loss(a64, $0) }, "∂L/∂h context")
        }
    }
}

@Suite struct AdditiveEnergyTests {
    /// a = vᵀ tanh(q + k) in float64.
    static func energy64(_ q: [Double], _ k: [Double], _ v: [Double]) -> Double {
        (0..<q.count).reduce(0) { $0 + v[$1] * Foundation.tanh(q[$1] + k[$1]) }
    }

    @Test func matchesTheEnergyVector() {
        let x = MonotonicVectors.shared.energy
        let d = x.W.count
        func matVec(_ m: [[Double]], _ v: [Double]) -> [Double] { m.map { zip($0, v).reduce(0) { $0 + $1.0 * $1.1 } } }
        let query = zip(matVec(x.W, x.s_prev), x.b).map { Float($0 + $1) }
        let v = x.v.map(Float.init)
        let norm = Float(x.v.reduce(0) { $0 + $1 * $1 }.squareRoot())
        var e: [Float] = []
        for h in x.h {
            let key = matVec(x.V, h).map(Float.init)
            let a = AdditiveEnergy.forward(query: query, key: key, v: v, dim: d, hidden: nil)
            e.append(Float(x.g) * a / norm + Float(x.r))
        }
        expectClose(e, x.e, abs: 1e-5, rel: 0, "energies")
        let p = e.map { SIMDMath.sigmoid($0) }
        expectClose(p, x.p_choose[0], abs: 1e-5, rel: 0, "p")
        let alpha = MonotonicAlignment.expected(p: [p])
        #expect(maxAbsDifference(alpha, x.alpha_expected) < 1e-5)
        var context = [Float](repeating: 0, count: 2)
        AttentionContext.forward(alpha: alpha[0], memory: x.h.flatMap { $0.map(Float.init) }, length: x.h.count, dim: 2,
                                 context: &context)
        #expect(maxAbsDifference([context], x.context) < 1e-5)
    }

    @Test(arguments: [5, 16, 40])
    func backwardMatchesFiniteDifferences(dim: Int) {
        var rng = SplitMix64(seed: UInt64(dim))
        let q = rng.floats(dim, -1.5...1.5), k = rng.floats(dim, -1.5...1.5), v = rng.floats(dim, -1...1)
        var hidden = [Float](repeating: 0, count: dim)
        let a = AdditiveEnergy.forward(query: q, key: k, v: v, dim: dim, hidden: &hidden)
        let q64 = q.map(Double.init), k64 = k.map(Double.init), v64 = v.map(Double.init)
        #expect(abs(Double(a) - Self.energy64(q64, k64, v64)) < 1e-5)
        let grad: Float = 0.7
        var gq = [Float](repeating: 0, count: dim), gk = [Float](repeating: 0, count: dim), gv = [Float](repeating: 0, count: dim)
        AdditiveEnergy.backward(grad: grad, hidden: hidden, v: v, dim: dim, gradQuery: &gq, gradKey: &gk, gradV: &gv)
        expectClose(gq, numericalGradient(q64) { 0.7 * Self.energy64($0, k64, v64) }, "∂/∂q")
        expectClose(gk, numericalGradient(k64) { 0.7 * Self.energy64(q64, $0, v64) }, "∂/∂k")
        expectClose(gv, numericalGradient(v64) { 0.7 * Self.energy64(q64, k64, $0) }, "∂/∂v")
    }
}
