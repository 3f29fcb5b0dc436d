import Foundation
import Randomness

/// `count` samples of `amplitude · sin(2π f t / rate)`, computed in Double.
func sine(frequency: Double, rate: Int, count: Int, amplitude: Double = 0.5) -> [Float] {
    (0..<count).map { Float(amplitude * sin(2 * Double.pi * frequency * Double($0) / Double(rate))) }
}

/// Values `k / 2^(bits-1)` that an integer format of `bits` bits stores exactly, including both extremes.
func exactlyRepresentable(bits: Int, count: Int) -> [Float] {
    let full = Double(1 << (bits - 1))
    var generator = SplitMix64(seed: 7)
    var values: [Float] = [-1, Float((full - 1) / full), 0]
    while values.count < count {
        let k = Double(Int(generator.next() % UInt64(2 * Int(full)))) - full
        values.append(Float(k / full))
    }
    return values
}
