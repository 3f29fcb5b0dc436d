import Corpus
import Foundation
import Training
import Yams

/// What an experiment folder holds for a report, read leniently: every part may be absent (a run that
/// stopped early, a folder from an older version), and each absent part is named in `absent`.
public struct ExperimentRecord: Sendable {
    /// The folder.
    public var experiment: Experiment
    /// The recipe's name (the folder's name when the recipe is missing).
    public var name: String
    /// The resolved recipe's text (`recipe.yaml`), nil when absent.
    public var recipeText: String?
    /// The model family (`train.model.kind`; `attention` when the recipe names none).
    public var family: String
    /// The recipe's key options, as `key value` strings (encoder size, mechanism, rule, ...).
    public var keyOptions: [String]
    /// Beam width of the decode stage (1: greedy).
    public var beamWidth: Int
    /// The decoded split (`test` by default).
    public var split: String
    /// The score stage's fold.
    public var fold: PhoneFold
    /// Per-epoch training figures (`train/history.json`), empty when absent.
    public var history: [EpochSummary]
    /// Seconds the train stage took (`stamps/train.json`), nil when absent.
    public var trainingSeconds: Double?
    /// Number of trained parameters (from the header of `train/best/weights.safetensors`), nil when absent.
    public var parameters: Int?
    /// The reference manifest of the decoded split, empty when absent.
    public var references: [ManifestEntry]
    /// The hypothesis file (`decode/SPLIT.hyp`), nil when absent.
    public var hypothesisFile: URL?
    /// Every search's hypothesis file kept by the decode stage (`decode/SPLIT.LABEL.hyp`), by label.
    public var searchHypotheses: [String: URL]
    /// Emission times in seconds per utterance (`decode/SPLIT.times`: `utt phone@t ...`; nil for a phone
    /// written `phone@-`, which has no time), empty when absent.
    public var times: [String: [(phone: String, seconds: Double?)]]
    /// The corpus folder the manifests' audio paths are relative to (`data/corpus-root.txt`), nil when absent.
    public var corpusRoot: URL?
    /// The alignment pictures of the last plotted epoch (`plots/attention/UTT-epochNN.svg` with the largest NN).
    public var alignmentPictures: [URL]
    /// The command that makes this experiment again.
    public var command: String
    /// The parts that are missing or unreadable, one short phrase each.
    public var absent: [String]

    /// Best (lowest) dev error rate over the epochs, as a fraction.
    public var bestDevErrorRate: Double? { history.map(\.devErrorRate).min() }

