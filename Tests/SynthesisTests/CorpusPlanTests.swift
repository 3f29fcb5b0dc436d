import Options
import Testing
@testable import Synthesis

@Suite("Corpus plan and prompts")
struct CorpusPlanTests {
    @Test("TIMIT's structure: shared SA, SX read by sxReaders speakers of one split, SI read once")
    func planStructure() throws {
        var options = SynthesisOptions()
        options.speakers = 30
        options.sentences = 8
        let prompts = try PromptGrammar().sentences(count: CorpusPlan.requiredPrompts(options), seed: 3)
        let plan = try CorpusPlan(options: options, prompts: prompts)
        #expect(plan.speakers.count == 30)
        #expect(Set(plan.speakers.map(\.id)).count == 30)
        #expect(plan.speakers.filter { $0.usage == "TEST" }.count == 8)
        #expect(Set(plan.devSpeakers + plan.testSpeakers) == Set(plan.speakers.filter { $0.usage == "TEST" }.map(\.id)))
        var readers: [String: Set<Int>] = [:]
        for utterance in plan.utterances { readers[utterance.name, default: []].insert(utterance.speaker) }
        for (name, who) in readers {
            if name.hasPrefix("SA") { #expect(who.count == 30) }
            if name.hasPrefix("SI") { #expect(who.count == 1) }
            if name.hasPrefix("SX") {
                #expect(who.count <= options.sxReaders + 1 && who.count >= options.sxReaders - 1, "\(name): \(who.count)")
                #expect(Set(who.map { plan.speakers[$0].usage }).count == 1)
            }
        }
        for speaker in plan.speakers.indices {
            let names = plan.utterances.filter { $0.speaker == speaker }.map(\.name)
            #expect(names.count == 10 && Set(names).count == 10)
            #expect(names.filter { $0.hasPrefix("SX") }.count == 5)
        }
    }

    @Test("the grammar gives distinct sentences, the same for the same seed")
    func grammar() throws {
        let grammar = PromptGrammar()
        let a = try grammar.sentences(count: 3000, seed: 1)
        #expect(Set(a).count == 3000)
        #expect(try grammar.sentences(count: 3000, seed: 1) == a)
        #expect(try grammar.sentences(count: 3000, seed: 2) != a)
        #expect(throws: SynthesisError.self) { _ = try grammar.sentences(count: Int(grammar.capacity), seed: 1) }
    }

    @Test("invalid options name the field and the allowed values")
    func validation() {
        var options = SynthesisOptions()
        options.testFraction = 1.5
        #expect(throws: OptionError("testFraction", value: 1.5, allowed: "a number in (0, 1)")) {
            try options.validate()
        }
        options = SynthesisOptions()
        options.snrRange = [40, 15]
        #expect(throws: OptionError.self) { try options.validate() }
    }
}
