import Foundation
import Options
import Testing
@testable import Corpus

/// The repository root, found from this file's path (Tests/CorpusTests/<file>).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

@Suite struct EmbeddedDataTests {
    @Test(arguments: [
        ("phones.61-48-39.map", TimitData.phoneMapText), ("dev_spk.list", TimitData.devSpeakerListText),
        ("test_spk.list", TimitData.testSpeakerListText), ("dev_utt.list", TimitData.devUtteranceListText),
        ("test_utt.list", TimitData.testUtteranceListText),
    ])
    func embeddedCopyEqualsTheDataFile(name: String, embedded: String) throws {
        let url = repositoryRoot.appendingPathComponent("data-manifests/timit/\(name)")
        let file = try Data(contentsOf: url)
        #expect(Data(embedded.utf8) == file, "regenerate Sources/Corpus/TimitData.swift (command in its header)")
        #expect(PhoneMap.timitMapText == TimitData.phoneMapText)
    }
}

@Suite struct PhoneSetTests {
    /// The 61 symbols of TIMIT's phoncode.doc, written out independently of the map file.
    static let phoncode = """
        b d g p t k bcl dcl gcl pcl tcl kcl dx q jh ch s sh z zh f th v dh m n ng em en eng nx l r w y hh hv el
        iy ih eh ey ae aa aw ay ah ao oy ow uh uw ux er ax ix axr ax-h pau epi h#
        """.split(whereSeparator: \.isWhitespace).map(String.init)
    /// The 39 classes as listed in the TIMIT reference.
    static let classes39 = """
        aa ae ah aw ay b ch d dh dx eh er ey f g hh ih iy jh k l m n ng ow oy p r s sh sil t th uh uw v w y z
        """.split(whereSeparator: \.isWhitespace).map(String.init)

    @Test func setSizesAndMembers() {
        #expect(PhoneSet.timit61.count == 61)
        #expect(Set(PhoneSet.timit61.phones) == Set(Self.phoncode))
        #expect(PhoneSet.training48.count == 48)
        #expect(PhoneSet.scoring39.count == 39)
        #expect(PhoneSet.scoring39.phones == Self.classes39.sorted())
        #expect(PhoneSet.training48.contains("vcl") && PhoneSet.training48.contains("cl") && !PhoneSet.training48.contains("q"))
        #expect(PhoneSet.timit61.index(of: "aa") == 0)
        #expect(PhoneSet.timit61.index(of: "nope") == nil)
    }

    @Test func mapFoldsAndDeletesQ() throws {
        let map = PhoneMap.timit
        #expect(try map.map("q", to: .training48) == nil)
        #expect(try map.map("q", to: .scoring39) == nil)
        #expect(try map.map("q", to: .timit61) == "q")
        #expect(try map.fold(["h#", "q", "bcl", "b", "ax-h", "zh", "h#"], to: .scoring39)
                == ["sil", "sil", "b", "ah", "sh", "sil"])
        #expect(try map.fold(["h#", "q", "bcl", "b", "ax-h", "zh", "h#"], to: .training48)
                == ["sil", "vcl", "b", "ax", "zh", "sil"])
        #expect(throws: CorpusError.self) { try map.map("xx", to: .scoring39) }
        // Folding 48 -> 39 through the map agrees with 61 -> 39 directly for every phone.
        var via48: [String: String] = [:]
        for phone in map.sourcePhones {
            guard let p48 = try map.map(phone, to: .training48), let p39 = try map.map(phone, to: .scoring39) else { continue }
            if let earlier = via48[p48] { #expect(earlier == p39, "\(p48) folds to both \(earlier) and \(p39)") }
            via48[p48] = p39
        }
        #expect(via48.count == 48)
    }

    @Test func parseErrorsNameTheLine() {
        #expect(throws: CorpusError.badList(path: "m", line: 2, reason: "expected `phone61 phone48 phone39` or a lone phone, found 2 fields")) {
            try PhoneMap(parsing: "aa aa aa\nbb bb\n", source: "m")
        }
        #expect(throws: CorpusError.badList(path: "m", line: 3, reason: "phone aa mapped twice")) {
            try PhoneMap(parsing: "aa aa aa\n\naa b c\n", source: "m")
        }
    }
}

