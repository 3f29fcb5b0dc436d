import Models
import Testing
@testable import Recipes

@Suite("train.model.kind")
struct ModelKindRecipeTests {
    @Test("the kind selects the family, and a model without one is an attention model")
    func kindSelectsTheFamily() throws {
        let explicit = try Recipe.parse("train:\n  model:\n    kind: attention\n    attention: {kind: mocha}\n", file: "r.yaml")
        let implicit = try Recipe.parse("train:\n  model:\n    attention: {kind: mocha}\n", file: "r.yaml")
        #expect(explicit.settings.train.model == implicit.settings.train.model)
        let config = try #require(explicit.settings.train.model.family(as: AttentionModelConfig.self))
        #expect(config.attention.kind == .mocha)
        #expect(config.encoder == EncoderConfig())
    }

    @Test("an unknown kind names its line and the families")
    func unknownKind() throws {
        let error = try #require(recipeError("train:\n  model:\n    kind: transformer\n"))
        guard case let .wrongType(location, key, expected, found) = error else { Issue.record("\(error)"); return }
        #expect(key == "train.model.kind")
        #expect(expected == "one of " + ModelKind.allCases.map(\.rawValue).joined(separator: ", "))
        #expect(found == "'transformer'")
        #expect(location.line == 3 && location.column == 11)
    }

    @Test("a key of another family is unknown and lists this family's keys")
    func unknownFamilyKey() throws {
        let error = try #require(recipeError("train:\n  model:\n    kind: attention\n    blank: 0\n"))
        guard case let .unknownKey(location, key, section, allowed) = error else { Issue.record("\(error)"); return }
        #expect((key, section) == ("blank", "train.model"))
        #expect(location.line == 4)
        #expect(allowed == ["attention", "ctcWeight", "decoder", "encoder", "feedback", "rule"])
    }

    @Test("--set reaches into the family's fields")
    func overridesReachTheFamily() throws {
        let recipe = try Recipe.parse("train:\n  model:\n    kind: attention\n", file: "r.yaml",
                                      overrides: ["train.model.attention.kind=softmax", "train.model.encoder.layers=2"])
        let config = try #require(recipe.settings.train.model.family(as: AttentionModelConfig.self))
        #expect(config.attention.kind == .softmax)
        #expect(config.encoder.layers == 2)
    }
}
