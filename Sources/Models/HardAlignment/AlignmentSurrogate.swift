import Randomness
import TensorCore

/// log σ(z) in float64, stable for large |z|.
func logSigmoid(_ z: Double) -> Double { z >= 0 ? -LibM.log(1 + LibM.exp(-z)) : z - LibM.log(1 + LibM.exp(z)) }

/// log p(b | z) = log σ(z) for an emit, log σ(−z) for an ingest.
func logDecision(_ z: Double, emit: Bool) -> Double { logSigmoid(emit ? z : -z) }

extension PathTerms {
    /// The terms of every row from the teacher-forced logits: token logits [N, T, V], p's decision logits
    /// [N, T, 1] and q's (or nil); with `scoresForcedEmits` each forced emit's log σ(z) goes to `forcedEmits`;
    /// each ingest with k phones (targets before the end of sequence) still to emit costs `delayPenalty`·k.
    static func read(tokens: Tensor, decisions: Tensor, inference: Tensor?, rows: [PathRow], labels: [[Int]],
                     scoresForcedEmits: Bool = false, delayPenalty: Double = 0) -> [PathTerms] {
        let (T, V) = (tokens.shape[1], tokens.shape[2])
        let logits = tokens.scalars, z = decisions.scalars, zq = inference?.scalars
        return rows.enumerated().map { r, row in
            let steps = row.path.steps
            var terms = PathTerms(rewards: [], decisions: [], inference: [], forcedEmits: [], latency: [], emitted: row.path.emittedCounts)
            let phones = labels[row.utterance].count - 1
            for (s, step) in steps.enumerated() {
                let at = r * T + s
                let emit = row.path.decisions[s], free = !row.path.forced[s]
                if emit {
                    let y = labels[row.utterance][step.emittedBefore]
                    terms.rewards.append(logSoftmax(logits[(at * V)..<((at + 1) * V)], at: y))
                } else {
                    terms.rewards.append(0)
                }
                terms.decisions.append(free ? logDecision(Double(z[at]), emit: emit) : 0)
                terms.inference.append(free && zq != nil ? logDecision(Double(zq![at]), emit: emit) : 0)
                terms.forcedEmits.append(!free && emit && scoresForcedEmits ? logSigmoid(Double(z[at])) : 0)
                terms.latency.append(emit ? 0 : -delayPenalty * Double(max(0, phones - step.emittedBefore)))
            }
            return terms
        }
    }

    /// log softmax(row)[y] in float64.
    static func logSoftmax(_ row: ArraySlice<Float>, at y: Int) -> Double {
        let top = Double(row.max() ?? 0)
        let total = row.reduce(0.0) { $0 + LibM.exp(Double($1) - top) }
        return Double(row[row.startIndex + y]) - top - LibM.log(total)
    }
}

extension Tape {
    /// The family's loss: value −Σ_u bound_u / `divisor` (the estimate of the negative bound per label);
    /// gradient −(1/divisor) times the estimator, i.e. the gradient of
    /// −(1/divisor) Σ_{r,s} [a·log p(y_{O(s)}) + c·log p(b_s) + d·log q(b_s) + β_p·H_p(b_s) + β_q·H_q(b_s)]
    /// with the objective's coefficients held constant (score-function surrogate).
    ///
    /// tokens [N, T, V], decisions [N, T, 1], inference [N, T, 1] or nil → [].
    /// ∂/∂logit_v = a·(1[v = y] − softmax_v); ∂ log p(b)/∂z = b − σ(z); ∂H/∂z = −z·σ(z)(1 − σ(z)).
    func alignmentSurrogate(tokens: Variable, decisions: Variable, inference: Variable?, rows: [PathRow], labels: [[Int]],
                            objective: HardAlignmentObjective, divisor: Double) -> Variable {
        let (T, V) = (tokens.shape[1], tokens.shape[2])
        let inputs = [tokens, decisions] + (inference.map { [$0] } ?? [])
        let value = Tensor(scalar: Float(-objective.bound / divisor))
        return record(inputs: inputs, output: value) { ctx in
            guard let g = ctx.outputGradient() else { return }
            let scale = -Double(g.scalar) / divisor
            if ctx.needsGradient(0) {
                let logits = tokens.value.scalars
                ctx.withGradient(0) { d in
                    for (r, row) in rows.enumerated() {
                        for (s, step) in row.path.steps.enumerated() where row.path.decisions[s] {
                            let at = r * T + s
                            let a = objective.tokenWeights[at] * scale
                            guard a != 0 else { continue }
                            let y = labels[row.utterance][step.emittedBefore]
                            let base = at * V
                            let top = Double(logits[base..<(base + V)].max() ?? 0)
                            var total = 0.0
                            for v in 0..<V { total += LibM.exp(Double(logits[base + v]) - top) }
                            for v in 0..<V {
                                let p = LibM.exp(Double(logits[base + v]) - top) / total
                                d[base + v] += Float(a * ((v == y ? 1 : 0) - p))
                            }
                        }
                    }
                }
            }
            func decisionGradient(_ input: Int, _ z: Tensor, weights: [Double], entropy: [Double]) {
                guard ctx.needsGradient(input) else { return }
                let values = z.scalars
                ctx.withGradient(input) { d in
                    for (r, row) in rows.enumerated() {
                        for s in 0..<row.path.length where weights[r * T + s] != 0 || entropy[r * T + s] != 0 {
                            let at = r * T + s
                            let zt = Double(values[at])
                            let sigma = 1 / (1 + LibM.exp(-zt))
                            let b: Double = row.path.decisions[s] ? 1 : 0
                            let score = weights[at] * (b - sigma)
                            let bonus = entropy[at] * (-zt * sigma * (1 - sigma))
                            d[at] += Float(scale * (score + bonus))
                        }
                    }
                }
            }
            decisionGradient(1, decisions.value, weights: objective.decisionWeights, entropy: objective.decisionEntropy)
            if let inference {
                decisionGradient(2, inference.value, weights: objective.inferenceWeights, entropy: objective.inferenceEntropy)
            }
        }
    }
}
