/// Central-difference gradient of a float64 function at `x`: `(f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h` for each i.
public func numericalGradient(_ x: [Double], step: Double = 1e-6, _ f: ([Double]) -> Double) -> [Double] {
    var x = x
    return (0..<x.count).map { i in
        let saved = x[i]
        x[i] = saved + step
        let plus = f(x)
        x[i] = saved - step
        let minus = f(x)
        x[i] = saved
        return (plus - minus) / (2 * step)
    }
}
