import Models

/// A recipe value whose `kind` key selects the shape of the rest of its mapping (the model families:
/// `train.model.kind: attention` takes the attention model's fields).
protocol RecipeKindSelection {
    /// The allowed kinds.
    static var recipeKinds: [String] { get }
    /// This value's kind.
    var recipeKind: String { get }
    /// The default fields of `kind` (a typed sample for the decoder), nil for an unknown kind.
    static func recipeFields(kind: String) -> Any?
}

extension ModelConfig: RecipeKindSelection {
    static var recipeKinds: [String] { ModelKind.allCases.map(\.rawValue) }
    var recipeKind: String { kind.rawValue }
    static func recipeFields(kind: String) -> Any? { ModelKind(rawValue: kind).map { $0.configurationType.init() } }
}

extension OptionsDecoder {
    /// The JSON object of a kind-selected mapping: `kind` (default the sample's) and the fields of that
    /// kind, checked against its defaults.
    static func convertSelected(_ node: RecipeNode, like sample: any RecipeKindSelection, key: String,
                                section: String) throws -> [String: Any] {
        guard case let .mapping(pairs, location) = node else {
            throw RecipeError.wrongType(node.location, key: key, expected: "a mapping", found: node.kindDescription)
        }
        var kind = sample.recipeKind
        let kinds = type(of: sample).recipeKinds
        if let pair = pairs.first(where: { $0.key == "kind" }) {
            guard case let .scalar(text, _, _) = pair.value, kinds.contains(text) else {
                throw RecipeError.wrongType(pair.value.location, key: "\(key).kind",
                                            expected: "one of " + kinds.joined(separator: ", "),
                                            found: pair.value.kindDescription)
            }
            kind = text
        }
        guard let fields = type(of: sample).recipeFields(kind: kind) else {
            throw RecipeError.invalidValue(location, key: "\(key).kind", message: "unknown kind '\(kind)'")
        }
        let rest = RecipeNode.mapping(pairs.filter { $0.key != "kind" }, location)
        var object = (try convert(rest, like: fields, key: key, section: section) as? [String: Any]) ?? [:]
        object["kind"] = kind
        return object
    }
}
