import Foundation
import Testing

/// `asr bench lstm`: output shape (text and JSON) and usage errors (speed is not tested).
@Suite struct BenchLSTMCommandTests {
    @Test func jsonListsTheCaseWithWallAndProcessorTimes() throws {
        let result = try ASRProcess.run(["bench", "lstm", "--only", "small-2x128", "--threads", "1", "--repeats", "1", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let cases = try #require(object?["cases"] as? [[String: Any]])
        #expect(cases.count == 1)
        #expect(cases.first?["name"] as? String == "small-2x128")
        #expect(cases.first?["threads"] as? Int == 1)
        #expect((cases.first?["ms_per_step"] as? Double ?? -1) > 0)
        #expect((cases.first?["cpu_ms_per_step"] as? Double ?? -1) > 0)
        #expect(object?["blas"] is String)
    }

    @Test func textPrintsOneLinePerCaseAndThreadCount() throws {
        let result = try ASRProcess.run(["bench", "lstm", "--only", "small-2x128", "--threads", "1", "--repeats", "1"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("small-2x128  threads=1  ") == true)
        #expect(lines.first?.hasSuffix(" ms)") == true && lines.first?.contains(" ms/step  (cpu ") == true)
    }

    @Test func usageMistakesExitWithStatus2() throws {
        let threads = try ASRProcess.run(["bench", "lstm", "--threads", "0"])
        #expect(threads.status == 2)
        #expect(threads.stderr.contains("--threads"))
        let only = try ASRProcess.run(["bench", "lstm", "--only", "huge"])
        #expect(only.status == 2)
        #expect(only.stderr.contains("--only"))
    }
}
