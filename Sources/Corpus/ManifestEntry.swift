/// A labelled time segment of an utterance, in samples at the utterance's rate: `[start, end)`.
public struct Segment: Codable, Sendable, Equatable, Hashable {
    /// First sample of the segment.
    public var start: Int
    /// One past the last sample of the segment.
    public var end: Int
    /// The phone or word.
    public var label: String

    /// A segment `[start, end)` carrying `label`.
    public init(start: Int, end: Int, label: String) {
        self.start = start
        self.end = end
        self.label = label
    }
}

/// One utterance of a manifest (one JSON Lines record).
///
/// `audio` is relative to the corpus root the manifest was prepared from (`root`), so a
/// manifest stays valid when the corpus is moved together with it.
public struct ManifestEntry: Codable, Sendable, Equatable {
    /// Utterance id, `<speaker>_<sentence>` in lower case (`fcjf0_si1027`).
    public var id: String
    /// Speaker id in lower case (`fcjf0`).
    public var speaker: String
    /// Dialect region (`dr1` ... `dr8`).
    public var dialect: String
    /// Split name (`train`, `dev`, `test`, `test-full`).
    public var split: String
    /// Audio path relative to the corpus root.
    public var audio: String
    /// Sample rate of the audio in Hz.
    public var sampleRate: Int
    /// Number of samples (frames) in the audio.
    public var samples: Int
    /// Phone segments in the 61-phone TIMIT set, in time order.
    public var phones: [Segment]
    /// Word segments (they may overlap and leave gaps, as in TIMIT).
    public var words: [Segment]
    /// Orthographic text of the utterance.
    public var text: String

    /// A manifest record with every field given.
    public init(id: String, speaker: String, dialect: String, split: String, audio: String,
                sampleRate: Int, samples: Int, phones: [Segment], words: [Segment], text: String) {
        self.id = id
        self.speaker = speaker
        self.dialect = dialect
        self.split = split
        self.audio = audio
        self.sampleRate = sampleRate
        self.samples = samples
        self.phones = phones
        self.words = words
        self.text = text
    }
}
