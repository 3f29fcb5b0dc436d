import Foundation

extension WindowType {
    /// The window's L coefficients (symmetric, a = 2π / (L − 1)), computed in double as Kaldi does.
    /// - Parameter blackmanCoeff: b of the Blackman window; unused by the others.
    public func coefficients(length: Int, blackmanCoeff: Float = 0.42) -> [Float] {
        let a = 2 * Double.pi / Double(length - 1)
        let b = Double(blackmanCoeff)
        return (0..<length).map { i -> Float in
            let x = a * Double(i)
            switch self {
            case .povey: return Float(pow(0.5 - 0.5 * cos(x), 0.85))
            case .hamming: return Float(0.54 - 0.46 * cos(x))
            case .hanning: return Float(0.5 - 0.5 * cos(x))
            case .sine: return Float(sin(0.5 * x))
            case .rectangular: return 1
            case .blackman: return Float(b - 0.5 * cos(x) + (0.5 - b) * cos(2 * x))
            }
        }
    }
}
