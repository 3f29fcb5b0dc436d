import AudioIO
import Corpus
import Features
import Foundation
import Models

/// Online recognition of audio that arrives in chunks: streaming fbank and deltas (Features), global
/// CMVN, and Models' online decoder, which emits each phone as soon as its hard
/// monotonic (or MoChA) stop is found. The phones equal offline greedy decoding of the whole file.
public final class StreamingRecognizer {
    private let frontEnd: ModelFrontEnd
    private let fbank: OnlineFbank
    private let deltas: OnlineDeltas?
    private let decoder: any OnlineDecoding
    private let frameShift: Double

    /// A recognizer for `model` with `search` (greedy; `ctcWeight` for joint CTC/attention decoding); its
    /// features must be normalisable frame by frame (global CMVN or none).
    public init(_ model: ModelFolder, search: DecodingConfig = DecodingConfig()) throws {
        frontEnd = model.frontEnd
        let cmvn = frontEnd.cmvn
        guard !(cmvn.normMeans || cmvn.normVars) || (cmvn.grouping == .global && frontEnd.globalStats != nil) else {
            throw StageError.badData(stage: "decode", message: "--stream needs a model trained with global CMVN "
                + "(train.cmvn.grouping: global); this one normalises per \(cmvn.grouping.rawValue)")
        }
        fbank = try OnlineFbank(options: frontEnd.features.fbank)
        let inputDim = fbank.dim
        deltas = try frontEnd.features.deltas.map { options throws in try OnlineDeltas(options: options, inputDim: inputDim) }
        decoder = try model.model.makeOnlineDecoder(search: search)
        frameShift = frontEnd.features.fbank.frameShift
    }

    /// The sample rate the model's features expect, in Hz.
    public var sampleRate: Int { Int(frontEnd.features.fbank.sampleFrequency) }

    /// Samples accepted so far, at `sampleRate`.
    public private(set) var samplesSeen = 0
    /// Largest |sample| accepted so far.
    public private(set) var peak: Float = 0
    /// The least flat frame of the samples so far (`SpeechPresence`).
    private lazy var presence = SpeechPresence(sampleRate: Double(sampleRate))

    /// Why the input so far gives no usable frames, or nil when it is usable (`UnusableAudio.check`).
    public func unusable(_ options: AudioInputOptions) -> UnusableAudio? {
        UnusableAudio.check(peak: peak, seconds: Double(samplesSeen) / Double(sampleRate), flatness: presence.minimumFlatness,
                            options: options)
    }

    /// Reads `url` (any format libsndfile reads, resampled to `sampleRate`; `*.raw` and `*.pcm` as
    /// `options.raw`) in chunks of `chunkSeconds` and passes the phones each chunk decides to `emit`, then the rest.
    public func recognize(file url: URL, options: AudioInputOptions = .init(), chunkSeconds: Double = 0.1,
                          emit: ([(phone: String, time: Double?)]) throws -> Void) throws {
        let headerless = ["raw", "pcm"].contains(url.pathExtension.lowercased())
        let read = AudioReadOptions(channels: options.channels, sampleRate: sampleRate, raw: headerless ? options.raw : nil)
        let reader = try AudioStreamReader(url, options: read)
        while let block = try reader.next(frames: chunkFrames(chunkSeconds)) { try emit(accept(block)) }
        try emit(finish())
    }

    /// Reads a byte stream from `input` until its end in chunks of `chunkSeconds`: a RIFF/WAVE or NIST
    /// SPHERE header at its start says the layout, otherwise it is headerless PCM as `options.raw`; the
    /// samples are resampled to `sampleRate`. Passes the phones each chunk decides to `emit`, then the rest.
    public func recognize(stream input: FileHandle, source: String, options: AudioInputOptions = .init(),
                          chunkSeconds: Double = 0.1, emit: ([(phone: String, time: Double?)]) throws -> Void) throws {
        var head = Data()
        while head.count < PCMByteStream.headerProbe, let data = try input.read(upToCount: PCMByteStream.headerProbe - head.count),
              !data.isEmpty {
            head.append(data)
        }
        let (format, skip) = try PCMByteStream.layout(of: head, raw: options.raw, source: source)
        try options.channels.check(channels: format.channels, path: source)
        var decoder = PCMSampleDecoder(format: format)
        let resampler = format.sampleRate == sampleRate ? nil : try Resampler(from: format.sampleRate, to: sampleRate)
        var pending = head.dropFirst(skip)
        let chunkBytes = Swift.max(1, Int(chunkSeconds * Double(format.sampleRate))) * decoder.sampleBytes * format.channels
        var ended = false
        while !ended {
            if pending.count < chunkBytes, let data = try input.read(upToCount: chunkBytes), !data.isEmpty {
                pending.append(data)
                continue
            }
            ended = pending.count < chunkBytes
            let mono = options.channels.apply(decoder.decode(Data(pending)), channels: format.channels)
            pending = Data()
            try emit(accept(try resampler?.process(mono, endOfInput: ended) ?? mono))
        }
        try emit(finish())
    }

    private func chunkFrames(_ seconds: Double) -> Int { Swift.max(1, Int(seconds * Double(sampleRate))) }

    /// Takes samples in [-1, 1) at the model's rate; returns the phones decided so far.
    public func accept(_ samples: [Float]) throws -> [(phone: String, time: Double?)] {
        samplesSeen += samples.count
        for sample in samples { peak = Swift.max(peak, abs(sample)) }
        presence.append(samples)
        let frames = try fbank.accept(samples.map { $0 * 32768 }, sampleRate: frontEnd.features.fbank.sampleFrequency)
        return try push(frames, final: false)
    }

    /// Ends the input; returns the remaining phones.
    public func finish() throws -> [(phone: String, time: Double?)] {
        try push(fbank.finish(), final: true)
    }

    private func push(_ frames: FeatureMatrix, final: Bool) throws -> [(phone: String, time: Double?)] {
        var block = try deltas?.accept(frames) ?? frames
        if final, let deltas { block.append(deltas.finish()) }
        var emissions: [Emission] = []
        if block.frames > 0 {
            try frontEnd.normalize(&block)
            emissions += decoder.push(block.values)
        }
        if final { emissions += decoder.finish() }
        return emissions.map { emission in
            let phone = emission.label < frontEnd.phones.count ? frontEnd.phones[emission.label] : "?"
            return (phone, emission.frame.map { Double($0) * frameShift / 1000 })
        }
    }
}
