import Testing
@testable import Features

@Test func moduleIsNamed() {
    #expect(FeaturesModule.name == "Features")
}
