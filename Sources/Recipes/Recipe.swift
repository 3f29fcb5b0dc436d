import Foundation
import Synthesis
import Yams

/// A recipe: which stages run, with which options, on which corpus; loaded from YAML with `--set`
/// overrides, every field checked against the components' option structs.
///
/// ```yaml
/// name: demo
/// corpus: data/synth          # TIMIT-layout corpus (written there when `synthesize` is present)
/// synthesize: {speakers: 300} # optional stage
/// prepare: {includeSA: false}
/// ```
public struct Recipe: Sendable {
    /// The file the recipe was read from.
    public var file: String
    /// Every section, resolved (defaults filled in).
    public var settings: RecipeSettings

    /// The largest recipe file read: 1 MiB (the shipped recipes are a few kB).
    public static let maximumFileBytes = 1 << 20

    /// Reads `path` (at most `maximumFileBytes`), applies `overrides` (`key.path=value`, YAML values)
    /// and checks everything.
    public static func load(_ path: String, overrides: [String] = []) throws -> Recipe {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        if let size, size > maximumFileBytes {
            throw RecipeError.tooLarge(file: path, what: "\(size) bytes; a recipe may hold at most \(maximumFileBytes)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RecipeError.syntax(file: path, message: "cannot be read")
        }
        return try parse(String(decoding: data, as: UTF8.self), file: path, overrides: overrides)
    }

    /// Parses recipe text named `file`.
    public static func parse(_ text: String, file: String, overrides: [String] = []) throws -> Recipe {
        var tree = try RecipeNode.parse(text, file: file)
        guard case .mapping = tree else {
            throw RecipeError.wrongType(tree.location, key: "recipe", expected: "a mapping of sections", found: tree.kindDescription)
        }
        for override in overrides {
            guard let equals = override.firstIndex(of: "="), equals != override.startIndex else {
                throw RecipeError.badOverride(override)
            }
            let path = override[..<equals].split(separator: ".").map(String.init)
            tree = try tree.setting(path, to: String(override[override.index(after: equals)...]), override: override)
        }
        return Recipe(file: file, settings: try RecipeSettings(tree))
    }

    /// The resolved recipe as YAML (every default written out); it loads back to the same settings.
    public func resolvedYAML() throws -> String {
        let yaml = try YAMLEncoder().encode(settings)
        // Yams writes doubles in exponent form (5e-1); plain decimals read better and load back the same.
        let plain = yaml.replacing(/(?m)(: |- )(-?[0-9]+(?:\.[0-9]+)?e[-+]?[0-9]+)$/) { match in
            let (_, prefix, number) = match.output
            return prefix + (Double(number).map { "\($0)" } ?? String(number))
        }
        return "# resolved from \(file)\n" + plain
    }

    /// The corpus folder: `corpus`, relative to the current folder, or `EXP/corpus` for a synthesized
    /// corpus without a path.
    public func corpusFolder(_ experiment: Experiment) throws -> URL {
        if let corpus = settings.corpus { return URL(fileURLWithPath: corpus).standardizedFileURL }
        if settings.synthesize != nil { return experiment.corpus }
        throw RecipeError.invalidValue(SourceLocation(file: file), key: "corpus",
                                       message: "no corpus: set `corpus: PATH` (or --set corpus=PATH), or add a synthesize section")
    }
}

extension SourceLocation {
    /// The whole file, without a line.
    init(file: String) {
        self.init(file: file, line: nil, column: nil, override: nil)
    }
}

/// All sections of a recipe, with their defaults.
public struct RecipeSettings: Codable, Sendable, Equatable {
    /// A name for the experiment (shown in reports).
    public var name: String = "experiment"
    /// Path of the TIMIT-layout corpus (default none: `EXP/corpus` when synthesizing).
    public var corpus: String? = nil
    /// The synthesis stage's options; nil leaves the stage out.
    public var synthesize: SynthesisOptions? = nil
    /// The prepare stage's options.
    public var prepare = PrepareStageOptions()
    /// The features stage's options (fbank, deltas, CMVN grouping).
    public var features = FeatureExtractionOptions()
    /// The train stage's options (model, training loop, normalisation).
    public var train = TrainStageOptions()
    /// The decode stage's options.
    public var decode = DecodeStageOptions()
    /// The score stage's options.
    public var score = ScoreStageOptions()

    /// The defaults.
    public init() {}

    /// The keys a recipe may have at its top level.
    public static let keys = ["name", "corpus", "synthesize", "prepare", "features", "train", "decode", "score"]

    /// Decodes and validates every section of `tree`.
    init(_ tree: RecipeNode) throws {
        guard case let .mapping(pairs, _) = tree else { return }
        for pair in pairs where !RecipeSettings.keys.contains(pair.key) {
            throw RecipeError.unknownKey(pair.keyLocation, key: pair.key, section: "the recipe", allowed: RecipeSettings.keys)
        }
        name = try OptionsDecoder.decode(tree["name"], defaults: name, section: "name")
        corpus = try OptionsDecoder.decode(tree["corpus"], defaults: corpus, section: "corpus")
        if let node = tree["synthesize"] {
            synthesize = try OptionsDecoder.decode(RecipeSettings.emptyAsMapping(node), defaults: SynthesisOptions(),
                                                   section: "synthesize") { try $0.validate() }
        }
        prepare = try OptionsDecoder.decode(tree["prepare"], defaults: prepare, section: "prepare") { try $0.validate() }
        features = try OptionsDecoder.decode(tree["features"], defaults: features, section: "features") { try $0.validate() }
        train = try OptionsDecoder.decode(tree["train"], defaults: train, section: "train") { try $0.validate() }
        decode = try OptionsDecoder.decode(tree["decode"], defaults: decode, section: "decode") { try $0.validate() }
        score = try OptionsDecoder.decode(tree["score"], defaults: score, section: "score") { try $0.validate() }
    }

    /// `section:` with nothing after it means "all defaults".
    static func emptyAsMapping(_ node: RecipeNode) -> RecipeNode {
        if case let .scalar(text, false, location) = node, text.isEmpty || text == "null" || text == "~" {
            return .mapping([], location)
        }
        return node
    }
}

extension FliteVoice: RecipeChoice {}
extension NoiseColor: RecipeChoice {}
