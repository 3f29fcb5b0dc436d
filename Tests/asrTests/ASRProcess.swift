import Foundation
import ProcessRunner
import TestSupport

/// Runs the built `asr` executable as a subprocess, as a user would.
enum ASRProcess {
    /// The outcome of one run: exit status and everything printed.
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The `asr` binary beside the test bundle in the build folder; throws `BuiltProductError.missing`
    /// (naming the path and the build command) when it has not been built.
    static func executable() throws -> URL { try BuiltProducts.executable("asr") }

    /// Runs `asr arguments...` in `directory` with `input` on standard input.
    static func run(_ arguments: [String], in directory: URL? = nil, input: Data? = nil) throws -> Result {
        let result = try ChildProcess.run(try executable().path, arguments, input: input.map { .data($0) } ?? .none,
                                          directory: directory?.path)
        return Result(status: result.status, stdout: result.output, stderr: result.errors)
    }
}
