import Foundation
import ParleyCore
import ParleyStore
@testable import ParleyTUI
import XCTest

/// The store adapter reads pages from a neighbour's key or from the end, and keeps details by
/// case version: what the workbench gets must be what plain offset pages and fresh reads give.
final class StoreDataSourceTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("parley-sds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    func demo() async throws -> (any CaseStore, StoreDataSource) {
        let path = directory.appendingPathComponent("parley.sqlite").path
        let today = try XCTUnwrap(CivilDate(iso: "2026-11-23"))
        let store = try await DefaultDatabase.open(DatabaseLocation(path: path, source: .dataDirectory), policy: .standard, today: today,
                                                   now: today.utcMidnight.addingTimeInterval(9 * 3600), firstSupervisor: "bench") { _ in }
        let context = WorkbenchContext(operatorName: "bench", database: path, asOf: today)
        return (store, StoreDataSource(store: store, context: context, actor: Actor(name: "bench", role: .supervisor), lettersBase: directory.path,
                                       clock: { today.utcMidnight.addingTimeInterval(10 * 3600) }))
    }

    func testPagesWhereverTheWorkbenchMovesAreTheOffsetPages() async throws {
        let (store, source) = try await demo()
        for filter in [QueueFilter(), QueueFilter("ltd"), QueueFilter("a")] {
            let total = try source.queueCount(filter: filter)
            let expectedTotal = try await store.queue(QueueQuery(filter: filter.isEmpty ? nil : filter.text, limit: 0)).total
            XCTAssertEqual(total, expectedTotal)
            XCTAssertGreaterThan(total, 0, filter.text)
            // Top, down a line, a page down, up a line, the end, up from the end, home, a jump.
            let moves = [0, 1, 17, 16, 33, 32, max(0, total - 16), max(0, total - 17), max(0, total - 40), 0, total / 2, total / 2 - 3, total / 2 + 20]
            for offset in moves {
                let rows = try source.queuePage(filter: filter, offset: offset, limit: 16).map(\.accountID)
                let expected = try await store.queue(QueueQuery(filter: filter.isEmpty ? nil : filter.text, offset: offset, limit: 16)).entries.map(\.accountID)
                XCTAssertEqual(rows, expected, "filter \"\(filter.text)\" offset \(offset) of \(total)")
            }
        }
    }

    func testDetailIsReadAgainOnceTheCaseChanges() async throws {
        let (_, source) = try await demo()
        _ = try source.queueCount(filter: QueueFilter())
        let row = try XCTUnwrap(source.queuePage(filter: QueueFilter(), offset: 0, limit: 16).first)
        let before = try XCTUnwrap(source.accountDetail(accountID: row.accountID))
        XCTAssertEqual(try source.accountDetail(accountID: row.accountID), before)
        _ = try source.record(.note("left a message with reception"), accountID: row.accountID, at: source.now())
        let after = try XCTUnwrap(source.accountDetail(accountID: row.accountID))
        XCTAssertEqual(after.timeline.first?.summary, CaseEvent.note("left a message with reception").summary)
        XCTAssertEqual(after.timeline.count, before.timeline.count + 1)
    }
}
