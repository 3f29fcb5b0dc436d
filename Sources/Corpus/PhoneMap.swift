/// The phone inventories a TIMIT phone can be folded to.
public enum PhoneLevel: String, Codable, Sendable, Equatable, CaseIterable {
    /// The 61 TIMIT phones (no folding).
    case timit61
    /// The 48 training phones.
    case training48
    /// The 39 scoring classes.
    case scoring39
}

/// The 61 → 48 → 39 TIMIT phone map (Kaldi's `phones.60-48-39.map`); `q` maps to nothing (deleted).
public struct PhoneMap: Sendable, Equatable {
    /// The phones of the first column, in file order.
    public let sourcePhones: [String]
    /// phone → its 48-phone and 39-class targets (both nil for a deleted phone).
    private let targets: [String: Targets]

    /// The folded symbols of one phone; nil when the map deletes it.
    private struct Targets: Sendable, Equatable {
        var training48: String?
        var scoring39: String?
    }

    /// Parses map text: one phone per line, `phone61 phone48 phone39` (whitespace-separated) or a lone
    /// `phone61`, which is deleted when folding. Blank lines are skipped; `source` names the text in errors.
    public init(parsing text: String, source: String = "phone map") throws(CorpusError) {
        var order: [String] = []
        var table: [String: Targets] = [:]
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
            if fields.isEmpty { continue }
            guard fields.count == 1 || fields.count == 3 else {
                throw .badList(path: source, line: index + 1,
                               reason: "expected `phone61 phone48 phone39` or a lone phone, found \(fields.count) fields")
            }
            guard table[fields[0]] == nil else {
                throw .badList(path: source, line: index + 1, reason: "phone \(fields[0]) mapped twice")
            }
            order.append(fields[0])
            table[fields[0]] = fields.count == 3 ? Targets(training48: fields[1], scoring39: fields[2]) : Targets()
        }
        sourcePhones = order
        targets = table
    }

    /// The map of data-manifests/timit/phones.61-48-39.map (embedded).
    public static let timit: PhoneMap = {
        do { return try PhoneMap(parsing: timitMapText, source: "phones.61-48-39.map") } catch {
            fatalError("embedded TIMIT phone map does not parse: \(error)")
        }
    }()

    /// The raw text of data-manifests/timit/phones.61-48-39.map (61 tab-separated lines).
    public static let timitMapText: String = TimitData.phoneMapText

    /// True when `phone` is in the first column.
    public func contains(_ phone: String) -> Bool { targets[phone] != nil }

    /// `phone` at `level`: itself for `.timit61`, nil when the map deletes it (`q`) at a folded level.
    /// Throws when `phone` is not in the map.
    public func map(_ phone: String, to level: PhoneLevel) throws(CorpusError) -> String? {
        guard let entry = targets[phone] else {
            throw .invalidOption(field: "phone", message: "\(phone) is not one of the map's \(sourcePhones.count) phones")
        }
        switch level {
        case .timit61: return phone
        case .training48: return entry.training48
        case .scoring39: return entry.scoring39
        }
    }

    /// `phones` folded to `level`, deleted phones dropped (`h# q iy` → `sil iy` at 39).
    public func fold(_ phones: [String], to level: PhoneLevel) throws(CorpusError) -> [String] {
        var folded: [String] = []
        folded.reserveCapacity(phones.count)
        for phone in phones {
            if let target = try map(phone, to: level) { folded.append(target) }
        }
        return folded
    }

    /// The distinct symbols of `level`, sorted (the first column, in file order, for `.timit61`).
    public func targets(_ level: PhoneLevel) -> [String] {
        switch level {
        case .timit61: return sourcePhones
        case .training48: return Set(targets.values.compactMap(\.training48)).sorted()
        case .scoring39: return Set(targets.values.compactMap(\.scoring39)).sorted()
        }
    }
}
