import TensorCore

/// The subsampling mechanism of Raffel & Lawson (2017) in expectation: a stochastic process walks the
/// inputs s_0..s_{T−1} once and copies s_n to the output with probability e_n, so output m is input n
/// with probability
///
///     P(y_m = s_n) = e_n · r_{m,n},   r_{m,n} = Σ_{j<n} P(y_{m−1} = s_j) Π_{i=j+1}^{n−1} (1 − e_i)
///
/// (r_{0,n} = Π_{i<n} (1 − e_i)). The inner sum obeys the running recurrence
///
///     r_{m,0} = [m = 0],   r_{m,n+1} = (1 − e_n) r_{m,n} + P(y_{m−1} = s_n)
///
/// with no division and no clipped cumulative product, so the whole table costs O(U·T) time and memory.
/// Each input is used at most once and n strictly increases with m; the mass that output m never
/// receives (1 − Σ_n P(y_m = s_n)) stands for a zero vector. The expected output is then
/// E[y_m] = Σ_n P(y_m = s_n) s_n, an ordinary matrix product.
///
/// Inputs n ≥ `length` are padding: e_n counts as 0 there and every probability is 0.
public enum ExpectedSubsampling {
    /// The table of one sequence: `probabilities` q [steps, time] with q_{m,n} = P(y_m = s_n), and the
    /// running sums `reaching` r [steps, time] that `backward` needs. Both are written in full.
    ///
    /// - Parameters: emissions e [time] in [0, 1]; `length` ≤ `time` valid inputs; `steps` outputs U.
    @inlinable
    public static func forward<Scalar: BinaryFloatingPoint>(
        emissions e: UnsafePointer<Scalar>, time: Int, length: Int, steps: Int,
        probabilities q: UnsafeMutablePointer<Scalar>, reaching r: UnsafeMutablePointer<Scalar>
    ) {
        for m in 0..<steps {
            let row = m * time
            var running: Scalar = m == 0 ? 1 : 0
            for n in 0..<length {
                r[row + n] = running
                q[row + n] = e[n] * running
                running = (1 - e[n]) * running + (m > 0 ? q[row - time + n] : 0)
            }
            for n in length..<time {
                r[row + n] = 0
                q[row + n] = 0
            }
        }
    }

    /// The exact gradient of one sequence: from ∂L/∂q [steps, time] and the stored r, writes ∂L/∂e [time]
    /// (zero on padding). With ρ_{m,n} = ∂L/∂r_{m,n} and Q_{m,n} = ∂L/∂q_{m,n} + ρ_{m+1,n+1} (q_{m,n}
    /// feeds r_{m+1,n+1}):
    ///
    ///     ρ_{m,n} = e_n Q_{m,n} + (1 − e_n) ρ_{m,n+1},   ∂L/∂e_n = Σ_m r_{m,n} (Q_{m,n} − ρ_{m,n+1})
    ///
    /// walking n downwards; `scratch` holds ρ_{·,n+1} [steps].
    @inlinable
    public static func backward<Scalar: BinaryFloatingPoint>(
        emissions e: UnsafePointer<Scalar>, reaching r: UnsafePointer<Scalar>,
        gradProbabilities gq: UnsafePointer<Scalar>, time: Int, length: Int, steps: Int,
        gradEmissions ge: UnsafeMutablePointer<Scalar>, scratch rho: UnsafeMutablePointer<Scalar>
    ) {
        for m in 0..<steps { rho[m] = 0 }
        var n = length - 1
        while n >= 0 {
            var gradient: Scalar = 0
            // Ascending m: ρ_{m+1} still holds column n + 1 when row m reads it.
            for m in 0..<steps {
                let index = m * time + n
                let total = gq[index] + (m + 1 < steps ? rho[m + 1] : 0)
                gradient += r[index] * (total - rho[m])
                rho[m] = e[n] * total + (1 - e[n]) * rho[m]
            }
            ge[n] = gradient
            n -= 1
        }
        for n in max(length, 0)..<time { ge[n] = 0 }
    }

