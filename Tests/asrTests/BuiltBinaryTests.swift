import Foundation
import Testing
import TestSupport

/// The CLI tests stop with a message naming the missing binary and the build command.
@Suite struct BuiltBinaryTests {
    @Test func aMissingBinaryIsNamedWithTheBuildCommand() {
        #expect {
            _ = try BuiltProducts.executable("asr-not-built")
        } throws: { error in
            let message = "\(error)"
            return message.contains(BuiltProducts.folder.appendingPathComponent("asr-not-built").path)
                && message.contains("swift build --build-tests")
        }
    }

    @Test func theBuiltBinaryIsFound() throws {
        let url = try BuiltProducts.executable("asr")
        #expect(FileManager.default.isExecutableFile(atPath: url.path))
    }
}
