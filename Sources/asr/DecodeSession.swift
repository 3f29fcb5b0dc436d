import ArgumentParser
import Foundation
import Models
import Recipes
import Scoring

/// One `asr decode` run's output: whole lines on standard output, one line per problem on standard
/// error, progress, and at the end the real-time factor and exit status 1 when an item failed.
final class DecodeSession {
    let format: TranscriptFormat
    let fold: PhoneFold
    let times: Bool
    /// One JSON object per utterance instead of text (`--json`).
    let json: Bool
    let total: Int
    private var failures = 0
    private var audioSeconds = 0.0
    private let started = Date()
    private let progress: ProgressReporter?
    private var done = 0
    private let ctm: FileHandle?
    private let stateSeconds: Double
    private let lag: Double

    init(format: TranscriptFormat, fold: PhoneFold, times: Bool, json: Bool = false, total: Int, ctm: URL?,
         stateSeconds: Double, lag: Double) throws {
        if let ctm, CommandWorld.isWriter {
            guard FileManager.default.createFile(atPath: ctm.path, contents: nil) else {
                throw CommandError(description: "\(ctm.path): cannot be written (--ctm)")
            }
            self.ctm = try FileHandle(forWritingTo: ctm)
        } else {
            self.ctm = nil
        }
        self.stateSeconds = stateSeconds
        self.lag = lag
        self.format = format
        self.fold = fold
        self.times = times
        self.json = json
        self.total = total
        progress = total > 1 ? ProgressReporter(label: "decode", total: total, unit: "utts", interval: 10) : nil
    }

    /// A phone as printed: folded to the 39 classes with --fold 39 (nil: deleted).
    func shown(_ phone: String) -> String? {
        fold == .timit39 ? PhoneTranscript.scoringClass(of: phone) : phone
    }

    /// One phone token, with its time under --times.
    func token(_ phone: String, _ time: Double?) -> String {
        times ? phone + "@" + (time.map { String(format: "%.2f", $0) } ?? "-") : phone
    }

    /// The whole output line of `transcript` in the chosen format.
    func line(_ transcript: PhoneTranscript) -> String {
        var tokens: [String] = []
        for (phone, time) in zip(transcript.phones, transcript.times) {
            if let phone = shown(phone) { tokens.append(token(phone, time)) }
        }
        return format == .trn ? (tokens + ["(\(transcript.id))"]).joined(separator: " ")
            : ([transcript.id] + tokens).joined(separator: " ")
    }

    /// The output lines of an n-best list (best first): one line each, ids suffixed `-1`, `-2`, … (Kaldi's
    /// n-best convention) when the list has more than the best alone.
    func lines(_ nbest: [PhoneTranscript], listed: Bool) -> String {
        guard listed else { return line(nbest[0]) + "\n" }
        return nbest.enumerated().map { rank, transcript in
            var ranked = transcript
            ranked.id += "-\(rank + 1)"
            return line(ranked) + "\n"
        }.joined()
    }

