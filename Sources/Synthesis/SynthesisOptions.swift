import Options

/// Everything that shapes a synthetic TIMIT-layout corpus; the corpus is a function of these values.
public struct SynthesisOptions: DefaultedOptions, Sendable, Equatable {
    /// Number of pseudo-speakers (default 40); TRAIN and TEST get disjoint speakers.
    public var speakers: Int = 40
    /// SX + SI sentences per speaker (default 8, as TIMIT: 5 SX and 3 SI); SA comes on top.
    public var sentences: Int = 8
    /// SA sentences every speaker reads (0, 1 or 2; default 2). `asr prepare` leaves them out by default.
    public var saSentences: Int = 2
    /// How many speakers of a split read each SX text (default 7, as TIMIT).
    public var sxReaders: Int = 7
    /// Fraction of speakers that go to TEST (default 0.27, TIMIT's 168 of 630).
    public var testFraction: Double = 0.27
    /// Fraction of TEST speakers listed in `dev_spk.list` (default 0.5); the rest are in `test_spk.list`.
    public var devFraction: Double = 0.5
    /// Seed of every random draw (default 1).
    public var seed: UInt64 = 1
    /// The flite voices speakers are built on (default all four 16 kHz voices).
    public var voices: [FliteVoice] = FliteVoice.allCases
    /// Range of the vocal-tract-length factor α per speaker (default 0.88 ... 1.12).
    public var vocalTractRange: [Double] = [0.88, 1.12]
    /// Relative range of a speaker's mean f0 around the voice's own (default ±0.2).
    public var pitchSpread: Double = 0.2
    /// Relative range of a speaker's speaking rate (default ±0.15).
    public var rateSpread: Double = 0.15
    /// Relative per-utterance jitter of rate and pitch (default ±0.05).
    public var utteranceJitter: Double = 0.05
    /// Range of the silence (h#) before and after the speech of each utterance, in seconds (default 0.1 ... 0.3).
    public var paddingRange: [Double] = [0.1, 0.3]
    /// Range of the signal-to-noise ratio of the added noise in dB (default 15 ... 40).
    public var snrRange: [Double] = [15, 40]
    /// Range of the speech level in dBFS RMS (default -30 ... -15).
    public var levelRange: [Double] = [-30, -15]
    /// A prompt file, one sentence per line, used instead of the built-in grammar (default none).
    public var prompts: String? = nil
    /// Parallel flite processes (default 0: two per core, so that one waits on its process while the other computes).
    public var jobs: Int = 0

    /// The defaults.
    public init() {}

    /// Checks every field, naming the first one out of range and the allowed values.
    public func validate() throws(OptionError) {
        try require(speakers >= 2, "speakers", speakers, "an integer >= 2 (one TRAIN and one TEST speaker at least)")
        try require(sentences >= 1, "sentences", sentences, "an integer >= 1")
        try require((0...2).contains(saSentences), "saSentences", saSentences, "0, 1 or 2")
        try require(sxReaders >= 1, "sxReaders", sxReaders, "an integer >= 1")
        try require(testFraction > 0 && testFraction < 1, "testFraction", testFraction, "a number in (0, 1)")
        try require(devFraction >= 0 && devFraction <= 1, "devFraction", devFraction, "a number in [0, 1]")
        try require(!voices.isEmpty, "voices", voices, "a non-empty list of \(FliteVoice.allCases.map(\.rawValue))")
        try checkRange(vocalTractRange, "vocalTractRange", 0.5...2)
        try require((0..<1).contains(pitchSpread), "pitchSpread", pitchSpread, "a number in [0, 1)")
        try require((0..<1).contains(rateSpread), "rateSpread", rateSpread, "a number in [0, 1)")
        try require((0..<0.5).contains(utteranceJitter), "utteranceJitter", utteranceJitter, "a number in [0, 0.5)")
        try checkRange(paddingRange, "paddingRange", 0.01...5)
        try checkRange(snrRange, "snrRange", -10...200)
        try checkRange(levelRange, "levelRange", -90...(-1))
        try require(jobs >= 0, "jobs", jobs, "an integer >= 0 (0 = one per core)")
    }

    private func checkRange(_ range: [Double], _ name: String, _ limits: ClosedRange<Double>) throws(OptionError) {
        guard range.count == 2, range[0] <= range[1], limits.contains(range[0]), limits.contains(range[1]) else {
            throw OptionError(name, value: range,
                              allowed: "[low, high] with \(limits.lowerBound) <= low <= high <= \(limits.upperBound)")
        }
    }
}
