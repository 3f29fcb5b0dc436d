/// A user error found by a command itself (not by a library): printed as one line, exit status 1.
struct CommandError: Error, CustomStringConvertible {
    /// What is wrong and where, as the user should read it.
    let description: String
}
