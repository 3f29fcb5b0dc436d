import Features
import Foundation
import Models
import Testing
@testable import Recipes

/// `frontend.json` is checked against itself and against the model it describes: short CMVN sums or a
/// phone list of the wrong length give one line naming the file and the field, not a trap or shifted phones.
@Suite struct FrontEndCheckTests {
    /// 40 log-mel filterbanks, as the recipes extract.
    static let features: FeatureExtractionOptions = {
        var options = FeatureExtractionOptions()
        options.fbank.numMelBins = 40
        return options
    }()

    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("frontend-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func globalStatisticsOfTheWrongDimensionAreRefused() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var stats = CmvnStats(dim: 40)
        try stats.accumulate(FeatureMatrix(frames: 2, dim: 40, values: [Float](repeating: 1, count: 80)))
        try ModelFrontEnd(features: Self.features, cmvn: CmvnOptions(), globalStats: stats, phones: ["a"]).write(to: folder)
        #expect(throws: Never.self) { _ = try ModelFrontEnd.read(from: folder) }
        // Cut the sums to 12 values, as a hostile or damaged file might.
        let file = folder.appendingPathComponent(ModelFrontEnd.fileName)
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        var global = try #require(json["globalStats"] as? [String: Any])
        global["sum"] = Array((global["sum"] as? [Double] ?? []).prefix(12))
        json["globalStats"] = global
        try JSONSerialization.data(withJSONObject: json).write(to: file)
        do {
            _ = try ModelFrontEnd.read(from: folder)
            Issue.record("short sums were accepted")
        } catch let error as StageError {
            #expect(error.description == "\(file.path): globalStats has dim 40, 12 sums and 40 sums of squares; the features have 40 values per frame")
        }
    }

    @Test func aPhoneListOrFeatureSizeThatDisagreesWithTheModelIsRefused() throws {
        let model = try CTCModelConfig().fitted(inputSize: 40, labelCount: 3).makeModel(seed: 1, initScale: 0.1)
        let good = ModelFrontEnd(features: Self.features, cmvn: CmvnOptions(), globalStats: nil, phones: ["a", "b", "c"])
        #expect(throws: Never.self) { try good.check(model: model, file: "f.json") }
        var short = good
        short.phones = ["a", "b"]
        #expect(throws: StageError.inconsistent(file: "f.json", message: "phones lists 2 phones; the model emits 3")) {
            try short.check(model: model, file: "f.json")
        }
        var wide = good
        wide.features.fbank.numMelBins = 80
        #expect(throws: StageError.inconsistent(file: "f.json", message: "the features have 80 values per frame; the model reads 40")) {
            try wide.check(model: model, file: "f.json")
        }
    }
}
