import Foundation

/// The stages of every recipe, in order.
public enum StandardStages {
    /// synthesize, prepare, features, train, decode, score.
    public static let all: [StageDefinition] = [
        SynthesizeStage.definition, PrepareStage.definition, FeaturesStage.definition, TrainStage.definition,
        DecodeStage.definition, ScoreStage.definition,
    ]

    /// The stage names in order.
    public static var names: [String] { all.map(\.name) }

    /// Canonical JSON of `value` (sorted keys) for fingerprints.
    static func canonical<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// `value`'s canonical JSON as fingerprint lines, one `path.to.field=JSON` per leaf under `prefix`
    /// (arrays are leaves), sorted: `asr run --dry-run` names the fields that changed.
    static func flattened<T: Encodable>(_ value: T, prefix: String) throws -> String {
        let object = try JSONSerialization.jsonObject(with: Data(try canonical(value).utf8), options: [.fragmentsAllowed])
        var lines: [String] = []
        func walk(_ node: Any, _ path: String) throws {
            if let mapping = node as? [String: Any] {
                for key in mapping.keys.sorted() { try walk(mapping[key]!, path.isEmpty ? key : "\(path).\(key)") }
                if mapping.isEmpty { lines.append("\(path)={}") }
                return
            }
            let text = try JSONSerialization.data(withJSONObject: node, options: [.fragmentsAllowed, .sortedKeys])
            lines.append("\(path)=" + String(decoding: text, as: UTF8.self))
        }
        try walk(object, prefix)
        return lines.sorted().joined(separator: "\n")
    }

    /// A fingerprint line of a folder's files, by content: every path relative to the folder with a
    /// hash of its bytes (no absolute path, no timestamps, so a copied folder matches). Hashes of files
    /// whose size and modification time are unchanged come from `cache` (`ContentHashCache`).
    static func listing(_ folder: URL, name: String, cache: ContentHashCache? = nil) throws -> String {
        let manager = FileManager.default
        var isFolder: ObjCBool = false
        guard manager.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw StageError.missingInput(path: folder.path, hint: "no such folder")
        }
        let root = folder.resolvingSymlinksInPath().standardizedFileURL
        var files: [(String, URL, Int, Double)] = []
        let keys: [URLResourceKey] = [.isRegularFileKey, .fileSizeKey, .contentModificationDateKey]
        let enumerator = manager.enumerator(at: root, includingPropertiesForKeys: keys)
        while let url = enumerator?.nextObject() as? URL {
            let values = try url.resourceValues(forKeys: Set(keys))
            guard values.isRegularFile == true else { continue }
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(root.path + "/") else { continue }
            files.append((String(path.dropFirst(root.path.count)), url, values.fileSize ?? 0,
                          values.contentModificationDate?.timeIntervalSince1970 ?? 0))
        }
        var hash = ContentHash()
        for (path, url, size, modified) in files.sorted(by: { $0.0 < $1.0 }) {
            hash.update(path)
            hash.update(try cache?.hash(of: url, key: name + ":" + path, size: size, modified: modified)
                ?? ContentHashCache.hash(of: url))
        }
        try cache?.save()
        return "input:\(name)=\(files.count) files \(hash.hex)"
    }

    /// How an experiment names a folder in a fingerprint: relative to the experiment when inside it
    /// (a copied experiment matches), otherwise its absolute path.
    static func relative(_ url: URL, to experiment: Experiment) -> String {
        let path = url.standardizedFileURL.path, root = experiment.root.path
        if path == root { return "." }
        return path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
    }
}

/// What can stop a stage.
public enum StageError: Error, CustomStringConvertible, Equatable {
    /// A file or folder the stage reads is missing.
    case missingInput(path: String, hint: String)
    /// The stage's data is not usable.
    case badData(stage: String, message: String)
    /// A file disagrees with itself or with the model it describes (field and values in `message`).
    case inconsistent(file: String, message: String)

    /// One line.
    public var description: String {
        switch self {
        case let .missingInput(path, hint): "missing input \(path): \(hint)"
        case let .badData(stage, message): "\(stage): \(message)"
        case let .inconsistent(file, message): "\(file): \(message)"
        }
    }
}
