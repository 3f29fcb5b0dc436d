/// Vectorised float kernels of the frame pipeline.
enum VectorMath {
    /// Natural logarithm of 16 positive, finite floats (Cephes' logf polynomial: x = m·2^e with
    /// m ∈ [√½, √2), ln x = e·ln 2 + ln m; max error about 1 ulp). Clamps use masks, not `.clamped`.
    @inline(__always)
    static func log(_ x: SIMD16<Float>) -> SIMD16<Float> {
        let bits = unsafeBitCast(x, to: SIMD16<UInt32>.self)
        // The biased exponent as a float without an integer conversion: (2²³ + b) read as a float is
        // exactly 8388608 + b, for b = bits >> 23 (positive inputs, so no sign bit).
        var e = unsafeBitCast((bits &>> 23) | 0x4B00_0000, to: SIMD16<Float>.self) - (8_388_608 + 126)
        var m = unsafeBitCast((bits & 0x807F_FFFF) | 0x3F00_0000, to: SIMD16<Float>.self)  // [0.5, 1)
        let small = m .< 0.707106781186547524
        e.replace(with: e - 1, where: small)
        m.replace(with: m + m, where: small)
        m -= 1
        let z = m * m
        var y: SIMD16<Float> = SIMD16(repeating: 7.0376836292e-2)
        y = y * m - 1.1514610310e-1
        y = y * m + 1.1676998740e-1
        y = y * m - 1.2420140846e-1
        y = y * m + 1.4249322787e-1
        y = y * m - 1.6668057665e-1
        y = y * m + 2.0000714765e-1
        y = y * m - 2.4999993993e-1
        y = y * m + 3.3333331174e-1
        y = y * m * z
        y += -2.12194440e-4 * e
        y += -0.5 * z
        return m + y + 0.693359375 * e
    }

    /// x ← ln(max(x, floor)) over `count` floats; `x` must have room for `count` rounded up to 16.
    @inline(__always)
    static func flooredLog(_ x: UnsafeMutablePointer<Float>, count: Int, floor: Float) {
        var i = 0
        while i < count {
            var v = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD16<Float>.self)
            v.replace(with: floor, where: v .< floor)
            UnsafeMutableRawPointer(x + i).storeBytes(of: log(v), as: SIMD16<Float>.self)
            i += 16
        }
    }
}
