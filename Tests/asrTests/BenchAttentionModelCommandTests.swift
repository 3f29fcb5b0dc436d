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

    @Test func usageMistakesExitWithStatus2() throws {
        let train = try ASRProcess.run(["bench", "train", "--threads", "one"])
        #expect(train.status == 2)
        #expect(train.stderr.contains("--threads"))
        let samples = try ASRProcess.run(["bench", "train", "--model", "hardAlignment", "--samples", "1"])
        #expect(samples.status == 2)
        #expect(samples.stderr.contains("--samples"))
        let model = try ASRProcess.run(["bench", "train", "--model", "ctc"])
        #expect(model.status == 2)
        #expect(model.stderr.contains("--model"))
        let estimator = try ASRProcess.run(["bench", "train", "--model", "hardAlignment", "--estimator", "reinforcee"])
        #expect(estimator.status == 2)
        #expect(estimator.stderr.contains("--estimator"))
        let decode = try ASRProcess.run(["bench", "decode", "--frames", "4"])
        #expect(decode.status == 2)
        #expect(decode.stderr.contains("--frames"))
    }
}
