import AtomicFiles
import Foundation
import Training

/// Options of `asr report`.
public struct ReportOptions: Sendable, Equatable {
    /// Utterance ids to show in detail; empty chooses `utteranceCount` by PER rank.
    public var utterances: [String] = []
    /// How many utterances to choose by PER rank when `utterances` is empty (spread from worst to best). Default 4.
    public var utteranceCount = 4
    /// Whether each shown utterance's audio is embedded (base64 WAV). Default true.
    public var audio = true
    /// The page title.
    public var title = "MonotonicASR experiments"

    /// The defaults, with `title` when given.
    public init(title: String? = nil) {
        if let title { self.title = title }
    }

    /// Throws `ReportError.invalidOption` when `utteranceCount` is negative.
    public func validate() throws(ReportError) {
        if utteranceCount < 0 { throw .invalidOption("--count must be ≥ 0 (got \(utteranceCount))") }
    }
}

/// The comparison page of one or more experiment folders: one self-contained HTML file (inline CSS, SVG,
/// a small sorting script and base64 audio; nothing fetched).
public enum HTMLReport {
    /// Reads `folders`, scores them and writes the page to `output` atomically (creating its folder); experiments sharing a
    /// name are told apart by their folder's name.
    /// Throws `ReportError` when a folder does not exist (absent parts inside a folder are marked, not thrown).
    public static func write(experiments folders: [URL], to output: URL, options: ReportOptions = .init()) throws {
        try options.validate()
        let records = try folders.map { try ExperimentRecord(folder: $0) }
        try FileManager.default.createDirectory(at: output.deletingLastPathComponent(), withIntermediateDirectories: true)
        try AtomicFile.write(Data(page(records, options: options).utf8), to: output)
    }

    /// Each of `ids` in `record`'s decoded split drawn by its trained model (`train/best`) as the model's
    /// alignment picture on a time axis in seconds with the reference phone boundaries; why not, when the
    /// model, its front end or the split's features cannot be read.
    static func modelPictures(_ record: ExperimentRecord, ids: [String]) -> Result<[String: String], ReportError> {
        guard !ids.isEmpty else { return .success([:]) }
        do {
            let (model, _) = try CheckpointStore.loadModel(from: record.experiment.train)
            let frontEnd = try ModelFrontEnd.read(from: record.experiment.train)
            let data = try TrainingData.load(split: record.split, experiment: record.experiment, frontEnd: frontEnd)
            let entries = Dictionary(record.references.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            var pictures: [String: String] = [:]
            for example in data.examples where ids.contains(example.id) {
                pictures[example.id] = TrainingPlots.alignmentImage(model: model, example: example, entry: entries[example.id],
                                                                    phones: frontEnd.phones,
                                                                    title: { "\(record.name): \(example.id), \($0)" })?.svg
            }
            return .success(pictures)
        } catch {
            return .failure(.notAnExperiment(path: record.experiment.train.path, reason: "\(error)"))
        }
    }

    /// The page of `records`.
    public static func page(_ records: [ExperimentRecord], options: ReportOptions) -> String {
        var records = records
        let names = records.map(\.name)
        for index in records.indices where names.filter({ $0 == names[index] }).count > 1 {
            records[index].name += " (\(records[index].experiment.root.lastPathComponent))"
        }
        let results = ReportScoring.score(records)
        for (index, result) in results.enumerated() {
            if case .failure(let error) = result, !records[index].references.isEmpty, records[index].hypothesisFile != nil {
                records[index].absent.append("a score (\(error.description))")
            }
        }
        let scored = results.map { try? $0.get() }
        let comparisons = ReportScoring.comparisons(scored, folds: records.map(\.fold))
        var sections = ReportSections(records: records, scored: scored, comparisons: comparisons, options: options,
                                      searchErrorRates: ReportScoring.searchErrorRates(records))
        let chosen = sections.chosenUtterances()
        sections.modelPictures = records.map { modelPictures($0, ids: chosen) }
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(html(options.title))</title>
            <style>\(style)</style>
            </head><body>
            <h1>\(html(options.title))</h1>
            <nav><a href="#summary">summary</a> · <a href="#curves">training curves</a> · <a href="#speakers">speakers</a> · \
            <a href="#confusions">confusions</a> · <a href="#utterances">utterances</a> · <a href="#alignments">alignment pictures</a> · \
            <a href="#recipes">recipes</a></nav>
            \(sections.summary)
            \(sections.curves)
            \(sections.speakers)
            \(sections.confusions)
            \(sections.utterances)
            \(sections.trainingAlignments)
            \(sections.recipes)
            <script>\(sortScript)</script>
            </body></html>

            """
    }

    /// `text` with HTML's special characters escaped.
    static func html(_ text: String) -> String { SVG.escape(text) }

    /// The page's style sheet.
    static let style = """
        body{font-family:system-ui,sans-serif;margin:1.5em auto;max-width:1200px;padding:0 1em;color:#222}
        h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:1.6em}
        nav{margin-bottom:1em}table{border-collapse:collapse;margin:.6em 0;font-size:.9em}
        th,td{border:1px solid #ccc;padding:.25em .55em;text-align:right}th{background:#f2f4f7}
        td.name,th.name{text-align:left}table.sortable th{cursor:pointer}
        td.significant{background:#fff3c4;font-weight:bold}.absent{color:#a33;font-style:italic}
        pre{background:#f8f8f8;padding:.5em;overflow-x:auto;font-size:.85em;line-height:1.35}
        .S{color:#c62828;font-weight:bold}.D{color:#6a1b9a;font-weight:bold}.I{color:#ef6c00;font-weight:bold}
        .figure{overflow-x:auto}.figure svg{max-width:none}.row{display:flex;flex-wrap:wrap;gap:1em;align-items:flex-start}
        details{margin:.4em 0}summary{cursor:pointer}
        """

    /// Sorts a `table.sortable` by the clicked column (numbers numerically, "—" last).
    static let sortScript = """
        document.querySelectorAll('table.sortable th').forEach(function(th,col){th.addEventListener('click',function(){
        var body=th.closest('table').tBodies[0],rows=Array.from(body.rows),up=th.dataset.up!=='1';th.dataset.up=up?'1':'0';
        function key(r){var t=r.cells[col].textContent.trim(),v=parseFloat(t);return isNaN(v)?(t==='—'?Infinity:t):v;}
        rows.sort(function(a,b){var x=key(a),y=key(b);var c=(typeof x==='number'&&typeof y==='number')?x-y:String(x).localeCompare(String(y));return up?c:-c;});
        rows.forEach(function(r){body.appendChild(r);});});});
        """
}
