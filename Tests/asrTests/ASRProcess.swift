import Foundation
import ProcessRunner

/// Runs the built `asr` executable as a subprocess, as a user would.
enum ASRProcess {
    /// The outcome of one run: exit status and everything printed.
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The `asr` binary beside the test bundle in the build folder.
    static var executable: URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while !FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent("asr").path),
              directory.path != "/" {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("asr")
    }

    /// Runs `asr arguments...` in `directory` with `input` on standard input.
    static func run(_ arguments: [String], in directory: URL? = nil, input: Data? = nil) throws -> Result {
        let result = try ChildProcess.run(executable.path, arguments, input: input.map { .data($0) } ?? .none,
                                          directory: directory?.path)
        return Result(status: result.status, stdout: result.output, stderr: result.errors)
    }
}
