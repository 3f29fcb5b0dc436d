import Corpus
import Recipes
import Scoring
import Testing

/// Decode, score and manifests fold through Corpus' one phone map, exactly as the map file's columns say.
@Suite struct ScoringFoldTests {
    @Test func scoringFoldsAreTheMapFileColumns() throws {
        let to39 = try TokenMap(parsing: PhoneMap.timitMapText, sourceColumns: [0, 1], targetColumn: 2)
        let to48 = try TokenMap(parsing: PhoneMap.timitMapText, sourceColumns: [0], targetColumn: 1)
        #expect(try ManifestReferences.timitFold(.timit39) == to39)
        #expect(try ManifestReferences.timitFold(.timit48) == to48)
        #expect(try ManifestReferences.timitFold(.none) == nil)
    }

    @Test func decodedPhonesFoldLikeTheMapRows() throws {
        // Each row `phone61 phone48 phone39` says its 48 phone folds to its 39 class.
        for line in PhoneMap.timitMapText.split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard fields.count == 3 else { continue }
            #expect(PhoneTranscript.scoringClass(of: fields[1]) == fields[2], "\(fields[1])")
        }
        #expect(PhoneTranscript.scoringClass(of: "?") == nil)
        #expect(PhoneTranscript.scoringClass(of: "q") == nil)
    }
}
