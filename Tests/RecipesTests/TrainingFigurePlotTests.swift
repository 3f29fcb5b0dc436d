import Foundation
import Testing
import Training
@testable import Recipes

@Suite struct TrainingFigurePlotTests {
    @Test func theFamilysFiguresArePlottedOneChartPerFirstWord() throws {
        let plots = FileManager.default.temporaryDirectory.appendingPathComponent("figures-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: plots) }
        let history = try (1...3).map { epoch in
            try JSONDecoder().decode(EpochSummary.self, from: Data("""
                {"epoch": \(epoch), "trainLoss": 1, "devErrorRate": 0.5, "isBest": true, "learningRate": 0.1,
                 "statistics": {"angle layer1": \(80 - 10 * epoch), "angle layer2": 70, "expected length / target": 1}}
                """.utf8))
        }
        try TrainingPlots.write(history: history, to: plots)
        let angles = try String(contentsOf: plots.appendingPathComponent("figures-angle.svg"), encoding: .utf8)
        #expect(angles.contains("angle layer1") && angles.contains("angle layer2") && !angles.contains("expected length"))
        #expect(FileManager.default.fileExists(atPath: plots.appendingPathComponent("figures-expected.svg").path))
        // Without figures, no such chart.
        let plain = plots.appendingPathComponent("plain")
        try TrainingPlots.write(history: history.map { var s = $0; s.statistics = nil; return s }, to: plain)
        #expect(try FileManager.default.contentsOfDirectory(atPath: plain.path).sorted() == ["dev-per.svg", "loss.svg"])
    }
}
