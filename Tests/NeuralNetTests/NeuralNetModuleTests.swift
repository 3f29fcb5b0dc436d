import Testing
@testable import NeuralNet

@Test func moduleIsNamed() {
    #expect(NeuralNetModule.name == "NeuralNet")
}
