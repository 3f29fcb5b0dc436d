import Foundation

/// TIMIT sentence types.
public enum SentenceType: String, Codable, Sendable, Equatable, CaseIterable {
    /// Dialect shibboleths (sa1, sa2): read by every speaker.
    case sa
    /// Phonetically compact sentences.
    case sx
    /// Phonetically diverse sentences.
    case si
}

/// One utterance found in a TIMIT tree, with the files present for it (paths relative to the root,
/// spelled as on disk).
public struct TimitUtterance: Sendable, Equatable {
    /// `train` or `test` (from the TRAIN/TEST folder).
    public var usage: String
    /// Dialect region, `dr1` ... `dr8`.
    public var dialect: String
    /// Speaker id, lower case (`fcjf0`).
    public var speaker: String
    /// Sentence id, lower case (`si1027`).
    public var sentence: String
    /// Sentence type (from the id's prefix).
    public var type: SentenceType
    /// Relative path without extension, as on disk (`TRAIN/DR1/FCJF0/SI1027`).
    public var stem: String
    /// `.WAV` file, if present.
    public var audio: String?
    /// `.PHN` file, if present.
    public var phones: String?
    /// `.WRD` file, if present.
    public var words: String?
    /// `.TXT` file, if present.
    public var text: String?
    /// Problems found while scanning (duplicate files or ids); such an utterance is skipped.
    public var problems: [String] = []

    /// Utterance id `<speaker>_<sentence>` (`fcjf0_si1027`).
    public var id: String { "\(speaker)_\(sentence)" }
}

/// The utterances of a TIMIT-layout tree: `<root>/<TRAIN|TEST>/<DRn>/<SPEAKER>/<SENTENCE>.<WAV|PHN|WRD|TXT>`.
///
/// Folder and file names are matched component by component, case-insensitively (never by substrings
/// of the full path); other files and folders are ignored. The TRAIN/TEST folders may sit up to two
/// levels below the root (`timit/data/TRAIN`); paths stay relative to the root given.
public struct TimitCorpus: Sendable {
    /// The corpus root the paths are relative to.
    public let root: URL
    /// Every utterance found, sorted by usage, dialect, speaker and sentence.
    public var utterances: [TimitUtterance]

    /// Scans `root`; throws when it is not a folder or holds no TRAIN/TEST folder.
    public static func scan(_ root: URL) throws(CorpusError) -> TimitCorpus {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .notAFolder(path: root.relativePath)
        }
        let usageFolders = try findUsageFolders(root)
        if usageFolders.isEmpty { throw .noTimitLayout(path: root.relativePath) }
        var found: [TimitUtterance] = []
        for (usage, usagePath) in usageFolders {
            for dialect in try entries(root, usagePath, matching: isDialect) {
                for speaker in try entries(root, "\(usagePath)/\(dialect)", matching: isSpeaker) {
                    found += try scanSpeaker(root, folder: "\(usagePath)/\(dialect)/\(speaker)", usage: usage,
                                             dialect: dialect.lowercased(), speaker: speaker.lowercased())
                }
            }
        }
        found.sort { ($0.usage, $0.dialect, $0.speaker, $0.sentence) < ($1.usage, $1.dialect, $1.speaker, $1.sentence) }
        var firstStem: [String: String] = [:]
        for index in found.indices {
            if let stem = firstStem[found[index].id] {
                found[index].problems.append("utterance id \(found[index].id) also at \(stem)")
            } else {
                firstStem[found[index].id] = found[index].stem
            }
        }
        return TimitCorpus(root: root, utterances: found)
    }

    /// The TRAIN/TEST folders (usage, relative path), searched at the root and up to two levels below
    /// it, stopping at the first level that has any.
    private static func findUsageFolders(_ root: URL) throws(CorpusError) -> [(String, String)] {
        var level: [String] = [""]
        for _ in 0..<3 {
            var usages: [(String, String)] = []
            var next: [String] = []
            for folder in level {
                for name in try entries(root, folder, matching: { _ in true }) {
                    let path = folder.isEmpty ? name : "\(folder)/\(name)"
                    let lower = name.lowercased()
                    if lower == "train" || lower == "test" { usages.append((lower, path)) } else { next.append(path) }
                }
            }
            if !usages.isEmpty { return usages.sorted { $0.1 < $1.1 } }
            level = next
        }
        return []
    }

    /// Sub-folder names of `root/relative` accepted by `accept`, sorted.
    private static func entries(_ root: URL, _ relative: String,
                                matching accept: (String) -> Bool) throws(CorpusError) -> [String] {
        let url = relative.isEmpty ? root : root.appendingPathComponent(relative)
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: url.path) } catch {
            throw .cannotRead(path: url.path, reason: error.localizedDescription)
        }
        return names.filter { name in
            var isDirectory: ObjCBool = false
            return accept(name) && !name.hasPrefix(".")
                && FileManager.default.fileExists(atPath: url.appendingPathComponent(name).path, isDirectory: &isDirectory)
                && isDirectory.boolValue
        }.sorted()
    }

    /// The utterances in one speaker folder.
    private static func scanSpeaker(_ root: URL, folder: String, usage: String, dialect: String,
                                    speaker: String) throws(CorpusError) -> [TimitUtterance] {
        let url = root.appendingPathComponent(folder)
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: url.path).sorted() } catch {
            throw .cannotRead(path: url.path, reason: error.localizedDescription)
        }
        var bySentence: [String: TimitUtterance] = [:]
        for name in names {
            let parts = name.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 2 else { continue }
            let sentence = parts[0].lowercased(), fileExtension = parts[1].lowercased()
            guard let type = sentenceType(sentence), ["wav", "phn", "wrd", "txt"].contains(fileExtension) else { continue }
            let path = "\(folder)/\(name)"
            var utterance = bySentence[sentence] ?? TimitUtterance(
                usage: usage, dialect: dialect, speaker: speaker, sentence: sentence, type: type,
                stem: "\(folder)/\(parts[0])")
            let keyPath: WritableKeyPath<TimitUtterance, String?> = switch fileExtension {
            case "wav": \.audio
            case "phn": \.phones
            case "wrd": \.words
            default: \.text
            }
            if let existing = utterance[keyPath: keyPath] {
                utterance.problems.append("two .\(fileExtension.uppercased()) files: \(existing) and \(path)")
            } else {
                utterance[keyPath: keyPath] = path
            }
            bySentence[sentence] = utterance
        }
        return Array(bySentence.values)
    }

    /// `dr1` ... `dr8`, any case.
    static func isDialect(_ name: String) -> Bool {
        let lower = name.lowercased()
        guard lower.count == 3, lower.hasPrefix("dr"), let digit = Int(lower.dropFirst(2)) else { return false }
        return (1...8).contains(digit)
    }

    /// Sex letter, three initials, one digit (`fcjf0`, `MRJM4`), any case.
    static func isSpeaker(_ name: String) -> Bool {
        let chars = Array(name.lowercased())
        guard chars.count == 5, chars[0] == "m" || chars[0] == "f" else { return false }
        return chars[1...3].allSatisfy { $0.isASCII && $0.isLetter } && chars[4].isASCII && chars[4].isNumber
    }

    /// The type of a lower-case sentence id (`sa1`, `si1027`, `sx37`), or nil.
    static func sentenceType(_ sentence: String) -> SentenceType? {
        for type in SentenceType.allCases where sentence.hasPrefix(type.rawValue) {
            let number = sentence.dropFirst(2)
            return !number.isEmpty && number.allSatisfy({ $0.isASCII && $0.isNumber }) ? type : nil
        }
        return nil
    }
}
