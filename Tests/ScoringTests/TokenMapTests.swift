import Foundation
import Testing
@testable import Scoring

@Suite struct TokenMapTests {
    /// The repository's TIMIT map, `61 48 39` per line.
    static let timitMap: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return (try? String(contentsOf: root.appendingPathComponent("data-manifests/timit/phones.61-48-39.map"),
                            encoding: .utf8)) ?? ""
    }()

    static let thirtyNine = Set("aa ae ah aw ay b ch d dh dx eh er ey f g hh ih iy jh k l m n ng ow oy p r s sh sil t th uh uw v w y z"
        .split(separator: " ").map(String.init))

    @Test func timitFoldTo39HasThe39ClassesAndDeletesQ() throws {
        let sixtyOne = Self.timitMap.split(separator: "\n").compactMap { $0.split(separator: "\t").first.map(String.init) }
        #expect(sixtyOne.count == 61)
        let fold = try TokenMap(parsing: Self.timitMap, sourceColumns: [0, 1], targetColumn: 2)
        let folded = fold.apply(sixtyOne)
        #expect(folded.count == 60, "q is deleted")
        #expect(Set(folded) == Self.thirtyNine)
        #expect(fold.apply(["h#", "bcl", "b", "q", "ix", "pau", "epi", "zh", "el", "en", "ao", "ax-h"])
                == ["sil", "sil", "b", "ih", "sil", "sil", "sh", "l", "n", "aa", "ah"])
        // 48-phone input folds the same way; 39-phone input is left alone.
        #expect(fold.apply(["vcl", "cl", "epi", "ix", "sil"]) == ["sil", "sil", "sil", "ih", "sil"])
        #expect(fold.apply(Array(Self.thirtyNine).sorted()) == Array(Self.thirtyNine).sorted())
    }

    @Test func timitFoldTo48Has48Classes() throws {
        let sixtyOne = Self.timitMap.split(separator: "\n").compactMap { $0.split(separator: "\t").first.map(String.init) }
        let fold = try TokenMap(parsing: Self.timitMap, sourceColumns: [0], targetColumn: 1)
        let folded = fold.apply(sixtyOne)
        #expect(folded.count == 60)
        #expect(Set(folded).count == 48)
        #expect(fold.apply(["h#", "pau", "bcl", "tcl", "epi", "q"]) == ["sil", "sil", "vcl", "cl", "epi"])
    }

    @Test func userMappingFilesDeleteCommentAndRejectConflicts() throws {
        let map = try TokenMap(parsing: "# comment\nA  a\nB\ta\n  UH\nC c\n\n", source: "my.map")
        #expect(map.apply(["A", "UH", "B", "C", "D"]) == ["a", "a", "c", "D"])
        #expect(throws: ScoringError.malformedLine(file: "my.map", line: 2,
                                                  reason: "'A' maps to 'b' here but to 'a' before")) {
            try TokenMap(parsing: "A a\nA b\n", source: "my.map")
        }
        #expect(throws: ScoringError.self) { try TokenMap(parsing: "A a\nB b\n", targetColumn: 2) }
    }

    @Test func compiledLookupMapsIdsAndMergesRepeats() throws {
        let table = TokenTable()
        let tokens = table.ids(["h#", "bcl", "b", "q", "iy", "pau", "h#"])
        let fold = try TokenMap(parsing: Self.timitMap, sourceColumns: [0, 1], targetColumn: 2)
        let lookup = fold.compile(into: table)
        let mapped = tokens.compactMap { lookup[Int($0)] >= 0 ? lookup[Int($0)] : nil }
        #expect(table.tokens(mapped) == ["sil", "sil", "b", "iy", "sil", "sil"])
        #expect(table.tokens(mergingRepeats(of: [table.id("sil")], in: mapped)) == ["sil", "b", "iy", "sil"])
        #expect(mergingRepeats(of: [], in: mapped) == mapped)
    }
}
