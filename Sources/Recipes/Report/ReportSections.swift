import AudioIO
import Corpus
import Foundation
import Scoring

/// The sections of the comparison page, each an HTML fragment.
struct ReportSections {
    /// The experiments, in the order given.
    var records: [ExperimentRecord]
    /// Each one's score (nil when it could not be scored).
    var scored: [ScoredExperiment?]
    /// MAPSSWE between experiments on the same test set.
    var comparisons: [ReportComparison]
    /// The report's options.
    var options: ReportOptions
    /// Each experiment's test PER (%) under every search its decode stage kept, by label (`greedy`, `beam8`, ...).
    var searchErrorRates: [[String: Double]] = []
    /// Each experiment's model alignment pictures (SVG) of the chosen utterances, by id, or why there are none.
    var modelPictures: [Result<[String: String], ReportError>] = []

    /// Line colours, one per experiment in order (cycled).
    static let colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#7f7f7f"]

    private func h(_ text: String) -> String { HTMLReport.html(text) }
    private func percent(_ value: Double?) -> String { value.map { String(format: "%.2f", $0) } ?? "—" }
    private func absentNote(_ index: Int) -> String {
        records[index].absent.isEmpty ? "" : "<br><span class=\"absent\">absent: \(h(records[index].absent.joined(separator: ", ")))</span>"
    }

    /// The greedy test PER: the kept greedy decode's, else the recipe's decode when it is greedy.
    private func greedyCell(_ index: Int, recipe: Double?) -> String {
        let kept = index < searchErrorRates.count ? searchErrorRates[index]["greedy"] : nil
        return percent(kept ?? (records[index].beamWidth <= 1 ? recipe : nil))
    }

    /// The beam test PERs, each with its search (`30.35 (beam8)`), from the kept decodes, else the
    /// recipe's decode when it is a beam search.
    private func beamCell(_ index: Int, recipe: Double?) -> String {
        let kept = (index < searchErrorRates.count ? searchErrorRates[index] : [:]).filter { $0.key.hasPrefix("beam") }
        if kept.isEmpty { return records[index].beamWidth > 1 ? percent(recipe) : "—" }
        return kept.sorted { $0.key < $1.key }.map { "\(percent($0.value)) (\(h($0.key)))" }.joined(separator: "<br>")
    }

    /// The summary table and the significance table.
    var summary: String {
        var out = """
            <h2 id="summary">Summary</h2>
            <p>Test PER is scored sclite-style on each experiment's decoded split, folded as its recipe says (39 classes by \
            default); dev PER is the best epoch's greedy error rate on the 48 training phones.</p>
            <table class="sortable" id="summary-table"><thead><tr><th class="name">experiment</th><th class="name">family and key options</th>\
            <th>parameters</th><th>training time</th><th>epochs</th><th>dev PER %</th><th>test PER % greedy</th><th>test PER % beam</th>\
            <th>Sub</th><th>Del</th><th>Ins</th><th>N</th></tr></thead><tbody>

            """
        for (index, record) in records.enumerated() {
            let totals = scored[index]?.result.totals
            let per = totals?.errorRate
            let time = record.trainingSeconds.map { String(format: "%d:%02d", Int($0) / 60, Int($0) % 60) } ?? "—"
            let options = ([record.family] + record.keyOptions + ["decode beam \(record.beamWidth)", "fold \(record.fold.rawValue)"])
                .joined(separator: ", ")
            out += "<tr><td class=\"name\">\(h(record.name))\(absentNote(index))</td><td class=\"name\">\(h(options))</td>"
            out += "<td>\(record.parameters.map(String.init) ?? "—")</td><td>\(time)</td><td>\(record.history.count)</td>"
            out += "<td>\(percent(record.bestDevErrorRate.map { 100 * $0 }))</td>"
            out += "<td>\(greedyCell(index, recipe: per))</td><td>\(beamCell(index, recipe: per))</td>"
            out += "<td>\(totals.map { String($0.substitutions) } ?? "—")</td><td>\(totals.map { String($0.deletions) } ?? "—")</td>"
            out += "<td>\(totals.map { String($0.insertions) } ?? "—")</td><td>\(totals.map { String($0.referenceTokens) } ?? "—")</td></tr>\n"
        }
        out += "</tbody></table>\n"
        out += "<h3>Matched-pairs sentence-segment word error test (MAPSSWE, sclite's <code>-t mapsswe</code>)</h3>\n"
        if comparisons.isEmpty {
            out += "<p class=\"absent\">No two scored experiments share a test set: no significance test.</p>\n"
            return out
        }
        out += """
            <table id="significance"><thead><tr><th class="name">system A</th><th class="name">system B</th><th>segments</th>\
            <th>errors A</th><th>errors B</th><th>mean difference (A − B)</th><th>Z</th><th>p (two-tailed)</th>\
            <th class="name">verdict at 5%</th></tr></thead><tbody>

            """
        for comparison in comparisons {
            let test = comparison.test, significant = test.isSignificant()
            let better = test.meanDifference < 0 ? records[comparison.a].name : records[comparison.b].name
            out += "<tr><td class=\"name\">\(h(records[comparison.a].name))</td><td class=\"name\">\(h(records[comparison.b].name))</td>"
            out += "<td>\(test.segments)</td><td>\(test.errorsA)</td><td>\(test.errorsB)</td>"
            out += String(format: "<td>%.3f</td><td>%.3f</td>", test.meanDifference, test.z)
            out += significant ? String(format: "<td class=\"significant\">%.4g ✱</td>", test.pValue) : String(format: "<td>%.4g</td>", test.pValue)
            out += "<td class=\"name\">\(significant ? "significant: \(h(better)) is better" : "not significant")</td></tr>\n"
        }
        return out + "</tbody></table>\n<p>✱ p &lt; 0.05.</p>\n"
    }

