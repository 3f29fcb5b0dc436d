import Foundation
import Testing

/// `asr bench decode` and `asr bench train`: output shape and usage errors (speed is not tested).
@Suite struct BenchAttentionModelCommandTests {
    @Test func benchDecodeJSONListsEveryCase() throws {
        let result = try ASRProcess.run(["bench", "decode", "--frames", "16,32", "--repeats", "1", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let cases = try #require(object?["cases"] as? [[String: Any]])
        #expect(cases.count == 4)
        #expect(Set(cases.compactMap { $0["attention"] as? String }) == ["monotonic", "softmax"])
        #expect(Set(cases.compactMap { $0["frames"] as? Int }) == [16, 32])
        #expect(cases.allSatisfy { ($0["ms"] as? Double ?? -1) >= 0 })
    }

    @Test(arguments: [(["bench", "train", "--threads", "one"], "--threads"),
                      (["bench", "train", "--model", "hardAlignment", "--samples", "1"], "--samples"),
                      (["bench", "train", "--model", "ctc"], "--model"),
                      (["bench", "train", "--model", "hardAlignment", "--estimator", "reinforcee"], "--estimator"),
                      (["bench", "decode", "--frames", "4"], "--frames")])
    func usageMistakesExitWithStatus2(arguments: [String], option: String) throws {
        let result = try ASRProcess.run(arguments)
        #expect(result.status == 2)
        #expect(result.stderr.contains(option), "\(result.stderr)")
    }
}
