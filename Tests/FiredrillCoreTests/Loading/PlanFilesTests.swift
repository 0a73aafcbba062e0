import FiredrillCore
import FiredrillTestSupport
import Foundation
import Testing

/// Which files a folder of plans expands to.
@Suite struct PlanFilesTests {
    @Test func aFolderGivesItsPlansButNotTheConfigurationBesideThemNorHiddenFolders() throws {
        let dir = try TempDirectory.make(prefix: "plan-files")
        for file in ["b.yaml", "a/c.yml", "firedrill.yaml", "a/firedrill.yaml", ".git/d.yaml", "notes.txt"] {
            let path = dir + "/" + file
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try "x: 1\n".write(toFile: path, atomically: true, encoding: .utf8)
        }
        let folder = PlanFiles.expand([dir, dir + "/missing"])
        #expect(folder.files == [dir + "/a/c.yml", dir + "/b.yaml"])
        #expect(folder.missing == [dir + "/missing"])
        // A configuration file named on the command line is taken as given (and validated as a plan).
        #expect(PlanFiles.expand([dir + "/firedrill.yaml"]).files == [dir + "/firedrill.yaml"])
    }
}
