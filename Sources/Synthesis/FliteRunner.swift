import Foundation
import ProcessRunner

/// One flite rendering: the wave file it wrote and its phones with end times.
public struct FliteRendering: Sendable, Equatable {
    /// Phones as flite names them (CMUdict's 39, `ax` and `pau`), each with its end time in seconds.
    public var phones: [(label: String, end: Double)]

    /// Compares label and time lists.
    public static func == (lhs: FliteRendering, rhs: FliteRendering) -> Bool {
        lhs.phones.map(\.label) == rhs.phones.map(\.label) && lhs.phones.map(\.end) == rhs.phones.map(\.end)
    }
}

/// Runs Debian's `flite` command line tool (`flite -voice V -psdur --setf ... -t TEXT -o FILE`).
public struct FliteRunner: Sendable {
    /// Path of the flite executable.
    public var executable: String

    /// A runner for `executable`, or for the first `flite` on `PATH` when nil.
    public init(executable: String? = nil) throws {
        if let executable {
            self.executable = executable
        } else if let found = FliteRunner.locate("flite") {
            self.executable = found
        } else {
            throw SynthesisError.fliteMissing
        }
    }

    /// Synthesizes `text` with `voice` into the RIFF file `output`.
    ///
    /// `durationStretch` scales every duration (1 = the voice's own rate); `f0Mean` sets the mean pitch
    /// in Hz where the voice honours it.
    public func synthesize(text: String, voice: FliteVoice, durationStretch: Double, f0Mean: Double?,
                           output: URL) throws -> FliteRendering {
        var arguments = ["-voice", voice.rawValue, "-psdur",
                         "--setf", "duration_stretch=\(String(format: "%.4f", durationStretch))"]
        if let f0Mean, voice.controlsPitch {
            arguments += ["--setf", "int_f0_target_mean=\(String(format: "%.2f", f0Mean))"]
        }
        arguments += ["-t", text, "-o", output.path]
        let stdout = try run(arguments)
        return try FliteRunner.parsePhoneTimes(stdout, text: text)
    }

    /// Prints the phone sequences of several words at once (`flite -ps -t "w1. w2. ..." -o none`): one
    /// list of phones per word, in order.
    public func pronunciations(of words: [String], voice: FliteVoice) throws -> [String: [String]] {
        let text = words.map { $0 + "." }.joined(separator: " ")
        let stdout = try run(["-voice", voice.rawValue, "-ps", "-t", text, "-o", "none"])
        var groups: [[String]] = [[]]
        for token in stdout.split(whereSeparator: \.isWhitespace) {
            if token == "pau" {
                if !(groups.last?.isEmpty ?? true) { groups.append([]) }
            } else {
                groups[groups.count - 1].append(String(token))
            }
        }
        if groups.last?.isEmpty ?? false { groups.removeLast() }
        guard groups.count == words.count else {
            throw SynthesisError.fliteOutput(text: text, reason: "\(groups.count) phone groups for \(words.count) words")
        }
        return Dictionary(uniqueKeysWithValues: zip(words, groups))
    }

    /// Parses `-psdur` output (`pau:0.159 sh:0.296 ...`: each phone with its end time in seconds).
    public static func parsePhoneTimes(_ output: String, text: String) throws -> FliteRendering {
        var phones: [(label: String, end: Double)] = []
        for token in output.split(whereSeparator: \.isWhitespace) {
            let parts = token.split(separator: ":")
            guard parts.count == 2, let end = Double(parts[1]) else {
                throw SynthesisError.fliteOutput(text: text, reason: "unexpected token '\(token)'")
            }
            if let last = phones.last, end < last.end {
                throw SynthesisError.fliteOutput(text: text, reason: "time \(end) before \(last.end)")
            }
            phones.append((String(parts[0]), end))
        }
        guard !phones.isEmpty else { throw SynthesisError.fliteOutput(text: text, reason: "no phones printed") }
        return FliteRendering(phones: phones)
    }

    private func run(_ arguments: [String]) throws -> String {
        let result = try ChildProcess.run(executable, arguments)
        guard result.status == 0 else { throw SynthesisError.fliteFailed(status: result.status, message: result.errors) }
        return result.output
    }

    private static func locate(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
