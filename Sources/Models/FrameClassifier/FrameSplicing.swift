/// Kaldi-style splicing: the input of frame t is frames t−k..t+k of `features` [frames, size]
/// concatenated, each index clamped to 0..<frames (edge frames repeat). Writes size·(2k + 1) values
/// into `window`.
func spliceFrame(_ features: [Float], frames: Int, size: Int, at t: Int, context k: Int, into window: inout [Float]) {
    window.removeAll(keepingCapacity: true)
    for offset in -k...k {
        let source = min(max(t + offset, 0), frames - 1)
        window.append(contentsOf: features[(source * size)..<((source + 1) * size)])
    }
}

/// The phone of every frame for training: the example's `frameLabels`, or where the corpus gave no
/// phone times its phones spread evenly (frame t gets phone ⌊t·L / T⌋); empty without phones.
func frameTargets(_ example: Example) -> [Int] {
    if let frameLabels = example.frameLabels, frameLabels.count == example.frames { return frameLabels }
    let phones = example.labels
    guard !phones.isEmpty else { return [] }
    return (0..<example.frames).map { phones[$0 * phones.count / example.frames] }
}
