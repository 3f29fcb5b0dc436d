import Foundation
import Models
import NeuralNet
import Testing
@testable import Recipes

@Suite struct FrameRecipeTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test(arguments: ["demo-frames.yaml", "timit-frames.yaml"])
    func theFrameRecipesSelectTheRuleFromTheCommandLine(recipe: String) throws {
        let path = Self.root.appendingPathComponent("recipes/\(recipe)").path
        let plain = try #require(try Recipe.load(path).settings.train.model.family(as: FrameClassifierConfig.self))
        #expect(plain.rule == .backprop && plain.angleEvery > 0)
        for rule in TrainingRule.allCases {
            let chosen = try Recipe.load(path, overrides: ["train.model.rule=\(rule.rawValue)"])
            #expect(chosen.settings.train.model.family(as: FrameClassifierConfig.self)?.rule == rule)
        }
        #expect(throws: (any Error).self) { try Recipe.load(path, overrides: ["train.model.rule=hebbian"]) }
    }
}
