import Yams

/// A recipe's YAML tree with the source location of every value, so that errors can point at it.
public indirect enum RecipeNode: Sendable, Equatable {
    /// A scalar: its text, whether it was quoted (then always a string), and where it is.
    case scalar(String, quoted: Bool, SourceLocation)
    /// A mapping: keys in file order with their locations and values.
    case mapping([(key: String, keyLocation: SourceLocation, value: RecipeNode)], SourceLocation)
    /// A sequence.
    case sequence([RecipeNode], SourceLocation)

    /// Where the value starts.
    public var location: SourceLocation {
        switch self {
        case let .scalar(_, _, location), let .mapping(_, location), let .sequence(_, location): location
        }
    }

    /// What kind of value this is, for error messages (`a mapping`, `the word 'fast'`).
    public var kindDescription: String {
        switch self {
        case let .scalar(text, _, _): "'\(text)'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        }
    }

    /// The most values (scalars, mappings, lists) a recipe may expand to: YAML aliases repeat what they
    /// name, so a few hundred bytes of nested aliases could otherwise expand to billions of values.
    public static let maximumValues = 100_000

    /// Parses YAML text; `file` names it in locations. A text that expands (through aliases) to more than
    /// `maximumValues` values is refused.
    public static func parse(_ text: String, file: String) throws -> RecipeNode {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw RecipeError.syntax(file: file, message: "\(error)".split(separator: "\n").joined(separator: " "))
        }
        guard let root else { return .mapping([], SourceLocation(file: file, line: 1, column: 1)) }
        var budget = maximumValues
        return try convert(root, file: file, budget: &budget)
    }

    private static func convert(_ node: Node, file: String, budget: inout Int) throws -> RecipeNode {
        let location = SourceLocation(file: file, line: node.mark?.line, column: node.mark?.column)
        budget -= 1
        guard budget >= 0 else {
            throw RecipeError.tooLarge(file: file, what: "expands to more than \(maximumValues) values (nested YAML aliases?)")
        }
        switch node {
        case let .scalar(scalar):
            return .scalar(scalar.string, quoted: scalar.style == .singleQuoted || scalar.style == .doubleQuoted, location)
        case let .mapping(mapping):
            var pairs: [(key: String, keyLocation: SourceLocation, value: RecipeNode)] = []
            for (key, value) in mapping {
                let keyLocation = SourceLocation(file: file, line: key.mark?.line, column: key.mark?.column)
                guard case let .scalar(name) = key else {
                    throw RecipeError.wrongType(keyLocation, key: "key", expected: "a plain word", found: "a structured key")
                }
                pairs.append((name.string, keyLocation, try convert(value, file: file, budget: &budget)))
            }
            return .mapping(pairs, location)
        case let .sequence(sequence):
            var items: [RecipeNode] = []
            for item in sequence { items.append(try convert(item, file: file, budget: &budget)) }
            return .sequence(items, location)
        case let .alias(alias):
            throw RecipeError.invalidValue(location, key: "alias", message: "YAML aliases (*\(alias.anchor)) are not supported")
        }
    }

    /// Sets `path` (`train.epochs`) to the YAML value `text`, creating mappings on the way; the new
    /// value's location is the override itself.
    public func setting(_ path: [String], to text: String, override: String) throws -> RecipeNode {
        let location = SourceLocation(file: "", line: nil, column: nil, override: override)
        guard let first = path.first else {
            let parsed = try RecipeNode.parse(text, file: "--set")
            return parsed.relocated(to: location)
        }
        guard case .mapping(var pairs, let own) = self else {
            throw RecipeError.wrongType(location, key: first, expected: "inside a mapping", found: kindDescription)
        }
        if let index = pairs.firstIndex(where: { $0.key == first }) {
            pairs[index].value = try pairs[index].value.setting(Array(path.dropFirst()), to: text, override: override)
        } else {
            let empty = RecipeNode.mapping([], location)
            pairs.append((first, location, try empty.setting(Array(path.dropFirst()), to: text, override: override)))
        }
        return .mapping(pairs, own)
    }

    /// The same tree with every location replaced by `location`.
    func relocated(to location: SourceLocation) -> RecipeNode {
        switch self {
        case let .scalar(text, quoted, _): .scalar(text, quoted: quoted, location)
        case let .sequence(items, _): .sequence(items.map { $0.relocated(to: location) }, location)
        case let .mapping(pairs, _):
            .mapping(pairs.map { ($0.key, location, $0.value.relocated(to: location)) }, location)
        }
    }

    /// The value at `key` of a mapping.
    public subscript(key: String) -> RecipeNode? {
        guard case let .mapping(pairs, _) = self else { return nil }
        return pairs.first { $0.key == key }?.value
    }

    /// Equality of the values (locations included).
    public static func == (lhs: RecipeNode, rhs: RecipeNode) -> Bool {
        switch (lhs, rhs) {
        case let (.scalar(a, qa, la), .scalar(b, qb, lb)): a == b && qa == qb && la == lb
        case let (.sequence(a, la), .sequence(b, lb)): a == b && la == lb
        case let (.mapping(a, la), .mapping(b, lb)):
            la == lb && a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }
}
