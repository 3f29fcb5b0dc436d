import Corpus
import Foundation

/// One utterance `asr decode` decodes: the id printed for it and where its audio comes from.
public struct DecodeItem: Sendable, Equatable {
    /// Where the audio of an item is.
    public enum Source: Sendable, Equatable {
        /// An audio file.
        case file(String)
        /// Standard input.
        case standardInput
        /// The standard output of a shell command (a Kaldi `wav.scp` entry ending in `|`).
        case command(String)
    }

    /// The utterance id (no whitespace).
    public var id: String
    /// Where its audio is.
    public var source: Source

    /// An item with the given id and source.
    public init(id: String, source: Source) {
        self.id = id
        self.source = source
    }

    /// The source as the user named it, for messages.
    public var location: String {
        switch source {
        case .file(let path): path
        case .standardInput: "standard input"
        case .command(let command): "`\(command)`"
        }
    }
}

/// The utterance lists `asr decode` reads: audio files named on the command line, a manifest, or a
/// Kaldi `wav.scp`.
public enum DecodeList {
    /// Items for `files` (`-` is standard input). An id is the file's name without its extension; files
    /// whose names collide get path-derived ids: the fewest trailing path components (extension dropped)
    /// that tell them apart, joined by `_` (`TEST/DR1/MCRD0/SX10.WAV` → `MCRD0_SX10`); files that still
    /// collide keep their extension, and a file given twice gets `-2`, `-3`… Whitespace becomes `_`.
    public static func items(files: [String]) -> [DecodeItem] {
        let parts: [[String]] = files.map { file in
            if file == "-" { return ["-"] }
            let url = URL(fileURLWithPath: file).standardizedFileURL
            return url.deletingPathExtension().pathComponents.filter { $0 != "/" }
        }
        var depth = [Int](repeating: 1, count: files.count)
        var keepExtension = [Bool](repeating: false, count: files.count)
        func id(_ index: Int) -> String {
            var tail = Array(parts[index].suffix(depth[index]))
            if keepExtension[index], let last = tail.indices.last {
                let ext = URL(fileURLWithPath: files[index]).pathExtension
                if !ext.isEmpty { tail[last] += "." + ext }
            }
            return clean(tail.joined(separator: "_"))
        }
        // Lengthen colliding ids one path component at a time until they differ or run out of components.
        while true {
            var byID: [String: [Int]] = [:]
            for index in files.indices { byID[id(index), default: []].append(index) }
            var changed = false
            for (_, group) in byID where group.count > 1 {
                for index in group {
                    if depth[index] < parts[index].count {
                        depth[index] += 1
                        changed = true
                    } else if !keepExtension[index], !URL(fileURLWithPath: files[index]).pathExtension.isEmpty {
                        keepExtension[index] = true
                        changed = true
                    }
                }
            }
            if !changed { break }
        }
        var seen: [String: Int] = [:]
        return files.indices.map { index in
            var name = id(index)
            let count = (seen[name] ?? 0) + 1
            seen[name] = count
            if count > 1 { name += "-\(count)" }
            return DecodeItem(id: name, source: files[index] == "-" ? .standardInput : .file(files[index]))
        }
    }

    /// `text` with whitespace replaced by `_` (an id is one token of Kaldi text).
    static func clean(_ text: String) -> String {
        String(text.map { $0.isWhitespace ? "_" : $0 })
    }

    /// The items of a manifest, with its ids; audio paths are relative to `audioRoot` unless absolute.
    public static func items(manifest url: URL, audioRoot: URL) throws -> [DecodeItem] {
        try Manifest.read(from: url).map { entry in
            let path = entry.audio.hasPrefix("/") ? entry.audio : audioRoot.appendingPathComponent(entry.audio).path
            return DecodeItem(id: entry.id, source: .file(path))
        }
    }

    /// The folder a manifest's audio paths are relative to when none is given: the one `corpus-root.txt`
    /// beside it names (`asr prepare`), the corpus of the experiment holding it (`EXP/data/SPLIT.jsonl`
    /// with `EXP/recipe.yaml`), otherwise the manifest's folder.
    public static func audioRoot(ofManifest url: URL) -> URL {
        if let recorded = CorpusPreparation.recordedCorpusRoot(besideManifest: url) { return recorded }
        let data = url.standardizedFileURL.deletingLastPathComponent()
        let experiment = Experiment(root: data.deletingLastPathComponent())
        if data.lastPathComponent == "data", let recipe = try? Recipe.load(experiment.recipeFile.path),
           let corpus = try? recipe.corpusFolder(experiment) {
            return corpus
        }
        return data
    }

    /// The items of a Kaldi `wav.scp`: `ID PATH` per line, or `ID COMMAND |` (the command's output is the
    /// audio). Blank lines and `#` comments are skipped; ids must be unique.
    public static func items(wavScp url: URL) throws -> [DecodeItem] {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw StageError.missingInput(path: url.path, hint: "a Kaldi wav.scp (`utt-id path` per line)")
        }
        var items: [DecodeItem] = [], seen: Set<String> = []
        for (number, line) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.isEmpty || text.hasPrefix("#") { continue }
            let fields = text.split(maxSplits: 1, whereSeparator: \.isWhitespace)
            func fail(_ reason: String) -> StageError {
                .badData(stage: "decode", message: "\(url.path):\(number + 1): \(reason)")
            }
            guard fields.count == 2 else { throw fail("expected `utt-id path` or `utt-id command |`") }
            let id = String(fields[0]), rest = fields[1].trimmingCharacters(in: .whitespaces)
            guard seen.insert(id).inserted else { throw fail("utterance id \(id) appears twice") }
            if rest.hasSuffix("|") {
                items.append(DecodeItem(id: id, source: .command(String(rest.dropLast()).trimmingCharacters(in: .whitespaces))))
            } else {
                guard !rest.contains(where: \.isWhitespace) else {
                    throw fail("a path with spaces, or a command without its trailing `|`")
                }
                let path = rest.hasPrefix("/") ? rest : url.deletingLastPathComponent().appendingPathComponent(rest).path
                items.append(DecodeItem(id: id, source: .file(FileManager.default.fileExists(atPath: rest) ? rest : path)))
            }
        }
        return items
    }
}
