import Randomness
/// A small grammar of semantically unpredictable sentences (templates over word classes) that generates
/// as many distinct prompts as a corpus needs, deterministically for a seed.
///
/// Templates such as `DET ADJ NOUN VERB DET NOUN` follow Benoît et al., Speech Communication 18 (1996).
/// The open-class words were chosen to cover English phones that plain text rarely gives (zh, oy, uh, th, dh).
public struct PromptGrammar: Sendable {
    /// The word classes a template may name.
    public enum WordClass: String, CaseIterable, Sendable {
        case determiner, adjective, noun, verb, preposition, adverb
    }

    /// Templates: sequences of word classes; a sentence is one template with a word drawn for each slot.
    public var templates: [[WordClass]]
    /// The words of each class.
    public var words: [WordClass: [String]]

    /// The built-in grammar.
    public init() {
        templates = [
            [.determiner, .adjective, .noun, .verb, .determiner, .noun],
            [.determiner, .noun, .verb, .determiner, .adjective, .noun],
            [.determiner, .noun, .verb, .determiner, .noun, .preposition, .determiner, .noun],
            [.determiner, .adjective, .noun, .adverb, .verb, .determiner, .noun],
            [.determiner, .noun, .preposition, .determiner, .noun, .verb, .adverb],
            [.determiner, .adjective, .adjective, .noun, .verb, .determiner, .noun],
            [.determiner, .noun, .verb, .preposition, .determiner, .adjective, .noun],
        ]
        words = [
            .determiner: ["the", "a", "this", "that", "every", "some", "one", "her", "his", "our", "their", "my"],
            .adjective: [
                "beige", "usual", "casual", "visual", "noisy", "loyal", "royal", "moist", "thick", "thin",
                "smooth", "rough", "good", "wooden", "woolen", "sugary", "bright", "dark", "quiet", "loud",
                "yellow", "purple", "orange", "golden", "silver", "gentle", "brave", "calm", "cheap", "clever",
                "crooked", "eager", "fancy", "fierce", "frozen", "giant", "hollow", "huge", "jolly", "lazy",
                "narrow", "odd", "pale", "proud", "rapid", "rusty", "shallow", "sharp", "shiny", "short",
                "sleepy", "strange", "sweet", "tiny", "ugly", "vivid", "warm", "weary", "wild", "young",
            ],
            .noun: [
                "garage", "treasure", "measure", "vision", "leisure", "collision", "decision", "television",
                "boy", "coin", "toy", "voice", "oyster", "choice", "poison", "joint", "cowboy", "pointer",
                "book", "wood", "foot", "hook", "cushion", "wolf", "pudding", "butcher", "bush", "hood",
                "thumb", "path", "moth", "bath", "north", "thunder", "feather", "mother", "weather", "brother",
                "anchor", "apple", "basket", "bridge", "candle", "castle", "cheese", "chicken", "circle", "cloud",
                "dragon", "engine", "fabric", "garden", "giraffe", "hammer", "island", "jacket", "kettle", "ladder",
                "lemon", "magnet", "needle", "ocean", "pencil", "pepper", "pigeon", "planet", "pocket", "puzzle",
                "rabbit", "ribbon", "river", "rocket", "saddle", "shadow", "shovel", "spider", "tiger", "tunnel",
                "turtle", "valley", "village", "wagon", "window", "zipper", "doctor", "farmer", "singer", "teacher",
            ],
            .verb: [
                "measured", "enjoyed", "avoided", "joined", "spoiled", "destroyed", "pushed", "pulled", "shook",
                "took", "understood", "cooked", "threw", "thanked", "soothed", "bathed", "bought", "brought",
                "carried", "chased", "cleaned", "covered", "dropped", "folded", "found", "grabbed", "hid", "kept",
                "lifted", "loved", "moved", "painted", "passed", "picked", "praised", "saw", "sold", "tasted",
                "touched", "washed", "watched", "wrapped", "visited", "judged", "changed", "fetched", "mended",
            ],
            .preposition: [
                "under", "over", "behind", "beside", "near", "into", "onto", "through", "without", "across",
                "against", "along", "beneath", "toward", "with", "from", "around", "above",
            ],
            .adverb: [
                "quickly", "slowly", "usually", "gently", "loudly", "quietly", "boldly", "rarely", "often",
                "calmly", "eagerly", "happily", "nearly", "proudly", "sadly", "softly", "wisely", "yearly",
            ],
        ]
    }

    /// The number of distinct sentences the grammar can produce (an upper bound on `sentences(count:)`).
    public var capacity: Double {
        templates.reduce(0.0) { total, template in
            total + template.reduce(1.0) { $0 * Double(words[$1]?.count ?? 0) }
        }
    }

    /// Every word the grammar can produce, sorted.
    public var vocabulary: [String] {
        Array(Set(words.values.joined()).union(["an"])).sorted()
    }

    /// `count` distinct sentences (lower-case words separated by single spaces), the same for the same seed.
    public func sentences(count: Int, seed: UInt64) throws -> [String] {
        guard Double(count) <= capacity / 4 else {
            throw SynthesisError.tooManySentences(requested: count, capacity: Int(capacity / 4))
        }
        var generator = SplitMix64(seed: seed, stream: 0x5EED_0F_7E47)
        var seen = Set<String>()
        var result: [String] = []
        result.reserveCapacity(count)
        while result.count < count {
            let template = templates[Int.random(in: 0..<templates.count, using: &generator)]
            var chosen: [String] = []
            for slot in template {
                let options = words[slot] ?? []
                var word = options[Int.random(in: 0..<options.count, using: &generator)]
                // No word twice in one sentence (keeps sentences varied).
                while chosen.contains(word), slot != .determiner {
                    word = options[Int.random(in: 0..<options.count, using: &generator)]
                }
                chosen.append(word)
            }
            for index in chosen.indices.dropLast() where chosen[index] == "a" {
                if let initial = chosen[index + 1].first, "aeiou".contains(initial) { chosen[index] = "an" }
            }
            let sentence = chosen.joined(separator: " ")
            if seen.insert(sentence).inserted { result.append(sentence) }
        }
        return result
    }
}
