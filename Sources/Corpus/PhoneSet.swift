/// An ordered set of phone symbols (the order is the symbol index used by models and reports).
public struct PhoneSet: Sendable, Equatable {
    /// Short name, e.g. `timit61`.
    public let name: String
    /// The symbols in index order.
    public let phones: [String]
    private let indexOf: [String: Int]

    /// A set named `name` holding `phones` in that order; duplicates keep their first position.
    public init(name: String, phones: [String]) {
        var seen: [String: Int] = [:]
        var unique: [String] = []
        for phone in phones where seen[phone] == nil {
            seen[phone] = unique.count
            unique.append(phone)
        }
        self.name = name
        self.phones = unique
        self.indexOf = seen
    }

    /// Number of symbols.
    public var count: Int { phones.count }

    /// True when `phone` belongs to the set.
    public func contains(_ phone: String) -> Bool { indexOf[phone] != nil }

    /// The 0-based index of `phone`, or nil.
    public func index(of phone: String) -> Int? { indexOf[phone] }

    /// The 61 TIMIT phones (`phoncode.doc`, including `q`), in the map file's order.
    public static let timit61 = PhoneSet(name: "timit61", phones: PhoneMap.timit.sourcePhones)
    /// The 48 training phones of Lee & Hon (1989), sorted.
    public static let training48 = PhoneSet(name: "training48", phones: PhoneMap.timit.targets(.training48))
    /// The 39 scoring classes of Lee & Hon (1989), sorted.
    public static let scoring39 = PhoneSet(name: "scoring39", phones: PhoneMap.timit.targets(.scoring39))
}
