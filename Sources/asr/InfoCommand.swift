import ArgumentParser
import AudioIO
import Foundation
import Options

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

    @Option(help: "Read the files as headerless PCM at this rate (Hz); see --raw-channels, --raw-encoding.")
    var rawRate: Int?

    @Option(help: "Channels of headerless PCM (with --raw-rate).")
    var rawChannels = 1

    @Option(help: "Sample encoding of headerless PCM (with --raw-rate).")
    var rawEncoding = RawPCMEncoding.pcm16

    @Option(help: "Byte order of headerless PCM (with --raw-rate).")
    var rawByteOrder = ByteOrder.little

    /// The headerless layout the options describe, or nil for headered files.
    var raw: RawPCMFormat? {
        rawRate.map { RawPCMFormat(sampleRate: $0, channels: rawChannels, encoding: rawEncoding, byteOrder: rawByteOrder) }
    }

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one audio file") }
        do {
            if let raw { try OptionError.within("raw", raw.validate) }
        } catch {
            throw ValidationError(AudioError.option(error).description)
        }
    }

    func run() throws {
        var failures: [String] = []
        for file in files {
            do {
                print(try AudioInfo.inspect(URL(fileURLWithPath: file), raw: raw).summary)
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

extension RawPCMEncoding: ExpressibleByArgument {}
extension ByteOrder: ExpressibleByArgument {}
