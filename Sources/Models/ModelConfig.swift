import TensorCore

/// The model families, as a recipe names them under `train.model.kind`.
public enum ModelKind: String, Codable, Sendable, CaseIterable {
    /// Encoder-decoder with softmax, monotonic or chunkwise attention (`AttentionModel`).
    case attention
}

/// The configuration of a model of any family: its `kind` and that family's own fields, saved as one
/// flat JSON object (`{"kind": "attention", "encoder": …, "decoder": …, "attention": …}`) beside the
/// weights and written the same way in recipes. A missing `kind` reads as `attention`, the only family
/// of checkpoints written before families had names.
public enum ModelConfig: Codable, Sendable, Equatable {
    /// An attention encoder-decoder.
    case attention(AttentionModelConfig)

    /// The family's default configuration.
    public static func defaults(for kind: ModelKind) -> ModelConfig {
        switch kind {
        case .attention: .attention(AttentionModelConfig())
        }
    }

    /// The family.
    public var kind: ModelKind {
        switch self {
        case .attention: .attention
        }
    }

    /// The family's own configuration.
    public var family: any ModelFamilyConfig {
        switch self {
        case .attention(let config): config
        }
    }

    /// A freshly initialised model of this configuration, all random draws from `seed`.
    public func makeModel(seed: UInt64 = 1, initScale: Float = 0.075) throws -> any RecognitionModel {
        try family.makeModel(seed: seed, initScale: initScale)
    }

    /// Checks every field, naming the first one out of range.
    public func validate() throws { try family.validate() }

    /// The same configuration for `inputSize` features per frame and `labelCount` phones.
    public func fitted(inputSize: Int, labelCount: Int) -> ModelConfig {
        family.fitted(inputSize: inputSize, labelCount: labelCount)
    }

    private enum CodingKeys: String, CodingKey { case kind }

    /// Reads `kind` (default `attention`), then the family's fields from the same object.
    public init(from decoder: any Decoder) throws {
        let kind = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(ModelKind.self, forKey: .kind) ?? .attention
        switch kind {
        case .attention: self = .attention(try AttentionModelConfig(from: decoder))
        }
    }

    /// Writes `kind` and the family's fields into one object.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try family.encode(to: encoder)
    }
}

/// What every family's configuration provides.
public protocol ModelFamilyConfig: Codable, Sendable {
    /// A few words naming the model for logs (`monotonic attention`).
    var summary: String { get }
    /// Checks every field, naming the first one out of range.
    func validate() throws
    /// A freshly initialised model, all random draws from `seed`, matrices uniform on ±initScale.
    func makeModel(seed: UInt64, initScale: Float) throws -> any RecognitionModel
    /// The same configuration for `inputSize` features per frame and `labelCount` phones.
    func fitted(inputSize: Int, labelCount: Int) -> ModelConfig
}
