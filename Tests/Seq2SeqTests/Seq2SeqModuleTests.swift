import Testing
@testable import Seq2Seq

@Test func moduleIsNamed() {
    #expect(Seq2SeqModule.name == "Seq2Seq")
}
