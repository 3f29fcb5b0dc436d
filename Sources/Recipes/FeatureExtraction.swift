import AtomicFiles
import AudioIO
import Corpus
import Distributed
import Features
import Foundation
import Options
import Parallelism

/// What the feature stage computes for every utterance of a split.
public struct FeatureExtractionOptions: DefaultedOptions, Sendable, Equatable {
    /// Fbank options (Kaldi's names and defaults). Default: Kaldi's.
    public var fbank: FbankOptions = FbankOptions()
    /// Deltas appended to every matrix before it is stored; nil = none. Default nil.
    public var deltas: DeltaOptions? = nil
    /// Grouping of the CMVN statistics written for training data. Default global.
    public var cmvnGrouping: CmvnGrouping = .global

    /// The defaults above.
    public init() {}

    /// Values per stored frame: fbank dimension · (delta order + 1).
    public var dimension: Int { fbank.dimension * ((deltas?.order ?? 0) + 1) }

    /// Throws an `OptionError` naming the first invalid option (including mel filters left empty).
    public func validate() throws(OptionError) {
        try OptionError.within("fbank", fbank.validate)
        do { _ = try MelBanks(fbank) } catch {
            // MelBanks rejects only options (mel filters that numMelBins leaves empty over the range).
            guard case let .option(option) = error else { throw OptionError("fbank", value: "these options", allowed: "\(error)") }
            throw option.within("fbank")
        }
        if let deltas { try OptionError.within("deltas", deltas.validate) }
    }
}

/// A feature-stage failure naming the utterance and its audio file.
public struct FeatureExtractionError: Error, CustomStringConvertible {
    /// Utterance id, or the file name for a single file.
    public var utterance: String
    /// Audio path, or nil when `reason` names the file already (audio errors do).
    public var path: String?
    /// The underlying problem.
    public var reason: String

    /// One line: what and where, `utt (path): reason` or `utt: path: reason`.
    public var description: String { path.map { "\(utterance) (\($0)): \(reason)" } ?? "\(utterance): \(reason)" }
}

/// Progress of a running extraction, reported after each batch of utterances.
public struct FeatureExtractionProgress: Sendable {
    /// Utterances done.
    public var done: Int
    /// Utterances in all.
    public var total: Int
    /// Seconds of audio done.
    public var audioSeconds: Double
    /// Wall-clock seconds since the start.
    public var elapsed: Double
}

/// What an extraction wrote.
public struct FeatureExtractionSummary: Sendable {
    /// Utterances written.
    public var utterances: Int
    /// Frames written.
    public var frames: Int
    /// Values per frame.
    public var dim: Int
    /// Seconds of audio.
    public var audioSeconds: Double
    /// Wall-clock seconds.
    public var elapsed: Double
    /// The archive's data file (`NAME.feats`; the index is `NAME.index.json` beside it).
    public var archive: URL
    /// The CMVN statistics file (`NAME.cmvn.json`), when asked for.
    public var cmvnStats: URL?
}

/// Joins audio files and manifests to features: reads each utterance's audio (scaled to int16 units as
/// Kaldi), computes fbank (+ deltas) on all cores and writes the split's archive and CMVN statistics.
public enum FeatureExtraction {
    /// The samples of an audio file in int16 units (AudioIO reads PCM as x / 32768) and its rate.
    public static func samples(of url: URL) throws -> (samples: [Float], rate: Double) {
        let audio = try AudioReader.read(url)
        var samples = audio.samples
        for i in samples.indices { samples[i] *= 32768 }
        return (samples, Double(audio.sampleRate))
    }

    /// One file's stored features `[frames, dim]` (fbank, then deltas if asked).
    public static func features(ofFile url: URL, options: FeatureExtractionOptions) throws -> FeatureMatrix {
        let fbank = try Fbank(options: options.fbank)
        let deltas = try options.deltas.map { options throws(FeatureError) in try DeltaFeatures(options: options) }
        return try features(ofFile: url, id: url.deletingPathExtension().lastPathComponent, fbank: fbank, deltas: deltas)
    }

    private static func features(ofFile url: URL, id: String, fbank: Fbank, deltas: DeltaFeatures?) throws -> FeatureMatrix {
        do {
            let (samples, rate) = try samples(of: url)
            let matrix = try fbank.compute(samples, sampleRate: rate)
            return deltas?.apply(matrix) ?? matrix
        } catch let error as AudioError {
            throw FeatureExtractionError(utterance: id, path: nil, reason: error.description)
        } catch {
            throw FeatureExtractionError(utterance: id, path: url.path, reason: "\(error)")
        }
    }

