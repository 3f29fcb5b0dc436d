import Foundation
import TensorCore

/// The angle in degrees between two updates of one parameter, as flat vectors:
/// acos(a·b / (|a| |b|)), summed in Float64; 90 when either is zero.
public func alignmentAngle(_ a: Tensor, _ b: Tensor) -> Double {
    precondition(a.count == b.count, "angle between \(a.shape) and \(b.shape)")
    var dot = 0.0, aa = 0.0, bb = 0.0
    a.withUnsafeBufferPointer { x in
        b.withUnsafeBufferPointer { y in
            for i in 0..<x.count {
                let (u, v) = (Double(x[i]), Double(y[i]))
                dot += u * v
                aa += u * u
                bb += v * v
            }
        }
    }
    guard aa > 0, bb > 0 else { return 90 }
    return acos(max(-1, min(1, dot / (aa.squareRoot() * bb.squareRoot())))) * 180 / Double.pi
}
