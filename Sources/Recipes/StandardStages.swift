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

    /// A fingerprint of a folder's files: every relative path with its size and modification time.
    static func listing(_ folder: URL) throws -> String {
        let manager = FileManager.default
        var isFolder: ObjCBool = false
        guard manager.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw StageError.missingInput(path: folder.path, hint: "no such folder")
        }
        var hash = ContentHash()
        var lines: [String] = []
        let keys: [URLResourceKey] = [.isRegularFileKey, .fileSizeKey, .contentModificationDateKey]
        let enumerator = manager.enumerator(at: folder, includingPropertiesForKeys: keys)
        while let url = enumerator?.nextObject() as? URL {
            let values = try url.resourceValues(forKeys: Set(keys))
            guard values.isRegularFile == true else { continue }
            let stamp = values.contentModificationDate?.timeIntervalSince1970 ?? 0
            lines.append("\(url.path.dropFirst(folder.path.count)) \(values.fileSize ?? 0) \(stamp)")
        }
        for line in lines.sorted() { hash.update(line) }
        return "\(folder.path) \(lines.count) files \(hash.hex)"
    }
}

/// What can stop a stage.
public enum StageError: Error, CustomStringConvertible, Equatable {
    /// A file or folder the stage reads is missing.
    case missingInput(path: String, hint: String)
    /// The stage's data is not usable.
    case badData(stage: String, message: String)

    /// One line.
    public var description: String {
        switch self {
        case let .missingInput(path, hint): "missing input \(path): \(hint)"
        case let .badData(stage, message): "\(stage): \(message)"
        }
    }
}
