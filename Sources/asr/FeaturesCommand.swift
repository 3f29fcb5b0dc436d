import ArgumentParser
import Corpus
import Features
import Foundation
import Recipes

/// Kaldi's fbank options under Kaldi's names; each one given overrides the default it starts from.
struct FbankArguments: ParsableArguments {
    @Option(name: .customLong("sample-frequency"), parsing: .unconditional, help: "Sample rate the audio must have, Hz (16000).")
    var sampleFrequency: Double?
    @Option(name: .customLong("frame-shift"), parsing: .unconditional, help: "Frame shift, ms (10).")
    var frameShift: Double?
    @Option(name: .customLong("frame-length"), parsing: .unconditional, help: "Frame length, ms (25).")
    var frameLength: Double?
    @Option(name: .customLong("dither"), parsing: .unconditional, help: "Dither noise std in int16 units, 0 = off (1).")
    var dither: Float?
    @Option(name: .customLong("dither-seed"), help: "Seed of the dither noise (0).")
    var ditherSeed: UInt64?
    @Option(name: .customLong("preemphasis-coefficient"), parsing: .unconditional, help: "Pre-emphasis coefficient (0.97).")
    var preemphasisCoefficient: Float?
    @Option(name: .customLong("remove-dc-offset"), help: "Subtract each frame's mean (true).")
    var removeDcOffset: Bool?
    @Option(name: .customLong("window-type"), help: "povey, hamming, hanning, sine, rectangular, blackman (povey).")
    var windowType: String?
    @Option(name: .customLong("blackman-coeff"), parsing: .unconditional, help: "Blackman window coefficient (0.42).")
    var blackmanCoeff: Float?
    @Option(name: .customLong("round-to-power-of-two"), help: "Pad frames to a power of two for the FFT (true).")
    var roundToPowerOfTwo: Bool?
    @Option(name: .customLong("snip-edges"), help: "Only frames that fit in the signal (true).")
    var snipEdges: Bool?
    @Option(name: .customLong("num-mel-bins"), help: "Number of mel bins (23).")
    var numMelBins: Int?
    @Option(name: .customLong("low-freq"), parsing: .unconditional, help: "Low edge of the mel bins, Hz (20).")
    var lowFreq: Float?
    @Option(name: .customLong("high-freq"), parsing: .unconditional, help: "High edge of the mel bins, Hz; <= 0 is an offset from Nyquist (0).")
    var highFreq: Float?
    @Option(name: .customLong("use-energy"), help: "Add a log-energy column (false).")
    var useEnergy: Bool?
    @Option(name: .customLong("energy-floor"), parsing: .unconditional, help: "Floor of the energy, 0 = none (0).")
    var energyFloor: Float?
    @Option(name: .customLong("raw-energy"), help: "Energy before pre-emphasis and windowing (true).")
    var rawEnergy: Bool?
    @Option(name: .customLong("htk-compat"), help: "Put the energy column last (false).")
    var htkCompat: Bool?
    @Option(name: .customLong("use-log-fbank"), help: "Log of the mel energies (true).")
    var useLogFbank: Bool?
    @Option(name: .customLong("use-power"), help: "Power rather than magnitude spectrum (true).")
    var usePower: Bool?

    /// `base` with every option given on the command line applied; a bad value is a usage error.
    func apply(to base: FbankOptions) throws -> FbankOptions {
        var o = base
        if let v = sampleFrequency { o.sampleFrequency = v }
        if let v = frameShift { o.frameShift = v }
        if let v = frameLength { o.frameLength = v }
        if let v = dither { o.dither = v }
        if let v = ditherSeed { o.ditherSeed = v }
        if let v = preemphasisCoefficient { o.preemphasisCoefficient = v }
        if let v = removeDcOffset { o.removeDcOffset = v }
        if let v = windowType {
            guard let type = WindowType(rawValue: v) else {
                throw ValidationError("--window-type \(v): expected one of \(WindowType.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            o.windowType = type
        }
        if let v = blackmanCoeff { o.blackmanCoeff = v }
        if let v = roundToPowerOfTwo { o.roundToPowerOfTwo = v }
        if let v = snipEdges { o.snipEdges = v }
        if let v = numMelBins { o.numMelBins = v }
        if let v = lowFreq { o.lowFreq = v }
        if let v = highFreq { o.highFreq = v }
        if let v = useEnergy { o.useEnergy = v }
        if let v = energyFloor { o.energyFloor = v }
        if let v = rawEnergy { o.rawEnergy = v }
        if let v = htkCompat { o.htkCompat = v }
        if let v = useLogFbank { o.useLogFbank = v }
        if let v = usePower { o.usePower = v }
        do {
            try o.validate()
            _ = try MelBanks(o)
        } catch {
            throw ValidationError(error.description)
        }
        return o
    }
}

/// `asr features`: Extract Kaldi-compatible filterbank features.
struct Features: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Extract Kaldi-compatible filterbank features.",
        discussion: """
            With --manifest: every utterance of a split, in parallel, into DIR/NAME.feats + NAME.index.json
            (and NAME.cmvn.json with --cmvn-stats). With FILE --text: one file's matrix in Kaldi's text form.
            Audio is taken in int16 units, as Kaldi.
            """
    )

