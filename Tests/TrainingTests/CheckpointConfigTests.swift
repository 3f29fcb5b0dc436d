import Foundation
import NeuralNet
import Testing
@testable import Models
@testable import Training

/// A `config.json` whose model configuration is out of range is refused in one line naming the file.
@Suite struct CheckpointConfigTests {
    @Test func anOutOfRangeModelConfigurationNamesTheFile() throws {
        let directory = TrainerTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try CheckpointStore(directory: directory)
        try store.saveBest(try TrainerTests.model())
        #expect(throws: Never.self) { _ = try CheckpointStore.loadModel(from: directory) }
        let file = store.bestFolder.appendingPathComponent(Checkpoint.configFile)
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.contains("\"labelCount\" : 5"))
        try Data(text.replacingOccurrences(of: "\"labelCount\" : 5", with: "\"labelCount\" : 0").utf8).write(to: file)
        do {
            _ = try CheckpointStore.loadModel(from: directory)
            Issue.record("the configuration was accepted")
        } catch {
            let line = "\(error)"
            #expect(line.hasPrefix("\(file.path): invalid model configuration: ") && line.contains("labelCount = 0"), "\(line)")
            #expect(!line.contains("\n"))
        }
    }
}