    /// The table q [steps][time] of one whole sequence of emission probabilities (all inputs valid).
    public static func probabilities<Scalar: BinaryFloatingPoint>(_ emissions: [Scalar], steps: Int) -> [[Scalar]] {
        let time = emissions.count
        var q = [Scalar](repeating: 0, count: steps * time)
        var r = q
        emissions.withUnsafeBufferPointer { e in
            q.withUnsafeMutableBufferPointer { qp in
                r.withUnsafeMutableBufferPointer { rp in
                    if let base = e.baseAddress, let qBase = qp.baseAddress, let rBase = rp.baseAddress {
                        forward(emissions: base, time: time, length: time, steps: steps, probabilities: qBase, reaching: rBase)
                    }
                }
            }
        }
        return (0..<steps).map { m in Array(q[(m * time)..<((m + 1) * time)]) }
    }

    /// ∂L/∂e [time] of L = Σ_{m,n} weights[m][n] · q_{m,n} for one whole sequence.
    public static func gradient<Scalar: BinaryFloatingPoint>(_ emissions: [Scalar], weights: [[Scalar]]) -> [Scalar] {
        let time = emissions.count, steps = weights.count
        var q = [Scalar](repeating: 0, count: steps * time)
        var r = q
        var ge = [Scalar](repeating: 0, count: time)
        var rho = [Scalar](repeating: 0, count: steps)
        let gq = weights.flatMap { $0 }
        precondition(gq.count == steps * time, "weights must be [steps][\(time)]")
        guard time > 0, steps > 0 else { return ge }
        emissions.withUnsafeBufferPointer { e in
            forward(emissions: e.baseAddress!, time: time, length: time, steps: steps, probabilities: &q, reaching: &r)
            backward(emissions: e.baseAddress!, reaching: r, gradProbabilities: gq, time: time, length: time, steps: steps,
                     gradEmissions: &ge, scratch: &rho)
        }
        return ge
    }

    /// Test-time hard subsampling: the inputs kept, those with e_n > 0.5 (online and linear).
    public static func hardSelection(_ emissions: [Float]) -> [Int] {
        emissions.indices.filter { emissions[$0] > 0.5 }
    }
}

extension Tape {
    /// The expected-subsampling table q [B, steps, T] of emission probabilities e [B, T] with valid
    /// `lengths`, and its exact backward; one sequence per thread of the compute team.
    public func expectedSubsampling(_ emissions: Variable, lengths: [Int], steps: Int) -> Variable {
        precondition(emissions.shape.count == 2, "emission probabilities \(emissions.shape) are not [batch, time]")
        let batch = emissions.shape[0], time = emissions.shape[1]
        precondition(lengths.count == batch && lengths.allSatisfy { (0...time).contains($0) },
                     "lengths \(lengths) do not fit [\(batch), \(time)]")
        let e = emissions.value
        var q = Tensor.zeros([batch, steps, time])
        var r = Tensor.zeros([batch, steps, time])
        let table = steps * time
        e.withUnsafeBufferPointer { e in
            q.withUnsafeMutableBufferPointer { q in
                r.withUnsafeMutableBufferPointer { r in
                    guard let e = e.baseAddress, let q = q.baseAddress, let r = r.baseAddress else { return }
                    ComputeThreads.parallelFor(batch) { b in
                        ExpectedSubsampling.forward(emissions: e + b * time, time: time, length: lengths[b], steps: steps,
                                                    probabilities: q + b * table, reaching: r + b * table)
                    }
                }
            }
        }
        return record(inputs: [emissions], output: q) { [r] context in
            guard let gq = context.outputGradient() else { return }
            var ge = Tensor.zeros([batch, time])
            e.withUnsafeBufferPointer { e in
                r.withUnsafeBufferPointer { r in
                    gq.withUnsafeBufferPointer { gq in
                        ge.withUnsafeMutableBufferPointer { ge in
                            guard let e = e.baseAddress, let r = r.baseAddress, let gq = gq.baseAddress,
                                  let ge = ge.baseAddress else { return }
                            ComputeThreads.parallelFor(batch) { b in
                                let rho = UnsafeMutablePointer<Float>.allocate(capacity: max(steps, 1))
                                defer { rho.deallocate() }
                                ExpectedSubsampling.backward(
                                    emissions: e + b * time, reaching: r + b * table, gradProbabilities: gq + b * table,
                                    time: time, length: lengths[b], steps: steps, gradEmissions: ge + b * time, scratch: rho)
                            }
                        }
                    }
                }
            }
            context.accumulate(0, ge)
        }
    }
}
