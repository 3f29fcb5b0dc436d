import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `asr run` on an experiment folder another process is running in exits 1 at once, naming that process.
@Suite struct ExperimentLockCommandTests {
    @Test func aRunOnALockedExperimentExitsWithStatus1() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("locked-\(UUID().uuidString)")
        let exp = folder.appendingPathComponent("exp")
        try FileManager.default.createDirectory(at: exp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(tinyCorpusSections.utf8).write(to: folder.appendingPathComponent("tiny.yaml"))
        // This process holds the lock, as a running `asr run` would.
        let fd = open(exp.appendingPathComponent(".lock").path, O_RDWR | O_CREAT, 0o644)
        #expect(fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0)
        _ = Array("\(getpid())\n".utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let held = try ASRProcess.run(["run", "tiny.yaml", "--exp", "exp"], in: folder)
        #expect(held.status == 1)
        #expect(held.stderr.contains("in use by another asr run (process \(getpid()))"), "\(held.stderr)")
        #expect(!FileManager.default.fileExists(atPath: exp.appendingPathComponent("corpus").path))
        // Released (the lock file itself stays): the next run takes the folder and gets on to its stage (which
        // finds no corpus there).
        flock(fd, LOCK_UN)
        close(fd)
        let next = try ASRProcess.run(["run", "tiny.yaml", "--exp", "exp", "--only", "prepare"], in: folder)
        #expect(!next.stderr.contains("in use") && next.stderr.contains("missing input"), "\(next.stderr)")
    }
}
