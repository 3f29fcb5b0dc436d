// swift-tools-version: 6.1
import Foundation
import PackageDescription

/// Numeric code is 300-650x slower at -Onone, so these targets build with -O even in debug.
let optimizedInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "MonotonicASR",
    products: [
        .executable(name: "asr", targets: ["asr"]),
        .library(name: "MonotonicASR", targets: [
            "Options", "Randomness", "ProcessRunner", "AtomicFiles", "Parallelism", "Corpus", "Scoring", "AudioIO", "Features",
            "TensorCore", "NeuralNet", "Distributed", "Models", "Training", "Synthesis", "Recipes",
        ]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // System libraries: a module map and a shim header each, no logic.
        .systemLibrary(name: "CSndfile", path: "Sources/CSndfile", pkgConfig: "sndfile",
                       providers: [.apt(["libsndfile1-dev"])]),
        .systemLibrary(name: "CFFTW", path: "Sources/CFFTW", pkgConfig: "fftw3f",
                       providers: [.apt(["libfftw3-dev"])]),
        .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CSamplerate", path: "Sources/CSamplerate", pkgConfig: "samplerate",
                       providers: [.apt(["libsamplerate0-dev"])]),
        .systemLibrary(name: "CMPI", path: "Sources/CMPI", pkgConfig: "ompi-c",
                       providers: [.apt(["libopenmpi-dev", "openmpi-bin"])]),

        // Vector kernels compiled per instruction set and chosen at run time (C: Swift has no
        // per-function target features). Used by TensorCore only.
        .target(name: "SIMDKernels", cSettings: [.unsafeFlags(["-O3", "-mprefer-vector-width=512"])]),

        // Libraries, each depending only on those below it (see DESIGN.md).
        .target(name: "Options"),
        .target(name: "Randomness", swiftSettings: optimizedInDebug),
        .target(name: "ProcessRunner"),
        .target(name: "AtomicFiles"),
        .target(name: "Parallelism"),
        .target(name: "Corpus", dependencies: ["Options", "AtomicFiles"]),
        .target(name: "Scoring", dependencies: ["Options", "Parallelism"], swiftSettings: optimizedInDebug),
        .target(name: "AudioIO", dependencies: ["Options", "CSndfile", "CSamplerate", "AtomicFiles"], swiftSettings: optimizedInDebug),
        .target(name: "Features", dependencies: ["Options", "CFFTW", "Randomness", "AtomicFiles"], swiftSettings: optimizedInDebug),
        .target(name: "TensorCore", dependencies: ["COpenBLAS", "SIMDKernels", "Randomness"], swiftSettings: optimizedInDebug),
        .target(name: "NeuralNet", dependencies: ["Options", "TensorCore", "Randomness", "AtomicFiles"], swiftSettings: optimizedInDebug),
        .target(name: "Distributed", dependencies: ["CMPI"]),
        .target(name: "Models", dependencies: ["Options", "NeuralNet", "TensorCore", "Randomness"], swiftSettings: optimizedInDebug),
        .target(name: "Training", dependencies: ["Options", "Models", "NeuralNet", "TensorCore", "Distributed", "Randomness"],
                swiftSettings: optimizedInDebug),
        .target(name: "Synthesis", dependencies: ["Options", "Corpus", "AudioIO", "Randomness", "ProcessRunner", "Parallelism",
                                                  "AtomicFiles"]),
        .target(name: "Recipes", dependencies: [
            "Options", "Corpus", "Scoring", "AudioIO", "Features", "TensorCore", "NeuralNet", "Distributed", "Models", "Training",
            "Synthesis", "ProcessRunner", "Parallelism", "Randomness", "AtomicFiles", .product(name: "Yams", package: "Yams"),
        ], swiftSettings: optimizedInDebug),
        // `asr bench`: the measurement harness and the benchmark cases; only the executable uses it.
        .target(name: "Benchmarking", dependencies: [
            "Recipes", "Models", "Scoring", "Features", "NeuralNet", "TensorCore", "Distributed", "Training", "ProcessRunner",
            "Randomness", "AtomicFiles",
        ], swiftSettings: optimizedInDebug),
        .executableTarget(name: "asr", dependencies: [
            "Recipes", "Options", "Benchmarking",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: optimizedInDebug),

        // Tests: Swift Testing only, one target per module plus end-to-end CLI tests and the module
        // boundary check. TestSupport holds the helpers the test targets share; only tests use it.
        .target(name: "TestSupport", dependencies: ["Randomness", "TensorCore"], path: "Tests/TestSupport"),
        .testTarget(name: "OptionsTests", dependencies: ["Options"]),
        .testTarget(name: "CorpusTests", dependencies: ["Corpus", "AudioIO", "Options", "TestSupport"]),
        .testTarget(name: "ScoringTests", dependencies: ["Scoring", "Randomness", "ProcessRunner", "Options"], swiftSettings: optimizedInDebug),
        .testTarget(name: "AudioIOTests", dependencies: ["AudioIO", "Randomness", "Options", "TestSupport"]),
        .testTarget(name: "FeaturesTests", dependencies: ["Features", "AudioIO", "Randomness", "Options"],
                    resources: [.copy("Fixtures")], swiftSettings: optimizedInDebug),
        .testTarget(name: "TensorCoreTests", dependencies: ["TensorCore", "Randomness", "TestSupport"], swiftSettings: optimizedInDebug),
        .testTarget(name: "NeuralNetTests", dependencies: ["NeuralNet", "TensorCore", "Randomness", "Options", "TestSupport"],
                    resources: [.copy("Fixtures")], swiftSettings: optimizedInDebug),
        .testTarget(name: "ModelsTests", dependencies: ["Models", "Training", "NeuralNet", "TensorCore", "Randomness", "Options",
                                                        "TestSupport"],
                    resources: [.copy("Fixtures")], swiftSettings: optimizedInDebug),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "Models", "NeuralNet", "TensorCore", "Randomness", "Options",
                                                          "TestSupport"],
                    swiftSettings: optimizedInDebug),
        .testTarget(name: "SynthesisTests", dependencies: ["Synthesis", "Corpus", "AudioIO", "Randomness", "Options"]),
        .testTarget(name: "RecipesTests", dependencies: ["Recipes", "Corpus", "Scoring", "Options", "NeuralNet", "Models", "Training",
                                                          "TestSupport"]),
        .testTarget(name: "asrTests", dependencies: ["asr", "ProcessRunner", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "DistributedTests", dependencies: ["Distributed"]),
        .testTarget(name: "ProcessRunnerTests", dependencies: ["ProcessRunner"]),
        .testTarget(name: "ParallelismTests", dependencies: ["Parallelism"]),
        .testTarget(name: "BenchmarkingTests", dependencies: ["Benchmarking", "Features", "ProcessRunner"]),
        .testTarget(name: "RandomnessTests", dependencies: ["Randomness"]),
        .testTarget(name: "AtomicFilesTests", dependencies: ["AtomicFiles", "TestSupport"]),
        .testTarget(name: "ModuleBoundaryTests"),

        // Fuzzing (Fuzz/README.md): each reader's one-input entry point, replayed over the seed corpus and the
        // regression inputs by FuzzTargetsTests; the libFuzzer driver only when ASR_FUZZ=1 (it links with
        // -sanitize=fuzzer, which `make fuzz` passes).
        .target(name: "FuzzTargets", dependencies: ["AudioIO", "Corpus", "NeuralNet", "Recipes", "Scoring", "Training"],
                path: "Fuzz/FuzzTargets"),
        .testTarget(name: "FuzzTargetsTests", dependencies: ["FuzzTargets"]),
    ]
)

if ProcessInfo.processInfo.environment["ASR_FUZZ"] == "1" {
    package.targets += [
        .target(name: "CLibFuzzer", path: "Fuzz/CLibFuzzer"),
        .executableTarget(name: "asr-fuzz", dependencies: ["FuzzTargets", "CLibFuzzer"], path: "Fuzz/asr-fuzz"),
    ]
}
