import AtomicFiles
import Foundation
import Parallelism
import Scoring

/// One `asr score` invocation: where the references come from, how tokens are folded, and the
/// scoring options; reads the files, scores one or two systems and writes the reports.
public struct ScoreRun: Sendable {
    /// Reference file: Kaldi text, trn (`.trn` or detected), or a manifest (`.jsonl`: phones and speakers).
    public var reference: URL
    /// TIMIT fold applied to both sides. Default `.none`.
    public var fold: PhoneFold
    /// A user's mapping file (`token target` per line; a line with no target deletes the token), applied
    /// instead of `fold`. Default nil.
    public var mapFile: URL?
    /// Alignment, missing-hypothesis and report options.
    public var options: ScoringOptions

    /// A run over `reference` with the given fold, map and options.
    public init(reference: URL, fold: PhoneFold = .none, mapFile: URL? = nil, options: ScoringOptions = .init()) {
        self.reference = reference
        self.fold = fold
        self.mapFile = mapFile
        self.options = options
    }

    /// The token map in force: the mapping file if given, otherwise the TIMIT fold (nil for none).
    public func tokenMap() throws -> TokenMap? {
        if let mapFile {
            let text = String(decoding: try Self.bytes(of: mapFile), as: UTF8.self)
            return try TokenMap(parsing: text, source: mapFile.path)
        }
        return try ManifestReferences.timitFold(fold)
    }

    /// The reference utterances, interned in `table`.
    public func references(table: TokenTable) throws -> [Utterance] {
        if reference.pathExtension == "jsonl" { return try ManifestReferences.read(from: reference, table: table) }
        return try Self.transcripts(reference, table: table)
    }

    /// The utterances of transcript file `url` (trn for a `.trn` name, otherwise detected).
    public static func transcripts(_ url: URL, table: TokenTable) throws -> [Utterance] {
        try Transcripts.parse(bytes(of: url), file: url.path, format: url.pathExtension == "trn" ? .trn : nil,
                              table: table)
    }

    /// Reads the references and each of `hypotheses` at the same time (one token table each), then
    /// interns everything in the references' table.
    func read(hypotheses: [URL]) throws -> (table: TokenTable, references: [Utterance], hypotheses: [[Utterance]]) {
        let files = [reference] + hypotheses
        let run = self
        let read = try Parallel.map(count: files.count) { index in
            let table = TokenTable()
            return (table, index == 0 ? try run.references(table: table) : try Self.transcripts(files[index], table: table))
        }
        let (table, references) = read[0]
        var systems: [[Utterance]] = []
        for (own, utterances) in read.dropFirst() {
            systems.append(utterances.remapped(by: table.absorb(own), threads: options.threads))
        }
        return (table, references, systems)
    }

    /// Scores hypothesis file `hypothesis` against the references; `warn` hears one line when the two
    /// sides, after folding, use different TIMIT phone sets (`PhoneSetCheck`).
    public func score(hypothesis: URL, warn: (String) -> Void = { _ in }) throws -> ScoreResult {
        let map = try tokenMap()
        let (table, references, systems) = try read(hypotheses: [hypothesis])
        if let warning = PhoneSetCheck.mismatch(references: references, hypotheses: systems[0], table: table, map: map,
                                                fold: mapFile == nil ? fold : nil) {
            warn(warning)
        }
        return try Scorer.score(references: references, hypotheses: systems[0], hypothesisFile: hypothesis.path,
                                table: table, map: map, options: options)
    }

    /// Two systems on the same references: each one's score and the MAPSSWE test between them.
    /// `warn` hears the phone-set warning of each system, as for `score`.
    public func compare(_ a: URL, _ b: URL, warn: (String) -> Void = { _ in }) throws -> (a: ScoreResult, b: ScoreResult, test: MatchedPairsResult) {
        let map = try tokenMap()
        let (table, references, systems) = try read(hypotheses: [a, b])
        for (url, system) in zip([a, b], systems) {
            if let warning = PhoneSetCheck.mismatch(references: references, hypotheses: system, table: table, map: map,
                                                    fold: mapFile == nil ? fold : nil) {
                warn("\(url.lastPathComponent): \(warning)")
            }
        }
        let pairs = try zip([a, b], systems).map { url, hypotheses in
            try Scorer.pair(references: references, hypotheses: hypotheses, hypothesisFile: url.path, table: table,
                            map: map, options: options)
        }
        let test = MatchedPairsTest.compare(pairs[0], pairs[1], costs: options.costs, threads: options.threads)
        return (Scorer.score(pairs[0], table: table, options: options), Scorer.score(pairs[1], table: table, options: options),
                test)
    }

    /// One line describing a MAPSSWE result of system `a` against `b`.
    public static func describe(_ test: MatchedPairsResult, a: String, b: String) -> String {
        let verdict = test.isSignificant() ? "significant at the 5% level" : "not significant at the 5% level"
        let numbers = String(format: "%d segments, mean difference (A - B) %.3f, s.d. %.3f, Z %.3f, p %.4g",
                             test.segments, test.meanDifference, test.standardDeviation, test.z, test.pValue)
        return "MAPSSWE \(a) vs \(b): \(numbers) (two-tailed): \(verdict)"
    }

    /// The bytes of `url`, or `ScoringError.io` naming it.
    static func bytes(of url: URL) throws -> [UInt8] {
        do { return [UInt8](try Data(contentsOf: url)) } catch {
            throw ScoringError.io(file: url.path, reason: "cannot read (\(error.localizedDescription))")
        }
    }

    /// Writes `text` to `url` atomically (`AtomicFile`).
    public static func write(_ text: String, to url: URL) throws {
        do { try AtomicFile.write(text, to: url) } catch {
            throw ScoringError.io(file: url.path, reason: "cannot write (\(error.reason))")
        }
    }
}
