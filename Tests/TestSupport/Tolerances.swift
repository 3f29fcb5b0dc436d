import Testing

/// Largest absolute difference between two equally shaped matrices: `max |aᵢⱼ − bᵢⱼ|`.
public func maxAbsDifference(_ a: [[Float]], _ b: [[Double]]) -> Double {
    precondition(a.count == b.count)
    var worst = 0.0
    for (x, y) in zip(a, b) {
        precondition(x.count == y.count)
        for (u, v) in zip(x, y) { worst = max(worst, abs(Double(u) - v)) }
    }
    return worst
}

/// Expects `analytic` (float32) to match `reference` (float64) entrywise: `|a − r| ≤ abs + rel·|r|`.
public func expectClose(_ analytic: [Float], _ reference: [Double], abs absolute: Double = 2e-5, rel: Double = 1e-3,
                        _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(analytic.count == reference.count, "\(what): sizes differ", sourceLocation: sourceLocation)
    var worst = 0.0
    var at = -1
    for (i, (a, r)) in zip(analytic, reference).enumerated() {
        let excess = Swift.abs(Double(a) - r) - (absolute + rel * Swift.abs(r))
        if excess > worst { worst = excess; at = i }
    }
    #expect(at < 0, "\(what): entry \(at) analytic \(at >= 0 ? analytic[at] : 0) vs reference \(at >= 0 ? reference[at] : 0)",
            sourceLocation: sourceLocation)
}
