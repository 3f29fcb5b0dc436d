import Options
import TensorCore

/// The model families, as a recipe names them under `train.model.kind`. Adding a family adds a case
/// here and its configuration type below; nothing else outside the family's folder changes.
public enum ModelKind: String, Codable, Sendable, CaseIterable {
    /// Encoder-decoder with softmax, monotonic or chunkwise attention (`AttentionModel`).
    case attention
    /// Encoder and a linear layer to phones + blank, trained by CTC (`CTCModel`).
    case ctc
    /// The subsampling mechanism of Raffel & Lawson (2017), trained in expectation (`SubsamplingModel`).
    case subsampling
    /// Hard emit/ingest alignments trained with REINFORCE, NVIL or VIMCO (`HardAlignmentModel`).
    case hardAlignment
    /// A framewise phone classifier over spliced frames, trainable without weight transport (`FrameClassifierModel`).
    case frameClassifier

    /// The family's configuration type.
    public var configurationType: any ModelFamilyConfig.Type {
        switch self {
        case .attention: AttentionModelConfig.self
        case .ctc: CTCModelConfig.self
        case .subsampling: SubsamplingModelConfig.self
        case .hardAlignment: HardAlignmentConfig.self
        case .frameClassifier: FrameClassifierConfig.self
        }
    }
}

/// What every family's configuration provides: its kind, defaults for every field, validation and
/// the model it describes.
public protocol ModelFamilyConfig: DefaultedOptions, Sendable, Equatable {
    /// The family.
    static var kind: ModelKind { get }
    /// The family's defaults.
    init()
    /// A few words naming the model for logs (`monotonic attention`).
    var summary: String { get }
    /// Checks every field, naming the first one out of range.
    func validate() throws
    /// A freshly initialised model, all random draws from `seed`, matrices uniform on ±initScale.
    func makeModel(seed: UInt64, initScale: Float) throws -> any RecognitionModel
    /// The same configuration for `inputSize` features per frame and `labelCount` phones.
    func fitted(inputSize: Int, labelCount: Int) -> Self
}

/// The configuration of a model of any family: its `kind` and that family's own fields, saved as one
/// flat JSON object (`{"kind": "attention", "encoder": …, "decoder": …, "attention": …}`) beside the
/// weights and written the same way in recipes. A missing `kind` reads as `attention`, the only family
/// of checkpoints written before families had names.
public struct ModelConfig: DefaultedOptions, Sendable, Equatable {
    /// The family's own configuration.
    public let family: any ModelFamilyConfig

    /// The configuration of `family`.
    public init(_ family: any ModelFamilyConfig) { self.family = family }

    /// The default family (`attention`) at its defaults.
    public init() { self = .defaults(for: .attention) }

    /// The family's default configuration.
    public static func defaults(for kind: ModelKind) -> ModelConfig { ModelConfig(kind.configurationType.init()) }

    /// The family.
    public var kind: ModelKind { type(of: family).kind }

    /// The family's configuration as `type`, nil for another family.
    public func family<Family: ModelFamilyConfig>(as type: Family.Type) -> Family? { family as? Family }

    /// A freshly initialised model of this configuration, all random draws from `seed`.
    public func makeModel(seed: UInt64 = 1, initScale: Float = 0.075) throws -> any RecognitionModel {
        try family.makeModel(seed: seed, initScale: initScale)
    }

    /// Checks every field, naming the first one out of range.
    public func validate() throws { try family.validate() }

    /// The same configuration for `inputSize` features per frame and `labelCount` phones.
    public func fitted(inputSize: Int, labelCount: Int) -> ModelConfig {
        ModelConfig(family.fitted(inputSize: inputSize, labelCount: labelCount))
    }

    /// Same family and same fields.
    public static func == (lhs: ModelConfig, rhs: ModelConfig) -> Bool { lhs.family.isEqual(to: rhs.family) }

    private enum CodingKeys: String, CodingKey { case kind }

    /// Reads `kind` (default `attention`), then the family's fields from the same object over that
    /// family's defaults.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let name = try container.decodeIfPresent(String.self, forKey: .kind) ?? ModelKind.attention.rawValue
        guard let kind = ModelKind(rawValue: name) else {
            let known = ModelKind.allCases.map(\.rawValue).joined(separator: ", ")
            throw DecodingError.dataCorruptedError(forKey: .kind, in: container,
                                                   debugDescription: "unknown model family '\(name)' (this asr knows: \(known))")
        }
        family = try Self.family(kind.configurationType, from: decoder)
    }

    private static func family<Family: ModelFamilyConfig>(_ type: Family.Type, from decoder: any Decoder) throws -> Family {
        try OptionsJSON.decode(type, from: decoder, defaults: Family())
    }

    /// Writes `kind` and the family's fields into one object.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try family.encode(to: encoder)
    }
}

extension ModelConfig: KindSelectedOptions {
    /// The family's name: JSON naming another family is not merged over this one's fields.
    public var selectedKind: String { kind.rawValue }
}

extension ModelFamilyConfig {
    /// Whether `other` is a configuration of the same family with the same fields.
    func isEqual(to other: any ModelFamilyConfig) -> Bool { (other as? Self) == self }
}
