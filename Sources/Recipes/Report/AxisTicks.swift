import Foundation

/// Round tick positions for a plot axis: steps of 1, 2 or 5 times a power of ten covering a data range.
public struct AxisTicks: Sendable, Equatable {
    /// Lower end of the axis (a multiple of `step`, ≤ the data's minimum).
    public var lower: Double
    /// Upper end of the axis (a multiple of `step`, ≥ the data's maximum).
    public var upper: Double
    /// Distance between ticks: {1, 2, 5} × 10^k.
    public var step: Double

    /// Ticks covering [minimum, maximum] with at most about `target` + 1 of them (a flat range is widened).
    public init(minimum: Double, maximum: Double, target: Int = 5, integers: Bool = false) {
        var low = minimum.isFinite ? minimum : 0, high = maximum.isFinite ? maximum : 1
        if high < low { swap(&low, &high) }
        if high - low < 1e-12 { low -= low == 0 ? 0 : abs(low) * 0.1; high = low + (low == 0 ? 1 : abs(low) * 0.2) }
        let raw = (high - low) / Double(max(1, target))
        let magnitude = pow(10, floor(log10(raw)))
        var step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw * 0.999 } ?? 10 * magnitude
        if integers { step = max(1, step.rounded()) }
        self.step = step
        lower = (low / step).rounded(.down) * step
        upper = (high / step).rounded(.up) * step
        if upper <= lower { upper = lower + step }
    }

    /// The tick values from `lower` to `upper`.
    public var values: [Double] {
        let count = Int(((upper - lower) / step).rounded())
        return (0...count).map { lower + Double($0) * step }
    }

    /// `value` printed with at most the decimals the step needs, trailing zeros dropped (0.5 → "0.5", 1.0 → "1").
    public func label(_ value: Double) -> String {
        let decimals = max(0, Int(ceil(-log10(step) - 1e-9)))
        var text = String(format: "%.\(decimals)f", abs(value) < step * 1e-6 ? 0 : value)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }
}
