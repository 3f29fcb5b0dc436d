/// Natural logarithm and cosine from the C library (Foundation-free).
enum LibM {
    /// ln x.
    static func log(_ x: Float) -> Float { Float(_logDouble(Double(x))) }
    /// cos x.
    static func cos(_ x: Double) -> Double { _cosDouble(x) }
}

#if canImport(Glibc)
import Glibc
@inline(__always) private func _logDouble(_ x: Double) -> Double { Glibc.log(x) }
@inline(__always) private func _cosDouble(_ x: Double) -> Double { Glibc.cos(x) }
#else
import Darwin
@inline(__always) private func _logDouble(_ x: Double) -> Double { Darwin.log(x) }
@inline(__always) private func _cosDouble(_ x: Double) -> Double { Darwin.cos(x) }
#endif
