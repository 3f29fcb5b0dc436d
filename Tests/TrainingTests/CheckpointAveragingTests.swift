import Foundation
import Testing
import TensorCore
@testable import Models
@testable import Training

/// `averageBest`: the final model is the element-wise mean of the kept best epochs' weights, decoding
/// loads it, and its dev error is the one reported.
@Suite(.serialized) struct CheckpointAveragingTests {
    @Test func theFinalModelIsTheMeanOfTheBestEpochs() throws {
        try ComputeThreads.withCount(1) {
            var config = TrainerTests.config
            config.epochs = 4
            config.averageBest = 2
            let directory = TrainerTests.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let store = try CheckpointStore(directory: directory)
            var averagedEvent: [Int]?
            let result = try Trainer(model: try TrainerTests.model(), config: config, train: TrainerTests.train, dev: TrainerTests.dev,
                                     store: store).run { event in
                if case .averaged(let epochs, _) = event { averagedEvent = epochs }
            }
            // The two kept epochs are the two lowest dev errors (ties: the earlier epoch).
            let ranked = try store.rankedCheckpoints()
            let expected = result.history.sorted { ($0.devErrorRate, $0.epoch) < ($1.devErrorRate, $1.epoch) }.prefix(2).map(\.epoch)
            #expect(ranked.map(\.info.epoch) == Array(expected))
            #expect(averagedEvent == expected.sorted())
            // best/ holds the element-wise mean of their weights.
            let members = try ranked.map { try CheckpointStore.loadModel(from: $0.folder).model }
            let (averaged, info) = try CheckpointStore.loadModel(from: directory)
            for (index, parameter) in averaged.parameters.enumerated() {
                let mean = (0..<parameter.value.count).map { j in
                    Float(members.reduce(0.0) { $0 + Double($1.parameters[index].value.scalars[j]) } / Double(members.count))
                }
                #expect(parameter.value.scalars == mean, "\(parameter.name)")
            }
            #expect(members[0].parameters[0].value.scalars != members[1].parameters[0].value.scalars)
            // Decoding the loaded model gives the reported dev error; the single best epoch is kept aside.
            let error = Recognizer(model: averaged).errorRate(TrainerTests.dev.examples)
            #expect(result.averagedErrorRate == error && info.devErrorRate == error)
            let single = try CheckpointStore.loadModel(from: store.bestSingleFolder).info
            #expect(single.epoch == result.bestEpoch && single.devErrorRate == result.bestErrorRate)
        }
    }
}
