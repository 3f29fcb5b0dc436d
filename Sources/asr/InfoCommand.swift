import ArgumentParser
import AudioIO
import Foundation

/// `asr info`: Print format, rate, channels, length, peak and RMS of audio files.
struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Print format, rate, channels, length, peak and RMS of audio files.",
        discussion: """
            One line per file: path, format, rate, channels, frames, duration, peak and RMS in dBFS \
            (full scale = 1.0). Files that cannot be read are reported on stderr after the others, \
            and the exit status is then 1.
            """
    )

    @Argument(help: "Audio files (WAV, FLAC, NIST SPHERE, AIFF, anything libsndfile reads).")
    var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one audio file") }
    }

    func run() throws {
        var failures: [String] = []
        for file in files {
            do {
                print(try AudioInfo.inspect(URL(fileURLWithPath: file)).summary)
            } catch {
                failures.append("asr: \(error)")
            }
        }
        if !failures.isEmpty {
            writeStandardError(failures.joined(separator: "\n") + "\n")
            throw ExitCode(1)
        }
    }
}
