import Foundation
import Testing

@Suite("asr synth")
struct SynthCommandTests {
    @Test("writes a TIMIT-layout corpus with its speaker lists; refuses to overwrite one; bad voices are usage errors")
    func synthesizesAndRefusesToOverwrite() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("synth-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let arguments = ["synth", "--out", folder.path, "--speakers", "2", "--sentences", "1", "--sa-sentences", "0",
                         "--voices", "kal16", "--seed", "5"]
        let first = try ASRProcess.run(arguments)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.hasPrefix("2 utterances (1 TRAIN / 1 TEST speakers"))
        let listed = FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? []
        #expect(listed.filter { $0.hasSuffix(".WAV") }.count == 2)
        #expect(listed.filter { $0.hasSuffix(".PHN") }.count == 2)
        #expect(listed.contains("dev_spk.list") && listed.contains("test_spk.list"))
        let again = try ASRProcess.run(arguments)
        #expect(again.status == 1)
        #expect(again.stderr.contains("already holds a corpus"))
        let badVoice = try ASRProcess.run(["synth", "--out", folder.path + "-x", "--voices", "kal8"])
        #expect(badVoice.status == 2)
        #expect(badVoice.stderr.contains("unknown voice 'kal8'"))
    }
}
