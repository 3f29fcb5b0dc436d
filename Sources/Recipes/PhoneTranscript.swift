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

    /// A transcript with the given parts (`times` as long as `phones`).
    public init(id: String, phones: [String], times: [Double?]) {
        self.id = id
        self.phones = phones
        self.times = times
    }

    /// The transcript of `hypothesis`: ids → phone names; state k ↔ input frame k · `frameStride`.
    public init(id: String, hypothesis: Hypothesis, phones names: [String], frameStride: Int, frameShift: Double) {
        self.id = id
        phones = hypothesis.labels.map { $0 < names.count ? names[$0] : "?" }
        times = hypothesis.frames.map { state in state.map { Double($0 * frameStride) * frameShift / 1000 } }
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
