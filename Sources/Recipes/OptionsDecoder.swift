import Foundation

/// Decodes a recipe section into a component's options struct.
///
/// The struct's default value is the schema: its stored properties (by reflection) are the allowed keys
/// and their values give each key's type; fields the recipe leaves out keep their defaults. Unknown keys,
/// values of the wrong type, enum words outside their set and `validate()` failures become
/// `RecipeError`s naming the file, line and column.
public enum OptionsDecoder {
    /// `node` (a mapping, or nil for "all defaults") decoded over `defaults`, then `validate`d.
    public static func decode<T: Codable>(_ node: RecipeNode?, defaults: T, section: String,
                                          validate: (T) throws -> Void = { _ in }) throws -> T {
        guard let node else {
            try validate(defaults)
            return defaults
        }
        let json = try convert(node, like: defaults, key: section, section: section)
        let value: T
        do {
            let data = try JSONSerialization.data(withJSONObject: json, options: [.fragmentsAllowed])
            value = try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw describe(error, in: node, section: section)
        }
        do {
            try validate(value)
        } catch {
            let message = "\(error)"
            let (key, location) = blame(message, in: node, section: section)
            throw RecipeError.invalidValue(location, key: key, message: message)
        }
        return value
    }

    /// The JSON value (`Bool`, `NSNumber`, `String`, `[Any]`, `[String: Any]`, `NSNull`) that `node`
    /// stands for, typed after `sample`.
    static func convert(_ node: RecipeNode, like sample: Any, key: String, section: String) throws -> Any {
        let mirror = Mirror(reflecting: sample)
        if mirror.displayStyle == .optional {
            if case let .scalar(text, quoted, _) = node, !quoted, ["null", "~", ""].contains(text) { return NSNull() }
            if let wrapped = mirror.children.first?.value {
                return try convert(node, like: wrapped, key: key, section: section)
            }
            if let provider = type(of: sample) as? any OptionalSampleProviding.Type {
                return try convert(node, like: provider.wrappedSample, key: key, section: section)
            }
            return try untyped(node, typeName: "\(type(of: sample))", key: key)
        }
        if let selection = sample as? any RecipeKindSelection {
            return try convertSelected(node, like: selection, key: key, section: section)
        }
        switch sample {
        case is Bool:
            let text = try scalar(node, key: key, expected: "true or false")
            switch text {
            case "true", "yes", "on": return true
            case "false", "no", "off": return false
            default: throw RecipeError.wrongType(node.location, key: key, expected: "true or false", found: "'\(text)'")
            }
        case is Int, is Int32, is Int64, is Int16, is Int8:
            let text = try scalar(node, key: key, expected: "an integer")
            guard let value = Int64(text) else {
                throw RecipeError.wrongType(node.location, key: key, expected: "an integer", found: "'\(text)'")
            }
            return NSNumber(value: value)
        case is UInt, is UInt64, is UInt32, is UInt16, is UInt8:
            let text = try scalar(node, key: key, expected: "a non-negative integer")
            guard let value = UInt64(text) else {
                throw RecipeError.wrongType(node.location, key: key, expected: "a non-negative integer", found: "'\(text)'")
            }
            return NSNumber(value: value)
        case is Double, is Float:
            let text = try scalar(node, key: key, expected: "a number")
            guard let value = Double(text), value.isFinite else {
                throw RecipeError.wrongType(node.location, key: key, expected: "a number", found: "'\(text)'")
            }
            return NSNumber(value: value)
        case is String:
            return try scalar(node, key: key, expected: "a string")
        case let choice as any RecipeChoice:
            let choices = type(of: choice).recipeChoices
            let expected = "one of " + choices.joined(separator: ", ")
            let text = try scalar(node, key: key, expected: expected)
            guard choices.contains(text) else {
                throw RecipeError.wrongType(node.location, key: key, expected: expected, found: "'\(text)'")
            }
            return text
        default:
            break
        }
        switch mirror.displayStyle {
        case .collection?, .set?:
            guard case let .sequence(items, _) = node else {
                throw RecipeError.wrongType(node.location, key: key, expected: "a list", found: node.kindDescription)
            }
            let element = mirror.children.first?.value
            return try items.enumerated().map { index, item in
                let itemKey = "\(key)[\(index)]"
                if let element { return try convert(item, like: element, key: itemKey, section: section) }
                return try untyped(item, typeName: "\(type(of: sample))", key: itemKey)
            }
        case .struct?:
            guard case let .mapping(pairs, _) = node else {
                throw RecipeError.wrongType(node.location, key: key, expected: "a mapping", found: node.kindDescription)
            }
            var fields: [String: Any] = [:]
            if let encodable = sample as? any Encodable {
                fields = (try? encodedObject(encodable)) ?? [:]
            }
            var children: [String: Any] = [:]
            for child in mirror.children { if let label = child.label { children[label] = child.value } }
            let allowed = Set(children.keys).union(fields.keys).sorted()
            for pair in pairs {
                guard allowed.contains(pair.key) else {
                    throw RecipeError.unknownKey(pair.keyLocation, key: pair.key, section: key, allowed: allowed)
                }
                let path = "\(key).\(pair.key)"
                if let child = children[pair.key] {
                    fields[pair.key] = try convert(pair.value, like: child, key: path, section: section)
                } else {
                    fields[pair.key] = try untyped(pair.value, typeName: "value", key: path)
                }
            }
            return fields
        default:
            return try untyped(node, typeName: "\(type(of: sample))", key: key)
        }
    }

