import ArgumentParser
import Corpus
import Foundation
import Recipes

/// `asr prepare`: Write train/dev/test manifests from a corpus.
struct Prepare: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prepare",
        abstract: "Write train/dev/test manifests from a TIMIT-layout corpus.",
        subcommands: [PrepareTimit.self]
    )
}

/// `asr prepare timit CORPUS_DIR --out DIR`: train.jsonl, dev.jsonl, test.jsonl (core test), test-full.jsonl.
struct PrepareTimit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timit",
        abstract: "Write train, dev, core test and full test manifests from a TIMIT-layout corpus.",
        discussion: """
            Reads <CORPUS_DIR>/TRAIN|TEST/DRn/<speaker>/<sentence>.WAV|PHN|WRD|TXT (any case) and writes \
            train.jsonl, dev.jsonl, test.jsonl (core test) and test-full.jsonl into --out. SA sentences are \
            left out unless --include-sa. A bad utterance is skipped and listed unless --strict. Dev and \
            core test are the TEST/ speakers of the speaker lists; test-full is all of TEST/.
            """
    )

    @Argument(help: "Root of the TIMIT-layout corpus (the folder holding TRAIN and TEST).")
    var corpusDir: String

    @Option(help: "Folder for the manifests (created if needed).")
    var out: String

    @Flag(help: "Stop at the first problem instead of skipping the utterance; each .PHN must tile its audio (no gap between phones, first and last phone within 25 ms of the audio's ends).")
    var strict = false

    @Flag(name: .customLong("include-sa"), help: "Keep the SA sentences.")
    var includeSA = false

    @Option(help: "Dev speaker list, one id a line (default: CORPUS_DIR/dev_spk.list if present, else the standard 50).")
    var devSpeakers: String?

    @Option(help: "Core test speaker list, one id a line (default: CORPUS_DIR/test_spk.list if present, else the standard 24).")
    var testSpeakers: String?

    func run() throws {
        let corpus = URL(fileURLWithPath: corpusDir)
        let (lists, sources) = try CorpusPreparation.speakerLists(
            corpus: corpus, devFile: devSpeakers.map { URL(fileURLWithPath: $0) },
            testFile: testSpeakers.map { URL(fileURLWithPath: $0) })
        let options = TimitPrepareOptions(includeSA: includeSA, strict: strict, speakers: lists)
        let outURL = URL(fileURLWithPath: out)
        let result = try CorpusPreparation.prepareTimit(corpus: corpus, out: outURL, options: options)
        for line in sources + CorpusPreparation.report(result, out: outURL, options: options) { print(line) }
        // Manifests hold audio paths relative to the corpus, which corpus-root.txt names.
        let record = outURL.appendingPathComponent(CorpusPreparation.corpusRootFile).relativePath
        print("audio paths are relative to \(corpusDir) (recorded in \(record)); next: asr features --manifest "
              + "\(outURL.appendingPathComponent("train.jsonl").relativePath) --out FEATS_DIR --cmvn-stats")
    }
}
