import ArgumentParser
import Corpus
import Features
import Foundation
import Options
import Recipes

/// Kaldi's fbank options under Kaldi's names, one flag per field of `FbankOptions` (the flag is the
/// field's name in kebab case); the help text and default of each come from `FbankOptions`. Each one
/// given overrides the default it starts from.
struct FbankArguments: ParsableArguments {
    @Option(parsing: .unconditional, help: .fbank(\.sampleFrequency)) var sampleFrequency: Double?
    @Option(parsing: .unconditional, help: .fbank(\.frameShift)) var frameShift: Double?
    @Option(parsing: .unconditional, help: .fbank(\.frameLength)) var frameLength: Double?
    @Option(parsing: .unconditional, help: .fbank(\.dither)) var dither: Float?
    @Option(help: .fbank(\.ditherSeed)) var ditherSeed: UInt64?
    @Option(parsing: .unconditional, help: .fbank(\.preemphasisCoefficient)) var preemphasisCoefficient: Float?
    @Option(help: .fbank(\.removeDcOffset)) var removeDcOffset: Bool?
    @Option(help: .fbank(\.windowType)) var windowType: WindowType?
    @Option(parsing: .unconditional, help: .fbank(\.blackmanCoeff)) var blackmanCoeff: Float?
    @Option(help: .fbank(\.roundToPowerOfTwo)) var roundToPowerOfTwo: Bool?
    @Option(help: .fbank(\.snipEdges)) var snipEdges: Bool?
    @Option(help: .fbank(\.numMelBins)) var numMelBins: Int?
    @Option(parsing: .unconditional, help: .fbank(\.lowFreq)) var lowFreq: Float?
    @Option(parsing: .unconditional, help: .fbank(\.highFreq)) var highFreq: Float?
    @Option(help: .fbank(\.useEnergy)) var useEnergy: Bool?
    @Option(parsing: .unconditional, help: .fbank(\.energyFloor)) var energyFloor: Float?
    @Option(help: .fbank(\.rawEnergy)) var rawEnergy: Bool?
    @Option(help: .fbank(\.htkCompat)) var htkCompat: Bool?
    @Option(help: .fbank(\.useLogFbank)) var useLogFbank: Bool?
    @Option(help: .fbank(\.usePower)) var usePower: Bool?

    /// `base` with every option given on the command line applied; a bad value is a usage error.
    ///
    /// The flags given become a JSON object (each property's name is its `FbankOptions` field) decoded
    /// over `base` by `OptionsJSON`, the mechanism recipes use.
    func apply(to base: FbankOptions) throws -> FbankOptions {
        var given: [String: Any] = [:]
        for child in Mirror(reflecting: self).children {
            guard let label = child.label, let option = child.value as? any GivenValue, let value = option.given else { continue }
            given[String(label.drop { $0 == "_" })] = try OptionsJSON.jsonValue(of: value)
        }
        let o = try OptionsJSON.decode(FbankOptions.self, fromJSONObject: given, defaults: base)
        do {
            try o.validate()
            _ = try MelBanks(o)
        } catch let error as OptionError {
            throw ValidationError(FeatureError.option(error).description)
        } catch {
            throw ValidationError("\(error)")
        }
        return o
    }
}

/// An `@Option` of an optional value: the value given on the command line, if any.
protocol GivenValue {
    /// The value given, or nil when the flag was left out.
    var given: (any Encodable)? { get }
}

/// An optional encodable value, unwrapped.
protocol OptionalEncodable {
    /// The wrapped value, or nil.
    var wrapped: (any Encodable)? { get }
}

extension Optional: OptionalEncodable where Wrapped: Encodable {
    var wrapped: (any Encodable)? { map { $0 } }
}

extension Option: GivenValue where Value: OptionalEncodable {
    var given: (any Encodable)? { wrappedValue.wrapped }
}

/// A value as the user would type it: whole numbers without `.0`, enums by their raw value.
func commandLineText(_ value: Any) -> String {
    switch value {
    case let number as Double: number == number.rounded() ? String(Int(number)) : String(number)
    case let number as Float: number == number.rounded() ? String(Int(number)) : String(number)
    case let choice as any RawRepresentable: "\(choice.rawValue)"
    default: "\(value)"
    }
}

extension ArgumentHelp {
    /// The help of an `FbankOptions` field: its text from `FbankOptions.help` and its default from
    /// `FbankOptions()`, e.g. `Number of mel bins (default: 23).`
    static func fbank<T>(_ field: KeyPath<FbankOptions, T>) -> ArgumentHelp {
        var text = FbankOptions.help[field] ?? ""
        if text.hasSuffix(".") { text.removeLast() }
        return ArgumentHelp("\(text) (default: \(commandLineText(FbankOptions()[keyPath: field]))).")
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
    @Option(name: .customLong("cmvn-grouping"), help: "Utterances that share CMVN statistics.")
    var cmvnGrouping: CmvnGrouping = FeatureExtractionOptions().cmvnGrouping
    @Option(name: .customLong("delta-order"), help: "Append deltas up to this order, 0 = none.")
    var deltaOrder: Int = 0
    @Option(name: .customLong("delta-window"), help: "Delta window.")
    var deltaWindow: Int = DeltaOptions().window
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
        if threads < 0 { throw ValidationError("--threads \(threads): expected >= 0") }
        _ = try options()
    }

    func options() throws -> FeatureExtractionOptions {
        var options = FeatureExtractionOptions()
        options.fbank = try fbank.apply(to: FbankOptions())
        if deltaOrder != 0 {
            let deltas = DeltaOptions(order: deltaOrder, window: deltaWindow)
            do { try deltas.validate() } catch {
                throw ValidationError("invalid option --delta-\(error.flagName)=\(error.value): allowed \(error.allowed)")
            }
            options.deltas = deltas
        }
        options.cmvnGrouping = cmvnGrouping
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
        guard CommandWorld.isWriter else { return }  // rank 0 wrote the archive
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