    /// Reads the folder at `url`; throws `ReportError.notAnExperiment` only when `url` is not a folder.
    public init(folder url: URL) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
            throw ReportError.notAnExperiment(path: url.path, reason: "no such folder")
        }
        guard isFolder.boolValue else { throw ReportError.notAnExperiment(path: url.path, reason: "a file, not a folder") }
        experiment = Experiment(root: url)
        absent = []
        recipeText = try? String(contentsOf: experiment.recipeFile, encoding: .utf8)
        let recipe = recipeText.flatMap { try? Yams.load(yaml: $0) } as? [String: Any] ?? [:]
        if recipeText == nil { absent.append("recipe.yaml") }
        let train = recipe["train"] as? [String: Any] ?? [:]
        let model = train["model"] as? [String: Any] ?? [:]
        let decode = recipe["decode"] as? [String: Any] ?? [:]
        let search = decode["search"] as? [String: Any] ?? [:]
        let score = recipe["score"] as? [String: Any] ?? [:]
        name = recipe["name"] as? String ?? url.lastPathComponent
        family = model["kind"] as? String ?? "attention"
        keyOptions = Self.keyOptions(model: model, search: search)
        beamWidth = (search["beamWidth"] as? Int) ?? 1
        split = decode["split"] as? String ?? "test"
        fold = (score["fold"] as? String).flatMap(PhoneFold.init(rawValue:)) ?? .timit39
        let corpus = recipe["corpus"] as? String
        command = "asr run RECIPE --exp \(url.path)" + (corpus.map { " --set corpus=\($0)" } ?? "")
            + "   # RECIPE: recipe.yaml of this folder, or the recipes/ file it was resolved from"
        if let source = recipeText?.split(separator: "\n").first, source.hasPrefix("# resolved from ") {
            let file = source.dropFirst("# resolved from ".count)
            command = "asr run \(file) --exp \(url.path)" + (corpus.map { " --set corpus=\($0)" } ?? "")
        }

        history = []
        if let data = try? Data(contentsOf: experiment.train.appendingPathComponent("history.json")),
           let epochs = try? JSONDecoder().decode([EpochSummary].self, from: data) {
            history = epochs
        } else { absent.append("train/history.json") }
        trainingSeconds = nil
        if let data = try? Data(contentsOf: experiment.stamp("train")),
           let stamp = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            trainingSeconds = stamp["seconds"] as? Double
        }
        if trainingSeconds == nil { absent.append("stamps/train.json") }
        parameters = Self.parameterCount(experiment.train.appendingPathComponent("best/weights.safetensors"))
        if parameters == nil { absent.append("train/best/weights.safetensors") }
        let manifest = experiment.data.appendingPathComponent("\(split).jsonl")
        references = (try? Manifest.read(from: manifest)) ?? []
        if references.isEmpty { absent.append("data/\(split).jsonl") }
        let hypothesis = experiment.decode.appendingPathComponent("\(split).hyp")
        hypothesisFile = FileManager.default.fileExists(atPath: hypothesis.path) ? hypothesis : nil
        if hypothesisFile == nil { absent.append("decode/\(split).hyp") }
        let prefix = "\(split).", decodeFolder = experiment.decode
        searchHypotheses = Dictionary(uniqueKeysWithValues: ((try? FileManager.default.contentsOfDirectory(atPath: decodeFolder.path)) ?? [])
            .filter { $0.hasPrefix(prefix) && $0.hasSuffix(".hyp") && $0.count > prefix.count + 4 }
            .map { (String($0.dropFirst(prefix.count).dropLast(4)), decodeFolder.appendingPathComponent($0)) })
        times = Self.readTimes(experiment.decode.appendingPathComponent("\(split).times"))
        alignmentPictures = Self.lastEpochPictures(in: experiment.plots.appendingPathComponent("attention"))
        corpusRoot = (try? String(contentsOf: experiment.data.appendingPathComponent("corpus-root.txt"), encoding: .utf8))
            .map { URL(fileURLWithPath: $0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// `key value` strings of the options that tell families and runs apart.
    static func keyOptions(model: [String: Any], search: [String: Any]) -> [String] {
        var options: [String] = []
        if let encoder = model["encoder"] as? [String: Any] {
            let layers = encoder["layers"].map { "\($0)" } ?? "?", hidden = encoder["hiddenSize"].map { "\($0)" } ?? "?"
            let direction = (encoder["bidirectional"] as? Bool) == true ? " bi" : ""
            options.append("encoder \(layers)×\(hidden)\(direction)")
        }
        if let attention = model["attention"] as? [String: Any], let mechanism = attention["mechanism"] ?? attention["kind"] {
            options.append("attention \(mechanism)")
        }
        func text(_ value: Any) -> String { (value as? Double).map { String(format: "%g", $0) } ?? "\(value)" }
        for key in ["rule", "estimator", "baseline", "ctcWeight"] {
            if let value = model[key], text(value) != "0" { options.append("\(key) \(text(value))") }
        }
        if let ctc = search["ctcWeight"], text(ctc) != "0" { options.append("decode ctcWeight \(text(ctc))") }
        return options
    }

    /// The number of values in the tensors of a safetensors file, read from its header alone; nil when unreadable.
    static func parameterCount(_ url: URL) -> Int? {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        defer { try? handle.close() }
        guard let prefix = try? handle.read(upToCount: 8), prefix.count == 8 else { return nil }
        let length = prefix.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard length < 100_000_000, let header = try? handle.read(upToCount: Int(length)),
              let json = try? JSONSerialization.jsonObject(with: header) as? [String: Any] else { return nil }
        return json.reduce(0) { total, entry in
            guard entry.key != "__metadata__", let shape = (entry.value as? [String: Any])?["shape"] as? [Int] else { return total }
            return total + shape.reduce(1, *)
        }
    }

    /// The `*-epochNN.svg` files of `folder` with the largest NN, sorted by name (empty when there are none).
    static func lastEpochPictures(in folder: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let epochs = names.compactMap { name -> (String, Int)? in
            guard let match = name.firstMatch(of: /-epoch([0-9]+)\.svg$/), let epoch = Int(match.output.1) else { return nil }
            return (name, epoch)
        }
        guard let last = epochs.map(\.1).max() else { return [] }
        return epochs.filter { $0.1 == last }.map(\.0).sorted().map { folder.appendingPathComponent($0) }
    }

    /// Parses a times file (`utt phone@seconds ...` per line); an absent or malformed file gives what it could read.
    static func readTimes(_ url: URL) -> [String: [(phone: String, seconds: Double?)]] {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [:] }
        var times: [String: [(phone: String, seconds: Double?)]] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard let id = fields.first else { continue }
            times[String(id)] = fields.dropFirst().map { field in
                guard let at = field.lastIndex(of: "@") else { return (String(field), nil) }
                return (String(field[..<at]), Double(field[field.index(after: at)...]))
            }
        }
        return times
    }
}

/// An experiment folder a report cannot use at all.
public enum ReportError: Error, CustomStringConvertible, Equatable {
    /// `path` is not an experiment folder.
    case notAnExperiment(path: String, reason: String)
    /// An option of the report is wrong.
    case invalidOption(String)

    /// One line saying what and where.
    public var description: String {
        switch self {
        case .notAnExperiment(let path, let reason): "report: \(path) is not an experiment folder (\(reason))"
        case .invalidOption(let message): "report: \(message)"
        }
    }
}
