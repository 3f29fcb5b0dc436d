import ArgumentParser
import Benchmarking
import Features
import Models
import Recipes
import Scoring

// The enum-valued options of the command line: each parses its raw values and lists them in the help
// (`allValueStrings` comes from `CaseIterable`).

extension PhoneFold: ExpressibleByArgument {}
extension CostModel: ExpressibleByArgument {}
extension MissingHypothesisPolicy: ExpressibleByArgument {}
extension TranscriptFormat: ExpressibleByArgument {}
extension WindowType: ExpressibleByArgument {}
extension CmvnGrouping: ExpressibleByArgument {}
extension HardAlignmentEstimator: ExpressibleByArgument {}

/// A list of words known only at run time (stage names, benchmark cases) that an option chooses from.
protocol ChoiceList {
    /// The allowed words, in the order the help lists them.
    static var names: [String] { get }
}

/// One word of `List`, parsed and listed in the help like an enum's raw values.
struct Choice<List: ChoiceList>: ExpressibleByArgument, Equatable {
    /// The chosen word.
    let name: String

    init?(argument: String) {
        guard List.names.contains(argument) else { return nil }
        name = argument
    }

    static var allValueStrings: [String] { List.names }

    var defaultValueDescription: String { name }
}

/// The stages of a recipe, in order (`asr run --from`, `--only`, `--until`).
enum RecipeStages: ChoiceList {
    static var names: [String] { StandardStages.names }
}

/// The cases of `asr bench lstm`.
enum LSTMBenchmarkCases: ChoiceList {
    static var names: [String] { LSTMBenchmark.standardCases.map(\.name) }
}
