/// Standard normal draws, all by `BoxMuller`; they differ only in how the two uniforms are drawn
/// and in the precision of the result, and each is pinned by known-answer tests.
extension RandomNumberGenerator {
    /// Standard normal, cosine branch, from `u₁ = nextUnitExcludingZero()` then `u₂ = nextUnitDouble()`,
    /// rounded to Float (two outputs). Training randomness: initialisation, weight noise.
    @inlinable public mutating func nextNormal() -> Float {
        let u1 = nextUnitExcludingZero()
        let u2 = nextUnitDouble()
        return Float(BoxMuller.cosine(u1, u2))
    }

    /// Two standard normals, both branches, from `u₁ = nextOpenUnit()` then `u₂ = nextOpenUnit()`,
    /// rounded to Float (two outputs). Feature dither.
    @inlinable public mutating func nextGaussianPair() -> (Float, Float) {
        let u1 = nextOpenUnit()
        let u2 = nextOpenUnit()
        let (a, b) = BoxMuller.pair(u1, u2)
        return (Float(a), Float(b))
    }

    /// Standard normal in double precision, cosine branch, from the standard library's
    /// `u₁ = Double.random(in: ε...1)` then `u₂ = Double.random(in: 0..<1)` (ε = `Double.ulpOfOne`).
    /// Corpus synthesis.
    @inlinable public mutating func gaussian() -> Double {
        let u1 = Double.random(in: Double.ulpOfOne...1, using: &self)
        let u2 = Double.random(in: 0..<1, using: &self)
        return BoxMuller.cosine(u1, u2)
    }

    /// Standard normal in single precision, cosine branch, from the standard library's
    /// `u₁ = Float.random(in: ε..<1)` then `u₂ = Float.random(in: 0..<1)` (ε = `Float.ulpOfOne`);
    /// the radius is computed in Float. Synthetic model tasks.
    @inlinable public mutating func floatGaussian() -> Float {
        let u1 = Float.random(in: Float.ulpOfOne..<1, using: &self)
        let u2 = Float.random(in: 0..<1, using: &self)
        return BoxMuller.cosine(u1, u2)
    }
}
