import Testing
@testable import Synthesis

@Test func moduleIsNamed() {
    #expect(SynthesisModule.name == "Synthesis")
}
