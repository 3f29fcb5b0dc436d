import ArgumentParser
import Foundation
import Recipes
import Models
import Scoring

/// `asr decode`: Decode audio files to phones, offline or online.
struct Decode: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode audio files, a manifest or a Kaldi wav.scp to phones, offline or online.",
        discussion: """
            Prints one line per utterance in Kaldi text (`id phone phone ...`) or, with --format trn, sclite trn \
            (`phone phone ... (id)`), both read by `asr score`. Phones are the 39 scoring classes by default \
            (--fold 39, as the recipes score), or the 48 training phones with --fold none. \
            Ids: a manifest's own ids (--manifest), the first field of a wav.scp (--wav-scp), or for files named \
            on the command line the file name without its extension; files whose names collide get a \
            path-derived id instead, the fewest trailing path components that tell them apart joined by `_` \
            (TEST/DR1/MCRD0/SX10.WAV -> MCRD0_SX10). Audio: any format libsndfile reads, at any rate (resampled); \
            standard input (`-`), wav.scp commands (`cmd |`) and *.raw/*.pcm files may carry a RIFF/WAVE or NIST \
            SPHERE header, otherwise they are read as --raw-format at --raw-rate. A file that cannot be decoded \
            is reported on standard error (one line) and skipped; the others are decoded and the exit status is \
            1. Input shorter than --min-duration, all digital silence, or with no frame less flat than --max-flatness \
            (noise) is said on standard error and gives an empty hypothesis. With --times each phone carries the time in seconds of the encoder state it was \
            emitted on (phone@1.23; phone@- when no state was attended). With --ctm each phone also gets a start and \
            an end: it ends where the state it was emitted on ends and starts where the phone before it ended.
            """
    )

    @Option(help: "Experiment folder, its train/ folder, or a checkpoint folder (train/best, train/last).")
    var model: String
    @Argument(help: "Audio files ('-': standard input).")
    var files: [String] = []
    @Option(help: "Decode the utterances of a manifest (.jsonl), printed with the manifest's ids.")
    var manifest: String?
    @Option(help: "Folder the manifest's audio paths are relative to (default: the one named in corpus-root.txt beside the manifest, else the corpus of the experiment holding it, else its folder).")
    var audioRoot: String?
    @Option(name: .customLong("wav-scp"), help: "Decode a Kaldi wav.scp (`utt-id path` or `utt-id command |` per line).")
    var wavScp: String?
    @Option(help: "Output format: kaldi (`id phones`) or trn (`phones (id)`).")
    var format: TranscriptFormat = .kaldi
    @Option(help: "Fold the phones: 39 (the scoring classes, as the recipes score), 48 or none (both: the 48 training phones).")
    var fold: PhoneFold = .timit39
    @Flag(help: "Print each phone's time from the hard alignment.")
    var times = false
    @Option(help: "Also write each phone's start and duration in seconds here, as NIST CTM (`id 1 start dur phone`).")
    var ctm: String?
    @Option(help: "Seconds every CTM time is moved earlier: the model's emission lag (measure it on dev data; README).")
    var ctmLag: Double = 0
    @Flag(help: "Decode online while reading the audio in chunks, printing phones as they are emitted.")
    var stream = false
    @Option(help: "Beam width (1: greedy). Default 8, the best dev PER of the demo models and linear in the input too; with --stream 8 for attention models (the online beam search gives the offline beam's phones, each printed once every hypothesis agrees on it), 1 for the others.")
    var beam: Int?
    @Option(help: "Print the N best hypotheses of the beam per utterance (offline), best first, ids suffixed -1 ... -N; their log probabilities with --json.")
    var nbest: Int = 1
    @Flag(help: "Print one JSON object per utterance (JSON Lines): id, phones, logProbability, times (--times), nbest (--nbest).")
    var json = false
    @Option(help: "Weight of the CTC prefix score in joint CTC/attention decoding (0-1; models trained with train.model.ctcWeight > 0).")
    var ctcWeight: Float = 0
    @OptionGroup var audio: AudioInputArguments

    /// The beam width when --beam is not given (chosen on the demo models' dev sets; README).
    static let defaultBeam = 8

    func validate() throws {
        let sources = [!files.isEmpty, manifest != nil, wavScp != nil].filter { $0 }.count
        guard sources == 1 else { throw ValidationError("give audio files, --manifest or --wav-scp (one of them)") }
        guard files.filter({ $0 == "-" }).count <= 1 else { throw ValidationError("standard input ('-') can be read only once") }
        guard (beam ?? 1) >= 1 else { throw ValidationError("--beam must be >= 1") }
        guard nbest >= 1 else { throw ValidationError("--nbest must be >= 1") }
        guard nbest == 1 || !stream else { throw ValidationError("--nbest lists come from offline decoding; --stream prints the best as it is decided") }
        guard nbest == 1 || beam != 1 else { throw ValidationError("--nbest needs a beam (--beam > 1)") }
        guard !json || format == .kaldi else { throw ValidationError("--json replaces --format") }
        guard (0...1).contains(ctcWeight) else { throw ValidationError("--ctc-weight must be in 0...1") }
        guard audioRoot == nil || manifest != nil else { throw ValidationError("--audio-root goes with --manifest") }
        guard ctmLag.isFinite, ctmLag >= 0 else { throw ValidationError("--ctm-lag must be >= 0 seconds") }
        guard ctm != nil || ctmLag == 0 else { throw ValidationError("--ctm-lag goes with --ctm") }
        try audio.validate()
    }

    func run() throws {
        let items: [DecodeItem]
        if let manifest {
            let url = URL(fileURLWithPath: manifest)
            items = try DecodeList.items(manifest: url, audioRoot: audioRoot.map { URL(fileURLWithPath: $0) }
                ?? DecodeList.audioRoot(ofManifest: url))
        } else if let wavScp {
            items = try DecodeList.items(wavScp: URL(fileURLWithPath: wavScp))
        } else {
            items = DecodeList.items(files: files)
        }
        let loaded = try ModelFolder(model)
        let online = loaded.info.model.kind == .attention
        let beam = self.beam ?? (stream && !online ? 1 : Self.defaultBeam)
        guard !stream || beam == 1 || online else {
            throw CommandError(description: "--stream --beam needs an attention model (online beam search); this model is "
                + "\(loaded.info.model.kind.rawValue): stream greedily, or decode offline with --beam")
        }
        var search = DecodingConfig()
        search.beamWidth = beam
        search.ctcWeight = ctcWeight
        let session = try DecodeSession(format: format, fold: fold, times: times, json: json, total: items.count,
                                        ctm: ctm.map { URL(fileURLWithPath: $0) }, stateSeconds: loaded.stateSeconds, lag: ctmLag)
        if stream {
            guard CommandWorld.isWriter else { return }  // online decoding is not shared out: rank 0 does it all
            try session.stream(items, loaded, search: search, audio: audio.options)
        } else {
            try session.offline(items, loaded, search: search, audio: audio.options, nbest: nbest)
        }
        try session.finish()
    }
}
