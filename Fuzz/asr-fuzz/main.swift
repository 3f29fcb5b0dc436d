import CLibFuzzer
import Foundation
import FuzzTargets

// `ASR_FUZZ_TARGET=NAME asr-fuzz [libFuzzer flags] [corpus folders]`: libFuzzer's driver over one reader's
// entry point. Built only with ASR_FUZZ=1 and -sanitize=fuzzer (the Makefile's fuzz targets).

/// The reader of this run (libFuzzer's callback cannot capture).
nonisolated(unsafe) var selected: FuzzTarget? = nil

guard let name = ProcessInfo.processInfo.environment["ASR_FUZZ_TARGET"], let target = FuzzTarget.named(name) else {
    let names = FuzzTarget.all.map { "  \($0.name): \($0.summary)" }.joined(separator: "\n")
    FileHandle.standardError.write(Data("usage: ASR_FUZZ_TARGET=NAME asr-fuzz [libFuzzer flags] [corpus folders]\ntargets:\n\(names)\n".utf8))
    exit(2)
}
selected = target
atexit { FuzzTarget.removeScratch() }

/// One input through the chosen reader; also the symbol the runtime's own (unused) `main` refers to.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    _ = selected!.run(size == 0 || data == nil ? Data() : Data(bytes: data!, count: size))
    return 0
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzerTestOneInput))
