/// A token-to-token mapping (e.g. TIMIT's 61 → 39 fold) applied to both sides before aligning.
///
/// Parsed from a mapping file: one token per line in the first column, columns separated by tabs or
/// spaces, `#` starting a comment line. The target is taken from `targetColumn`; a line without that
/// column deletes its token (TIMIT's `q`). Tokens the map does not mention pass through unchanged.
public struct TokenMap: Sendable, Equatable {
    /// Target of each mapped token; nil deletes the token.
    public private(set) var targets: [String: String?]

    /// A map from explicit `targets` (nil deletes).
    public init(targets: [String: String?] = [:]) { self.targets = targets }

    /// Parses mapping-file `text`: tokens in `sourceColumns` (0-based) map to `targetColumn`.
    ///
    /// Several source columns serve files like TIMIT's `61 48 39` map, where folding to 39 must accept
    /// both 61- and 48-phone input. A token mapped to two different targets is an error.
    /// - Parameter source: file name used in error messages.
    public init(parsing text: String, sourceColumns: [Int] = [0], targetColumn: Int = 1,
                source: String = "mapping") throws {
        var targets: [String: String?] = [:]
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let columns = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
            if columns.isEmpty || columns[0].hasPrefix("#") { continue }
            let target: String? = targetColumn < columns.count ? columns[targetColumn] : nil
            if target == nil && columns.count > 1 {
                throw ScoringError.malformedLine(file: source, line: index + 1,
                                                 reason: "\(columns.count) columns, the target is column \(targetColumn + 1)")
            }
            for column in sourceColumns where column < columns.count {
                let token = columns[column]
                if let previous = targets[token], previous != target {
                    throw ScoringError.malformedLine(
                        file: source, line: index + 1,
                        reason: "'\(token)' maps to '\(target ?? "(deleted)")' here but to '\(previous ?? "(deleted)")' before")
                }
                targets[token] = target
            }
        }
        self.targets = targets
    }

    /// `tokens` with every mapped token replaced and deleted ones dropped.
    public func apply(_ tokens: [String]) -> [String] {
        tokens.compactMap { token in
            guard let target = targets[token] else { return token }
            return target
        }
    }

    /// A lookup `[table.count]` from token id to mapped id (`-1` = deleted), interning the targets.
    ///
    /// Only ids below the table's count at call time are covered; build it after reading all input.
    public func compile(into table: TokenTable) -> [Int32] {
        let known = table.count
        var lookup = (0..<Int32(known)).map { $0 }
        for id in 0..<known {
            let token = table.token(Int32(id))
            if let target = targets[token] { lookup[id] = target.map { table.id($0) } ?? -1 }
        }
        return lookup
    }
}

/// Collapses runs of identical tokens from `tokens` into one, e.g. `sil sil b` → `sil b` for `sil`.
public func mergingRepeats(of merged: Set<Int32>, in tokens: [Int32]) -> [Int32] {
    guard !merged.isEmpty else { return tokens }
    var result: [Int32] = []
    result.reserveCapacity(tokens.count)
    for token in tokens where !(merged.contains(token) && result.last == token) { result.append(token) }
    return result
}
