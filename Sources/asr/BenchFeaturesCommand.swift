import ArgumentParser
import Benchmarking
import Features
import Foundation
import ProcessRunner
import Recipes

/// `asr bench features`: Single-thread feature extraction speed in times real time.
struct BenchFeatures: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Single-thread feature extraction speed in times real time.",
        discussion: """
            Times fbank on audio held in memory (synthesised speech-like audio, or --audio FILE tiled),
            cut into utterances of --utterance-seconds (TIMIT's are about 3 s; 0 = one utterance),
            one thread, file reading excluded: one warm-up, then --repeat runs; reports the best.
            Defaults: --num-mel-bins 80 --dither 0, other options Kaldi's. --peer also runs
            Benchmarks/knf_bench.py (kaldi-native-fbank) on the same audio with the same options.
            """
    )

    @Option(help: "Seconds of audio (>= 1).")
    var seconds: Double = 600
    @Option(name: .customLong("utterance-seconds"), help: "Length of each utterance the audio is cut into, 0 = one utterance.")
    var utteranceSeconds: Double = 3
    @Option(help: "Timed runs after one warm-up.")
    var `repeat`: Int = 5
    @Option(help: "Tile this audio file instead of synthesising.")
    var audio: String?
    @Flag(help: "Also measure kaldi-native-fbank with the peer script on the same audio.")
    var peer = false
    @Option(name: .customLong("peer-script"), help: "The peer script.")
    var peerScript: String = "Benchmarks/knf_bench.py"
    @Flag(help: "Print one JSON object.")
    var json = false
    @OptionGroup var fbank: FbankArguments

    func validate() throws {
        if seconds < 1 { throw ValidationError("--seconds \(seconds): expected >= 1") }
        if utteranceSeconds < 0 { throw ValidationError("--utterance-seconds \(utteranceSeconds): expected >= 0") }
        if self.repeat < 1 { throw ValidationError("--repeat \(self.repeat): expected >= 1") }
    }

    func run() throws {
        var base = FbankOptions()
        base.numMelBins = 80
        base.dither = 0
        let options = try fbank.apply(to: base)
        let samples: [Float]
        if let audio {
            let (source, rate) = try FeatureExtraction.samples(of: URL(fileURLWithPath: audio))
            guard rate == options.sampleFrequency else {
                throw ValidationError("--audio \(audio) is \(Int(rate)) Hz; pass --sample-frequency \(Int(rate))")
            }
            samples = FeatureBenchmark.tile(source, seconds: seconds, rate: rate)
        } else {
            samples = FeatureBenchmark.synthesize(seconds: seconds, rate: options.sampleFrequency)
        }
        let utterances = FeatureBenchmark.utterances(samples, seconds: utteranceSeconds, rate: options.sampleFrequency)
        let result = try FeatureBenchmark.measure(utterances, options: options, repeats: self.repeat)
        var peerResult: [String: Any]?
        if peer { peerResult = try runPeer(samples, options: options) }
        if json {
            var object: [String: Any] = [
                "benchmark": "features", "engine": "MonotonicASR Fbank (FFTW)", "threads": 1,
                "audio_seconds": result.audioSeconds, "frames": result.frames, "utterances": utterances.count, "num_mel_bins": options.numMelBins,
                "best_seconds": result.best, "median_seconds": result.median, "runs": result.times.walls,
                "best_processor_seconds": result.times.bestProcessor,
                "realtime_factor": result.realtimeFactor, "microseconds_per_frame": result.microsecondsPerFrame,
                "fftw_wisdom": Fbank.fftWisdomAccepted,
            ]
            if let peerResult { object["peer"] = peerResult }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(String(format: "fbank (%d bins, 1 thread): %.0f s of audio in %d utterances, %d frames, best %.4f s, median %.4f s: %.0fx real time, %.3f us/frame",
                         options.numMelBins, result.audioSeconds, utterances.count, result.frames, result.best, result.median,
                         result.realtimeFactor, result.microsecondsPerFrame))
            if let peerResult, let factor = peerResult["realtime_factor"] as? Double {
                print(String(format: "kaldi-native-fbank %@: %.0fx real time (ours %.1fx faster)",
                             peerResult["version"] as? String ?? "", factor, result.realtimeFactor / factor))
            }
        }
    }

    /// Runs the peer script on the same samples (raw float32 in a temporary file) and parses its JSON.
    private func runPeer(_ samples: [Float], options: FbankOptions) throws -> [String: Any] {
        let raw = FileManager.default.temporaryDirectory.appendingPathComponent("asr-bench-\(UUID().uuidString).f32")
        try FeatureBenchmark.writeRaw(samples, to: raw)
        defer { try? FileManager.default.removeItem(at: raw) }
        let arguments = ["python3", peerScript, "--input", raw.path, "--rate", String(options.sampleFrequency),
                         "--num-mel-bins", String(options.numMelBins), "--repeat", String(self.repeat),
                         "--utterance-seconds", String(utteranceSeconds),
                         "--snip-edges", options.snipEdges ? "true" : "false", "--window-type", options.windowType.rawValue,
                         "--use-energy", options.useEnergy ? "true" : "false", "--high-freq", String(options.highFreq)]
        var environment = ProcessInfo.processInfo.environment
        for name in ["OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"] { environment[name] = "1" }
        let result = try ChildProcess.run("/usr/bin/env", arguments, environment: environment)
        guard result.status == 0,
              let object = try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any] else {
            throw ValidationError("peer script \(peerScript) failed (status \(result.status))")
        }
        return object
    }
}
