import Corpus
import Features
import Foundation
import Models

/// Joins manifests and feature archives into Models' in-memory datasets: CMVN-normalised features
/// `[frames, dim]` and the 61-phone labels folded to the 48 training phones as ids.
public enum TrainingData {
    /// The output phones, id order.
    public static let phones = PhoneSet.training48

    /// Label ids of a manifest entry: its phones folded 61 → 48 (`q` deleted).
    public static func labels(_ entry: ManifestEntry) throws -> [Int] {
        try PhoneMap.timit.fold(entry.phones.map(\.label), to: .training48).map { phone in
            guard let id = phones.index(of: phone) else {
                throw StageError.badData(stage: "train", message: "\(entry.id): phone '\(phone)' is not a training phone")
            }
            return id
        }
    }

    /// The phone id of each of `frames` feature frames made with `fbank`: the folded phone whose time
    /// segment holds the frame's centre (frame t spans samples t·shift ..< t·shift + length at the feature
    /// rate, converted to the manifest's rate). Frames of a deleted phone (`q`) or outside every segment
    /// take the phone before them (the first phone at the start); nil for an entry without phones.
    public static func frameLabels(_ entry: ManifestEntry, frames: Int, fbank: FbankOptions) throws -> [Int]? {
        let folded: [Int?] = try entry.phones.map { segment in
            guard let phone = try PhoneMap.timit.fold(segment.label, from: .timit61, to: .training48) else { return nil }
            guard let id = phones.index(of: phone) else {
                throw StageError.badData(stage: "train", message: "\(entry.id): phone '\(phone)' is not a training phone")
            }
            return id
        }
        guard let first = folded.compactMap({ $0 }).first else { return nil }
        let (shift, length) = (Double(fbank.windowShift), Double(fbank.snipEdges ? fbank.windowSize : fbank.windowShift))
        let toManifest = Double(entry.sampleRate) / fbank.sampleFrequency
        var labels: [Int] = []
        labels.reserveCapacity(frames)
        var segment = 0
        for t in 0..<frames {
            let centre = Int(((Double(t) * shift + length / 2) * toManifest).rounded(.down))
            while segment < entry.phones.count && entry.phones[segment].end <= centre { segment += 1 }
            let inside = segment < entry.phones.count && entry.phones[segment].start <= centre
            labels.append((inside ? folded[segment] : nil) ?? labels.last ?? first)
        }
        return labels
    }

    /// The examples of `split` (manifest `data/SPLIT.jsonl`, archive `features/SPLIT.*`), normalised
    /// with `frontEnd` (per-speaker statistics are computed over the split itself).
    public static func load(split: String, experiment: Experiment, frontEnd: ModelFrontEnd) throws -> Dataset {
        let entries = try Manifest.read(from: experiment.data.appendingPathComponent("\(split).jsonl"))
        let archive = try FeatureArchive(directory: experiment.features, name: split)
        var matrices: [FeatureMatrix] = []
        matrices.reserveCapacity(entries.count)
        for entry in entries {
            guard archive.entry(entry.id) != nil else {
                throw StageError.badData(stage: "features", message: "\(entry.id) of \(split).jsonl is not in the \(split) archive; rerun --from features")
            }
            matrices.append(try archive.matrix(entry.id))
        }
        if frontEnd.cmvn.grouping == .speaker, frontEnd.cmvn.normMeans || frontEnd.cmvn.normVars {
            var table = CmvnStatsTable(grouping: .speaker, dim: archive.entries.first?.dim ?? 0)
            for (entry, matrix) in zip(entries, matrices) { try table.accumulate(matrix, utterance: entry.id, speaker: entry.speaker) }
            for index in matrices.indices {
                if let stats = table.stats(utterance: entries[index].id, speaker: entries[index].speaker) {
                    try stats.apply(to: &matrices[index], options: frontEnd.cmvn)
                }
            }
        } else {
            for index in matrices.indices { try frontEnd.normalize(&matrices[index]) }
        }
        let dim = matrices.first?.dim ?? frontEnd.features.dimension
        let examples = try zip(entries, matrices).map { entry, matrix in
            Example(id: entry.id, features: matrix.values, featureSize: dim, labels: try labels(entry),
                    frameLabels: try frameLabels(entry, frames: matrix.frames, fbank: frontEnd.features.fbank))
        }
        return Dataset(examples: examples, featureSize: dim)
    }

    /// The global statistics of the training archive (`features/train.cmvn.json` when it holds global
    /// statistics, else accumulated over the archive).
    public static func globalStats(experiment: Experiment) throws -> CmvnStats {
        let saved = experiment.features.appendingPathComponent("train.cmvn.json")
        if let table = try? CmvnStatsTable.load(from: saved), table.grouping == .global,
           let stats = table.stats(utterance: "", speaker: "") {
            return stats
        }
        let archive = try FeatureArchive(directory: experiment.features, name: "train")
        var stats = CmvnStats(dim: archive.entries.first?.dim ?? 0)
        for index in archive.entries.indices { try stats.accumulate(try archive.matrix(at: index)) }
        return stats
    }
}
