#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The C library's elementary functions, for modules that do not import Foundation; the one libm
/// shim of the package (the same functions Foundation re-exports, so results are identical).
public enum LibM {
    /// ln x in double precision (`log`).
    @inlinable public static func log(_ x: Double) -> Double { cLog(x) }
    /// ln x in single precision (`logf`; not the same bits as `Float(log(Double(x)))`).
    @inlinable public static func logf(_ x: Float) -> Float { cLogf(x) }
    /// eˣ in double precision (`exp`).
    @inlinable public static func exp(_ x: Double) -> Double { cExp(x) }
    /// ln(1 + x) in double precision, accurate for small x (`log1p`).
    @inlinable public static func log1p(_ x: Double) -> Double { cLog1p(x) }
    /// cos x (`cos`).
    @inlinable public static func cos(_ x: Double) -> Double { cCos(x) }
    /// sin x (`sin`).
    @inlinable public static func sin(_ x: Double) -> Double { cSin(x) }
    /// xʸ (`pow`).
    @inlinable public static func pow(_ x: Double, _ y: Double) -> Double { cPow(x, y) }
}

@usableFromInline func cLog(_ x: Double) -> Double { log(x) }
@usableFromInline func cLogf(_ x: Float) -> Float { logf(x) }
@usableFromInline func cExp(_ x: Double) -> Double { exp(x) }
@usableFromInline func cLog1p(_ x: Double) -> Double { log1p(x) }
@usableFromInline func cCos(_ x: Double) -> Double { cos(x) }
@usableFromInline func cSin(_ x: Double) -> Double { sin(x) }
@usableFromInline func cPow(_ x: Double, _ y: Double) -> Double { pow(x, y) }
