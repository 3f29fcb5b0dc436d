import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program to its end and collects what it printed: `posix_spawn`, one `poll` loop that
/// feeds standard input and drains standard output and error (so no pipe fills up and blocks the
/// child), and `waitpid`.
///
/// Foundation's `Process.waitUntilExit` on Linux checks for the child's exit from a run loop every
/// 50 ms: a run of `/bin/true` took 51 ms that way and 0.6 ms here. For short children, such as
/// the flite calls of corpus synthesis (about 60 ms of work each), that wait dominated.
public enum ChildProcess {
    /// What the child reads on standard input.
    public enum Input: Sendable {
        /// `/dev/null`.
        case none
        /// These bytes, then end of file.
        case data(Data)
        /// The file at this path.
        case file(String)
    }

    /// How a child ended, and what it printed.
    public struct Result: Sendable {
        /// The exit status, or 128 + the signal number for a child killed by a signal (as shells report it).
        public var status: Int32
        /// Everything written to standard output.
        public var stdout: Data
        /// Everything written to standard error.
        public var stderr: Data

        /// Standard output as UTF-8 text.
        public var output: String { String(decoding: stdout, as: UTF8.self) }
        /// Standard error as UTF-8 text.
        public var errors: String { String(decoding: stderr, as: UTF8.self) }
    }

    /// Runs `executable` (a path) with `arguments`, in `directory` (default: the current one; a
    /// relative `Input.file` is found there), with `environment` (default: this process's), and
    /// returns once it has exited.
    public static func run(_ executable: String, _ arguments: [String] = [], input: Input = .none,
                           directory: String? = nil, environment: [String: String]? = nil)
        throws(ChildProcessError) -> Result
    {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }

        // Pipes are close-on-exec, so children started at the same time by other threads do not
        // inherit (and hold open) this child's pipes; dup2 clears the flag on 0, 1 and 2.
        var wantsFeed = false
        if case .data = input { wantsFeed = true }
        let (output, errors, feed) = try pipes(executable, withFeed: wantsFeed)
        // The folder first, so that a relative input file is found in it (like `cd dir && tool < file`).
        if let directory { _ = glibcAddChdir(&actions, directory) }
        switch input {
        case .none: posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        case .file(let path): posix_spawn_file_actions_addopen(&actions, 0, path, O_RDONLY, 0)
        case .data: posix_spawn_file_actions_adddup2(&actions, feed!.read, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, output.write, 1)
        posix_spawn_file_actions_adddup2(&actions, errors.write, 2)

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let variables = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + variables).forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, variables)
        // The child's ends belong to the child now.
        for fd in [output.write, errors.write, feed?.read].compactMap({ $0 }) { close(fd) }
        guard spawned == 0 else {
            for fd in [output.read, errors.read, feed?.write].compactMap({ $0 }) { close(fd) }
            throw ChildProcessError(executable: executable, reason: String(cString: strerror(spawned)))
        }

        var pending: Data = { if case .data(let bytes) = input { return bytes } else { return Data() } }()
        var (stdout, stderr) = (Data(), Data())
        var streams = [(fd: output.read, isInput: false), (fd: errors.read, isInput: false)]
        if let feed {
            _ = fcntl(feed.write, F_SETFL, O_NONBLOCK)
            if pending.isEmpty { close(feed.write) } else { streams.append((feed.write, true)) }
        }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while !streams.isEmpty {
            var polled = streams.map { pollfd(fd: $0.fd, events: Int16($0.isInput ? POLLOUT : POLLIN), revents: 0) }
            if poll(&polled, nfds_t(polled.count), -1) < 0 {
                if errno == EINTR { continue }
                break
            }
            var finished: [Int32] = []
            for (stream, state) in zip(streams, polled) where state.revents != 0 {
                if stream.isInput {
                    let written = pending.withUnsafeBytes { writeWithoutSIGPIPE(stream.fd, $0) }
                    if written > 0 { pending.removeFirst(written) }
                    // A child that stops reading (EPIPE) just gets no more input.
                    if pending.isEmpty || (written < 0 && errno != EAGAIN && errno != EINTR) { finished.append(stream.fd) }
                } else {
                    let count = buffer.withUnsafeMutableBytes { read(stream.fd, $0.baseAddress, $0.count) }
                    if count > 0 {
                        if stream.fd == output.read { stdout.append(contentsOf: buffer[0..<count]) } else { stderr.append(contentsOf: buffer[0..<count]) }
                    } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                        finished.append(stream.fd)
                    }
                }
            }
            for fd in finished { close(fd) }
            streams.removeAll { finished.contains($0.fd) }
        }

        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signal = status & 0x7f
        return Result(status: signal == 0 ? (status >> 8) & 0xff : 128 + signal, stdout: stdout, stderr: stderr)
    }

    /// `write`, with SIGPIPE blocked on this thread: writing to a child that has stopped reading
    /// returns EPIPE (and the signal it raised is taken back) instead of killing this process. The
    /// process's own SIGPIPE handling is left as it is.
    private static func writeWithoutSIGPIPE(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int {
        var pipeSignal = sigset_t(), previous = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &pipeSignal, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        let written = write(fd, bytes.baseAddress, bytes.count)
        if written < 0 && errno == EPIPE {
            let failure = errno
            var now = timespec(tv_sec: 0, tv_nsec: 0)
            _ = sigtimedwait(&pipeSignal, nil, &now)
            errno = failure
        }
        return written
    }

    typealias Pipe = (read: Int32, write: Int32)

    /// Standard output and error pipes, and one for standard input when `withFeed`; on failure
    /// none is left open.
    private static func pipes(_ executable: String, withFeed: Bool) throws(ChildProcessError)
        -> (output: Pipe, errors: Pipe, feed: Pipe?)
    {
        var made: [Pipe] = []
        for _ in 0..<(withFeed ? 3 : 2) {
            var fds: [Int32] = [0, 0]
            guard glibcPipe2(&fds, O_CLOEXEC) == 0 else {
                let reason = String(cString: strerror(errno))
                for p in made { close(p.read); close(p.write) }
                throw ChildProcessError(executable: executable, reason: "pipe: \(reason)")
            }
            made.append((fds[0], fds[1]))
        }
        return (made[0], made[1], withFeed ? made[2] : nil)
    }
}

/// A program that could not be started: what and why.
public struct ChildProcessError: Error, Equatable, CustomStringConvertible {
    /// The program's path.
    public var executable: String
    /// The system's reason (`No such file or directory`, ...).
    public var reason: String

    /// An error for `executable`, failed for `reason`.
    public init(executable: String, reason: String) {
        (self.executable, self.reason) = (executable, reason)
    }

    /// `cannot run <path>: <reason>`.
    public var description: String { "cannot run \(executable): \(reason)" }
}

// glibc functions behind _GNU_SOURCE, which the Glibc module does not export (glibc ≥ 2.29).
@_silgen_name("pipe2")
private func glibcPipe2(_ fds: UnsafeMutablePointer<Int32>, _ flags: Int32) -> Int32

@_silgen_name("posix_spawn_file_actions_addchdir_np")
private func glibcAddChdir(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ path: UnsafePointer<CChar>) -> Int32
