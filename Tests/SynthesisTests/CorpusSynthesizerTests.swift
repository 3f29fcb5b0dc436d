import AudioIO
import Corpus
import Foundation
import Testing
@testable import Synthesis

/// The 61 TIMIT phone labels (TIMIT phoncode.doc).
let timit61: Set<String> = Set("""
    b d g p t k bcl dcl gcl pcl tcl kcl dx q jh ch s sh z zh f th v dh m n ng em en eng nx l r w y hh hv el \
    iy ih eh ey ae aa aw ay ah ao oy ow uh uw ux er ax ix axr ax-h pau epi h#
    """.split(separator: " ").map(String.init))

/// A fresh temporary folder.
func temporaryFolder(_ name: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Options for a corpus that synthesizes in a second or two.
func tinyOptions(seed: UInt64 = 7) -> SynthesisOptions {
    var options = SynthesisOptions()
    options.speakers = 4
    options.sentences = 2
    options.saSentences = 1
    options.sxReaders = 2
    options.testFraction = 0.5
    options.seed = seed
    return options
}

/// Every file below `root` (relative path → contents).
func files(below root: URL) throws -> [String: Data] {
    var result: [String: Data] = [:]
    let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])
    while let url = enumerator?.nextObject() as? URL {
        guard (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true else { continue }
        result[String(url.path.dropFirst(root.path.count + 1))] = try Data(contentsOf: url)
    }
    return result
}

/// `start end label` lines.
func segments(_ data: Data) -> [(start: Int, end: Int, label: String)] {
    String(decoding: data, as: UTF8.self).split(separator: "\n").map { line in
        let fields = line.split(separator: " ", maxSplits: 2)
        return (Int(fields[0])!, Int(fields[1])!, String(fields[2]))
    }
}

@Suite("Corpus synthesizer")
struct CorpusSynthesizerTests {
    @Test("a tiny corpus has TIMIT's layout, SPHERE audio and labels that tile the audio")
    func tinyCorpusLayout() throws {
        let root = try temporaryFolder("synth-layout")
        defer { try? FileManager.default.removeItem(at: root) }
        let summary = try CorpusSynthesizer(options: tinyOptions()).synthesize(into: root)
        #expect(summary.utterances == 4 * 3)
        #expect(summary.trainSpeakers == 2 && summary.testSpeakers == 2)
        let all = try files(below: root)
        let waves = all.keys.filter { $0.hasSuffix(".WAV") }.sorted()
        #expect(waves.count == 12)
        var texts: [String: Set<String>] = ["TRAIN": [], "TEST": []]
        var speakers: [String: Set<String>] = ["TRAIN": [], "TEST": []]
        for wave in waves {
            let parts = wave.split(separator: "/").map(String.init)
            #expect(parts.count == 4)
            #expect(parts[1].wholeMatch(of: /DR[1-8]/) != nil)
            #expect(parts[2].wholeMatch(of: /[FM][A-Z]{3}[0-9]/) != nil)
            #expect(parts[3].wholeMatch(of: /(SA[12]|SX[0-9]+|SI[0-9]+)\.WAV/) != nil)
            let data = all[wave]!
            #expect(String(decoding: data.prefix(8), as: UTF8.self) == "NIST_1A\n")
            let audio = try AudioReader.read(root.appendingPathComponent(wave))
            #expect(audio.sampleRate == 16000 && audio.channels == 1)
            let base = String(wave.dropLast(4))
            let phones = segments(all[base + ".PHN"]!)
            #expect(phones.first?.start == 0 && phones.first?.label == "h#" && phones.last?.label == "h#")
            #expect(phones.last?.end == audio.frames)
            for (previous, next) in zip(phones, phones.dropFirst()) { #expect(previous.end == next.start) }
            for phone in phones {
                #expect(phone.end > phone.start)
                #expect(timit61.contains(phone.label), "\(phone.label) in \(base).PHN")
            }
            let words = segments(all[base + ".WRD"]!)
            let text = String(decoding: all[base + ".TXT"]!, as: UTF8.self)
            #expect(text.hasPrefix("0 \(audio.frames) ") && text.hasSuffix(".\n"))
            #expect(words.map(\.label) == PromptSource.words(of: String(text.split(separator: " ", maxSplits: 2)[2])))
            for word in words {
                #expect(word.start >= phones[0].end && word.end <= phones.last!.start && word.end > word.start)
            }
            if !parts[3].hasPrefix("SA") { texts[parts[0]]!.insert(text.split(separator: " ", maxSplits: 2)[2].lowercased()) }
            speakers[parts[0]]!.insert(parts[2].lowercased())
        }
        #expect(texts["TRAIN"]!.isDisjoint(with: texts["TEST"]!))
        #expect(speakers["TRAIN"]!.isDisjoint(with: speakers["TEST"]!))
        let dev = String(decoding: all["dev_spk.list"]!, as: UTF8.self).split(separator: "\n").map(String.init)
        let test = String(decoding: all["test_spk.list"]!, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(Set(dev + test) == speakers["TEST"]!)
        #expect(Set(dev).isDisjoint(with: test))

        // Corpus reads it back unchanged: manifests with the same times, every phone in the 61 set.
        let scanned = try TimitCorpus.scan(root)
        let prepared = try TimitPreparation.prepare(
            scanned, options: TimitPrepareOptions(includeSA: true, strict: true, speakers: SpeakerLists(dev: dev, coreTest: test)),
            audioLength: { url in AudioLength(samples: try AudioReader.read(url).frames, sampleRate: 16000) })
        #expect(prepared.skipped.isEmpty)
        #expect(prepared.splits["train"]?.count == 6 && prepared.splits["test-full"]?.count == 6)
        #expect(prepared.splits["dev"]?.count == 3 && prepared.splits["test"]?.count == 3)
        for entry in prepared.splits["train"]! + prepared.splits["test-full"]! {
            let phones = segments(all[String(entry.audio.dropLast(4)) + ".PHN"]!)
            #expect(entry.phones.map(\.start) == phones.map(\.start) && entry.phones.map(\.end) == phones.map(\.end))
            #expect(entry.phones.last?.end == entry.samples)
        }
    }

    @Test("the same seed gives identical files, another seed different ones")
    func determinism() throws {
        let first = try temporaryFolder("synth-seed-a"), second = try temporaryFolder("synth-seed-b")
        let third = try temporaryFolder("synth-seed-c")
        defer { for url in [first, second, third] { try? FileManager.default.removeItem(at: url) } }
        var options = tinyOptions()
        options.jobs = 2
        _ = try CorpusSynthesizer(options: options).synthesize(into: first)
        options.jobs = 1
        _ = try CorpusSynthesizer(options: options).synthesize(into: second)
        options.seed = 8
        _ = try CorpusSynthesizer(options: options).synthesize(into: third)
        let a = try files(below: first), b = try files(below: second), c = try files(below: third)
        #expect(a.count == b.count && !a.isEmpty)
        let differing = a.keys.filter { a[$0] != b[$0] }.sorted()
        #expect(differing.isEmpty, "differ: \(differing)")
        #expect(a.keys.filter { $0.hasSuffix(".WAV") && a[$0] == c[$0] }.isEmpty)
    }

    @Test("an output folder that already holds a corpus is refused")
    func refusesExistingCorpus() throws {
        let root = try temporaryFolder("synth-exists")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("TRAIN"), withIntermediateDirectories: true)
        #expect(throws: SynthesisError.outputExists(path: root.path)) {
            _ = try CorpusSynthesizer(options: tinyOptions()).synthesize(into: root)
        }
    }
}
