import Foundation

/// The experiment folder a recipe run fills:
///
/// ```
/// EXP/recipe.yaml        the resolved recipe (every default filled in)
/// EXP/stamps/STAGE.json  completion stamps (content hashes of each stage's inputs and options)
/// EXP/logs/STAGE.log     each stage's log
/// EXP/corpus/            the synthesized corpus (when the recipe synthesizes one and names no corpus)
/// EXP/data/              manifests: train.jsonl dev.jsonl test.jsonl test-full.jsonl
/// EXP/features/          feature archives and CMVN statistics
/// EXP/train/             checkpoints and training history
/// EXP/decode/            hypotheses (Kaldi text and trn) with phone times
/// EXP/score/             score report (sclite-style text and JSON)
/// EXP/plots/             training curves and attention alignments (SVG)
/// ```
public struct Experiment: Sendable {
    /// The folder.
    public let root: URL

    /// An experiment rooted at `root` (created on first use).
    public init(root: URL) {
        self.root = root.standardizedFileURL
    }

    /// The resolved recipe.
    public var recipeFile: URL { root.appendingPathComponent("recipe.yaml") }
    /// Completion stamps.
    public var stamps: URL { root.appendingPathComponent("stamps") }
    /// Logs.
    public var logs: URL { root.appendingPathComponent("logs") }
    /// Default location of a synthesized corpus.
    public var corpus: URL { root.appendingPathComponent("corpus") }
    /// Manifests.
    public var data: URL { root.appendingPathComponent("data") }
    /// Feature archives.
    public var features: URL { root.appendingPathComponent("features") }
    /// Checkpoints.
    public var train: URL { root.appendingPathComponent("train") }
    /// Hypotheses.
    public var decode: URL { root.appendingPathComponent("decode") }
    /// Score reports.
    public var score: URL { root.appendingPathComponent("score") }
    /// Pictures.
    public var plots: URL { root.appendingPathComponent("plots") }

    /// The stamp file of `stage`.
    public func stamp(_ stage: String) -> URL { stamps.appendingPathComponent("\(stage).json") }
    /// The log file of `stage`.
    public func log(_ stage: String) -> URL { logs.appendingPathComponent("\(stage).log") }

    /// Creates `url` (a folder) and returns it.
    @discardableResult
    public func folder(_ url: URL) throws -> URL {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