    /// Loss and dev PER of every experiment overlaid on shared axes.
    var curves: String {
        let withHistory = records.indices.filter { !records[$0].history.isEmpty }
        var out = "<h2 id=\"curves\">Training curves</h2>\n"
        guard !withHistory.isEmpty else { return out + "<p class=\"absent\">No experiment has a training history.</p>\n" }
        let loss = SVGLineChart(title: "training loss per label (each family's own loss)", xLabel: "epoch",
                                yLabel: "loss (nats per label)", series: withHistory.map { index in
            .init(name: records[index].name, points: records[index].history.map { (Double($0.epoch), Double($0.trainLoss)) },
                  color: Self.colors[index % Self.colors.count])
        })
        let per = SVGLineChart(title: "dev phone error rate (48 phones, greedy)", xLabel: "epoch", yLabel: "dev PER (%)",
                               series: withHistory.map { index in
            .init(name: records[index].name, points: records[index].history.map { (Double($0.epoch), 100 * $0.devErrorRate) },
                  color: Self.colors[index % Self.colors.count])
        })
        return out + "<div class=\"row\"><div class=\"figure\">\(loss.svg)</div><div class=\"figure\">\(per.svg)</div></div>\n"
    }

    /// The per-speaker PER table (sortable), one column per scored experiment.
    var speakers: String {
        var out = "<h2 id=\"speakers\">Per-speaker PER (%)</h2>\n"
        let columns = records.indices.filter { scored[$0] != nil }
        guard !columns.isEmpty else { return out + "<p class=\"absent\">No experiment could be scored.</p>\n" }
        var table: [String: [Int: Double]] = [:]
        var sentences: [String: Int] = [:]
        for index in columns {
            for speaker in scored[index]!.result.speakers {
                table[speaker.speaker, default: [:]][index] = speaker.counts.errorRate
                sentences[speaker.speaker] = speaker.sentences
            }
        }
        out += "<p>Click a column heading to sort.</p>\n<table class=\"sortable\" id=\"speaker-table\"><thead><tr><th class=\"name\">speaker</th><th>sentences</th>"
        out += columns.map { "<th>\(h(records[$0].name))</th>" }.joined() + "</tr></thead><tbody>\n"
        for speaker in table.keys.sorted() {
            out += "<tr><td class=\"name\">\(h(speaker))</td><td>\(sentences[speaker] ?? 0)</td>"
            out += columns.map { "<td>\(percent(table[speaker]?[$0]))</td>" }.joined() + "</tr>\n"
        }
        return out + "</tbody></table>\n"
    }

