import Foundation
import Randomness
import Testing
import TensorCore

/// The C cell kernel against the cell's formulas in Float64, over a unit range with an unaligned
/// start, a whole block and a tail (`5..<37` of `H = 40`); units outside the range stay untouched.
/// Every instruction-set build this CPU runs is checked (all three on an AVX-512 machine).
@Suite struct LSTMCellKernelTests {
    /// The build used by default matches the CPU flags the kernel reports in /proc/cpuinfo
    /// (x86-64-v4 needs AVX-512 F, BW, CD, DQ and VL; x86-64-v3 AVX2, FMA, BMI1/2, F16C, MOVBE, LZCNT).
    @Test func theBestInstructionSetMatchesTheCPUFlags() throws {
        let info = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let line = try #require(info.split(separator: "\n").first { $0.hasPrefix("flags") })
        let flags = Set(line.split(separator: " ").map(String.init))
        let expected: LSTMCellKernel.InstructionSet
        if ["avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"].allSatisfy(flags.contains) {
            expected = .avx512
        } else if ["avx2", "fma", "bmi1", "bmi2", "f16c", "movbe", "abm"].allSatisfy(flags.contains) {
            expected = .avx2
        } else {
            expected = .baseline
        }
        #expect(LSTMCellKernel.best == expected)
    }

    static let H = 40
    static let units = 5..<37

    static func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

    static func random(_ count: Int, seed: UInt64, scale: Float = 2, shift: Float = 0) -> [Float] {
        var rng = Xoshiro256StarStar(seed: seed)
        return (0..<count).map { _ in rng.nextNormal() * scale + shift }
    }

    static let instructionSets = LSTMCellKernel.InstructionSet.allCases.filter { $0.rawValue <= LSTMCellKernel.best.rawValue }

    @Test(arguments: [false, true], instructionSets)
    func forwardMatchesFloat64(withBias: Bool, instructionSet: LSTMCellKernel.InstructionSet) {
        let H = Self.H
        let z0 = Self.random(4 * H, seed: 1), bias = Self.random(4 * H, seed: 2), cPrevious = Self.random(H, seed: 3)
        var z = z0, c = [Float](repeating: 7, count: H), tanhC = c, h = c, y = c
        LSTMCellKernel.forward(z: &z, bias: withBias ? bias : nil, cPrevious: cPrevious, c: &c, tanhC: &tanhC,
                               h: &h, y: &y, H: H, units: Self.units, instructionSet: instructionSet)
        var worst = 0.0
        for j in 0..<H {
            guard Self.units.contains(j) else {
                #expect(c[j] == 7 && tanhC[j] == 7 && h[j] == 7 && y[j] == 7)
                for k in 0..<4 { #expect(z[k * H + j] == z0[k * H + j]) }
                continue
            }
            let pre = (0..<4).map { k in Double(z0[k * H + j]) + (withBias ? Double(bias[k * H + j]) : 0) }
            let i = Self.sigmoid(pre[0]), f = Self.sigmoid(pre[1]), g = tanh(pre[2]), o = Self.sigmoid(pre[3])
            let cell = f * Double(cPrevious[j]) + i * g
            let expected = [i, f, g, o]
            for k in 0..<4 { worst = max(worst, abs(Double(z[k * H + j]) - expected[k])) }
            worst = max(worst, abs(Double(c[j]) - cell), abs(Double(tanhC[j]) - tanh(cell)),
                        abs(Double(h[j]) - o * tanh(cell)))
            #expect(y[j] == h[j])
        }
        #expect(worst < 2e-6)
    }

    @Test(arguments: [false, true], instructionSets)
    func backwardMatchesFloat64(withOutputGradient: Bool, instructionSet: LSTMCellKernel.InstructionSet) {
        let H = Self.H
        let gates = Self.random(4 * H, seed: 4).enumerated().map { k, v in
            k / H == 2 ? Float(tanh(Double(v))) : Float(Self.sigmoid(Double(v)))
        }
        let cPrevious = Self.random(H, seed: 5), tanhC = Self.random(H, seed: 6).map { Float(tanh(Double($0))) }
        let dh = Self.random(H, seed: 7), dy = Self.random(H, seed: 8), dc0 = Self.random(H, seed: 9)
        var dc = dc0, dz = [Float](repeating: 7, count: 4 * H)
        LSTMCellKernel.backward(gates: gates, cPrevious: cPrevious, tanhC: tanhC, dh: dh, dy: withOutputGradient ? dy : nil,
                                dc: &dc, dz: &dz, H: H, units: Self.units, instructionSet: instructionSet)
        var worst = 0.0
        for j in 0..<H {
            guard Self.units.contains(j) else {
                #expect(dc[j] == dc0[j])
                for k in 0..<4 { #expect(dz[k * H + j] == 7) }
                continue
            }
            let (i, f, g, o) = (Double(gates[j]), Double(gates[H + j]), Double(gates[2 * H + j]), Double(gates[3 * H + j]))
            let t = Double(tanhC[j])
            let dState = Double(dh[j]) + (withOutputGradient ? Double(dy[j]) : 0)
            let dCell = Double(dc0[j]) + dState * o * (1 - t * t)
            let expected = [dCell * g * i * (1 - i), dCell * Double(cPrevious[j]) * f * (1 - f),
                            dCell * i * (1 - g * g), dState * t * o * (1 - o)]
            for k in 0..<4 { worst = max(worst, abs(Double(dz[k * H + j]) - expected[k])) }
            worst = max(worst, abs(Double(dc[j]) - dCell * f))
        }
        #expect(worst < 1e-5)
    }
}
