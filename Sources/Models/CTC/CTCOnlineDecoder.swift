/// Streaming CTC recognition with a unidirectional encoder: feature frames are pushed as they
/// arrive, the encoder runs on them carrying its LSTM states, and best-path decoding emits each
/// phone on the state of its spike. The output equals offline greedy decoding (beam width 1).
public final class CTCOnlineDecoder: OnlineDecoding {
    /// The model (read only).
    public let model: CTCModel
    private let output: CTCOutputSnapshot
    private var encoder: OnlineEncoder
    private var path: CTCBestPath
    public private(set) var isFinished = false
    public private(set) var emissions: [Emission] = []

    /// A decoder over `model`, which must have a unidirectional encoder (greedy; a beam is not streamed).
    public init(model: CTCModel) throws {
        encoder = try OnlineEncoder(model.encoder)
        self.model = model
        output = model.head.snapshot()
        path = CTCBestPath(blank: output.blank)
    }

    public var stride: Int { model.frameStride }

    public func push(_ features: [Float]) -> [Emission] {
        guard !isFinished else { return [] }
        let lp = output.logProbabilities(encoder.push(features).states)
        let V = output.classes
        var emitted: [Emission] = []
        for t in 0..<(lp.count / V) {
            let state = path.states
            if let label = path.push(lp[(t * V)..<((t + 1) * V)]) {
                emitted.append(Emission(label: label, state: state, frame: state * stride))
            }
        }
        emissions += emitted
        return emitted
    }

    /// Nothing waits for the end of input: every phone was emitted on its spike.
    public func finish() -> [Emission] {
        isFinished = true
        return []
    }
}