    /// The `--json` line of an utterance: `{"id", "phones", "logProbability"}`, with `"times"` under --times
    /// and `"nbest": [{"phones", "logProbability"}]` (best first) when `listed`.
    func jsonLine(_ nbest: [PhoneTranscript], listed: Bool) -> String {
        func phones(_ t: PhoneTranscript) -> [String] { t.phones.compactMap(shown) }
        func score(_ t: PhoneTranscript) -> Any { t.logProbability.map { Double($0) } ?? NSNull() }
        let best = nbest[0]
        var object: [String: Any] = ["id": best.id, "phones": phones(best), "logProbability": score(best)]
        if times {
            object["times"] = zip(best.phones, best.times).compactMap { phone, time -> Any? in
                shown(phone) == nil ? nil : (time.map { ($0 * 100).rounded() / 100 } ?? NSNull()) as Any
            }
        }
        if listed { object["nbest"] = nbest.map { ["phones": phones($0), "logProbability": score($0)] as [String: Any] } }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Everything printed for one decoded utterance, in the chosen output.
    func output(_ nbest: [PhoneTranscript], listed: Bool = false) -> String {
        json ? jsonLine(nbest, listed: listed) : lines(nbest, listed: listed)
    }

    func write(_ text: String) { FileHandle.standardOutput.write(Data(text.utf8)) }

    /// Writes the CTM lines of `transcript` (as printed: folded with --fold 39) when --ctm asks for them.
    func writeCTM(_ transcript: PhoneTranscript) {
        guard let ctm else { return }
        let shown = fold == .timit39 ? transcript.folded39() : transcript
        let lines = shown.ctmLines(stateSeconds: stateSeconds, lag: lag)
        if !lines.isEmpty { ctm.write(Data((lines.joined(separator: "\n") + "\n").utf8)) }
    }

    /// Reports a problem with `item` on standard error.
    func note(_ item: DecodeItem, _ message: String) {
        writeStandardError("asr decode: \(item.id) (\(item.location)): \(message)\n")
    }

    func failed(_ item: DecodeItem, _ message: String) {
        failures += 1
        note(item, message + "; skipped")
    }

    func advance() {
        done += 1
        progress?.update(done)
    }

    /// Decodes `items` offline, in parallel groups, printing each line in input order.
    func offline(_ items: [DecodeItem], _ loaded: ModelFolder, search: DecodingConfig, audio: AudioInputOptions,
                 nbest: Int = 1) throws {
        var decoder = BatchDecoder(folder: loaded, search: search, audio: audio, nbest: nbest)
        try decoder.decode(items) { item, outcome in
            switch outcome {
            case .decoded(let transcripts):
                write(output(transcripts, listed: nbest > 1))
                writeCTM(transcripts[0])
            case .unusable(let transcript, let reason):
                note(item, reason.description)
                write(output([transcript], listed: nbest > 1))
            case .failed(let message):
                failed(item, message)
            }
            advance()
        }
        audioSeconds = decoder.audioSeconds
    }

    /// Decodes `items` one after the other online, printing each phone as it is emitted. The id is
    /// printed once the input has proved usable (long enough, not digital silence); a line broken by a
    /// read error is ended where the error struck and the error reported.
    func stream(_ items: [DecodeItem], _ loaded: ModelFolder, search: DecodingConfig, audio: AudioInputOptions) throws {
        for item in items {
            let recognizer = try StreamingRecognizer(loaded, search: search)
            let rate = Double(recognizer.sampleRate)
            var held: [String] = [], started = false, needSpace = false
            var decided = PhoneTranscript(id: item.id, phones: [], times: [])
            func emit(_ phones: [(phone: String, time: Double?)]) throws {
                decided.phones += phones.map(\.phone)
                decided.times += phones.map(\.time)
                for (phone, time) in phones { if let phone = shown(phone) { held.append(token(phone, time)) } }
                guard recognizer.unusable(audio) == nil, !json else { return }
                if !started, format == .kaldi {
                    write(item.id)
                    needSpace = true
                }
                started = true
                for token in held {
                    write((needSpace ? " " : "") + token)
                    needSpace = true
                }
                held = []
            }
            func endLine() {
                write(format == .trn ? (needSpace ? " " : "") + "(\(item.id))\n" : "\n")
            }
            do {
                switch item.source {
                case .file(let path): try recognizer.recognize(file: URL(fileURLWithPath: path), options: audio, emit: emit)
                case .standardInput: try recognizer.recognize(stream: FileHandle.standardInput, source: item.location,
                                                              options: audio, emit: emit)
                case .command(let command): try streamCommand(command, item, recognizer, audio: audio, emit: emit)
                }
            } catch {
                if started { endLine() }
                failed(item, "\(error)" + (started ? " (its line ends where the error struck)" : ""))
                advance()
                continue
            }
            audioSeconds += Double(recognizer.samplesSeen) / rate
            let reason = recognizer.unusable(audio)
            if json {
                if let reason { note(item, reason.description) }
                write(jsonLine([reason == nil ? decided : PhoneTranscript(id: item.id, phones: [], times: [])], listed: false))
                if reason == nil { writeCTM(decided) }
            } else if !started {
                note(item, reason?.description ?? "no usable frames; empty hypothesis")
                write(format == .trn ? "(\(item.id))\n" : "\(item.id)\n")
            } else {
                endLine()
                writeCTM(decided)
            }
            advance()
        }
    }

    /// Runs a wav.scp command and decodes its standard output as it arrives.
    private func streamCommand(_ command: String, _ item: DecodeItem, _ recognizer: StreamingRecognizer,
                               audio: AudioInputOptions, emit: ([(phone: String, time: Double?)]) throws -> Void) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        try recognizer.recognize(stream: output.fileHandleForReading, source: item.location, options: audio, emit: emit)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CommandError(description: "`\(command)` exited with status \(process.terminationStatus)")
        }
    }

    /// The closing line (utterances, audio, real-time factor) on standard error; exit status 1 when an item failed.
    func finish() throws {
        guard CommandWorld.isWriter else { return }  // rank 0 delivered every item
        let elapsed = Date().timeIntervalSince(started)
        writeStandardError(String(format: "asr decode: %d of %d utterance(s) decoded, %.1f s of audio in %.1f s, real-time factor %.3f\n",
                                  total - failures, total, audioSeconds, elapsed, audioSeconds > 0 ? elapsed / audioSeconds : 0))
        if failures > 0 {
            writeStandardError("asr decode: \(failures) utterance(s) could not be decoded (see above)\n")
            throw ExitCode(1)
        }
    }
}
