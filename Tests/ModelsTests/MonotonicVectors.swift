import Foundation
import Testing

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