    /// Extracts every utterance of `entries` (audio paths relative to `audioRoot` unless absolute) into
    /// `directory/NAME.feats` + `NAME.index.json` in manifest order, plus `NAME.options.json` (the resolved
    /// options) and, when `cmvnStats`, `NAME.cmvn.json` grouped by `options.cmvnGrouping`.
    ///
    /// Runs on `threads` threads (0 = all cores); `progress` is called on the calling thread after each
    /// batch. Nothing is left half-written on failure.
    ///
    /// Under several ranks of `world`, each batch's utterances are shared out (rank r computes positions
    /// r, r + N, …), gathered, and rank 0 alone writes the same files as one process, in the same order.
    public static func extract(_ entries: [ManifestEntry], audioRoot: URL, to directory: URL, name: String,
                               options: FeatureExtractionOptions, cmvnStats: Bool, threads: Int = 0,
                               world: any Communicator = World.current,
                               progress: (FeatureExtractionProgress) -> Void = { _ in }) throws -> FeatureExtractionSummary {
        try options.validate()
        let fbank = try Fbank(options: options.fbank)
        let deltas = try options.deltas.map { options throws(FeatureError) in try DeltaFeatures(options: options) }
        let workers = Cores.resolve(threads)
        let writer = world.isWriter ? try FeatureArchiveWriter(directory: directory, name: name) : nil
        var table = CmvnStatsTable(grouping: options.cmvnGrouping, dim: options.dimension)
        let start = Date()
        var frames = 0, audioSeconds = 0.0
        let batch = max(1, workers * 8) * world.size
        var first = 0
        while first < entries.count {
            let slice = Array(entries[first..<min(first + batch, entries.count)])
            let mine = world.shard(slice.count)
            let computed = try Parallel.map(count: mine.count, threads: workers) { i in
                let entry = slice[mine[i]]
                let url = entry.audio.hasPrefix("/") ? URL(fileURLWithPath: entry.audio) : audioRoot.appendingPathComponent(entry.audio)
                return try features(ofFile: url, id: entry.id, fbank: fbank, deltas: deltas)
            }
            let matrices = world.size > 1 ? try gathered(computed, count: slice.count, world: world) : computed
            for (entry, matrix) in zip(slice, matrices) {
                try writer?.append(entry.id, matrix)
                if cmvnStats { try table.accumulate(matrix, utterance: entry.id, speaker: entry.speaker) }
                frames += matrix.frames
                audioSeconds += Double(entry.samples) / Double(entry.sampleRate)
            }
            first += slice.count
            guard world.isWriter else { continue }
            progress(FeatureExtractionProgress(done: first, total: entries.count, audioSeconds: audioSeconds,
                                               elapsed: Date().timeIntervalSince(start)))
        }
        // The archive first: the options and statistics files describe an archive that exists.
        let cmvnURL = cmvnStats ? directory.appendingPathComponent("\(name).cmvn.json") : nil
        if let writer {
            try writer.finish()
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            try AtomicFile.write(encoder.encode(options), to: directory.appendingPathComponent("\(name).options.json"))
            if let cmvnURL { try table.save(to: cmvnURL) }
        }
        try world.barrier()  // every rank returns once rank 0 has written
        return FeatureExtractionSummary(utterances: entries.count, frames: frames, dim: options.dimension,
                                        audioSeconds: audioSeconds, elapsed: Date().timeIntervalSince(start),
                                        archive: directory.appendingPathComponent("\(name).feats"), cmvnStats: cmvnURL)
    }

    /// Every rank's `computed` matrices (rank r's k-th is position r + kN of the batch) in batch order
    /// on every rank: frames, dim and values of each, gathered as bytes.
    static func gathered(_ computed: [FeatureMatrix], count: Int, world: any Communicator) throws -> [FeatureMatrix] {
        var bytes: [UInt8] = []
        for matrix in computed {
            withUnsafeBytes(of: Int64(matrix.frames).littleEndian) { bytes.append(contentsOf: $0) }
            withUnsafeBytes(of: Int64(matrix.dim).littleEndian) { bytes.append(contentsOf: $0) }
            matrix.values.withUnsafeBytes { bytes.append(contentsOf: $0) }
        }
        let all = try world.allgather(bytes)
        var result = [FeatureMatrix?](repeating: nil, count: count)
        for (rank, data) in all.enumerated() {
            var offset = 0, position = rank
            func integer() -> Int {
                defer { offset += 8 }
                return Int(Int64(littleEndian: data[offset..<offset + 8].withUnsafeBytes { $0.loadUnaligned(as: Int64.self) }))
            }
            while offset < data.count {
                let frames = integer(), dim = integer()
                let values = data[offset..<offset + frames * dim * 4].withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
                offset += frames * dim * 4
                result[position] = FeatureMatrix(frames: frames, dim: dim, values: values)
                position += world.size
            }
        }
        return result.map { $0! }
    }

    /// Kaldi's text form of a matrix: `id  [` then each row as `  v v … ` on its own line, closed by `]`.
    public static func kaldiText(_ matrix: FeatureMatrix, id: String) -> String {
        var text = "\(id)  ["
        if matrix.frames == 0 { return text + " ]\n" }
        for t in 0..<matrix.frames {
            text += "\n  "
            for v in matrix.row(t) { text += String(format: "%g ", v) }
        }
        return text + "]\n"
    }
}
