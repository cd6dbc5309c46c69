import Foundation
import GRDB
import ParleyCore
@testable import ParleyStore
import XCTest

/// The contact rules' view of a case read through the partial index of the events that bear on
/// it (`Schema.contactFactEvents`, migration v10) against the same view built from the case's
/// whole log, for every account of the demo database after a few daily runs.
final class ContactFactsIndexTests: TemporaryDirectoryTestCase {
    let today = Fixtures.date("2026-11-23")

    func testContactReadsThroughTheIndexGiveWhatTheWholeLogGives() async throws {
        let path = directory.appendingPathComponent("demo.sqlite").path
        _ = try await DefaultDatabase.open(DatabaseLocation(path: path, source: .dataDirectory), policy: .standard, today: today, now: Fixtures.importedAt) { _ in }
        let store = try SQLiteCaseStore(path: path)
        for offset in 0..<4 {
            _ = try await store.runDaily(asOf: today.adding(days: offset), actor: .system, at: Fixtures.importedAt.addingTimeInterval(Double(offset + 1) * 86_400))
        }
        let (payments, notices, read, whole) = try await store.read { db -> (Int, Int, Int, Int) in
            let storage = SQLiteStorage(db: db)
            let ids = try String.fetchAll(db, sql: "SELECT account_id FROM cases ORDER BY account_id")
            let batch = try storage.contactRows(of: ids)
            var payments = 0, notices = 0, read = 0, whole = 0
            for id in ids {
                let state = try XCTUnwrap(try storage.caseSnapshot(id)).state
                let debtor = try XCTUnwrap(try storage.account(id: id)).debtor
                let log = try storage.recordedEvents(of: id)
                let expected = ContactProfile(state: state, debtor: debtor, events: log)
                let (oneDebtor, oneEvents) = try XCTUnwrap(try storage.contactRecords(of: id))
                XCTAssertEqual(ContactProfile(state: state, debtor: oneDebtor, events: oneEvents), expected, id)
                let (batchDebtor, batchEvents) = try XCTUnwrap(batch[id]).decoded(id: id)
                XCTAssertEqual(ContactProfile(state: state, debtor: batchDebtor, events: batchEvents), expected, id)
                XCTAssertEqual(batchEvents, oneEvents, id)
                // Only the events that bear on the view are read, every one of them, in the log's order.
                XCTAssertEqual(oneEvents, log.filter {
                    switch $0.event {
                    case .paymentReceived, .letterSent(.validationNotice, _): true
                    default: false
                    }
                }, id)
                if expected.lastPaymentDate != nil { payments += 1 }
                if expected.validationNoticeSent != nil { notices += 1 }
                read += oneEvents.count
                whole += log.count
            }
            return (payments, notices, read, whole)
        }
        XCTAssertGreaterThan(payments, 0, "the demo has cases with payments")
        XCTAssertGreaterThan(notices, 0, "the demo has cases with validation notices")
        XCTAssertLessThan(read * 4, whole, "the index leaves out most of the log")
    }
}
