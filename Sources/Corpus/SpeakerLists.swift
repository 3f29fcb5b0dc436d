import Foundation
import Options

/// The speakers that make up the dev and core test splits (all other TEST/ speakers are only in
/// the full test; TRAIN/ speakers form the training set).
public struct SpeakerLists: Codable, Sendable, Equatable {
    /// Dev speakers, lower case (`faks0`).
    public var dev: [String]
    /// Core test speakers, lower case (`mdab0`).
    public var coreTest: [String]

    /// Lists from explicit speaker ids (lower-cased).
    public init(dev: [String], coreTest: [String]) {
        self.dev = dev.map { $0.lowercased() }
        self.coreTest = coreTest.map { $0.lowercased() }
    }

    /// The standard lists: 50 dev speakers (`dev_spk.list`), 24 core test speakers (`test_spk.list`).
    public static let standard = SpeakerLists(
        dev: try! parse(TimitData.devSpeakerListText, source: "dev_spk.list"),
        coreTest: try! parse(TimitData.testSpeakerListText, source: "test_spk.list"))

    /// The 400 standard dev utterance ids (`dev_utt.list`), SI and SX of the dev speakers.
    public static let standardDevUtterances = try! parse(TimitData.devUtteranceListText, source: "dev_utt.list")
    /// The 192 standard core test utterance ids (`test_utt.list`).
    public static let standardCoreTestUtterances = try! parse(TimitData.testUtteranceListText, source: "test_utt.list")

    /// Parses a list: one id per line, lower-cased; blank lines and `#` comments skipped; an id must be
    /// one token and appear once. `source` names the list in errors.
    public static func parse(_ text: String, source: String) throws(CorpusError) -> [String] {
        var ids: [String] = []
        var seen: Set<String> = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let fields = content.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if fields.isEmpty { continue }
            guard fields.count == 1 else {
                throw .badList(path: source, line: index + 1, reason: "expected one id, found \(fields.count) fields")
            }
            let id = fields[0].lowercased()
            guard seen.insert(id).inserted else {
                throw .badList(path: source, line: index + 1, reason: "\(id) listed twice")
            }
            ids.append(id)
        }
        return ids
    }

    /// Reads and parses the list file at `url` (see `parse`).
    public static func read(from url: URL) throws(CorpusError) -> [String] {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw .cannotRead(path: url.path, reason: error.localizedDescription)
        }
        return try parse(text, source: url.path)
    }

    /// Checks that neither list is empty and that no speaker is in both.
    public func validate() throws(OptionError) {
        try require(!dev.isEmpty, "dev", "an empty list", "a non-empty list of speakers")
        try require(!coreTest.isEmpty, "coreTest", "an empty list", "a non-empty list of speakers")
        let shared = Set(dev).intersection(coreTest).sorted()
        try require(shared.isEmpty, "dev", "a list sharing \(shared.joined(separator: " ")) with the test list",
                    "no speaker in both the dev and test lists")
    }
}
