import Foundation
import Testing

/// Every `import` of every `Sources/<Module>/**/*.swift` against the module table of DESIGN.md.
///
/// The table lists modules that exist and modules that are planned; only the folders that exist
/// under `Sources/` are checked, and each of them must have a row. To add a module, add its row
/// (and, for a leaf utility every module may use, its name to `leafUtilities`).
@Suite struct ModuleBoundaryTests {
    /// System modules any module may import.
    static let system: Set<String> = ["Foundation", "Glibc", "Darwin", "Dispatch", "Synchronization"]

    /// Leaf utilities: they import only system modules, and any module above them may import them.
    static let leafUtilities: Set<String> = [
        "Randomness", "ProcessRunner", "AtomicFiles", "Parallelism", "Options", "Concurrency",
    ]

    /// System library shims and C kernels: they import nothing.
    static let cLibraries: Set<String> = ["CSndfile", "CFFTW", "COpenBLAS", "CSamplerate", "CMPI", "SIMDKernels"]

    /// The modules below the command line: everything `Recipes` may import.
    static let belowRecipes: Set<String> = [
        "Corpus", "Scoring", "AudioIO", "Features", "TensorCore", "NeuralNet", "Distributed", "Models", "Training",
        "Synthesis", "Yams",
    ]

    /// The lower modules `asr` imports because its flags name their option types (`ScoringOptions`,
    /// `CostModel`; `SynthesisOptions`; `FbankOptions`, `CmvnGrouping`; `TimitPrepareOptions`; `DecodingConfig`).
    static let asrOptionTypes: Set<String> = ["Scoring", "Synthesis", "Features", "Corpus", "Models"]

    /// Imports of `asr` for more than option types, to move behind Recipes or Benchmarking:
    /// `asr info` (AudioIO's `AudioInfo`), `asr bench lstm|train` (TensorCore's `ComputeThreads`) and
    /// `asr bench features` (ProcessRunner's `ChildProcess` for the peer). Shrink this list, never grow it.
    static let asrPending: Set<String> = ["AudioIO", "TensorCore", "ProcessRunner"]

    /// Module → the project and package modules it may import (besides `system` and, above the
    /// leaves, `leafUtilities`). C shims appear only in the row of the module that wraps them.
    static let allowed: [String: Set<String>] = [
        "CSndfile": [], "CFFTW": [], "COpenBLAS": [], "CSamplerate": [], "CMPI": [], "SIMDKernels": [],
        "Randomness": [], "ProcessRunner": [], "AtomicFiles": [], "Parallelism": [], "Options": [], "Concurrency": [],
        "Corpus": [],
        "Scoring": [],
        "AudioIO": ["CSndfile", "CSamplerate"],
        "Features": ["CFFTW"],
        "TensorCore": ["COpenBLAS", "SIMDKernels"],
        "NeuralNet": ["TensorCore"],
        "Distributed": ["CMPI"],
        "Models": ["NeuralNet", "TensorCore"],
        "Training": ["Models", "NeuralNet", "TensorCore", "Distributed"],
        "Synthesis": ["Corpus", "AudioIO"],
        "Recipes": belowRecipes,
        "Benchmarking": belowRecipes.union(["Recipes"]),
        "asr": Set(["Recipes", "Benchmarking", "ArgumentParser"]).union(asrOptionTypes).union(asrPending),
    ]

    /// The package's `Sources` folder, found from this file's path; `MODULE_BOUNDARY_SOURCES` names
    /// another one (e.g. a checkout of another branch) to check instead.
    static let sources: URL = {
        if let other = ProcessInfo.processInfo.environment["MODULE_BOUNDARY_SOURCES"] { return URL(fileURLWithPath: other) }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources")
    }()

    /// The module folders that exist under `Sources/`.
    static func existingModules() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: sources.path).filter { name in
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: sources.appendingPathComponent(name).path, isDirectory: &isFolder)
                && isFolder.boolValue && !name.hasPrefix(".")
        }.sorted()
    }

    /// The module named by an import line (`import X`, `@testable import X`, `import struct X.Y`,
    /// `import X.Sub`), or nil when the line is not an import.
    static func importedModule(_ line: Substring) -> String? {
        var words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })[...]
        while let first = words.first, first.hasPrefix("@") || ["public", "internal", "package", "private", "fileprivate"].contains(first) {
            words = words.dropFirst()
        }
        guard words.first == "import", words.count >= 2 else { return nil }
        words = words.dropFirst()
        let kinds: Set<Substring> = ["struct", "class", "enum", "protocol", "typealias", "func", "var", "let"]
        if let kind = words.first, kinds.contains(kind), words.count >= 2 { words = words.dropFirst() }
        return words.first.map { String($0.split(separator: ".")[0]) }
    }

    /// Every `(file, line number, module)` imported under `Sources/<module>`.
    static func imports(of module: String) throws -> [(file: String, line: Int, module: String)] {
        let folder = sources.appendingPathComponent(module)
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { return [] }
        var found: [(String, Int, String)] = []
        for case let url as URL in walker where url.pathExtension == "swift" {
            let text = try String(contentsOf: url, encoding: .utf8)
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
                if let imported = importedModule(trimmed) {
                    found.append((url.path.replacingOccurrences(of: sources.path + "/", with: "Sources/"), index + 1, imported))
                }
            }
        }
        return found
    }

    /// What `module` may import: its row, the system modules and (above the leaves) the leaf utilities.
    static func permitted(for module: String) -> Set<String>? {
        guard let row = allowed[module] else { return nil }
        let isLeaf = leafUtilities.contains(module) || cLibraries.contains(module)
        return row.union(system).union(isLeaf ? [] : leafUtilities)
    }

    @Test func everyExistingModuleHasARow() throws {
        let modules = try Self.existingModules()
        #expect(modules.contains("Recipes"), "Sources not found at \(Self.sources.path)")
        for module in modules {
            #expect(Self.allowed[module] != nil, "Sources/\(module) has no row in ModuleBoundaryTests.allowed (DESIGN.md's module table)")
        }
    }

    @Test func everyImportIsAllowedByTheModuleTable() throws {
        for module in try Self.existingModules() {
            guard let permitted = Self.permitted(for: module) else { continue }
            for (file, line, imported) in try Self.imports(of: module) where imported != module {
                #expect(permitted.contains(imported),
                        "\(file):\(line): \(module) imports \(imported), which DESIGN.md's module table does not allow")
            }
        }
    }

    @Test func importLinesAreParsed() {
        #expect(Self.importedModule("import Foundation") == "Foundation")
        #expect(Self.importedModule("@testable import Models") == "Models")
        #expect(Self.importedModule("@_exported import Randomness") == "Randomness")
        #expect(Self.importedModule("import struct Corpus.PhoneMap") == "Corpus")
        #expect(Self.importedModule("public import TensorCore") == "TensorCore")
        #expect(Self.importedModule("important = 1") == nil)
        #expect(Self.importedModule("// import Yams") == nil)
    }

    @Test func aForbiddenImportIsReported() {
        #expect(Self.permitted(for: "Scoring")?.contains("Corpus") == false)
        #expect(Self.permitted(for: "Features")?.contains("CSndfile") == false)
        #expect(Self.permitted(for: "Randomness")?.contains("ProcessRunner") == false)
        #expect(Self.permitted(for: "Models")?.contains("Recipes") == false)
        #expect(Self.permitted(for: "Recipes")?.contains("ArgumentParser") == false)
    }
}