    /// A value without a typed sample: YAML's own resolution of plain scalars.
    static func untyped(_ node: RecipeNode, typeName: String, key: String) throws -> Any {
        switch node {
        case let .scalar(text, quoted, _):
            if quoted { return text }
            if text == "true" { return true }
            if text == "false" { return false }
            if ["null", "~"].contains(text) { return NSNull() }
            if let integer = Int64(text) { return NSNumber(value: integer) }
            if let number = Double(text) { return NSNumber(value: number) }
            return text
        case let .sequence(items, _):
            return try items.enumerated().map { try untyped($0.element, typeName: typeName, key: "\(key)[\($0.offset)]") }
        case let .mapping(pairs, _):
            var fields: [String: Any] = [:]
            for pair in pairs { fields[pair.key] = try untyped(pair.value, typeName: typeName, key: "\(key).\(pair.key)") }
            return fields
        }
    }

    private static func scalar(_ node: RecipeNode, key: String, expected: String) throws -> String {
        guard case let .scalar(text, _, _) = node else {
            throw RecipeError.wrongType(node.location, key: key, expected: expected, found: node.kindDescription)
        }
        return text
    }

    /// The JSON object an encodable value encodes to.
    static func encodedObject<E: Encodable>(_ value: E) throws -> [String: Any] {
        let data = try JSONEncoder().encode(value)
        return (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }

    /// A decoding failure located at the node its coding path names.
    private static func describe(_ error: DecodingError, in node: RecipeNode, section: String) -> RecipeError {
        let context: DecodingError.Context
        switch error {
        case let .typeMismatch(_, c), let .valueNotFound(_, c), let .keyNotFound(_, c), let .dataCorrupted(c): context = c
        @unknown default: return .invalidValue(node.location, key: section, message: "\(error)")
        }
        var current = node
        var key = section
        for component in context.codingPath {
            if let index = component.intValue, case let .sequence(items, _) = current, items.indices.contains(index) {
                current = items[index]
                key += "[\(index)]"
            } else if let next = current[component.stringValue] {
                current = next
                key += "." + component.stringValue
            }
        }
        return .invalidValue(current.location, key: key, message: context.debugDescription)
    }

    /// The key a validation message is about (the longest key of the section it mentions), and its location.
    private static func blame(_ message: String, in node: RecipeNode, section: String) -> (String, SourceLocation) {
        var best: (String, SourceLocation)? = nil
        func visit(_ node: RecipeNode, path: String) {
            guard case let .mapping(pairs, _) = node else { return }
            for pair in pairs {
                let kebab = pair.key.replacing(/[A-Z]/) { "-" + $0.output.lowercased() }
                if message.contains(pair.key) || message.contains(kebab),
                   pair.key.count > (best?.0.split(separator: ".").last?.count ?? 0) {
                    best = ("\(path).\(pair.key)", pair.value.location)
                }
                visit(pair.value, path: "\(path).\(pair.key)")
            }
        }
        visit(node, path: section)
        return best ?? (section, node.location)
    }
}