@Suite struct SpeakerListTests {
    @Test func standardListsHaveTheDocumentedSizes() throws {
        let lists = SpeakerLists.standard
        #expect(lists.dev.count == 50 && lists.coreTest.count == 24)
        #expect(Set(lists.dev).isDisjoint(with: lists.coreTest))
        try lists.validate()
        // Every listed utterance belongs to a listed speaker, 8 (3 SI + 5 SX) per speaker.
        for (utterances, speakers, total) in [(SpeakerLists.standardDevUtterances, lists.dev, 400),
                                              (SpeakerLists.standardCoreTestUtterances, lists.coreTest, 192)] {
            #expect(utterances.count == total)
            let bySpeaker = Dictionary(grouping: utterances) { String($0.split(separator: "_")[0]) }
            #expect(Set(bySpeaker.keys) == Set(speakers))
            #expect(bySpeaker.values.allSatisfy { $0.count == 8 })
            #expect(utterances.allSatisfy { $0.contains("_si") || $0.contains("_sx") })
        }
    }

    @Test func parsingSkipsCommentsAndRejectsDuplicates() throws {
        #expect(try SpeakerLists.parse("# dev\nFAKS0\n\nmgwt0  # note\n", source: "l") == ["faks0", "mgwt0"])
        #expect(throws: CorpusError.badList(path: "l", line: 2, reason: "faks0 listed twice")) {
            try SpeakerLists.parse("faks0\nFAKS0\n", source: "l")
        }
        #expect(throws: CorpusError.self) { try SpeakerLists.parse("a b\n", source: "l") }
        #expect(throws: OptionError.self) { try SpeakerLists(dev: ["a"], coreTest: ["A"]).validate() }
    }
}

/// Every folding question (61 → 48 → 39, and on from 48) answered by the one map.
@Suite struct PhoneFoldingTests {
    let map = PhoneMap.timit

    @Test func foldsFromAnyLevelToACoarserOne() throws {
        #expect(try map.fold("vcl", from: .training48, to: .scoring39) == "sil")
        #expect(try map.fold("ix", from: .training48, to: .scoring39) == "ih")
        #expect(try map.fold("ix", from: .training48, to: .training48) == "ix")
        #expect(try map.fold("bcl", from: .timit61, to: .training48) == "vcl")
        #expect(try map.fold("q", from: .timit61, to: .scoring39) == nil)
        #expect(try map.fold("sil", from: .scoring39, to: .scoring39) == "sil")
        #expect(try map.fold(["h#", "q", "iy"], to: .scoring39) == ["sil", "iy"])
        #expect(try map.fold(["vcl", "b", "cl"], from: .training48, to: .scoring39) == ["sil", "b", "sil"])
    }

    @Test func refusesUnknownPhonesAndFinerLevels() {
        #expect(throws: CorpusError.self) { try map.fold("bcl", from: .training48, to: .scoring39) }
        #expect(throws: CorpusError.self) { try map.fold("sil", from: .scoring39, to: .training48) }
        #expect(throws: CorpusError.self) { try map.fold("xx", from: .timit61, to: .training48) }
    }

    @Test func aFortyEightPhoneWithTwoClassesIsRejected() {
        #expect(throws: CorpusError.self) { try PhoneMap(parsing: "bcl vcl sil\ndcl vcl d\n") }
    }

    @Test func foldingTablesCoverEverySourceLevel() {
        let to39 = map.foldingTable(to: .scoring39, accepting: [.timit61, .training48])
        #expect(to39["ix"] == .some("ih"))
        #expect(to39["vcl"] == .some("sil"))
        #expect(to39["q"] == .some(nil))
        #expect(to39.count == Set(map.sourcePhones + map.targets(.training48)).count)
        let to48 = map.foldingTable(to: .training48, accepting: [.timit61])
        #expect(to48.count == 61)
        #expect(to48["vcl"] == nil)
    }
}
