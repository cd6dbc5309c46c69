import Foundation
@testable import ParleyStore
import XCTest

/// The commands against a team server give what they give on a SQLite file: the same portfolio
/// imported and run for the same days writes the same letters and agency files, and the queue
/// is the same, case for case. (The server's import, run and deliveries read and write
/// thousands of rows a statement; SQLite's a row at a time.)
final class PostgresCommandTests: BinaryTestCase {
    func testImportRunLettersAndAgencyFilesMatchTheSQLiteFile() async throws {
        let server: PostgresURL
        do {
            server = try await TestPostgres.freshDatabase()
        } catch let skip as TestPostgres.Skip {
            throw XCTSkip(skip.reason)
        }
        let portfolio = directory.appendingPathComponent("portfolio").path
        XCTAssertEqual(try parley(["sample", "--accounts", "300", "--history", "--seed", "3", "--out", portfolio]).status, 0)
        for (name, db) in [("file", path), ("server", server.description)] {
            let imported = try parley(["import", "--db", db, "--dir", portfolio, "--as", "root"])
            XCTAssertEqual(imported.status, 0, "\(name): \(imported.errors)")
            for day in ["2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05", "2026-11-06", "2026-11-20", "2027-01-10"] {
                let run = try parley(["run", "--db", db, "--as-of", day, "--out", directory.appendingPathComponent(name).path, "--as", "root"])
                XCTAssertEqual(run.status, 0, "\(name) \(day): \(run.errors)")
            }
        }
        let file = try files(under: directory.appendingPathComponent("file"))
        let onServer = try files(under: directory.appendingPathComponent("server"))
        XCTAssertGreaterThan(file.keys.filter { $0.hasPrefix("letters/") }.count, 300)
        XCTAssertFalse(file.keys.filter { $0.hasPrefix("agency/placements-") }.isEmpty)
        XCTAssertEqual(onServer.keys.sorted(), file.keys.sorted())
        for (name, text) in file where onServer[name] != text {
            XCTFail("\(name) differs:\n\(text)\n---\n\(onServer[name] ?? "")")
            break
        }
        let queues = try [path, server.description].map { db -> String in
            let queue = try parley(["queue", "--db", db, "--all", "--limit", "1000", "--format", "json"])
            XCTAssertEqual(queue.status, 0, queue.errors)
            return queue.output
        }
        XCTAssertEqual(queues[1], queues[0])
    }

    /// Every file under `root`, by its path relative to it.
    func files(under root: URL) throws -> [String: String] {
        var found: [String: String] = [:]
        guard let walker = FileManager.default.enumerator(atPath: root.path) else { return found }
        while let relative = walker.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let full = root.appendingPathComponent(relative).path
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue {
                found[relative] = try String(contentsOfFile: full, encoding: .utf8)
            }
        }
        return found
    }
}
