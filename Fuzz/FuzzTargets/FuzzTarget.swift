import Foundation

/// What a reader made of one input: accepted it, or refused it with an error (its one-line description).
public enum FuzzOutcome: Sendable, Equatable {
    /// Read without error.
    case accepted
    /// Refused; the error's description.
    case refused(String)

    /// The outcome of `body`: `.refused` with the description of the first error it throws.
    static func of(_ body: () throws -> Void) -> FuzzOutcome {
        do { try body() } catch { return .refused("\(error)") }
        return .accepted
    }
}

/// One reader under fuzzing: `run` feeds it one input and returns its outcome whatever the input (an error
/// is the reader refusing the input, which is fine); only a crash, a hang or unbounded memory is a finding.
/// The same `run` serves the libFuzzer driver (`asr-fuzz NAME`) and the replay tests.
public struct FuzzTarget: Sendable {
    /// Name on the command line and folder of its seed corpus (`Fuzz/corpus/NAME`) and regression inputs
    /// (`Fuzz/regressions/NAME`).
    public let name: String
    /// What it reads.
    public let summary: String
    /// Feeds one input to the reader.
    public let run: @Sendable (Data) -> FuzzOutcome

    /// Every target, in the order `make fuzz` runs them.
    public static let all: [FuzzTarget] = [
        audio, labels, manifest, recipe, score, safetensors, modelJSON,
    ]

    /// The target called `name`, or nil.
    public static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }
}

/// A scratch folder of this process for readers that take a path (`$TMPDIR/asr-fuzz-PID`).
enum Scratch {
    /// The folder, created on first use.
    static let folder: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("asr-fuzz-\(getpid())")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// Writes `data` to `name` in the scratch folder and returns its URL.
    static func file(_ name: String, _ data: Data) -> URL {
        let url = folder.appendingPathComponent(name)
        FileManager.default.createFile(atPath: url.path, contents: data)
        return url
    }

    /// An empty folder `name` in the scratch folder holding only `files` (name → bytes).
    static func folder(_ name: String, holding files: [String: Data]) -> URL {
        let url = folder.appendingPathComponent(name)
        try? FileManager.default.removeItem(at: url)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (file, data) in files { FileManager.default.createFile(atPath: url.appendingPathComponent(file).path, contents: data) }
        return url
    }
}

extension Data {
    /// The first byte (0 when empty) and the rest: targets that cover several formats pick one by it.
    var selectorAndRest: (UInt8, Data) { (first ?? 0, isEmpty ? Data() : dropFirst()) }
}