    /// Each experiment's most frequent confusions and its confusion heat map.
    var confusions: String {
        var out = "<h2 id=\"confusions\">Confusions</h2>\n"
        for (index, record) in records.enumerated() {
            out += "<h3>\(h(record.name))</h3>\n"
            guard let score = scored[index] else { out += "<p class=\"absent\">absent: not scored\(absentNote(index))</p>\n"; continue }
            out += "<div class=\"row\"><table class=\"confusions\"><thead><tr><th class=\"name\">reference</th><th class=\"name\">hypothesis</th><th>count</th></tr></thead><tbody>\n"
            for pair in score.result.confusionPairs.prefix(15) {
                out += "<tr><td class=\"name\">\(h(pair.reference))</td><td class=\"name\">\(h(pair.hypothesis))</td><td>\(pair.count)</td></tr>\n"
            }
            out += "</tbody></table>\n"
            let counts = score.confusions
            let classes = record.fold == .timit39 ? PhoneSet.scoring39.phones
                : Set(counts.keys).union(counts.values.flatMap(\.keys)).subtracting(["(del)", "(ins)"]).sorted()
            let map = SVGHeatMap(title: "\(record.name): confusions over \(classes.count) classes", rows: classes + ["(ins)"],
                                 columns: classes + ["(del)"], counts: counts)
            out += "<div class=\"figure heatmap\">\(map.svg)</div></div>\n"
        }
        return out
    }

