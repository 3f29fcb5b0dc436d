import Foundation

/// Cuts long recordings at their pauses so that each piece is decoded as an utterance of its own.
///
/// An attention decoder is trained on single sentences: on a recording of several, it reaches the state in
/// which its training sentences ended and stops attending (a 24 s recording of eight sentences decodes to
/// 30 phones, none in long stretches). A recording longer than `longerThan` seconds is therefore cut in
/// the middle of every pause of at least `minimumPause` seconds; shorter input is decoded whole.
///
/// A pause is a run of 10 ms frames whose energy 10·log₁₀(mean x² + 10⁻¹⁰) lies below
/// floor + `threshold`·(level − floor), floor and level being the 5th and 95th percentiles of the
/// recording's frame energies. Pieces shorter than `minimumPiece` seconds are not cut off.
public struct PauseSegmenter: Sendable, Equatable {
    /// Input up to this many seconds is decoded whole. Default 8 (longer than any TIMIT sentence).
    public var longerThan: Double = 8
    /// Shortest pause cut at, in seconds. Default 0.2.
    public var minimumPause: Double = 0.2
    /// Where between the floor (0) and the speech level (1) a frame counts as pause. Default 0.3.
    public var threshold: Double = 0.3
    /// Shortest piece, in seconds. Default 0.5.
    public var minimumPiece: Double = 0.5

    /// The defaults.
    public init() {}

    /// The pieces of `samples` at `rate` Hz, in order, covering every sample: one piece for input up to
    /// `longerThan` seconds or without pauses.
    public func pieces(of samples: [Float], rate: Int) -> [Range<Int>] {
        let hop = max(1, rate / 100)
        let frames = samples.count / hop
        guard Double(samples.count) > longerThan * Double(rate), frames > 0 else { return [0..<samples.count] }
        let energies = (0..<frames).map { f -> Double in
            var sum = 0.0
            for x in samples[(f * hop)..<((f + 1) * hop)] { sum += Double(x) * Double(x) }
            return 10 * log10(sum / Double(hop) + 1e-10)
        }
        let sorted = energies.sorted()
        let floor = sorted[frames * 5 / 100], level = sorted[min(frames - 1, frames * 95 / 100)]
        let cutoff = floor + threshold * (level - floor)
        let pauseFrames = Int((minimumPause * 100).rounded(.up)), pieceFrames = Int(minimumPiece * 100)
        var cuts: [Int] = []
        var f = 0
        while f < frames {
            guard energies[f] < cutoff else { f += 1; continue }
            var end = f
            while end < frames, energies[end] < cutoff { end += 1 }
            let middle = (f + end) / 2
            if end - f >= pauseFrames, middle - (cuts.last ?? 0) >= pieceFrames, frames - middle >= pieceFrames {
                cuts.append(middle)
            }
            f = end
        }
        let bounds = [0] + cuts.map { $0 * hop } + [samples.count]
        return zip(bounds, bounds.dropFirst()).map { $0..<$1 }
    }
}
