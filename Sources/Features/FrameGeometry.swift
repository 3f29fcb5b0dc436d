/// Where Kaldi's frames lie in a signal: frame length L, shift S and the snip-edges rule.
public struct FrameGeometry: Sendable, Equatable {
    /// Frame length L in samples.
    public let length: Int
    /// Frame shift S in samples.
    public let shift: Int
    /// Whether frames must fit in the signal (true) or are centred on t·S + S/2 with reflection (false).
    public let snipEdges: Bool

    /// The geometry of `options` (L = `windowSize`, S = `windowShift`).
    public init(_ options: FbankOptions) {
        self.init(length: options.windowSize, shift: options.windowShift, snipEdges: options.snipEdges)
    }

    /// A geometry with the given length and shift in samples.
    public init(length: Int, shift: Int, snipEdges: Bool) {
        self.length = length
        self.shift = shift
        self.snipEdges = snipEdges
    }

    /// Number of frames T of a signal of n samples:
    /// snip edges: n < L ? 0 : 1 + (n − L) / S; otherwise (n + S/2) / S.
    public func frameCount(samples n: Int) -> Int {
        if snipEdges { return n < length ? 0 : 1 + (n - length) / shift }
        return (n + shift / 2) / shift
    }

    /// Number of frames that lie entirely within the first n samples (what a stream can emit before its end).
    public func completeFrameCount(samples n: Int) -> Int {
        if snipEdges { return frameCount(samples: n) }
        // First sample of frame t is t·S + S/2 − L/2; it is complete when that plus L is at most n.
        let reach = n - length + length / 2 - shift / 2
        return reach < 0 ? 0 : min(reach / shift + 1, frameCount(samples: n))
    }

    /// Index of frame t's first sample: t·S with snip edges, else t·S + S/2 − L/2 (may be negative).
    public func firstSample(ofFrame t: Int) -> Int {
        snipEdges ? t * shift : t * shift + shift / 2 - length / 2
    }

    /// Maps a sample index outside [0, n) into it by reflection including the edge sample
    /// (−1 → 0, n → n − 1), repeatedly for signals shorter than a frame.
    @inline(__always)
    static func reflect(_ index: Int, count n: Int) -> Int {
        var j = index
        while j < 0 || j >= n { j = j < 0 ? -j - 1 : 2 * n - 1 - j }
        return j
    }
}
