import Foundation
import Randomness

/// Where a corpus's sentences come from: the built-in grammar, or a user's file with one sentence a line.
public enum PromptSource {
    /// `count` distinct prompts for `options` (its `prompts` file when set, else the grammar).
    public static func prompts(count: Int, options: SynthesisOptions) throws -> [String] {
        guard let path = options.prompts else {
            return try PromptGrammar().sentences(count: count, seed: options.seed)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SynthesisError.prompts(path: path, reason: "cannot be read")
        }
        var seen = Set<String>()
        var lines: [String] = []
        for line in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) {
            let words = PromptSource.words(of: String(line))
            guard !words.isEmpty else { continue }
            let sentence = words.joined(separator: " ")
            if seen.insert(sentence).inserted { lines.append(sentence) }
        }
        guard lines.count >= count else {
            throw SynthesisError.prompts(path: path, reason: "\(lines.count) distinct sentences, \(count) needed")
        }
        // A seeded shuffle, so that different seeds give different splits of the same file.
        var generator = SplitMix64(seed: options.seed, stream: 2)
        return Array(lines.shuffled(using: &generator).prefix(count))
    }

    /// The words of a sentence: lower case, letters and apostrophes only.
    public static func words(of sentence: String) -> [String] {
        sentence.lowercased()
            .split(whereSeparator: { !($0.isLetter || $0 == "'") })
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "'")) }
            .filter { !$0.isEmpty }
    }
}
