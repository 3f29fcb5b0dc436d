import Foundation
import Options
import Testing

/// Option structs written for the tests: a nested struct, an optional one with a nil default, an enum.
struct Inner: DefaultedOptions, Equatable {
    var size = 3
    var rate: Float = 0.5
}

enum Shape: String, Codable { case round, square }

struct Outer: DefaultedOptions, Equatable {
    var name = "outer"
    var shape = Shape.round
    var list = [1, 2]
    var inner = Inner()
    var extra: Inner? = nil
    var limit: Int? = nil
}

/// A variant named by `kind` whose fields differ per kind (as the model families' do).
struct Variant: Codable, Equatable, KindSelectedOptions {
    var kind = "a"
    var onlyInA: Int? = 1
    var selectedKind: String { kind }
}

@Suite struct OptionsJSONTests {
    @Test func anotherKindIsNotMergedOverThisKindsFields() throws {
        let merged = try #require(try OptionsJSON.merge(["kind": "b"], over: Variant()) as? [String: Any])
        #expect(merged.keys.sorted() == ["kind"])
        let same = try #require(try OptionsJSON.merge(["kind": "a"], over: Variant()) as? [String: Any])
        #expect(same.keys.sorted() == ["kind", "onlyInA"])
    }

    func decode(_ json: String) throws -> Outer {
        try OptionsJSON.decode(Outer.self, from: Data(json.utf8))
    }

    @Test func emptyObjectDecodesToTheDefaults() throws {
        #expect(try decode("{}") == Outer())
        #expect(try OptionsJSON.decode(Inner.self, from: Data("{}".utf8)) == Inner())
    }

    @Test func aPartialObjectKeepsTheOtherDefaults() throws {
        var expected = Outer()
        expected.name = "x"
        expected.shape = .square
        expected.list = [7]
        #expect(try decode(#"{"name": "x", "shape": "square", "list": [7]}"#) == expected)
    }

    @Test func nestedStructsGetTheirDefaultsToo() throws {
        var expected = Outer()
        expected.inner.rate = 2
        expected.extra = Inner(size: 9, rate: 0.5)
        #expect(try decode(#"{"inner": {"rate": 2}, "extra": {"size": 9}}"#) == expected)
    }

    @Test func nullClearsAnOptionalAndWrongTypesStillFail() throws {
        var withLimit = Outer()
        withLimit.limit = 4
        #expect(try OptionsJSON.decode(Outer.self, from: Data(#"{"limit": null}"#.utf8), defaults: withLimit) == Outer())
        #expect(throws: DecodingError.self) { try decode(#"{"inner": {"size": "big"}}"#) }
        #expect(throws: DecodingError.self) { try decode(#"{"shape": "oval"}"#) }
    }

    @Test func explicitDefaultsReplaceTheTypesOwn() throws {
        var base = Outer()
        base.inner.size = 5
        let decoded = try OptionsJSON.decode(Outer.self, from: Data(#"{"inner": {"rate": 1}}"#.utf8), defaults: base)
        #expect(decoded.inner == Inner(size: 5, rate: 1))
    }
}

@Suite struct OptionErrorTests {
    func validateInner(_ inner: Inner) throws(OptionError) {
        try require(inner.size, in: 1...8, "size")
        try require(inner.rate >= 0, "rate", inner.rate, ">= 0")
    }

    @Test func theErrorCarriesKeyPathValueAndAllowedValues() {
        do {
            try validateInner(Inner(size: 0, rate: 0))
            Issue.record("size 0 accepted")
        } catch {
            #expect(error.keyPath == ["size"])
            #expect(error.value == "0")
            #expect(error.allowed == "1...8")
            #expect(error.description == "size = 0; allowed: 1...8")
        }
    }

    @Test func withinPrefixesTheKeyPathOfNestedChecks() throws {
        do {
            try OptionError.within("outer.inner") { () throws(OptionError) in try validateInner(Inner(size: 1, rate: -1)) }
            Issue.record("rate -1 accepted")
        } catch {
            #expect(error.keyPath == ["outer", "inner", "rate"])
            #expect(error.key == "outer.inner.rate")
            #expect(error.flagName == "rate")
        }
        struct Other: Error {}
        #expect(throws: Other.self) { try OptionError.within("x") { throw Other() } }
    }

    @Test func flagNameIsTheLastKeyInKebabCase() {
        #expect(OptionError("fbank.numMelBins", value: 2, allowed: ">= 3").flagName == "num-mel-bins")
    }
}
