import Foundation
import ProcessRunner
import Recipes
import Scoring

/// Figures of `asr bench score`: utterances per second end to end (read trn files, intern, match, align
/// with sclite's costs, count confusions), for the alignment alone, and for NIST sclite on the same files.
public struct ScoringBenchmarkResult: Codable, Sendable, Equatable {
    /// Utterances in the generated set.
    public var utterances: Int
    /// Reference tokens in the set.
    public var referenceTokens: Int
    /// Worker threads used (0 = every core).
    public var threads: Int
    /// Best wall time of reading, parsing, pairing and scoring both files, in seconds.
    public var seconds: Double
    /// `utterances / seconds`, end to end.
    public var utterancesPerSecond: Double
    /// Processor time (user + system, all threads) of the best end-to-end run, in seconds: on a shared
    /// machine this moves less with the load than the wall time.
    public var cpuSeconds: Double
    /// `utterances / best wall time` of the linear-memory counts alone on interned sequences.
    public var alignmentUtterancesPerSecond: Double
    /// Utterances of the set's first lines timed with sclite (nil when not run).
    public var scliteUtterances: Int?
    /// Best wall time of `sclite -o sum` on those, in seconds.
    public var scliteSeconds: Double?
    /// Processor time of that sclite run, in seconds.
    public var scliteCPUSeconds: Double?
    /// Processor time of our run on the same prefix, in seconds.
    public var prefixCPUSeconds: Double?
    /// `scliteUtterances / scliteSeconds`.
    public var scliteUtterancesPerSecond: Double?
    /// Our end-to-end rate on the same prefix sclite scored.
    public var prefixUtterancesPerSecond: Double?
    /// The PER of the set (the same for both tools).
    public var per: Double?

    enum CodingKeys: String, CodingKey {
        case utterances, threads, seconds, per
        case cpuSeconds = "cpu_seconds"
        case scliteCPUSeconds = "sclite_cpu_seconds"
        case prefixCPUSeconds = "prefix_cpu_seconds"
        case referenceTokens = "reference_tokens"
        case utterancesPerSecond = "utterances_per_second"
        case alignmentUtterancesPerSecond = "alignment_utterances_per_second"
        case scliteUtterances = "sclite_utterances"
        case scliteSeconds = "sclite_seconds"
        case scliteUtterancesPerSecond = "sclite_utterances_per_second"
        case prefixUtterancesPerSecond = "prefix_utterances_per_second"
    }
}

/// The scoring benchmark: a random TIMIT-sized set of utterances of 20–80 phones.
public enum ScoringBenchmark {
    /// The 39 TIMIT scoring classes, the benchmark's alphabet.
    static let phones = ("aa ae ah aw ay b ch d dh dx eh er ey f g hh ih iy jh k l m n ng ow oy p r s sh sil t th "
        + "uh uw v w y z").split(separator: " ").map(String.init)

