import Foundation

/// Finds the executables SwiftPM built, from the running test bundle's location.
public enum BuiltProducts {
    /// What to run to build the products, named in every "not built" message.
    public static let buildCommand = "swift build --build-tests"

    /// The build folder: the test bundle's folder (`.build/<triple>/debug`).
    public static var folder: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    }

    /// The executable `name`, searched from the test bundle's folder upwards.
    ///
    /// Throws `BuiltProductError.missing` naming the expected path and the build command when it was not built.
    public static func executable(_ name: String) throws(BuiltProductError) -> URL {
        var directory = folder
        while true {
            let candidate = directory.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            if directory.path == "/" || directory.path.isEmpty { break }
            directory.deleteLastPathComponent()
        }
        throw .missing(path: folder.appendingPathComponent(name).path, build: buildCommand)
    }
}

/// A built product the tests need is not there.
public enum BuiltProductError: Error, CustomStringConvertible, Equatable {
    /// Nothing executable at `path`; `build` is the command that builds it.
    case missing(path: String, build: String)

    /// `the built executable PATH is missing; build it first with `swift build --build-tests``.
    public var description: String {
        switch self {
        case .missing(let path, let build): "the built executable \(path) is missing; build it first with `\(build)`"
        }
    }
}
