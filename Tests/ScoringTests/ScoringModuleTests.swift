import Testing
@testable import Scoring

@Test func moduleIsNamed() {
    #expect(ScoringModule.name == "Scoring")
}
