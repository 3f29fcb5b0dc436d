import ArgumentParser
import Features
import Options
import Testing
@testable import asr

/// `asr features` takes exactly one flag per `FbankOptions` field, applied over the options it starts from.
@Suite struct FbankArgumentsTests {
    @Test func thereIsOneFlagWithHelpForEveryFbankOptionsField() throws {
        let fields = try #require(try OptionsJSON.jsonValue(of: FbankOptions()) as? [String: Any]).keys.sorted()
        let flags = Mirror(reflecting: FbankArguments()).children.compactMap { $0.label.map { String($0.drop { $0 == "_" }) } }
        #expect(flags.sorted() == fields)
        #expect(FbankOptions.help.count == fields.count)
        #expect(FbankOptions.help.values.allSatisfy { !$0.isEmpty })
    }

    @Test func givenFlagsOverrideTheBaseAndOthersKeepIt() throws {
        let arguments = try FbankArguments.parse(["--num-mel-bins", "40", "--window-type", "hamming",
                                                  "--dither", "0.5", "--snip-edges", "false", "--low-freq", "-0"])
        var base = FbankOptions()
        base.highFreq = -400
        var expected = base
        expected.numMelBins = 40
        expected.windowType = .hamming
        expected.dither = 0.5
        expected.snipEdges = false
        expected.lowFreq = 0
        #expect(try arguments.apply(to: base) == expected)
        #expect(try FbankArguments.parse([]).apply(to: base) == base)
    }

    @Test func anInvalidValueIsAUsageErrorNamingTheKaldiFlag() throws {
        let arguments = try FbankArguments.parse(["--num-mel-bins", "2"])
        #expect(throws: ValidationError.self) { try arguments.apply(to: FbankOptions()) }
        do { _ = try arguments.apply(to: FbankOptions()) } catch {
            #expect("\(error)" == "invalid option --num-mel-bins=2: allowed >= 3")
        }
    }
}
