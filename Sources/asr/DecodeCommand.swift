import ArgumentParser
import Foundation
import Recipes
import Seq2Seq

/// `asr decode`: Decode audio files to phones, offline or online.
struct Decode: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode audio files to phones, offline or online.",
        discussion: """
            Prints one line per file: its name and its phones (48 training phones, or the 39 scoring classes
            with --fold 39). Any format libsndfile reads, at any rate (resampled). With --times each phone
            carries its emission time in seconds from the hard alignment (phone@1.23).
            """
    )

    @Option(help: "Experiment folder, model folder or checkpoint file (best.json).")
    var model: String
    @Argument(help: "Audio files ('-' with --stream: raw 16 kHz 16-bit little-endian PCM on standard input).")
    var files: [String] = []
    @Option(help: "Fold the phones: 39 (scoring classes) or 48 (as trained).")
    var fold: Int = 48
    @Flag(help: "Print each phone's time from the hard alignment.")
    var times = false
    @Flag(help: "Decode online while reading the audio in chunks, printing phones as they are emitted.")
    var stream = false
    @Option(help: "Beam width (1: greedy).")
    var beam: Int = 1

    func validate() throws {
        guard [39, 48].contains(fold) else { throw ValidationError("--fold must be 39 or 48") }
        guard !files.isEmpty else { throw ValidationError("give at least one audio file") }
        guard beam >= 1 else { throw ValidationError("--beam must be >= 1") }
    }

    func run() throws {
        let loaded = try ModelFolder(model)
        var search = DecodingConfig()
        search.beamWidth = beam
        for file in files {
            let matrix = try loaded.frontEnd.features(ofFile: URL(fileURLWithPath: file))
            let id = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
            var transcript = loaded.decode(matrix.values, frames: matrix.frames, id: id, search: search)
            if fold == 39 { transcript = try transcript.folded39() }
            print(times ? transcript.timedLine : transcript.kaldiLine)
        }
    }
}
