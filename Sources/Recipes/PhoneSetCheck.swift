import Corpus
import Scoring

/// Which TIMIT phone set each side of a scoring run uses, to warn when references and hypotheses are
/// compared in different sets (61 TIMIT phones against the 39 classes of a decoder scores 30% where the
/// folded comparison gives 23%).
enum PhoneSetCheck {
    /// The smallest of the 39 scoring classes, the 48 training phones and the 61 TIMIT phones holding
    /// every token, or nil when none does (not TIMIT phones).
    static func phoneSet(of tokens: Set<String>) -> PhoneSet? {
        [PhoneSet.scoring39, .training48, .timit61].first { set in tokens.allSatisfy(set.contains) }
    }

    /// A one-line warning when the token types of the references and of the hypotheses (after `map`) fall
    /// in different TIMIT phone sets; nil when they agree, or when either side is not TIMIT phones.
    static func mismatch(references: [Utterance], hypotheses: [Utterance], table: TokenTable, map: TokenMap?,
                         fold: PhoneFold?) -> String? {
        func types(_ utterances: [Utterance]) -> Set<String> {
            var ids = Set<Int32>()
            for utterance in utterances { ids.formUnion(utterance.tokens) }
            let tokens = ids.map { table.token($0) }
            return Set(map?.apply(tokens) ?? tokens)
        }
        let (referenceTypes, hypothesisTypes) = (types(references), types(hypotheses))
        guard !referenceTypes.isEmpty, !hypothesisTypes.isEmpty,
              let referenceSet = phoneSet(of: referenceTypes), let hypothesisSet = phoneSet(of: hypothesisTypes),
              referenceSet != hypothesisSet else { return nil }
        let names = ["scoring39": "the 39 scoring classes", "training48": "the 48 training phones", "timit61": "the 61 TIMIT phones"]
        let advice = fold == .timit39 ? "" : "; score them folded with --fold 39"
        return "warning: the references use \(names[referenceSet.name]!) and the hypotheses \(names[hypothesisSet.name]!)"
            + " (\(fold.map { $0 == .none ? "not folded" : "after --fold \($0.rawValue)" } ?? "after --map"))\(advice)"
    }
}
