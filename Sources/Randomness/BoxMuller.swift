/// The Box–Muller transform (Box and Muller 1958): two uniforms u₁ ∈ (0, 1], u₂ ∈ [0, 1) give two
/// independent standard normals `r·cos θ` and `r·sin θ` with `r = √(−2 ln u₁)` and `θ = 2π u₂`.
///
/// `r` is computed in `T` from a double-precision `ln u₁` rounded to `T`; `cos θ` and `sin θ` in
/// double precision, rounded to `T`. Every normal sampler of the package goes through here.
public enum BoxMuller {
    /// The radius `√(−2 ln u₁)`, in `T`.
    @inlinable public static func radius<T: BinaryFloatingPoint>(_ u1: T) -> T {
        (-2 * T(LibM.log(Double(u1)))).squareRoot()
    }

    /// The cosine branch: `√(−2 ln u₁) · cos 2πu₂`.
    @inlinable public static func cosine<T: BinaryFloatingPoint>(_ u1: T, _ u2: T) -> T {
        radius(u1) * T(LibM.cos(2 * Double.pi * Double(u2)))
    }

    /// Both branches: `√(−2 ln u₁) · (cos 2πu₂, sin 2πu₂)`.
    @inlinable public static func pair<T: BinaryFloatingPoint>(_ u1: T, _ u2: T) -> (T, T) {
        let r = radius(u1)
        let theta = 2 * Double.pi * Double(u2)
        return (r * T(LibM.cos(theta)), r * T(LibM.sin(theta)))
    }
}
