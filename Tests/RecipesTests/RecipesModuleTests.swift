import Testing
@testable import Recipes

@Test func moduleIsNamed() {
    #expect(RecipesModule.name == "Recipes")
}
