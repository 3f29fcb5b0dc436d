/// The phone inventories a TIMIT phone can be folded to.
public enum PhoneLevel: String, Codable, Sendable, Equatable, CaseIterable {
    /// The 61 TIMIT phones (no folding).
    case timit61
    /// The 48 training phones.
    case training48
    /// The 39 scoring classes.
    case scoring39

    /// True when phones of `self` can be folded to `target` (the same level or a coarser one).
    public func folds(to target: PhoneLevel) -> Bool {
        PhoneLevel.allCases.firstIndex(of: self)! <= PhoneLevel.allCases.firstIndex(of: target)!
    }
}

/// The 61 → 48 → 39 TIMIT phone map (Kaldi's `phones.60-48-39.map`); `q` maps to nothing (deleted).
public struct PhoneMap: Sendable, Equatable {
    /// The phones of the first column, in file order.
    public let sourcePhones: [String]
    /// phone → its 48-phone and 39-class targets (both nil for a deleted phone).
    private let targets: [String: Targets]
    /// A 48-phone symbol → the first 61 phone (in file order) that folds to it, standing for it when folding on.
    private let training48Rows: [String: String]

    /// The folded symbols of one phone; nil when the map deletes it.
    private struct Targets: Sendable, Equatable {
        var training48: String?
        var scoring39: String?
    }

    /// Parses map text: one phone per line, `phone61 phone48 phone39` (whitespace-separated) or a lone
    /// `phone61`, which is deleted when folding. Blank lines are skipped; `source` names the text in errors.
    /// A 48 phone must fold to one 39 class wherever it appears.
    public init(parsing text: String, source: String = "phone map") throws(CorpusError) {
        var order: [String] = []
        var table: [String: Targets] = [:]
        var rows48: [String: String] = [:]
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
            if fields.count == 3, let row = rows48[fields[1]], table[row]?.scoring39 != fields[2] {
                throw .badList(path: source, line: index + 1, reason: "48-phone \(fields[1]) folds to \(fields[2]) here "
                               + "but to \(table[row]?.scoring39 ?? "nothing") on the line of \(row)")
            }
            order.append(fields[0])
            table[fields[0]] = fields.count == 3 ? Targets(training48: fields[1], scoring39: fields[2]) : Targets()
            if fields.count == 3, rows48[fields[1]] == nil { rows48[fields[1]] = fields[0] }
        }
        sourcePhones = order
        targets = table
        training48Rows = rows48
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

    /// `phone`, a symbol of level `source`, folded to level `target` (e.g. 48 → 39: `vcl` → `sil`);
    /// nil when the map deletes it. Throws when `phone` is not a `source` symbol or `target` is finer than `source`.
    public func fold(_ phone: String, from source: PhoneLevel, to target: PhoneLevel) throws(CorpusError) -> String? {
        guard source.folds(to: target) else {
            throw .invalidOption(field: "fold", message: "\(source.rawValue) phones cannot be folded to \(target.rawValue)")
        }
        let row: String?
        switch source {
        case .timit61: row = targets[phone] == nil ? nil : phone
        case .training48: row = training48Rows[phone]
        case .scoring39: row = targets.values.contains { $0.scoring39 == phone } ? phone : nil
        }
        guard let row else {
            throw .invalidOption(field: "phone", message: "\(phone) is not one of the map's \(source.rawValue) phones")
        }
        return source == .scoring39 ? row : try map(row, to: target)
    }

    /// `phones` (symbols of level `source`, the 61 phones by default) folded to `level`, deleted phones
    /// dropped (`h# q iy` → `sil iy` at 39).
    public func fold(_ phones: [String], from source: PhoneLevel = .timit61, to level: PhoneLevel) throws(CorpusError) -> [String] {
        var folded: [String] = []
        folded.reserveCapacity(phones.count)
        for phone in phones {
            if let target = try fold(phone, from: source, to: level) { folded.append(target) }
        }
        return folded
    }

    /// The folding table to `target` for input at any of the `sources` levels: every symbol of those
    /// levels → its `target` symbol, nil where the map deletes it (`q`). This is the token map
    /// scoring applies to both sides (39: from 61 and 48 phones alike; 48: from the 61 phones).
    public func foldingTable(to target: PhoneLevel, accepting sources: [PhoneLevel]) -> [String: String?] {
        var table: [String: String?] = [:]
        for source in sources where source.folds(to: target) {
            let symbols = source == .timit61 ? sourcePhones : targets(source)
            for symbol in symbols { table[symbol] = .some((try? fold(symbol, from: source, to: target)) ?? nil) }
        }
        return table
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
