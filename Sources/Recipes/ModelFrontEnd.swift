import AtomicFiles
import AudioIO
import Corpus
import Features
import Foundation
import Models
import Options

/// Everything between audio and a model's input, saved beside its checkpoints as `frontend.json`, so
/// that `asr decode` turns any audio file into exactly the features the model was trained on and its
/// output ids back into phones.
public struct ModelFrontEnd: DefaultedOptions, Sendable, Equatable {
    /// Feature options (fbank, deltas).
    public var features: FeatureExtractionOptions
    /// Normalisation applied to every matrix.
    public var cmvn: CmvnOptions
    /// Statistics of the training set, used for every utterance when `cmvn.grouping` is global.
    public var globalStats: CmvnStats?
    /// Output id → phone (the 48 training phones).
    public var phones: [String]

    /// A front end with the given parts.
    public init(features: FeatureExtractionOptions, cmvn: CmvnOptions, globalStats: CmvnStats?, phones: [String]) {
        self.features = features
        self.cmvn = cmvn
        self.globalStats = globalStats
        self.phones = phones
    }

    /// The defaults an older `frontend.json` is read over: the recipe's default features and training
    /// CMVN, no statistics, no phones.
    public init() {
        self.init(features: FeatureExtractionOptions(), cmvn: TrainStageOptions().cmvn, globalStats: nil, phones: [])
    }

    /// The file name inside a model folder.
    public static let fileName = "frontend.json"

    /// Writes `frontend.json` into `folder` atomically.
    public func write(to folder: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try AtomicFile.write(encoder.encode(self), to: folder.appendingPathComponent(ModelFrontEnd.fileName))
    }

    /// Reads `frontend.json` from a model folder; fields it lacks (an older file) take their defaults.
    public static func read(from folder: URL) throws -> ModelFrontEnd {
        let url = folder.appendingPathComponent(fileName)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw StageError.missingInput(path: url.path, hint: "not a model folder of `asr train` or `asr run`")
        }
        let frontEnd: ModelFrontEnd
        do {
            frontEnd = try OptionsJSON.decode(ModelFrontEnd.self, from: data)
        } catch {
            throw StageError.inconsistent(file: url.path, message: "not a front end: \(error)".split(separator: "\n").joined(separator: " "))
        }
        try frontEnd.check(file: url.path)
        return frontEnd
    }

    /// Checks that the global CMVN statistics hold one sum and one sum of squares per feature, over a
    /// positive finite frame count, for the features the options produce; throws naming `file` and the field.
    func check(file: String) throws {
        guard let stats = globalStats else { return }
        let dimension = features.dimension
        if stats.dim != dimension || stats.sum.count != dimension || stats.sumOfSquares.count != dimension {
            throw StageError.inconsistent(file: file, message: "globalStats has dim \(stats.dim), \(stats.sum.count) sums and "
                + "\(stats.sumOfSquares.count) sums of squares; the features have \(dimension) values per frame")
        }
        if !(stats.count > 0 && stats.count.isFinite) || !(stats.sum + stats.sumOfSquares).allSatisfy(\.isFinite) {
            throw StageError.inconsistent(file: file, message: "globalStats.count must be positive and every sum finite")
        }
    }

    /// Checks that `model` reads these features and emits these phones; throws naming `file` and the field.
    public func check(model: any RecognitionModel, file: String) throws {
        if phones.count != model.labelCount {
            throw StageError.inconsistent(file: file, message: "phones lists \(phones.count) phones; the model emits \(model.labelCount)")
        }
        if features.dimension != model.inputSize {
            throw StageError.inconsistent(file: file, message: "the features have \(features.dimension) values per frame; the model reads \(model.inputSize)")
        }
    }

    /// Normalises one utterance's features: with the global statistics, or with its own (utterance or
    /// speaker grouping, where a lone file is its own speaker).
    public func normalize(_ matrix: inout FeatureMatrix) throws {
        guard cmvn.normMeans || cmvn.normVars else { return }
        if cmvn.grouping == .global, let globalStats {
            try globalStats.apply(to: &matrix, options: cmvn)
        } else {
            var own = CmvnStats(dim: matrix.dim)
            try own.accumulate(matrix)
            try own.apply(to: &matrix, options: cmvn)
        }
    }

    /// The features of an audio file in any format libsndfile reads and at any rate (resampled to the
    /// options' rate), normalised: `[frames, dim]`.
    public func features(ofFile url: URL) throws -> FeatureMatrix {
        let rate = Int(features.fbank.sampleFrequency)
        let audio = try AudioReader.read(url, options: AudioReadOptions(sampleRate: rate))
        return try self.features(ofSamples: audio.samples)
    }

    /// The features of samples in [-1, 1) at the options' rate (int16 units inside, as Kaldi), normalised.
    public func features(ofSamples samples: [Float]) throws -> FeatureMatrix {
        let fbank = try Fbank(options: features.fbank)
        var matrix = try fbank.compute(samples.map { $0 * 32768 }, sampleRate: features.fbank.sampleFrequency)
        if let deltas = features.deltas { matrix = try DeltaFeatures(options: deltas).apply(matrix) }
        try normalize(&matrix)
        return matrix
    }
}
