import AudioIO
import Corpus
import Foundation
import NeuralNet
import Recipes
import Scoring
import Training

/// An error carried as its description (the raw-PCM header check's, after the file readers accepted).
struct FuzzRefusal: Error, CustomStringConvertible {
    /// What the reader said.
    let message: String
    /// The message.
    var description: String { message }
}

extension FuzzTarget {
    /// Audio files (`AudioHeader.read`, `AudioReader.read`, `AudioStreamReader`) and the RIFF/NIST header
    /// sniffing of standard input (`PCMByteStream.layout`).
    static let audio = FuzzTarget(name: "audio", summary: "audio files and headers (WAV, SPHERE, FLAC, Ogg, raw)") { data in
        let url = Scratch.file("input.audio", data)
        let stdin = FuzzOutcome.of {
            let (format, headerBytes) = try PCMByteStream.layout(of: data, raw: RawPCMFormat(), source: "stdin")
            var decoder = PCMSampleDecoder(format: format)
            _ = decoder.decode(data.dropFirst(min(headerBytes, data.count)))
        }
        return FuzzOutcome.of {
            _ = try AudioHeader.read(url)
            _ = try AudioReader.read(url)
            let stream = try AudioStreamReader(url)
            while let block = try stream.next(frames: 4096), !block.isEmpty {}
            if case .refused(let message) = stdin { throw FuzzRefusal(message: message) }
        }
    }

    /// TIMIT label files: the first byte picks `.PHN` (checked against a 16000-sample audio, tiled or
    /// not), `.WRD` or `.TXT`; the rest is the file's text.
    static let labels = FuzzTarget(name: "labels", summary: ".PHN, .WRD and .TXT label files") { data in
        let (selector, rest) = data.selectorAndRest
        let text = String(decoding: rest, as: UTF8.self)
        return FuzzOutcome.of {
            switch selector % 4 {
            case 0: _ = try LabelFile.segments(from: text, kind: .phones, path: "fuzz.PHN", samples: 16000, tilingTolerance: 400)
            case 1: _ = try LabelFile.segments(from: text, kind: .phones, path: "fuzz.PHN")
            case 2: _ = try LabelFile.segments(from: text, kind: .words, path: "fuzz.WRD", samples: 16000)
            default: _ = try LabelFile.transcript(from: text, path: "fuzz.TXT")
            }
        }
    }

    /// Manifests (JSON Lines) as `asr features --manifest` and the stages read them.
    static let manifest = FuzzTarget(name: "manifest", summary: "manifests (JSON Lines)") { data in
        FuzzOutcome.of { _ = try Manifest.read(from: Scratch.file("input.jsonl", data)) }
    }

    /// Recipes (YAML) parsed and validated as `asr run --dry-run` does.
    static let recipe = FuzzTarget(name: "recipe", summary: "recipes (YAML)") { data in
        FuzzOutcome.of { _ = try Recipe.parse(String(decoding: data, as: UTF8.self), file: "fuzz.yaml") }
    }

    /// Score inputs: the first byte picks automatic detection, trn or Kaldi text; the rest is split at its
    /// first 0xFF byte into references and hypotheses (both of that format), which are then scored.
    static let score = FuzzTarget(name: "score", summary: "score inputs (trn, Kaldi text)") { data in
        let (selector, rest) = data.selectorAndRest
        let format: TranscriptFormat? = switch selector % 3 {
        case 0: nil
        case 1: .trn
        default: .kaldi
        }
        let bytes = [UInt8](rest)
        let cut = bytes.firstIndex(of: 0xFF) ?? bytes.count
        return FuzzOutcome.of {
            let table = TokenTable()
            let references = try Transcripts.parse(Array(bytes[..<cut]), file: "fuzz.ref", format: format, table: table)
            let hypotheses = try Transcripts.parse(Array(bytes[min(cut + 1, bytes.count)...]), file: "fuzz.hyp",
                                                   format: format, table: table)
            _ = try Scorer.score(references: references, hypotheses: hypotheses, hypothesisFile: "fuzz.hyp", table: table,
                                 map: nil, options: ScoringOptions())
        }
    }

    /// Safetensors files (`SafeTensors.decode`).
    static let safetensors = FuzzTarget(name: "safetensors", summary: "safetensors weights") { data in
        FuzzOutcome.of { _ = try SafeTensors.decode(data, file: "fuzz.safetensors") }
    }

    /// Model JSON: the first byte picks a model folder's `frontend.json` (`ModelFrontEnd.read`) or a
    /// checkpoint's `config.json` (`Checkpoint.loadConfig` and the model configuration's checks).
    static let modelJSON = FuzzTarget(name: "model-json", summary: "frontend.json and config.json") { data in
        let (selector, rest) = data.selectorAndRest
        return FuzzOutcome.of {
            if selector % 2 == 0 {
                _ = try ModelFrontEnd.read(from: Scratch.folder("model", holding: [ModelFrontEnd.fileName: rest]))
            } else {
                let folder = Scratch.folder("checkpoint", holding: [Checkpoint.configFile: rest])
                try Checkpoint.loadConfig(CheckpointInfo.self, from: folder).model.validate()
            }
        }
    }
}
