import ArgumentParser
import Foundation
import Recipes
import Models

/// `asr decode`: Decode audio files to phones, offline or online.
struct Decode: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode audio files to phones, offline or online.",
        discussion: """
            Prints one line per file: its name and its phones (48 training phones, or the 39 scoring classes \
            with --fold 39). Any format libsndfile reads, at any rate (resampled). With --times each phone \
            carries its emission time in seconds from the hard alignment (phone@1.23).
            """
    )

    @Option(help: "Experiment folder, its train/ folder, or a checkpoint folder (train/best, train/last).")
    var model: String
    @Argument(help: "Audio files ('-' with --stream: raw 16 kHz 16-bit little-endian PCM on standard input).")
    var files: [String] = []
    @Option(help: "Fold the phones: none (as trained: the 48 training phones), 48 (the same) or 39 (scoring classes).")
    var fold: PhoneFold = .none
    @Flag(help: "Print each phone's time from the hard alignment.")
    var times = false
    @Flag(help: "Decode online while reading the audio in chunks, printing phones as they are emitted.")
    var stream = false
    @Option(help: "Beam width (1: greedy).")
    var beam: Int = 1
    @Option(help: "Weight of the CTC prefix score in joint CTC/attention decoding (0-1; models trained with train.model.ctcWeight > 0).")
    var ctcWeight: Float = 0

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one audio file") }
        guard beam >= 1 else { throw ValidationError("--beam must be >= 1") }
        guard (0...1).contains(ctcWeight) else { throw ValidationError("--ctc-weight must be in 0...1") }
    }

    func run() throws {
        let loaded = try ModelFolder(model)
        var search = DecodingConfig()
        search.beamWidth = beam
        search.ctcWeight = ctcWeight
        if stream {
            for file in files { try decodeOnline(file, loaded, search: search) }
            return
        }
        for file in files {
            let matrix = try loaded.frontEnd.features(ofFile: URL(fileURLWithPath: file))
            var transcript = loaded.decode(matrix.values, frames: matrix.frames, id: name(of: file), search: search)
            if fold == .timit39 { transcript = transcript.folded39() }
            print(times ? transcript.timedLine : transcript.kaldiLine)
        }
    }

    /// The id printed for a file: its name without the extension (`-` for standard input).
    private func name(of file: String) -> String {
        file == "-" ? "-" : URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
    }

    /// Decodes `file` (or raw 16 kHz s16le PCM from standard input for `-`) in 0.1 s chunks and
    /// prints each phone as soon as the online decoder emits it.
    private func decodeOnline(_ file: String, _ loaded: ModelFolder, search: DecodingConfig) throws {
        let recognizer = try StreamingRecognizer(loaded, search: search)
        let output = FileHandle.standardOutput
        output.write(Data(name(of: file).utf8))
        func emit(_ phones: [(phone: String, time: Double?)]) throws {
            var text = ""
            for (phone, time) in phones {
                guard let shown = fold == .timit39 ? PhoneTranscript.scoringClass(of: phone) : phone else { continue }
                text += " " + shown + (times ? "@" + (time.map { String(format: "%.2f", $0) } ?? "-") : "")
            }
            if !text.isEmpty { output.write(Data(text.utf8)) }
        }
        if file == "-" {
            guard recognizer.sampleRate == 16000 else {
                throw ValidationError("standard input is read as 16 kHz PCM; this model wants \(recognizer.sampleRate) Hz")
            }
            try recognizer.recognize(rawPCM: FileHandle.standardInput, emit: emit)
        } else {
            try recognizer.recognize(file: URL(fileURLWithPath: file), emit: emit)
        }
        output.write(Data("\n".utf8))
    }
}
