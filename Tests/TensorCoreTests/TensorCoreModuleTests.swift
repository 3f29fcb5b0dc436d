import Testing
@testable import TensorCore

@Test func moduleIsNamed() {
    #expect(TensorCoreModule.name == "TensorCore")
}
