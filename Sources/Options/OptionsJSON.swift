import Foundation

/// The one way option structs are read from JSON: the keys present are merged over the JSON of the
/// defaults, recursively (a nested options struct keeps the defaults of the fields it leaves out, even
/// where its own default is nil), and the result is decoded with the type's synthesized `Decodable`.
///
/// JSON objects merge key by key; any other value (number, string, list, `null`) replaces the default.
/// A nested field's default is found by its property name, which synthesized coding keys match; a
/// dictionary-valued field would merge too, so options structs keep dictionaries out of their fields.
public enum OptionsJSON {
    /// `data` (JSON) decoded over `T()`.
    public static func decode<T: DefaultedOptions>(_ type: T.Type, from data: Data,
                                                   using decoder: JSONDecoder = JSONDecoder()) throws -> T {
        try decode(type, from: data, defaults: T(), using: decoder)
    }

    /// `data` (JSON) decoded over `defaults`.
    public static func decode<T: Codable>(_ type: T.Type, from data: Data, defaults: T,
                                          using decoder: JSONDecoder = JSONDecoder()) throws -> T {
        let present = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        return try decode(type, fromJSONObject: present, defaults: defaults, using: decoder)
    }

    /// `present` (a JSON value as `JSONSerialization` makes them: `[String: Any]`, `[Any]`, `String`,
    /// `NSNumber`, `NSNull`) decoded over `defaults`.
    public static func decode<T: Codable>(_ type: T.Type, fromJSONObject present: Any, defaults: T,
                                          using decoder: JSONDecoder = JSONDecoder()) throws -> T {
        let merged = try merge(present, over: defaults)
        let data = try JSONSerialization.data(withJSONObject: merged, options: [.fragmentsAllowed])
        return try decoder.decode(T.self, from: data)
    }

    /// `present` merged over the JSON of `defaults`: objects key by key (recursively, with each field's
    /// own default value as the next `defaults`), anything else replaced.
    public static func merge(_ present: Any, over defaults: any Encodable) throws -> Any {
        guard let fields = present as? [String: Any] else { return present }
        if let selected = defaults as? any KindSelectedOptions, let kind = fields["kind"] as? String, kind != selected.selectedKind {
            return present   // another variant: these defaults' fields are not its fields
        }
        guard var merged = try jsonValue(of: defaults) as? [String: Any] else { return present }
        var children: [String: Any] = [:]
        for child in Mirror(reflecting: defaults).children {
            if let label = child.label { children[label] = child.value }
        }
        for (key, value) in fields {
            if value is [String: Any], let sample = children[key].flatMap(defaultsValue) {
                merged[key] = try merge(value, over: sample)
            } else {
                merged[key] = value
            }
        }
        return merged
    }

    /// The JSON value (`JSONSerialization`'s types) that `value` encodes to.
    public static func jsonValue(of value: any Encodable) throws -> Any {
        let data = try JSONEncoder().encode(value)
        return try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    }

    /// The default a nested JSON object is merged over: the field's value, unwrapped if it is an
    /// optional holding one, or the wrapped type's defaults for a nil optional options struct.
    private static func defaultsValue(_ field: Any) -> (any Encodable)? {
        let mirror = Mirror(reflecting: field)
        if mirror.displayStyle == .optional {
            if let wrapped = mirror.children.first?.value { return defaultsValue(wrapped) }
            return (type(of: field) as? any OptionalOptionsDefaults.Type)?.wrappedDefaults
        }
        return field as? any Encodable
    }
}

/// An options value that is one of several variants named by its `kind` key (the model families): JSON
/// naming another kind is not merged over this value's fields, which belong to a different variant (the
/// variant's own type supplies its defaults when it decodes).
public protocol KindSelectedOptions {
    /// The `kind` whose fields this value holds.
    var selectedKind: String { get }
}

extension OptionsJSON {
    /// The value `decoder` is at, decoded over `defaults`: for a type that picks its fields' type at run
    /// time (a tagged union such as the model families) and so cannot be merged from outside.
    public static func decode<T: Codable>(_ type: T.Type, from decoder: any Decoder, defaults: T) throws -> T {
        try decode(type, fromJSONObject: try JSONTree(from: decoder).object, defaults: defaults)
    }
}

/// Any JSON value read through a `Decoder`, kept as `JSONSerialization`'s types.
private struct JSONTree: Decodable {
    /// The value: `[String: Any]`, `[Any]`, `String`, `NSNumber` or `NSNull`.
    let object: Any

    private struct Key: CodingKey {
        let stringValue: String
        init(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        if let keyed = try? decoder.container(keyedBy: Key.self) {
            var fields: [String: Any] = [:]
            for key in keyed.allKeys { fields[key.stringValue] = try keyed.decode(JSONTree.self, forKey: key).object }
            object = fields
        } else if var list = try? decoder.unkeyedContainer() {
            var items: [Any] = []
            while !list.isAtEnd { items.append(try list.decode(JSONTree.self).object) }
            object = items
        } else {
            let single = try decoder.singleValueContainer()
            if single.decodeNil() {
                object = NSNull()
            } else if let flag = try? single.decode(Bool.self) {
                object = NSNumber(value: flag)
            } else if let integer = try? single.decode(Int64.self) {
                object = NSNumber(value: integer)
            } else if let number = try? single.decode(Double.self) {
                object = NSNumber(value: number)
            } else {
                object = try single.decode(String.self)
            }
        }
    }
}

extension DecodingError {
    /// One line: the key path of the value at fault and what is wrong with it (`model.kind: unknown …`).
    public var summary: String {
        let context: Context
        switch self {
        case let .typeMismatch(_, c), let .valueNotFound(_, c), let .keyNotFound(_, c), let .dataCorrupted(c): context = c
        @unknown default: return "\(self)"
        }
        let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
    }
}
