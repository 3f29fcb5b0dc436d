import Foundation
import Models
import Testing
@testable import Recipes

@Suite("hard-alignment recipes")
struct HardAlignmentRecipeTests {
    static let recipes = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("recipes")

    static func parse(_ name: String, overrides: [String] = []) throws -> HardAlignmentConfig {
        let file = recipes.appendingPathComponent(name)
        let recipe = try Recipe.parse(String(contentsOf: file, encoding: .utf8), file: name, overrides: overrides)
        let config = try #require(recipe.settings.train.model.family(as: HardAlignmentConfig.self))
        try config.validate()
        return config
    }

    @Test("the demo-sized recipe switches its estimator and baseline with --set")
    func demoRecipeSwitchesEstimator() throws {
        let demo = try Self.parse("demo-hard-alignments.yaml")
        #expect(demo.estimator == .vimco && demo.baseline == .temporalLoo)
        #expect(demo.encoder == EncoderConfig(inputSize: 123, layers: 3, hiddenSize: 128, subsampleAfter: [0, 1], dropout: 0.2))
        for estimator in HardAlignmentEstimator.allCases {
            let switched = try Self.parse("demo-hard-alignments.yaml",
                                          overrides: ["train.model.estimator=\(estimator.rawValue)", "train.model.baseline=loo"])
            #expect(switched.estimator == estimator && switched.baseline == .loo)
        }
    }

    @Test("the TIMIT recipe is the paper's 2 x 256 unidirectional p reading the frames, VIMCO + temporal LOO")
    func timitRecipeIsThePapers() throws {
        let timit = try Self.parse("timit-hard-alignments.yaml")
        #expect(timit.encoder == nil, "\(String(describing: timit.encoder))")
        #expect(timit.layers == 2 && timit.hiddenSize == 256)
        #expect(timit.estimator == .vimco && timit.baseline == .temporalLoo)
        #expect(timit.inference.inputLayers == 4 && timit.inference.decisionLayers == 2)
    }
}
