import Testing
@testable import AudioIO

@Test func moduleIsNamed() {
    #expect(AudioIOModule.name == "AudioIO")
}
