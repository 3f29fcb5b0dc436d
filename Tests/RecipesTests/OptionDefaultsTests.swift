import AudioIO
import Features
import Foundation
import Models
import NeuralNet
import Options
import Scoring
import Synthesis
import Testing
import Training
@testable import Recipes

/// Every options struct reads `{}` as its defaults; recipe and model files written before a field
/// existed still load; validation errors name recipe keys by their key path.
@Suite struct OptionDefaultsTests {
    /// Decodes `{}` through `OptionsJSON` and compares with `T()`.
    static func emptyIsDefault<T: DefaultedOptions & Equatable>(_ type: T.Type) throws -> Bool {
        try OptionsJSON.decode(T.self, from: Data("{}".utf8)) == T()
    }

    @Test func everyOptionsStructDecodesEmptyJSONToItsDefaults() throws {
        #expect(try Self.emptyIsDefault(FbankOptions.self))
        #expect(try Self.emptyIsDefault(DeltaOptions.self))
        #expect(try Self.emptyIsDefault(MfccOptions.self))
        #expect(try Self.emptyIsDefault(CmvnOptions.self))
        #expect(try Self.emptyIsDefault(SpecAugmentOptions.self))
        #expect(try Self.emptyIsDefault(AudioReadOptions.self))
        #expect(try Self.emptyIsDefault(RawPCMFormat.self))
        #expect(try Self.emptyIsDefault(ScoringOptions.self))
        #expect(try Self.emptyIsDefault(SynthesisOptions.self))
        #expect(try Self.emptyIsDefault(EncoderConfig.self))
        #expect(try Self.emptyIsDefault(DecoderConfig.self))
        #expect(try Self.emptyIsDefault(AttentionConfig.self))
        #expect(try Self.emptyIsDefault(TrainingConfig.self))
        #expect(try Self.emptyIsDefault(DecodingConfig.self))
        #expect(try Self.emptyIsDefault(CheckpointInfo.self))
        #expect(try Self.emptyIsDefault(FeatureExtractionOptions.self))
        #expect(try Self.emptyIsDefault(PrepareStageOptions.self))
        #expect(try Self.emptyIsDefault(TrainStageOptions.self))
        #expect(try Self.emptyIsDefault(DecodeStageOptions.self))
        #expect(try Self.emptyIsDefault(ScoreStageOptions.self))
        #expect(try Self.emptyIsDefault(ModelFrontEnd.self))
    }

    @Test func nestedPartialObjectsKeepTheirDefaults() throws {
        let json = #"{"fbank": {"numMelBins": 40}, "deltas": {"order": 1}}"#
        let options = try OptionsJSON.decode(FeatureExtractionOptions.self, from: Data(json.utf8))
        var expected = FeatureExtractionOptions()
        expected.fbank.numMelBins = 40
        expected.deltas = DeltaOptions(order: 1, window: DeltaOptions().window)
        #expect(options == expected)
        let mfcc = try OptionsJSON.decode(MfccOptions.self, from: Data(#"{"fbank": {"numMelBins": 30}}"#.utf8))
        #expect(mfcc.fbank.useEnergy == MfccOptions().fbank.useEnergy)
    }

    @Test func anOldCheckpointConfigWithMissingFieldsLoads() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("old-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let json = #"{"model": {"encoder": {"hiddenSize": 64, "layers": 2}, "attention": {"kind": "mocha"}}, "epoch": 4}"#
        try Data(json.utf8).write(to: folder.appendingPathComponent("config.json"))
        let info = try Checkpoint.loadConfig(CheckpointInfo.self, from: folder)
        var attention = AttentionModelConfig()
        attention.encoder.hiddenSize = 64
        attention.encoder.layers = 2
        attention.attention.kind = .mocha
        #expect(info == CheckpointInfo(model: ModelConfig(attention), epoch: 4, devErrorRate: nil))
    }

    @Test func anOldFrontEndWithMissingFieldsLoads() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("old-frontend-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let json = #"{"features": {"fbank": {"numMelBins": 40, "dither": 0}}, "cmvn": {"grouping": "utterance"}, "phones": ["aa", "ae"]}"#
        try Data(json.utf8).write(to: folder.appendingPathComponent(ModelFrontEnd.fileName))
        let frontEnd = try ModelFrontEnd.read(from: folder)
        var features = FeatureExtractionOptions()
        features.fbank.numMelBins = 40
        features.fbank.dither = 0
        var cmvn = TrainStageOptions().cmvn
        cmvn.grouping = .utterance
        #expect(frontEnd == ModelFrontEnd(features: features, cmvn: cmvn, globalStats: nil, phones: ["aa", "ae"]))
    }

    @Test func aNestedValidationErrorNamesTheRecipeKeyAndItsLine() throws {
        let error = try #require(recipeError("train:\n  model:\n    encoder:\n      layers: 0\n"))
        guard case let .invalidValue(location, key, message) = error else { Issue.record("\(error)"); return }
        #expect(key == "train.model.encoder.layers")
        #expect(location.line == 4 && location.column == 15)
        #expect(message.contains("1...16"))
        let search = try #require(recipeError("decode:\n  search:\n    beamWidth: 0\n"))
        guard case let .invalidValue(_, searchKey, _) = search else { Issue.record("\(search)"); return }
        #expect(searchKey == "decode.search.beamWidth")
    }

    @Test func aValidationErrorAboutADefaultPointsAtTheSection() throws {
        // 40 Hz wide mel range: the default numMelBins (23) leaves filters empty once the range shrinks.
        let error = try #require(recipeError("features:\n  fbank:\n    lowFreq: 7990\n    highFreq: 8000\n"))
        guard case let .invalidValue(_, key, _) = error else { Issue.record("\(error)"); return }
        #expect(key == "features.fbank.numMelBins")
    }
}
