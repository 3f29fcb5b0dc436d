extension ChannelSelection {
    // Public: `asr decode` applies the selection to samples it decodes from a byte stream.
    /// Channels in the output for a file with `channels` channels.
    public func outputChannels(from channels: Int) -> Int {
        if case .all = self { return channels }
        return 1
    }

    /// Checks the selection against a file with `channels` channels.
    public func check(channels: Int, path: String) throws(AudioError) {
        if case .channel(let index) = self, !(0..<channels).contains(index) {
            throw .channelOutOfRange(path: path, channel: index, channels: channels)
        }
    }

    /// Applies the selection to interleaved `[frames, channels]` samples.
    public func apply(_ samples: [Float], channels: Int) -> [Float] {
        if channels == 1 { return samples }
        let frames = samples.count / channels
        switch self {
        case .all:
            return samples
        case .channel(let index):
            return (0..<frames).map { samples[$0 * channels + index] }
        case .mixDown:
            let scale = 1 / Float(channels)
            return [Float](unsafeUninitializedCapacity: frames) { out, count in
                samples.withUnsafeBufferPointer { input in
                    for frame in 0..<frames {
                        var sum: Float = 0
                        for channel in 0..<channels { sum += input[frame * channels + channel] }
                        out[frame] = sum * scale
                    }
                }
                count = frames
            }
        }
    }
}
