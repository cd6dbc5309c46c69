import Foundation
@testable import ParleyStore
import XCTest

/// A test of the built `parley` binary against a SQLite file in a temporary directory: skips when
/// the binary has not been built, and runs it with a fixed zone, no PARLEY_DB and a private data
/// directory.
class BinaryTestCase: XCTestCase {
    var directory: URL!
    var path: String { directory.appendingPathComponent("parley.sqlite").path }

    struct Finished {
        var status: Int32
        var output: String
        var errors: String
        var json: [String: Any]? { try? JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any] }
    }

    override func setUpWithError() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: ProcessCrashTests.binary.path), "build the parley binary first")
        directory = try Fixtures.temporaryDirectory()
    }

    override func tearDownWithError() throws {
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    func parley(_ arguments: [String], user: String? = nil) throws -> Finished {
        let process = Process()
        process.executableURL = ProcessCrashTests.binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PARLEY_DB"] = nil
        environment["TZ"] = "UTC"
        if let user { environment["USER"] = user }
        environment["XDG_DATA_HOME"] = directory.appendingPathComponent("xdg").path
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Finished(status: process.terminationStatus, output: String(decoding: output, as: UTF8.self), errors: String(decoding: errors, as: UTF8.self))
    }
}
