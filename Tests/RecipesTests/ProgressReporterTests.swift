import Foundation
import Testing
@testable import Recipes

/// Collects what a reporter writes.
final class LineSink: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    var lines: [String] { lock.withLock { stored } }
    func append(_ text: String) { lock.withLock { stored.append(text) } }
}

@Suite("Progress reporter")
struct ProgressReporterTests {
    @Test("in a log: plain lines, throttled, and always the final one")
    func logLines() {
        let sink = LineSink()
        let reporter = ProgressReporter(label: "features", total: 50, unit: "utts", interval: 3600, live: false,
                                        sink: { sink.append($0) })
        for done in 1...50 { reporter.update(done) }
        #expect(sink.lines.count == 2)
        #expect(sink.lines.last?.hasPrefix("features: 50/50 utts (100%)") == true)
        #expect(sink.lines.allSatisfy { $0.hasSuffix("\n") && !$0.contains("\r") })
    }

    @Test("on a terminal: the line is redrawn in place")
    func liveLine() {
        let sink = LineSink()
        let reporter = ProgressReporter(label: "train", total: 2, live: true, sink: { sink.append($0) })
        reporter.update(2)
        #expect(sink.lines.count == 1)
        #expect(sink.lines[0].hasPrefix("\r\u{1B}[K") && sink.lines[0].hasSuffix("\n"))
    }

    @Test("a caller's own line: shown as given, throttled the same way, the final one always")
    func ownLine() {
        let sink = LineSink()
        let reporter = ProgressReporter(label: "features", total: 3, interval: 3600, live: false, sink: { sink.append($0) })
        for done in 1...3 { reporter.update(done, line: "features train: \(done)/3 utterances") }
        #expect(sink.lines == ["features train: 1/3 utterances\n", "features train: 3/3 utterances\n"])
        let live = LineSink()
        let terminal = ProgressReporter(label: "features", total: 1, live: true, sink: { live.append($0) })
        terminal.update(1, line: "done")
        #expect(live.lines == ["\r\u{1B}[Kdone\n"])
    }

    @Test("clock format")
    func clock() {
        #expect(ProgressReporter.clock(65) == "1:05")
        #expect(ProgressReporter.clock(3725) == "1:02:05")
    }
}
