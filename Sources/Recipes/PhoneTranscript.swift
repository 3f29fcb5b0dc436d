import Corpus
import Models

/// A decoded utterance as phones with the time each was emitted at (from the hard alignment).
public struct PhoneTranscript: Sendable, Equatable {
    /// Utterance id (or file name).
    public var id: String
    /// Phones (48 training phones, or folded to 39).
    public var phones: [String]
    /// Emission time of each phone in seconds: the attended encoder state's first input frame; nil where
    /// nothing was attended.
    public var times: [Double?]
    /// The search's log probability of the hypothesis (`Hypothesis.logProbability`); nil when not decoded
    /// by a search (an empty transcript of unusable audio, a streamed one).
    public var logProbability: Float?

    /// A transcript with the given parts (`times` as long as `phones`).
    public init(id: String, phones: [String], times: [Double?], logProbability: Float? = nil) {
        self.id = id
        self.phones = phones
        self.times = times
        self.logProbability = logProbability
    }

    /// The transcript of `hypothesis`: ids → phone names; state k ↔ input frame k · `frameStride`.
    public init(id: String, hypothesis: Hypothesis, phones names: [String], frameStride: Int, frameShift: Double) {
        self.id = id
        phones = hypothesis.labels.map { $0 < names.count ? names[$0] : "?" }
        times = hypothesis.frames.map { state in state.map { Double($0 * frameStride) * frameShift / 1000 } }
        logProbability = hypothesis.logProbability
    }

    /// The same transcript `seconds` later: every time moved by `seconds`.
    public func delayed(by seconds: Double) -> PhoneTranscript {
        var copy = self
        copy.times = times.map { $0.map { $0 + seconds } }
        return copy
    }

    /// Consecutive pieces of one recording as one transcript (`parts` non-empty, in order): their phones
    /// and times one after the other, the id of the first, log probabilities summed.
    public init(joining parts: [PhoneTranscript]) {
        id = parts[0].id
        phones = parts.flatMap(\.phones)
        times = parts.flatMap(\.times)
        logProbability = parts.reduce(Float(0)) { $0 + ($1.logProbability ?? 0) }
    }

    /// The 39 scoring class of a 48 training phone (`PhoneMap.timit`); nil for anything else.
    public static func scoringClass(of phone: String) -> String? {
        (try? PhoneMap.timit.fold(phone, from: .training48, to: .scoring39)) ?? nil
    }

    /// The same transcript folded 48 → 39 (closures, pauses → sil), times kept.
    public func folded39() -> PhoneTranscript {
        var copy = self
        var phones: [String] = [], times: [Double?] = []
        for (phone, time) in zip(self.phones, self.times) {
            if let target = PhoneTranscript.scoringClass(of: phone) {
                phones.append(target)
                times.append(time)
            }
        }
        copy.phones = phones
        copy.times = times
        return copy
    }

    /// Each phone's start and end in seconds, from the emission times and `stateSeconds`, the span of
    /// one encoder state (frame stride × frame shift): phone k ends where the state it was emitted on
    /// ends, e_k + stateSeconds, and starts where phone k − 1 ended (the first at 0): a phone is emitted
    /// once it has been heard. Phones emitted on the same state share its span evenly; a phone with no
    /// attended state takes the time of the one before it (0 for the first).
    public func segments(stateSeconds: Double) -> [(start: Double, end: Double)] {
        var ends: [Double] = []
        for time in times { ends.append(time.map { $0 + stateSeconds } ?? ends.last ?? 0) }
        var result: [(start: Double, end: Double)] = []
        var k = 0, start = 0.0
        while k < ends.count {
            var m = k
            while m + 1 < ends.count, ends[m + 1] <= ends[k] { m += 1 }  // phones k...m end together
            let end = Swift.max(ends[k], start)
            let share = (end - start) / Double(m - k + 1)
            for j in k...m { result.append((start + share * Double(j - k), start + share * Double(j - k + 1))) }
            start = end
            k = m + 1
        }
        return result
    }

    /// NIST CTM lines of the transcript, `id 1 start duration phone` (seconds, 3 decimals), one per phone,
    /// every time moved `lag` seconds earlier (the model's emission lag; clamped at 0).
    public func ctmLines(stateSeconds: Double, lag: Double = 0) -> [String] {
        zip(phones, segments(stateSeconds: stateSeconds)).map { phone, span in
            let start = Swift.max(0, span.start - lag), end = Swift.max(0, span.end - lag)
            return String(format: "%@ 1 %.3f %.3f %@", id, start, end - start, phone)
        }
    }

    /// Kaldi text: `id phone phone ...`.
    public var kaldiLine: String { ([id] + phones).joined(separator: " ") }

    /// sclite trn: `phone phone ... (id)`.
    public var trnLine: String { (phones + ["(\(id))"]).joined(separator: " ") }

    /// `id phone@seconds ...` (`phone@-` where nothing was attended).
    public var timedLine: String {
        ([id] + zip(phones, times).map { phone, time in
            "\(phone)@" + (time.map { String(format: "%.2f", $0) } ?? "-")
        }).joined(separator: " ")
    }
}
