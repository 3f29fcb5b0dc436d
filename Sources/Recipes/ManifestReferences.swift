import Corpus
import Foundation
import Scoring

/// Joins Corpus to Scoring: reference transcripts straight from a manifest, and the TIMIT folds.
public enum ManifestReferences {
    /// One reference utterance per manifest entry: its 61-phone labels in time order, its speaker.
    public static func utterances(_ entries: [ManifestEntry], table: TokenTable) -> [Utterance] {
        entries.map { Utterance(id: $0.id, speaker: $0.speaker, tokens: table.ids($0.phones.map(\.label))) }
    }

    /// Reads the manifest at `url` (validated by `Manifest.read`) into reference utterances.
    public static func read(from url: URL, table: TokenTable) throws -> [Utterance] {
        utterances(try Manifest.read(from: url), table: table)
    }

    /// The TIMIT fold `fold` as Scoring's token map, built by Corpus' `PhoneMap.timit` (`q` deleted);
    /// nil for `.none`. Folding to 39 accepts 61- and 48-phone input alike; folding to 48 maps the 61 phones.
    public static func timitFold(_ fold: PhoneFold) throws -> TokenMap? {
        switch fold {
        case .none: return nil
        case .timit48: return TokenMap(targets: PhoneMap.timit.foldingTable(to: .training48, accepting: [.timit61]))
        case .timit39: return TokenMap(targets: PhoneMap.timit.foldingTable(to: .scoring39, accepting: [.timit61, .training48]))
        }
    }
}

/// Which TIMIT fold `asr score` applies to both sides before aligning.
public enum PhoneFold: String, Codable, Sendable, Equatable, CaseIterable {
    /// No folding: tokens are compared as written.
    case none
    /// 61 (or 48) phones → the 39 scoring classes (Lee & Hon 1989), `q` deleted.
    case timit39 = "39"
    /// 61 phones → the 48 training phones, `q` deleted.
    case timit48 = "48"
}
