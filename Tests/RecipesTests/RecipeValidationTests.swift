import Foundation
import Testing
@testable import Recipes

/// Parses `text` as a recipe named `r.yaml` and returns the error it throws.
func recipeError(_ text: String, overrides: [String] = []) -> RecipeError? {
    do {
        _ = try Recipe.parse(text, file: "r.yaml", overrides: overrides)
        return nil
    } catch let error as RecipeError {
        return error
    } catch {
        Issue.record("unexpected error \(error)")
        return nil
    }
}

@Suite("Recipe validation")
struct RecipeValidationTests {
    @Test("an unknown top-level key names its line, column and the allowed sections")
    func unknownSection() throws {
        let error = try #require(recipeError("name: x\nsynthesise:\n  speakers: 4\n"))
        guard case let .unknownKey(location, key, _, allowed) = error else { Issue.record("\(error)"); return }
        #expect(key == "synthesise")
        #expect(location == SourceLocation(file: "r.yaml", line: 2, column: 1))
        #expect(allowed.contains("synthesize") && allowed.contains("prepare"))
        #expect(error.description.hasPrefix("r.yaml:2:1: unknown key 'synthesise'"))
    }

    @Test("an unknown key inside a section names its line and column and the section's fields")
    func unknownField() throws {
        let error = try #require(recipeError("synthesize:\n  speakers: 4\n  speekers: 5\n"))
        guard case let .unknownKey(location, key, section, allowed) = error else { Issue.record("\(error)"); return }
        #expect((key, section) == ("speekers", "synthesize"))
        #expect(location.line == 3 && location.column == 3)
        #expect(allowed.contains("speakers") && allowed.contains("snrRange"))
    }

    @Test("a value of the wrong type names what was expected and what was found")
    func wrongType() throws {
        let cases: [(String, String, String, Int, Int)] = [
            ("synthesize:\n  speakers: many\n", "synthesize.speakers", "an integer", 2, 13),
            ("synthesize:\n  testFraction: [1]\n", "synthesize.testFraction", "a number", 2, 17),
            ("prepare:\n  includeSA: maybe\n", "prepare.includeSA", "true or false", 2, 14),
            ("synthesize:\n  snrRange: 20\n", "synthesize.snrRange", "a list", 2, 13),
            ("prepare: 3\n", "prepare", "a mapping", 1, 10),
            ("synthesize:\n  seed: -1\n", "synthesize.seed", "a non-negative integer", 2, 9),
        ]
        for (text, key, expected, line, column) in cases {
            let error = try #require(recipeError(text))
            guard case let .wrongType(location, foundKey, foundExpected, _) = error else { Issue.record("\(error)"); continue }
            #expect(foundKey == key)
            #expect(foundExpected == expected)
            #expect(location.line == line && location.column == column, "\(key): \(location)")
        }
    }

    @Test("an enum word outside its set lists the allowed words")
    func badChoice() throws {
        let error = try #require(recipeError("synthesize:\n  voices: [slt, kal8]\n"))
        guard case let .wrongType(location, key, expected, found) = error else { Issue.record("\(error)"); return }
        #expect(key == "synthesize.voices[1]" && found == "'kal8'")
        #expect(expected == "one of slt, rms, awb, kal16")
        #expect(location.line == 2 && location.column == 17)
    }

    @Test("a value the component's validate() rejects points at its key")
    func invalidValue() throws {
        let error = try #require(recipeError("synthesize:\n  speakers: 4\n  testFraction: 1.5\n"))
        guard case let .invalidValue(location, key, message) = error else { Issue.record("\(error)"); return }
        #expect(key == "synthesize.testFraction")
        #expect(location.line == 3 && location.column == 17)
        #expect(message.contains("(0, 1)"))
    }

    @Test("invalid YAML names the file")
    func syntax() throws {
        let error = try #require(recipeError("synthesize:\n  speakers: [4\n"))
        guard case let .syntax(file, _) = error else { Issue.record("\(error)"); return }
        #expect(file == "r.yaml")
    }

    @Test("--set overrides values, and its mistakes name the override")
    func overrides() throws {
        let recipe = try Recipe.parse("synthesize:\n  speakers: 4\n", file: "r.yaml",
                                      overrides: ["synthesize.speakers=9", "corpus=/data/x", "prepare.strict=true"])
        #expect(recipe.settings.synthesize?.speakers == 9)
        #expect(recipe.settings.corpus == "/data/x")
        #expect(recipe.settings.prepare.strict)
        let error = try #require(recipeError("name: x\n", overrides: ["synthesize.speakers=lots"]))
        #expect(error.description == "--set synthesize.speakers=lots: 'synthesize.speakers' must be an integer, found 'lots'")
        #expect(recipeError("name: x\n", overrides: ["=3"]) == .badOverride("=3"))
        #expect(recipeError("name: x\n", overrides: ["speakers"]) == .badOverride("speakers"))
    }

    @Test("a recipe given a corpus synthesizes nothing, even with a synthesize section")
    func givenCorpusDisablesSynthesis() throws {
        let own = try Recipe.parse("synthesize:\n  speakers: 4\n", file: "r.yaml")
        #expect(SynthesizeStage.definition.isEnabled(own))
        let given = try Recipe.parse("synthesize:\n  speakers: 4\n", file: "r.yaml", overrides: ["corpus=/data/TIMIT"])
        #expect(!SynthesizeStage.definition.isEnabled(given))
        #expect(try given.corpusFolder(Experiment(root: URL(fileURLWithPath: "/tmp/e"))).path == "/data/TIMIT")
    }

    @Test("duplicate keys are an error")
    func duplicates() throws {
        let error = try #require(recipeError("prepare:\n  strict: true\n  strict: false\n"))
        guard case let .syntax(file, message) = error else { Issue.record("\(error)"); return }
        #expect(file == "r.yaml" && message.contains("'strict'") && message.contains("line 2"))
    }

    @Test("the resolved recipe loads back to the same settings")
    func resolvedRoundTrip() throws {
        let recipe = try Recipe.parse("name: t\nsynthesize:\n  speakers: 5\n  snrRange: [10, 20.5]\n", file: "r.yaml")
        let again = try Recipe.parse(try recipe.resolvedYAML(), file: "resolved.yaml")
        #expect(again.settings == recipe.settings)
        #expect(try recipe.resolvedYAML().contains("testFraction: 0.27"))
    }
}