    /// Writes `ref.trn` and `hyp.trn` with `utterances` lines into `folder` (500 speakers; references of
    /// 20–80 phones; hypotheses with about 10 % substitutions, 5 % deletions and 5 % insertions).
    public static func writeSet(utterances: Int, seed: UInt64 = 1, in folder: URL) throws -> (ref: URL, hyp: URL) {
        var state = seed
        func random(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        let words = phones.map { Array($0.utf8) }
        var ref: [UInt8] = [], hyp: [UInt8] = []
        ref.reserveCapacity(utterances * 200)
        hyp.reserveCapacity(utterances * 200)
        func append(_ phone: Int, to text: inout [UInt8]) {
            text.append(contentsOf: words[phone])
            text.append(UInt8(ascii: " "))
        }
        for index in 0..<utterances {
            let length = 20 + random(61)
            for _ in 0..<length {
                let phone = random(words.count)
                append(phone, to: &ref)
                let roll = random(100)
                if roll < 10 { append(random(words.count), to: &hyp) } else if roll >= 15 { append(phone, to: &hyp) }
                if random(100) < 5 { append(random(words.count), to: &hyp) }
            }
            let id = Array("(s\(index % 500)_u\(index))\n".utf8)
            ref.append(contentsOf: id)
            hyp.append(contentsOf: id)
        }
        let urls = (folder.appendingPathComponent("ref.trn"), folder.appendingPathComponent("hyp.trn"))
        try Data(ref).write(to: urls.0)
        try Data(hyp).write(to: urls.1)
        return urls
    }

    /// Scores `hyp` against `ref` as `asr score` does (report statistics included) and returns the result.
    static func scoreFiles(ref: URL, hyp: URL, threads: Int) throws -> ScoreResult {
        try ScoreRun(reference: ref, options: ScoringOptions(threads: threads)).score(hypothesis: hyp)
    }

    /// Generates the set in a temporary folder (or `keep`), times our scorer `repeats` times, the counts
    /// alone, and `sclite` on the first `scliteUtterances` lines (0 skips it; also skipped when SCTK is
    /// missing), then our scorer on those; no warm-up runs, and each figure is the fastest run's (with its
    /// processor time). `progress` receives one line per step.
    public static func run(utterances: Int, threads: Int, repeats: Int, scliteUtterances: Int, keep: URL?,
                           progress: (String) -> Void) throws -> ScoringBenchmarkResult {
        let folder = keep ?? FileManager.default.temporaryDirectory.appendingPathComponent("asr-bench-score-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { if keep == nil { try? FileManager.default.removeItem(at: folder) } }
        progress("writing \(utterances) utterances to \(folder.path)")
        let (ref, hyp) = try writeSet(utterances: utterances, in: folder)

        var result: ScoreResult?
        let endToEnd = try Harness.measure(warmUp: 0, repeats: repeats, onRun: { run, time in
            progress(String(format: "asr score run %d: %.3f s (%.3f s processor)", run, time.wall, time.processor))
        }) { result = try scoreFiles(ref: ref, hyp: hyp, threads: threads) }
        let totals = result!.totals

        let table = TokenTable()
        let pairs = try Scorer.pair(references: ScoreRun.transcripts(ref, table: table),
                                    hypotheses: ScoreRun.transcripts(hyp, table: table), hypothesisFile: hyp.path,
                                    table: table, map: nil, options: ScoringOptions())
        let alignment = Harness.measure(warmUp: 0, repeats: repeats) {
            let counts = Scorer.score(pairs, table: table, options: ScoringOptions(confusionPairs: 0, threads: threads))
            precondition(counts.totals == totals, "counts-only and traceback totals differ")
        }
        progress(String(format: "alignment counts alone: %.3f s", alignment.bestWall))

        var benchmark = ScoringBenchmarkResult(
            utterances: utterances, referenceTokens: totals.referenceTokens, threads: threads, seconds: endToEnd.fastest.wall,
            utterancesPerSecond: Double(utterances) / endToEnd.fastest.wall, cpuSeconds: endToEnd.fastest.processor,
            alignmentUtterancesPerSecond: Double(utterances) / alignment.bestWall,
            per: totals.errorRate)
        if scliteUtterances > 0, let sclite = scliteCommand() {
            let n = min(scliteUtterances, utterances)
            let prefix = folder.appendingPathComponent("prefix")
            try FileManager.default.createDirectory(at: prefix, withIntermediateDirectories: true)
            let prefixRef = prefix.appendingPathComponent("ref.trn"), prefixHyp = prefix.appendingPathComponent("hyp.trn")
            try firstLines(n, of: ref, to: prefixRef)
            try firstLines(n, of: hyp, to: prefixHyp)
            let scliteRuns = try Harness.measure(warmUp: 0, repeats: repeats, processor: .children, onRun: { run, time in
                progress(String(format: "sclite run %d on %d utterances: %.3f s (%.3f s processor)", run, n, time.wall, time.processor))
            }) {
                try runProcess(sclite + ["-r", prefixRef.path, "trn", "-h", prefixHyp.path, "trn", "-i", "rm", "-s",
                                         "-o", "sum", "-O", prefix.path, "-f", "0"])
            }
            let ours = try Harness.measure(warmUp: 0, repeats: repeats) {
                _ = try scoreFiles(ref: prefixRef, hyp: prefixHyp, threads: threads)
            }
            benchmark.scliteUtterances = n
            benchmark.scliteSeconds = scliteRuns.fastest.wall
            benchmark.scliteCPUSeconds = scliteRuns.fastest.processor
            benchmark.prefixCPUSeconds = ours.fastest.processor
            benchmark.scliteUtterancesPerSecond = Double(n) / scliteRuns.fastest.wall
            benchmark.prefixUtterancesPerSecond = Double(n) / ours.fastest.wall
        }
        return benchmark
    }

    /// `sclite` from Debian's SCTK, or nil.
    static func scliteCommand() -> [String]? {
        if FileManager.default.isExecutableFile(atPath: "/usr/lib/sctk/bin/sclite") { return ["/usr/lib/sctk/bin/sclite"] }
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/sctk") { return ["/usr/bin/sctk", "sclite"] }
        return nil
    }

    /// Copies the first `count` lines of `source` to `destination`.
    static func firstLines(_ count: Int, of source: URL, to destination: URL) throws {
        let data = try Data(contentsOf: source)
        var end = 0, lines = 0
        while end < data.count && lines < count {
            if data[end] == UInt8(ascii: "\n") { lines += 1 }
            end += 1
        }
        try data.prefix(end).write(to: destination)
    }

    /// Runs `command` with its output discarded; throws on a non-zero exit.
    static func runProcess(_ command: [String]) throws {
        let status = try ChildProcess.run(command[0], Array(command.dropFirst())).status
        guard status == 0 else { throw ScoringError.io(file: command[0], reason: "exit status \(status)") }
    }

}
