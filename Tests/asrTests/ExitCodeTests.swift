import Testing

@Suite struct ExitCodeTests {
    @Test func helpPrintsTheWholeGoldenTextAndExitsZero() throws {
        let result = try ASRProcess.run(["--help"])
        #expect(result.status == 0)
        #expect(result.stdout == (try HelpGoldenTests.golden("asr")))
    }

    @Test func versionPrintsTheVersion() throws {
        let result = try ASRProcess.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
    }

    @Test func unknownOptionIsAUsageErrorWithExitTwo() throws {
        let result = try ASRProcess.run(["--no-such-option"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("Usage"))
    }

    @Test func unknownSubcommandIsAUsageError() throws {
        let result = try ASRProcess.run(["no-such-command"])
        #expect(result.status == 2)
    }
}
