/// The error a subcommand throws while its stage is not part of this build.
struct NotYetAvailable: Error, CustomStringConvertible {
    let command: String
    var description: String { "'asr \(command)' is not available in this build yet" }
}
