import Foundation
import ProcessRunner
import Testing

@Suite struct ChildProcessTests {
    @Test func separatesOutputFromErrorsAndReportsTheExitStatus() throws {
        let result = try ChildProcess.run("/bin/sh", ["-c", "echo out; echo err >&2; exit 3"])
        #expect(result.status == 3)
        #expect(result.output == "out\n")
        #expect(result.errors == "err\n")
    }

    /// A megabyte each way through `cat`: input is fed while output is drained, so neither pipe
    /// fills up and blocks the child.
    @Test func feedsAndDrainsLargeStreamsTogether() throws {
        let bytes = Data((0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let result = try ChildProcess.run("/bin/cat", input: .data(bytes))
        #expect(result.status == 0)
        #expect(result.stdout == bytes)
    }

    @Test func readsInputFromAFileAndRunsInTheGivenFolder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("child-process-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("from a file\n".utf8).write(to: folder.appendingPathComponent("in.txt"))
        let result = try ChildProcess.run("/bin/sh", ["-c", "cat; pwd"], input: .file("in.txt"), directory: folder.path)
        #expect(result.output == "from a file\n\(folder.resolvingSymlinksInPath().path)\n")
    }

    @Test func passesTheEnvironment() throws {
        let result = try ChildProcess.run("/bin/sh", ["-c", "echo $GREETING"], environment: ["GREETING": "hello"])
        #expect(result.output == "hello\n")
    }

    @Test func aChildKilledByASignalReports128PlusItsNumber() throws {
        #expect(try ChildProcess.run("/bin/sh", ["-c", "kill -9 $$"]).status == 137)
    }

    @Test func aChildThatIgnoresItsInputStillEnds() throws {
        let result = try ChildProcess.run("/bin/true", input: .data(Data(count: 1 << 20)))
        #expect(result.status == 0)
    }

    @Test func aMissingProgramOrInputFileIsAnError() {
        #expect(throws: ChildProcessError(executable: "/nonexistent/tool", reason: "No such file or directory")) {
            try ChildProcess.run("/nonexistent/tool")
        }
        #expect(throws: ChildProcessError.self) { try ChildProcess.run("/bin/cat", input: .file("/nonexistent/input")) }
    }
}
