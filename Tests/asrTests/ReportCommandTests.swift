import Foundation
import ProcessRunner
import Testing
import TestSupport

@Suite("asr report")
struct ReportCommandTests {
    /// Two fixture experiments (one error-free, one with errors) and the page `asr report` makes of them.
    static func report(in folder: TemporaryFolder, extra: [String] = []) throws -> (ASRProcess.Result, URL) {
        let corpus = folder.file("corpus")
        try ExperimentFixtures.write(name: "good", family: "ctc", to: folder.file("good"), corpus: corpus) { _ in 0 }
        try ExperimentFixtures.write(name: "bad", family: "attention", to: folder.file("bad"), corpus: corpus) { 1 + $0 % 3 }
        let output = folder.file("pages/report.html")   // the folder is created
        let result = try ASRProcess.run(["report", folder.file("good").path, folder.file("bad").path, "--out", output.path,
                                         "--count", "2"] + extra)
        return (result, output)
    }

    @Test("a missing experiment folder is one line on stderr and exit status 1")
    func missingFolder() throws {
        let folder = try TemporaryFolder()
        let result = try ASRProcess.run(["report", folder.file("nothing").path, "--out", folder.file("r.html").path])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("asr: report: ") && result.stderr.contains("is not an experiment folder"))
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: folder.file("r.html").path))
    }

    @Test("headless Chromium renders the page with no console message and a screenshot of the window's size")
    func chromium() throws {
        let browser = try #require(["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) },
                                   "chromium is not installed: run `make setup` (it installs Debian's chromium)")
        let folder = try TemporaryFolder()
        let (result, page) = try Self.report(in: folder)
        try #require(result.status == 0, "asr report failed: \(result.stderr)")
        let common = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--user-data-dir=\(folder.file("profile").path)",
                      "--enable-logging=stderr", "--v=0"]
        let dom = try ChildProcess.run(browser, common + ["--dump-dom", page.absoluteString])
        #expect(dom.status == 0)
        let console = dom.errors.split(separator: "\n").filter { $0.contains(":CONSOLE") }
        #expect(console.isEmpty, "console messages: \(console)")
        #expect(dom.output.contains("id=\"summary-table\"") && dom.output.contains("id=\"significance\""))
        #expect(dom.output.components(separatedBy: "<audio ").count - 1 == 2)

        let screenshot = folder.file("shot.png")
        let shot = try ChildProcess.run(browser, common + ["--hide-scrollbars", "--window-size=1200,900",
                                                          "--screenshot=\(screenshot.path)", page.absoluteString])
        #expect(shot.status == 0)
        let png = try Data(contentsOf: screenshot)
        try #require(png.count > 24 && png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        func bigEndian(_ offset: Int) -> Int { png[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) } }
        #expect(bigEndian(16) == 1200 && bigEndian(20) == 900)   // IHDR width and height
        #expect(png.count > 20_000)   // a rendered page, not a blank one
    }
}
