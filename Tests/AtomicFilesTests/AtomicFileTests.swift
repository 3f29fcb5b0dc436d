import AtomicFiles
import Foundation
import Testing
import TestSupport

@Suite struct AtomicFileTests {
    @Test func writesWholeFilesAndLeavesNoTemporary() throws {
        let folder = try TemporaryFolder("AtomicFileTests")
        let url = folder.file("a.txt")
        try AtomicFile.write("first\n", to: url)
        try AtomicFile.write(Data("second\n".utf8), to: url)
        #expect(try String(contentsOf: url, encoding: .utf8) == "second\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["a.txt"])
    }

    @Test func producedFilesAppearOnlyWhenTheBodySucceeds() throws {
        struct Failure: Error {}
        let folder = try TemporaryFolder("AtomicFileTests")
        let url = folder.file("b.bin")
        try AtomicFile.produce(url) { temporary in
            #expect(temporary.deletingLastPathComponent() == url.deletingLastPathComponent())
            try Data([1, 2, 3]).write(to: temporary)
        }
        #expect(try Data(contentsOf: url) == Data([1, 2, 3]))
        #expect(throws: Failure.self) {
            try AtomicFile.produce(url) { temporary in
                try Data([9]).write(to: temporary)
                throw Failure()
            }
        }
        #expect(try Data(contentsOf: url) == Data([1, 2, 3]))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["b.bin"])
    }

    @Test func aMissingFolderIsAnErrorNamingTheFile() throws {
        let folder = try TemporaryFolder("AtomicFileTests")
        let url = folder.file("missing/c.txt")
        #expect {
            try AtomicFile.write("x", to: url)
        } throws: { error in
            (error as? AtomicFileError)?.path == url.path
        }
    }
}
