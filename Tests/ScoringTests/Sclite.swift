import Foundation
import ProcessRunner
import Randomness
import Scoring

/// Runs Debian's NIST sclite (`/usr/lib/sctk/bin/sclite`, or `sctk sclite`) and parses what it wrote.
enum Sclite {
    /// Per-utterance C, S, D, I (from `per.pra`), per-speaker and Sum rows (from `per.raw`).
    struct Output {
        var utterances: [String: ErrorCounts] = [:]
        /// Per-utterance REF and HYP rows of `per.pra`, lower-cased, every gap (`*`, `**`, …) as `*`.
        var paths: [String: (ref: [String], hyp: [String])] = [:]
        var speakers: [String: (sentences: Int, words: Int, counts: ErrorCounts, sentenceErrors: Int)] = [:]
        var sum: (sentences: Int, words: Int, counts: ErrorCounts, errors: Int, sentenceErrors: Int)?
        /// Mean, S.D. and Median rows (8 columns each) of the counts (`per.raw`) and percentages (`per.sys`).
        var countStatistics: [String: [Double]] = [:]
        var percentStatistics: [String: [Double]] = [:]
    }

    /// Whitespace-separated tokens of an alignment row, lower-cased, with every run of `*` as one `*`.
    static func gapNormalised<S: StringProtocol>(_ row: S) -> [String] {
        row.split(separator: " ").map { $0.allSatisfy { $0 == "*" } ? "*" : $0.lowercased() }
    }

    /// The `Mean`, `S.D.` and `Median` rows of an sclite summary table, eight numbers each.
    static func statisticRows(_ table: String) -> [String: [Double]] {
        var rows: [String: [Double]] = [:]
        for line in table.split(separator: "\n") {
            let fields = line.split(separator: "|", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard fields.count == 5, ["Mean", "S.D.", "Median"].contains(fields[1]) else { continue }
            rows[fields[1]] = (fields[2] + " " + fields[3]).split(separator: " ").compactMap { Double($0) }
        }
        return rows
    }

    /// The command prefix that runs sclite's tools, or nil when SCTK is not installed.
    static func tool(_ name: String) -> [String]? {
        let direct = "/usr/lib/sctk/bin/\(name)"
        if FileManager.default.isExecutableFile(atPath: direct) { return [direct] }
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/sctk") { return ["/usr/bin/sctk", name] }
        return nil
    }

    /// Serialises `run` across concurrently running tests.
    private static let lock = NSLock()

    /// Runs `command` in `directory` with standard input from the file `stdin` (if any); output goes to
    /// files (`-O`), standard output and error are discarded. Throws on a non-zero exit.
    static func run(_ command: [String], stdin: URL? = nil, in directory: URL) throws {
        // One sclite at a time, so parallel test cases do not compete for the cores.
        lock.lock()
        defer { lock.unlock() }
        let status = try ChildProcess.run(command[0], Array(command.dropFirst()), input: stdin.map { .file($0.path) } ?? .none,
                                          directory: directory.path).status
        guard status == 0 else { throw ScoringError.io(file: command[0], reason: "exit status \(status)") }
    }

    /// Scores `hypothesis` against `reference` (trn files in `directory`; case-sensitive, `-i rm` speakers).
    static func score(reference: String = "ref.trn", hypothesis: String = "hyp.trn", in directory: URL) throws -> Output {
        guard let sclite = tool("sclite") else { throw ScoringError.io(file: "sclite", reason: "not installed") }
        try run(sclite + ["-r", reference, "trn", "-h", hypothesis, "trn", "-i", "rm", "-s",
                          "-o", "sum", "rsum", "pralign", "-O", directory.path, "-n", "per", "-f", "0"], in: directory)
        var output = Output()
        let pra = try String(contentsOf: directory.appendingPathComponent("per.pra"), encoding: .utf8)
        var id: String?
        for line in pra.split(separator: "\n") {
            if line.hasPrefix("id: (") {
                id = String(line.dropFirst(5).dropLast())
            } else if line.hasPrefix("Scores: (#C #S #D #I)"), let current = id {
                let n = line.split(separator: " ").suffix(4).map { Int($0)! }
                output.utterances[current] = ErrorCounts(correct: n[0], substitutions: n[1], deletions: n[2], insertions: n[3])
            } else if let current = id, line.hasPrefix("REF:") || line.hasPrefix("HYP:") {
                let tokens = gapNormalised(line.dropFirst(4))
                if line.hasPrefix("REF:") { output.paths[current] = (tokens, []) } else { output.paths[current]?.hyp = tokens }
            }
        }
        let raw = try String(contentsOf: directory.appendingPathComponent("per.raw"), encoding: .utf8)
        output.countStatistics = statisticRows(raw)
        output.percentStatistics = statisticRows(try String(contentsOf: directory.appendingPathComponent("per.sys"),
                                                            encoding: .utf8))
        for line in raw.split(separator: "\n") {
            let fields = line.split(separator: "|", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard fields.count == 5 else { continue }
            let name = fields[1]
            let left = fields[2].split(separator: " ").compactMap { Int($0) }
            let right = fields[3].split(separator: " ").compactMap { Int($0) }
            guard left.count == 2, right.count == 6, !["SPKR", "Mean", "S.D.", "Median"].contains(name) else { continue }
            let counts = ErrorCounts(correct: right[0], substitutions: right[1], deletions: right[2], insertions: right[3])
            if name == "Sum" {
                output.sum = (left[0], left[1], counts, right[4], right[5])
            } else {
                output.speakers[name] = (left[0], left[1], counts, right[5])
            }
        }
        return output
    }
}
