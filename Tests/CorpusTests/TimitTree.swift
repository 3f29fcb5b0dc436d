import AudioIO
import Corpus
import Foundation

/// Builds small TIMIT-shaped trees for tests: SPHERE audio written by AudioIO, label files as text.
struct TimitTree {
    let root: URL
    /// Write names in upper case (`TRAIN/DR1/FCJF0/SI1027.WAV`) or lower case.
    let uppercase: Bool
    /// Samples in each utterance's audio.
    static let samples = 1600

    /// The phone, word and text files of a well-formed utterance.
    static let phn = "0 200 h#\n200 500 sh\n500 900 iy\n900 1100 q\n1100 1500 ax-h\n1500 1600 h#\n"
    static let wrd = "200 900 she\n850 1500 had\n"
    static let txt = "0 1600 She had.\n"

    /// `name` in the tree's case.
    func cased(_ name: String) -> String { uppercase ? name.uppercased() : name.lowercased() }

    /// The folder `usage/dialect/speaker` in the tree's case.
    func folder(_ usage: String, _ dialect: String, _ speaker: String) -> URL {
        root.appendingPathComponent(cased(usage)).appendingPathComponent(cased(dialect)).appendingPathComponent(cased(speaker))
    }

    /// Writes one utterance; `replace` overrides file contents by extension (`"phn"`), `omit` leaves files out.
    func add(_ usage: String, _ dialect: String, _ speaker: String, _ sentence: String,
             replace: [String: String] = [:], omit: Set<String> = []) throws {
        let folder = folder(usage, dialect, speaker)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let contents = ["phn": Self.phn, "wrd": Self.wrd, "txt": Self.txt].merging(replace) { $1 }
        for (fileExtension, text) in contents where !omit.contains(fileExtension) {
            try text.write(to: folder.appendingPathComponent(cased("\(sentence).\(fileExtension)")),
                           atomically: true, encoding: .utf8)
        }
        let audio = folder.appendingPathComponent(cased("\(sentence).wav"))
        if let bytes = replace["wav"] {
            try bytes.write(to: audio, atomically: true, encoding: .utf8)
        } else if !omit.contains("wav") {
            let samples = (0..<Self.samples).map { Float(($0 % 64) - 32) / 256 }
            try AudioWriter.write(samples, sampleRate: 16000, to: audio, format: .sphere16)
        }
    }

    /// A tree with 2 TRAIN speakers, a dev, a core test and an other TEST speaker, plus clutter to ignore.
    static func standard(in parent: URL, uppercase: Bool) throws -> TimitTree {
        let tree = TimitTree(root: parent, uppercase: uppercase)
        for sentence in ["sa1", "si1027", "sx37"] { try tree.add("train", "dr1", "fcjf0", sentence) }
        for sentence in ["si5", "sx9"] { try tree.add("train", "dr2", "mabc1", sentence) }
        for sentence in ["sa2", "si1", "sx2"] { try tree.add("test", "dr1", "faks0", sentence) }   // dev list
        for sentence in ["si3", "sx4"] { try tree.add("test", "dr1", "mdab0", sentence) }          // core test list
        try tree.add("test", "dr3", "mxyz9", "si7")                                                   // full test only
        // Clutter: converted RIFF copies, backups, notes, a non-speaker folder, a doc folder.
        let speaker = tree.folder("train", "dr1", "fcjf0")
        try AudioWriter.write([0.1, 0.2], sampleRate: 16000, to: speaker.appendingPathComponent(tree.cased("si1027.wav") + ".wav"), format: .wav16)
        try "junk".write(to: speaker.appendingPathComponent(tree.cased("si1027.phn.bak")), atomically: true, encoding: .utf8)
        try "junk".write(to: speaker.appendingPathComponent(tree.cased("notes.txt")), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: tree.root.appendingPathComponent(tree.cased("train/dr1/misc")), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: tree.root.appendingPathComponent(tree.cased("doc")), withIntermediateDirectories: true)
        try "readme".write(to: tree.root.appendingPathComponent("README.DOC"), atomically: true, encoding: .utf8)
        return tree
    }

    /// Lists naming the dev and core test speakers of `standard`.
    static let lists = SpeakerLists(dev: ["faks0"], coreTest: ["mdab0"])

    /// Measures audio with AudioIO's header reader.
    static func audioLength(_ url: URL) throws -> AudioLength {
        let header = try AudioHeader.read(url)
        return AudioLength(samples: header.frames, sampleRate: header.sampleRate)
    }
}
