import Foundation

/// Progress of a long stage, the one progress display of the toolkit (stages, `asr features`, `asr synth`):
/// on a terminal one live line (items done, rate, time left) redrawn in place; otherwise (a log, a pipe)
/// a plain line at most every `interval` seconds and one at the end.
public final class ProgressReporter: @unchecked Sendable {
    private let label: String
    private let total: Int
    private let unit: String
    private let live: Bool
    private let interval: Double
    private let sink: @Sendable (String) -> Void
    private let started = Date()
    private var lastPrinted = Date.distantPast
    private var lastDone = 0
    private let lock = NSLock()

    /// A reporter for `total` items named `unit` (`"utts"`), writing to standard error, live when it is a
    /// terminal; `sink` replaces standard error (tests, logs).
    public init(label: String, total: Int, unit: String = "items", interval: Double = 10,
                live: Bool? = nil, sink: (@Sendable (String) -> Void)? = nil) {
        self.label = label
        self.total = total
        self.unit = unit
        self.interval = interval
        self.live = live ?? (isatty(STDERR_FILENO) == 1)
        self.sink = sink ?? { FileHandle.standardError.write(Data($0.utf8)) }
    }

    /// Records that `done` of `total` items are finished (callable from any thread), shown as the
    /// standard line (`line(done:now:extra:)`) with `extra` appended.
    public func update(_ done: Int, extra: String = "") {
        show(done) { self.line(done: done, now: $0, extra: extra) }
    }

    /// Records that `done` of `total` items are finished (callable from any thread), shown as `line`
    /// in place of the standard line, for callers with figures of their own.
    public func update(_ done: Int, line: String) {
        show(done) { _ in line }
    }

    /// Writes `text(now)` when the line is due: always for the final one (`done ≥ total`), otherwise
    /// at most every 0.2 s on a terminal (redrawn in place) and every `interval` seconds elsewhere.
    private func show(_ done: Int, _ text: (Date) -> String) {
        lock.withLock {
            let now = Date()
            let since = now.timeIntervalSince(lastPrinted)
            let finished = done >= total
            guard finished || since >= (live ? 0.2 : interval) else { return }
            lastPrinted = now
            lastDone = done
            let line = text(now)
            sink(live ? "\r\u{1B}[K" + line + (finished ? "\n" : "") : line + "\n")
        }
    }

    /// The text of one progress line: `label  done/total unit  rate/s  elapsed  left`.
    func line(done: Int, now: Date, extra: String) -> String {
        let elapsed = now.timeIntervalSince(started)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let left = rate > 0 ? Double(total - done) / rate : 0
        var text = "\(label): \(done)/\(total) \(unit)"
        if total > 0 { text += String(format: " (%.0f%%)", 100 * Double(done) / Double(total)) }
        text += String(format: ", %.1f %@/s, %@ elapsed", rate, unit, ProgressReporter.clock(elapsed))
        if done < total, rate > 0 { text += ", \(ProgressReporter.clock(left)) left" }
        if !extra.isEmpty { text += ", " + extra }
        return text
    }

    /// `m:ss` or `h:mm:ss`.
    public static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
            : String(format: "%d:%02d", s / 60, s % 60)
    }
}
