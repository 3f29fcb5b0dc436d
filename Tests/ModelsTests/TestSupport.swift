import Foundation
import Randomness
import Testing
import TensorCore

extension SplitMix64 {
    /// `count` uniform draws from `range`.
    mutating func floats(_ count: Int, _ range: ClosedRange<Double>) -> [Float] {
        (0..<count).map { _ in Float(uniform(range)) }
    }
}

/// The parsed monotonic-vectors.json fixture (fields documented in the reference, §12).
struct MonotonicVectors: Decodable {
    struct Case: Decodable {
        let name: String
        let U: Int
        let T: Int
        let p_choose: [[Double]]
        let alpha_prev: [Double]?
        let alpha_expected: [[Double]]
        let alpha_row_sums: [Double]?
        let hard_alignment: [[Double]]?
        let hard_indices: [Int]?
        let hard_alignment_stay_last: [[Double]]?
        let hard_indices_stay_last: [Int]?
        let alpha_parallel_safe_float32: [[Double]]?
    }
    struct Mocha: Decodable {
        let chunk_size: Int
        let p_choose: [[Double]]
        let u_chunk_energy: [[Double]]
        let alpha_expected: [[Double]]
        let beta_expected: [[Double]]
        let hard_chunk_weights: [[Double]]
    }
    struct Energy: Decodable {
        let W: [[Double]]
        let V: [[Double]]
        let b: [Double]
        let v: [Double]
        let g: Double
        let r: Double
        let s_prev: [Double]
        let h: [[Double]]
        let e: [Double]
        let p_choose: [[Double]]
        let alpha_expected: [[Double]]
        let context: [[Double]]
    }
    let cases: [Case]
    let mocha: Mocha
    let energy: Energy

    static let shared: MonotonicVectors = {
        let url = Bundle.module.url(forResource: "monotonic-vectors", withExtension: "json", subdirectory: "Fixtures")!
        return try! JSONDecoder().decode(MonotonicVectors.self, from: Data(contentsOf: url))
    }()
}

func floats(_ rows: [[Double]]) -> [[Float]] { rows.map { $0.map(Float.init) } }

/// Largest absolute difference between two equally shaped matrices.
func maxAbsDifference(_ a: [[Float]], _ b: [[Double]]) -> Double {
    precondition(a.count == b.count)
    var worst = 0.0
    for (x, y) in zip(a, b) {
        precondition(x.count == y.count)
        for (u, v) in zip(x, y) { worst = max(worst, abs(Double(u) - v)) }
    }
    return worst
}

/// Central-difference gradient of a float64 function at `x` (step 1e−6).
func numericalGradient(_ x: [Double], step: Double = 1e-6, _ f: ([Double]) -> Double) -> [Double] {
    var x = x
    return (0..<x.count).map { i in
        let saved = x[i]
        x[i] = saved + step
        let plus = f(x)
        x[i] = saved - step
        let minus = f(x)
        x[i] = saved
        return (plus - minus) / (2 * step)
    }
}

/// Expects `analytic` (float32) to match `reference` (float64) within abs + rel·|reference|.
func expectClose(_ analytic: [Float], _ reference: [Double], abs absolute: Double = 2e-5, rel: Double = 1e-3,
                 _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(analytic.count == reference.count, "\(what): sizes differ", sourceLocation: sourceLocation)
    var worst = 0.0
    var at = -1
    for (i, (a, r)) in zip(analytic, reference).enumerated() {
        let excess = Swift.abs(Double(a) - r) - (absolute + rel * Swift.abs(r))
        if excess > worst { worst = excess; at = i }
    }
    #expect(at < 0, "\(what): entry \(at) analytic \(at >= 0 ? analytic[at] : 0) vs reference \(at >= 0 ? reference[at] : 0)",
            sourceLocation: sourceLocation)
}
