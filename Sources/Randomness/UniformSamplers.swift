/// Uniform draws from any generator's 64-bit outputs, each consuming exactly the outputs it says.
extension RandomNumberGenerator {
    /// Uniform on `[0, 1)` with 24 random bits: `(next() >> 40) · 2⁻²⁴` (one output).
    @inlinable public mutating func nextUnit() -> Float { Float(next() >> 40) * 0x1p-24 }

    /// Uniform on `[low, high)`: `low + (high − low) · nextUnit()` (one output).
    @inlinable public mutating func nextUniform(_ low: Float, _ high: Float) -> Float {
        low + (high - low) * nextUnit()
    }

    /// Uniform on the open interval `(0, 1)` with 53 random bits: `((next() >> 11) + ½) · 2⁻⁵³` (one output).
    @inlinable public mutating func nextOpenUnit() -> Double { (Double(next() >> 11) + 0.5) * 0x1p-53 }

    /// Uniform on `(0, 1]` with 53 random bits: `((next() >> 11) + 1) · 2⁻⁵³` (one output).
    @inlinable public mutating func nextUnitExcludingZero() -> Double { Double((next() >> 11) + 1) * 0x1p-53 }

    /// Uniform on `[0, 1)` with 53 random bits: `(next() >> 11) · 2⁻⁵³` (one output).
    @inlinable public mutating func nextUnitDouble() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// A uniform draw from `range` by the standard library's `Double.random(in:using:)`.
    @inlinable public mutating func uniform(_ range: ClosedRange<Double>) -> Double {
        Double.random(in: range, using: &self)
    }
}