    @Argument(help: "One audio file to print with --text.")
    var file: String?
    @Option(help: "Manifest (JSON Lines) of the split to extract.")
    var manifest: String?
    @Option(help: "Output folder for the archive.")
    var out: String?
    @Option(help: "Archive name (default: the manifest's file name without extension).")
    var name: String?
    @Option(name: .customLong("audio-root"), help: "Folder the manifest's audio paths are relative to (default: the one named in corpus-root.txt beside the manifest, written by asr prepare; else the manifest's folder).")
    var audioRoot: String?
    @Flag(name: .customLong("cmvn-stats"), help: "Also write CMVN statistics (for training data).")
    var cmvnStats = false
    @Option(name: .customLong("cmvn-grouping"), help: "global, speaker or utterance (global).")
    var cmvnGrouping: String = "global"
    @Option(name: .customLong("delta-order"), help: "Append deltas up to this order, 0 = none (0).")
    var deltaOrder: Int = 0
    @Option(name: .customLong("delta-window"), help: "Delta window (2).")
    var deltaWindow: Int = 2
    @Option(help: "Worker threads, 0 = all cores.")
    var threads: Int = 0
    @Flag(name: .customLong("export-kaldi"), help: "Also write DIR/NAME.ark and NAME.scp (Kaldi binary matrices, for kaldiio).")
    var exportKaldi = false
    @Flag(name: .customLong("export-npy"), help: "Also write DIR/NAME-npy/<utterance>.npy (for numpy).")
    var exportNumpy = false
    @Flag(help: "Print FILE's features in Kaldi's text format.")
    var text = false
    @OptionGroup var fbank: FbankArguments

    func validate() throws {
        if file == nil && manifest == nil { throw ValidationError("give --manifest M.jsonl --out DIR, or FILE --text") }
        if file != nil && manifest != nil { throw ValidationError("give either FILE or --manifest, not both") }
        if file != nil && (exportKaldi || exportNumpy) { throw ValidationError("--export-kaldi and --export-npy go with --manifest") }
        if file != nil && !text { throw ValidationError("FILE needs --text (the matrix is printed in Kaldi's text format)") }
        if manifest != nil && out == nil { throw ValidationError("--manifest needs --out DIR") }
        if CmvnGrouping(rawValue: cmvnGrouping) == nil { throw ValidationError("--cmvn-grouping \(cmvnGrouping): expected global, speaker or utterance") }
        if threads < 0 { throw ValidationError("--threads \(threads): expected >= 0") }
        _ = try options()
    }

    func options() throws -> FeatureExtractionOptions {
        var options = FeatureExtractionOptions()
        options.fbank = try fbank.apply(to: FbankOptions())
        if deltaOrder != 0 {
            let deltas = DeltaOptions(order: deltaOrder, window: deltaWindow)
            do { try deltas.validate() } catch { throw ValidationError(error.description) }
            options.deltas = deltas
        }
        options.cmvnGrouping = CmvnGrouping(rawValue: cmvnGrouping) ?? .global
        return options
    }

    func run() throws {
        let options = try options()
        if let file {
            let url = URL(fileURLWithPath: file)
            let matrix = try FeatureExtraction.features(ofFile: url, options: options)
            print(FeatureExtraction.kaldiText(matrix, id: url.deletingPathExtension().lastPathComponent), terminator: "")
            return
        }
        let manifestURL = URL(fileURLWithPath: manifest!)
        let entries = try Manifest.read(from: manifestURL)
        let recorded = CorpusPreparation.recordedCorpusRoot(besideManifest: manifestURL)
        let root = audioRoot.map { URL(fileURLWithPath: $0) } ?? recorded ?? manifestURL.deletingLastPathComponent()
        if audioRoot == nil, let first = entries.first,
           !FileManager.default.fileExists(atPath: root.appendingPathComponent(first.audio).path) {
            let source = recorded == nil ? "" : " (named by \(CorpusPreparation.corpusRootFile) beside it)"
            throw CommandError(description: "\(manifestURL.path): audio \(first.audio) of \(first.id) is not in "
                + "\(root.path)\(source); give the corpus folder the manifest was prepared from with --audio-root CORPUS_DIR")
        }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: out!, isDirectory: &isFolder), !isFolder.boolValue {
            throw CommandError(description: "--out \(out!): is a file, not a folder")
        }
        let name = self.name ?? manifestURL.deletingPathExtension().lastPathComponent
        let progress = ProgressReporter(label: "features \(name)", total: entries.count, unit: "utterances", interval: 10)
        let summary = try FeatureExtraction.extract(entries, audioRoot: root, to: URL(fileURLWithPath: out!), name: name,
                                                    options: options, cmvnStats: cmvnStats, threads: threads) { p in
            progress.update(p.done, line: String(format: "features %@: %d/%d utterances, %.0f s of audio, %.0fx real time",
                                                 name, p.done, p.total, p.audioSeconds, p.audioSeconds / max(p.elapsed, 1e-9)))
        }
        let folder = URL(fileURLWithPath: out!)
        if exportKaldi || exportNumpy {
            let archive = try FeatureArchive(directory: folder, name: name)
            if exportKaldi {
                try archive.exportKaldi(ark: folder.appendingPathComponent("\(name).ark"), scp: folder.appendingPathComponent("\(name).scp"))
            }
            if exportNumpy { try archive.exportNumpy(directory: folder.appendingPathComponent("\(name)-npy")) }
        }
        print("wrote \(summary.archive.path): \(summary.utterances) utterances, \(summary.frames) frames of \(summary.dim)"
              + (summary.cmvnStats.map { "; CMVN statistics \($0.path)" } ?? ""))
    }
}
