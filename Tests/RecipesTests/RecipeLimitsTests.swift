import Foundation
import Testing
@testable import Recipes

/// Hostile recipes are refused at once with one line: nested YAML aliases that would expand to
/// billions of values, and files larger than any recipe.
@Suite struct RecipeLimitsTests {
    @Test func nestedAliasesAreRefusedBeforeTheyExpand() throws {
        // 10^7 values from a few hundred bytes ("billion laughs").
        var text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        for (name, previous) in zip(["b", "c", "d", "e", "f", "g"], ["a", "b", "c", "d", "e", "f"]) {
            text += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 10).joined(separator: ", ") + "]\n"
        }
        #expect(text.utf8.count < 400)
        do {
            _ = try Recipe.parse(text, file: "laughs.yaml")
            Issue.record("the recipe was accepted")
        } catch let error as RecipeError {
            #expect(error.description == "laughs.yaml: refused: expands to more than 100000 values (nested YAML aliases?)")
        }
        // A recipe of ordinary size parses as before.
        #expect(throws: Never.self) { _ = try RecipeNode.parse("train: {training: {epochs: 3}}\n", file: "small.yaml") }
    }

    @Test func aFileLargerThanAnyRecipeIsRefused() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("big-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(repeating: UInt8(ascii: "#"), count: Recipe.maximumFileBytes + 1).write(to: url)
        do {
            _ = try Recipe.load(url.path)
            Issue.record("the recipe was accepted")
        } catch let error as RecipeError {
            #expect(error.description == "\(url.path): refused: \(Recipe.maximumFileBytes + 1) bytes; a recipe may hold at most \(Recipe.maximumFileBytes)")
        }
    }
}
