import ArgumentParser
import Foundation
import Recipes

/// The `asr` command line tool: one subcommand per user task.
///
/// Exit codes: 0 on success, 1 on a user error (one line on stderr), 2 on a usage error
/// (the message and the usage text on stderr). Under a launcher (mpirun) a failing rank prints its line
/// as `[rank r/N] asr: …` and ends the whole job with its exit code.
@main
struct ASR: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "asr",
        abstract: "Online, linear-time phone recognition with monotonic attention.",
        discussion: """
            Prepare TIMIT-style corpora, extract Kaldi-compatible features, train and decode
            online models (monotonic attention and its kin) and score phone error rates identical to NIST sclite.
            """,
        version: version,
        subcommands: [
            Info.self, Prepare.self, Features.self, Synth.self, Train.self, Decode.self, Score.self,
            Run.self, Report.self, Bench.self,
        ]
    )

    /// Parses the arguments, runs the chosen subcommand and maps failures onto exit codes.
    static func main() {
        let status: Int32
        do {
            var command = try parseAsRoot()
            try command.run()
            status = 0
        } catch {
            status = report(error)
        }
        CommandWorld.exit(status)
    }

    /// Prints `error` the way its kind asks and returns the process exit status.
    static func report(_ error: Error) -> Int32 {
        let code = exitCode(for: error)
        if code == .success {
            // --help and --version arrive as errors carrying their text.
            print(fullMessage(for: error))
            return 0
        }
        if code == .validationFailure {
            writeStandardError(fullMessage(for: error) + "\n")
            return 2
        }
        if let exit = error as? ExitCode {
            return exit.rawValue
        }
        let message = message(for: error).split(separator: "\n").joined(separator: " ")
        writeStandardError(CommandWorld.linePrefix + "asr: \(message)\n")
        return 1
    }
}

/// Writes `text` to standard error unbuffered.
func writeStandardError(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
}
