import Foundation
import Testing
@testable import Recipes

@Suite struct PauseSegmenterTests {
    /// Bursts of a 300 Hz tone of the given seconds separated by silences of the given seconds, at 16 kHz,
    /// over a faint noise floor.
    func signal(bursts: [Double], pauses: [Double]) -> (samples: [Float], pauseMiddles: [Int]) {
        var samples: [Float] = [], middles: [Int] = []
        var seed: UInt64 = 3
        func floorNoise() -> Float {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int(seed >> 40) - (1 << 23)) / Float(1 << 23) * 1e-4
        }
        for (index, burst) in bursts.enumerated() {
            samples += (0..<Int(burst * 16000)).map { Float(0.3 * sin(2 * Double.pi * 300 * Double($0) / 16000)) + floorNoise() }
            if index < pauses.count {
                middles.append(samples.count + Int(pauses[index] * 16000) / 2)
                samples += (0..<Int(pauses[index] * 16000)).map { _ in floorNoise() }
            }
        }
        return (samples, middles)
    }

    @Test("a long recording is cut in the middle of every pause of at least minimumPause, and nowhere else")
    func cutsAtPauses() {
        let (samples, middles) = signal(bursts: [2.0, 2.5, 1.5, 3.0, 2.0], pauses: [0.3, 0.12, 0.5, 0.25])
        let pieces = PauseSegmenter().pieces(of: samples, rate: 16000)
        let cuts = pieces.dropFirst().map(\.lowerBound)
        // Pauses 0.3, 0.5 and 0.25 s are cut at (within one 10 ms frame of their middle); 0.12 s is not.
        #expect(cuts.count == 3, "\(cuts)")
        for (cut, middle) in zip(cuts, [middles[0], middles[2], middles[3]]) { #expect(abs(cut - middle) <= 160) }
        // The pieces cover every sample, in order.
        #expect(pieces.first?.lowerBound == 0 && pieces.last?.upperBound == samples.count)
        #expect(zip(pieces, pieces.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
        var shorter = PauseSegmenter()
        shorter.minimumPause = 0.1
        #expect(shorter.pieces(of: samples, rate: 16000).count == 5)
    }

    @Test("input up to longerThan seconds, or without pauses, is one piece; no piece is shorter than minimumPiece")
    func wholeInput() {
        let short = signal(bursts: [2.0, 2.0, 2.0], pauses: [0.4, 0.4]).samples   // 6.8 s
        #expect(PauseSegmenter().pieces(of: short, rate: 16000) == [0..<short.count])
        var always = PauseSegmenter()
        always.longerThan = 0
        #expect(always.pieces(of: short, rate: 16000).count == 3)
        let steady = signal(bursts: [12.0], pauses: []).samples
        #expect(PauseSegmenter().pieces(of: steady, rate: 16000) == [0..<steady.count])
        // A 0.1 s burst between two pauses would make a piece of 0.4 s: it stays with the piece before it.
        let (clipped, _) = signal(bursts: [5.0, 0.1, 5.0], pauses: [0.3, 0.3])
        let pieces = PauseSegmenter().pieces(of: clipped, rate: 16000)
        #expect(pieces.count == 2 && pieces.allSatisfy { $0.count >= 8000 })
    }
}
