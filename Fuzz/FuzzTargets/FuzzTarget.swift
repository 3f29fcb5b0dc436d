import Foundation
#if canImport(Glibc)
import Glibc
#endif

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

    /// Removes this process's scratch folder (the driver calls it at exit).
    public static func removeScratch() { try? FileManager.default.removeItem(at: Scratch.folder) }

    /// The target called `name`, or nil.
    public static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }
}

/// A scratch folder of this process for readers that take a path (`/dev/shm/asr-fuzz-PID` when there is a
/// /dev/shm, else `$TMPDIR/asr-fuzz-PID`). Files are written without fsync: a disk busy with other work
/// must not stall an input past libFuzzer's time limit.
enum Scratch {
    /// The folder, created on first use.
    static let folder: URL = {
        let shm = URL(fileURLWithPath: "/dev/shm")
        let parent = FileManager.default.isWritableFile(atPath: shm.path) ? shm : FileManager.default.temporaryDirectory
        let url = parent.appendingPathComponent("asr-fuzz-\(getpid())")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// Writes `data` to `name` in the scratch folder (created again if it was removed) and returns its URL.
    static func file(_ name: String, _ data: Data) -> URL {
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        write(data, to: url)
        return url
    }

    /// `data` into the file at `url`, created or truncated, with plain POSIX writes.
    private static func write(_ data: Data, to url: URL) {
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }

    /// An empty folder `name` in the scratch folder holding only `files` (name → bytes).
    static func folder(_ name: String, holding files: [String: Data]) -> URL {
        let url = folder.appendingPathComponent(name)
        try? FileManager.default.removeItem(at: url)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (file, data) in files { write(data, to: url.appendingPathComponent(file)) }
        return url
    }
}

extension Data {
    /// The first byte (0 when empty) and the rest: targets that cover several formats pick one by it.
    var selectorAndRest: (UInt8, Data) { (first ?? 0, isEmpty ? Data() : dropFirst()) }
}
