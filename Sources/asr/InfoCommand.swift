import ArgumentParser

/// `asr info`: Print format, rate, channels, length, peak and RMS of audio files.
struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Print format, rate, channels, length, peak and RMS of audio files."
    )

    func run() throws {
        throw NotYetAvailable(command: "info")
    }
}