    /// The chosen utterances: audio, sclite-style alignments and emission times against the reference phones.
    var utterances: String {
        var out = "<h2 id=\"utterances\">Utterances</h2>\n"
        let entries = Dictionary(records.flatMap(\.references).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let ids = chosenUtterances()
        guard !ids.isEmpty else { return out + "<p class=\"absent\">No utterance to show.</p>\n" }
        out += options.utterances.isEmpty
            ? "<p>Chosen by mean PER over the experiments, spread from the worst to the best.</p>\n" : ""
        for id in ids {
            guard let entry = entries[id] else {
                out += "<h3>\(h(id))</h3><p class=\"absent\">absent: no experiment's references hold this utterance</p>\n"
                continue
            }
            out += "<h3 class=\"utterance\">\(h(id)) (speaker \(h(entry.speaker)))</h3>\n<p>\(h(entry.text))</p>\n"
            if options.audio { out += audio(entry) }
            var rows: [SVGTimeAlignment.Row] = []
            var text = ""
            for (index, record) in records.enumerated() {
                guard let alignment = scored[index]?.alignments[id] else {
                    text += "<b>\(h(record.name))</b>: <span class=\"absent\">absent</span>\n"
                    continue
                }
                text += "<b>\(h(record.name))</b>\n" + sclite(alignment) + "\n"
                if let emitted = record.times[id] {
                    let hypothesisMarks = alignment.operations.filter { $0 != .deletion }.map { $0 == .correct }
                    rows.append(.init(name: record.name, phones: emitted.map { ($0.phone, $0.seconds) },
                                      correct: hypothesisMarks.count == emitted.count ? hypothesisMarks : []))
                }
            }
            out += "<pre class=\"alignment\">\(text)</pre>\n"
            let rate = Double(max(entry.sampleRate, 1))
            let picture = SVGTimeAlignment(
                title: "\(id): emitted phones (green correct, red error) against the reference phones",
                duration: Double(entry.samples) / rate,
                reference: entry.phones.map { ($0.label, Double($0.start) / rate, Double($0.end) / rate) }, rows: rows)
            out += "<div class=\"figure\">\(picture.svg)</div>\n"
            for (index, record) in records.enumerated() where index < modelPictures.count {
                switch modelPictures[index] {
                case .success(let pictures):
                    if let svg = pictures[id] { out += "<div class=\"figure model-alignment\">\(svg)</div>\n" }
                case .failure(let error):
                    out += "<p class=\"absent\">\(h(record.name)): no model alignment picture (\(h(error.description)))</p>\n"
                }
            }
        }
        return out
    }

    /// One utterance's reference and hypothesis aligned sclite-style, errors coloured (S, D, I).
    func sclite(_ alignment: UtteranceAlignment) -> String {
        var ref: [String] = [], hyp: [String] = []
        for (r, w, operation) in alignment.columns {
            let width = max(r?.count ?? 1, w?.count ?? 1)
            func cell(_ token: String?) -> String {
                let padded = (token ?? String(repeating: "*", count: width)).padding(toLength: width, withPad: " ", startingAt: 0)
                switch operation {
                case .correct: return h(padded)
                case .substitution: return "<span class=\"S\">\(h(padded))</span>"
                case .deletion: return "<span class=\"D\">\(h(padded))</span>"
                case .insertion: return "<span class=\"I\">\(h(padded))</span>"
                }
            }
            ref.append(cell(r))
            hyp.append(cell(w))
        }
        let counts = ErrorCounts(alignment.operations)
        return "REF:  " + ref.joined(separator: " ") + "\nHYP:  " + hyp.joined(separator: " ")
            + "\nScores: (#C #S #D #I) \(counts.correct) \(counts.substitutions) \(counts.deletions) \(counts.insertions)\n"
    }

    /// The utterances asked for, or `utteranceCount` spread over the ranking by mean PER (worst first).
    func chosenUtterances() -> [String] {
        if !options.utterances.isEmpty { return options.utterances }
        var rates: [String: [Double]] = [:]
        for score in scored.compactMap({ $0 }) {
            for utterance in score.result.utterances {
                rates[utterance.id, default: []].append(utterance.counts.errorRate ?? 0)
            }
        }
        let means: [(id: String, rate: Double)] = rates.map { entry in
            (id: entry.key, rate: entry.value.reduce(0, +) / Double(entry.value.count))
        }
        let ranked: [String] = means.sorted { a, b in a.rate != b.rate ? a.rate > b.rate : a.id < b.id }.map(\.id)
        let count = min(options.utteranceCount, ranked.count)
        guard count > 0 else { return [] }
        if count == 1 { return [ranked[0]] }
        let last = ranked.count - 1
        return (0..<count).map { (position: Int) -> String in ranked[position * last / (count - 1)] }
    }

    /// An audio element with the utterance's audio embedded as a base64 WAV, or a note saying why not.
    func audio(_ entry: ManifestEntry) -> String {
        guard let root = records.first(where: { $0.references.contains { $0.id == entry.id } })?.corpusRoot else {
            return "<p class=\"absent\">audio absent: no data/corpus-root.txt</p>\n"
        }
        let url = entry.audio.hasPrefix("/") ? URL(fileURLWithPath: entry.audio) : root.appendingPathComponent(entry.audio)
        guard let audio = try? AudioReader.read(url) else {
            return "<p class=\"absent\">audio absent: cannot read \(h(url.path))</p>\n"
        }
        let wav = WAVEncoding.pcm16(audio.samples, sampleRate: audio.sampleRate, channels: audio.channels)
        return "<audio controls preload=\"none\" src=\"data:audio/wav;base64,\(wav.base64EncodedString())\"></audio>\n"
    }

    /// Each experiment's alignment pictures of its last training epoch (dev utterances), inlined and folded away.
    var trainingAlignments: String {
        var out = "<h2 id=\"alignments\">Alignment pictures of the last training epoch (dev utterances)</h2>\n"
        for record in records {
            let pictures = record.alignmentPictures.compactMap { try? String(contentsOf: $0, encoding: .utf8) }
                .filter { $0.hasPrefix("<svg") }
            guard !pictures.isEmpty else {
                out += "<p class=\"absent\">\(h(record.name)): absent (no plots/attention/*-epochNN.svg)</p>\n"
                continue
            }
            out += "<details><summary>\(h(record.name)): \(pictures.count) pictures</summary>\n"
            out += pictures.map { "<div class=\"figure training-alignment\">\($0)</div>\n" }.joined() + "</details>\n"
        }
        return out
    }

    /// Each experiment's command and resolved recipe.
    var recipes: String {
        var out = "<h2 id=\"recipes\">How each experiment was made</h2>\n"
        for (index, record) in records.enumerated() {
            out += "<details><summary>\(h(record.name)): <code>\(h(record.command))</code>\(absentNote(index))</summary>\n"
            out += "<pre>\(h(record.recipeText ?? "(recipe.yaml absent)"))</pre></details>\n"
        }
        return out
    }
}
