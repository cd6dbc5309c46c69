import Foundation
import GRDB
import ParleyCore
@testable import ParleyStore
import XCTest

final class DemoDatabaseTests: TemporaryDirectoryTestCase {
    /// The demo database, created on 2026-11-23 in this test's directory.
    func openDemo() async throws -> (path: String, today: CivilDate, store: any CaseStore) {
        let path = directory.appendingPathComponent("demo.sqlite").path
        let today = Fixtures.date("2026-11-23")
        let store = try await DefaultDatabase.open(DatabaseLocation(path: path, source: .dataDirectory), policy: .standard, today: today, now: Fixtures.importedAt) { _ in }
        return (path, today, store)
    }

    func testDatabaseLocationPrefersOptionThenEnvironmentThenXDGThenHome() {
        let env = ["HOME": "/home/cora", "XDG_DATA_HOME": "/data", "PARLEY_DB": "/env/p.sqlite"]
        XCTAssertEqual(DatabaseLocation.resolve(option: "/opt/p.sqlite", environment: env), DatabaseLocation(path: "/opt/p.sqlite", source: .option))
        XCTAssertEqual(DatabaseLocation.resolve(option: nil, environment: env), DatabaseLocation(path: "/env/p.sqlite", source: .environment))
        XCTAssertEqual(DatabaseLocation.resolve(option: nil, environment: ["HOME": "/home/cora", "XDG_DATA_HOME": "/data"]).path, "/data/parley/parley.sqlite")
        XCTAssertEqual(DatabaseLocation.resolve(option: nil, environment: ["HOME": "/home/cora"]), DatabaseLocation(path: "/home/cora/.local/share/parley/parley.sqlite", source: .dataDirectory))
        // A relative XDG_DATA_HOME is invalid by the spec and ignored.
        XCTAssertEqual(DatabaseLocation.resolve(option: nil, environment: ["HOME": "/home/cora", "XDG_DATA_HOME": "data"]).path, "/home/cora/.local/share/parley/parley.sqlite")
        XCTAssertEqual(DatabaseLocation.resolve(option: "~/p.sqlite", environment: env).path, "/home/cora/p.sqlite")
    }

    func testFirstOpenInTheDataDirectoryCreatesTheDemoAndSaysWhere() async throws {
        let path = directory.appendingPathComponent("share/parley/parley.sqlite").path
        var messages: [String] = []
        let today = Fixtures.date("2026-11-23")
        let store = try await DefaultDatabase.open(DatabaseLocation(path: path, source: .dataDirectory), policy: .standard, today: today, now: Fixtures.importedAt) { messages.append($0) }
        XCTAssertEqual(messages.count, 2)
        XCTAssertTrue(messages[0].contains(path), messages[0])
        // The OS user is the demo's supervisor; its collectors are operators too.
        XCTAssertTrue(messages[1].contains("is the demo's supervisor"), messages[1])
        let operators = try await store.operators()
        XCTAssertEqual(operators.filter { $0.role == .collector }.map(\.name), SampleGenerator.collectors.filter { $0 != OperatorName.current() })
        XCTAssertEqual(operators.filter { $0.role == .supervisor }.map(\.name), [OperatorName.current()])
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)

        let report = try await store.report(asOf: today)
        XCTAssertEqual(report.cases, 220)
        let all = try await store.queue(QueueQuery(limit: 0, includeAll: true))
        XCTAssertEqual(all.total, 220)
        // The demo has its daily runs for the three days before today behind it.
        let runs = try await store.read { db in try String.fetchAll(db, sql: "SELECT as_of FROM runs ORDER BY as_of") }
        XCTAssertEqual(runs, ["2026-11-20", "2026-11-21", "2026-11-22"])

        // Opening it again changes nothing and says nothing.
        messages.removeAll()
        _ = try await DefaultDatabase.open(DatabaseLocation(path: path, source: .dataDirectory), policy: .standard, today: today) { messages.append($0) }
        XCTAssertEqual(messages, [])
    }

    func testDemoDatesAreShiftedSoTheScriptedPromiseIsStillAhead() async throws {
        // A-0018's promise is due on 11-04 in the files (anchor 11-01): three days after the anchor.
        let path = directory.appendingPathComponent("demo.sqlite").path
        let store = try await DefaultDatabase.open(DatabaseLocation(path: path, source: .dataDirectory), policy: .standard, today: Fixtures.date("2027-03-10"), now: Fixtures.importedAt) { _ in }
        let record = try await store.caseRecord(accountID: "A-0018")
        XCTAssertEqual(record?.status, .promised)
        XCTAssertEqual(record?.state.promise?.due, Fixtures.date("2027-03-13"))
    }

    func testExplicitPathThatDoesNotExistIsCreatedEmpty() async throws {
        let path = directory.appendingPathComponent("empty.sqlite").path
        var messages: [String] = []
        let store = try await DefaultDatabase.open(DatabaseLocation(path: path, source: .option), policy: .standard, today: Fixtures.date("2026-11-23")) { messages.append($0) }
        let page = try await store.queue(QueueQuery(includeAll: true))
        XCTAssertEqual(page.total, 0)
        XCTAssertEqual(messages.first, "parley: created an empty database \(path)")
        XCTAssertEqual(messages.count, 2)
        XCTAssertTrue(messages[1].contains("\(OperatorName.current()) is the first supervisor of this database"), messages[1])
    }

    func testRebuildOfTheWholeDemoReproducesEveryProjection() async throws {
        let (path, today, store) = try await openDemo()
        _ = try await store.runDaily(asOf: today, actor: .system, at: Fixtures.importedAt)
        let live = try Fixtures.snapshot(path)["cases"]
        let rebuilt = try await store.rebuildProjections()
        XCTAssertEqual(rebuilt, 220)
        XCTAssertEqual(try Fixtures.snapshot(path)["cases"], live)
    }

    func testDailyRunStepsOnlyWhatIsDueAndBringsEveryPriorityToTheDate() async throws {
        let (path, today, store) = try await openDemo()
        let queue = try DatabaseQueue(path: path)
        var at = Fixtures.importedAt
        var previous: [String: CaseRecord] = [:]
        for offset in 0..<12 {
            let day = today.adding(days: offset)
            at = at.addingTimeInterval(86_400)
            let summary = try await store.runDaily(asOf: day, actor: .system, at: at)
            let records = try await store.allCaseRecords()
            let live = records.filter { !$0.status.isClosed }
            XCTAssertEqual(summary.casesTicked, live.count)
            XCTAssertLessThanOrEqual(summary.casesStepped, summary.casesTicked)
            // The order the queue reads (the stored column) is the priority the record shows.
            let stored = try await queue.read { db in
                try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT account_id, priority FROM cases").map { ($0["account_id"] as String, $0["priority"] as Int) })
            }
            for record in records {
                XCTAssertEqual(stored[record.accountID], record.priority.score, "\(record.accountID) on \(day.iso)")
                XCTAssertEqual(record.priority, Projection.priority(of: record.state, asOf: record.asOf))
                // A live case's clock is the run's date, or the later day of an event recorded after it.
                if !record.status.isClosed { XCTAssertGreaterThanOrEqual(record.asOf, day, record.accountID) }
            }
            // A live case no event touched still ages by a day.
            if offset > 0 {
                let untouched = live.filter {
                    previous[$0.accountID]?.version == $0.version && previous[$0.accountID]?.asOf == day.adding(days: -1)
                        && $0.balance.isPositive && $0.state.oldestDue.map { $0 < day } == true
                }
                XCTAssertFalse(untouched.isEmpty)
                for record in untouched {
                    XCTAssertEqual(record.daysPastDue, (previous[record.accountID]?.daysPastDue ?? 0) + 1, record.accountID)
                }
            }
            previous = Dictionary(uniqueKeysWithValues: records.map { ($0.accountID, $0) })
        }
        // After the first days' catch-up a day steps only the cases something came due on.
        let quiet = try await store.runDaily(asOf: today.adding(days: 12), actor: .system, at: at.addingTimeInterval(86_400))
        XCTAssertLessThan(quiet.casesStepped, quiet.casesTicked / 2, "\(quiet.casesStepped) of \(quiet.casesTicked)")
    }

    func testTheDaysLettersAndPlacementsAreFoundByTheirIndexesNotAScanOfTheLog() async throws {
        let (path, today, store) = try await openDemo()
        var letters = 0, placed = 0
        for offset in 0..<8 {
            let day = today.adding(days: offset)
            let summary = try await store.runDaily(asOf: day, actor: .system, at: Fixtures.importedAt.addingTimeInterval(Double(offset + 1) * 86_400))
            // What the indexed queries find is what the run recorded that day.
            let sent = try await store.lettersSent(on: day)
            XCTAssertEqual(sent.count, summary.lettersDue, day.iso)
            let placements = try await store.placements(on: day)
            XCTAssertEqual(placements.placed, summary.placed.sorted(), day.iso)
            letters += sent.count
            placed += summary.placed.count
        }
        XCTAssertGreaterThan(letters, 0)
        XCTAssertGreaterThan(placed, 0)
        let queue = try DatabaseQueue(path: path)
        let plans = try await queue.read { db in
            try [SQLiteCaseStore.lettersSentSQL, SQLiteCaseStore.placedSQL].map { sql in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: sql == SQLiteCaseStore.placedSQL ? ["2026-11-23", "2026-11-23"] : ["2026-11-23"])
                    .map { $0["detail"] as String }.joined(separator: "; ")
            }
        }
        XCTAssertTrue(plans[0].contains("events_letters_by_day"), plans[0])
        XCTAssertTrue(plans[1].contains("events_placed_by_day"), plans[1])
        XCTAssertTrue(plans[1].contains("events_escalated_to_agency_by_day"), plans[1])
    }

    func testTheDaysLettersAreWrittenOnePerLetterInTheLogsOrderWithTheirText() async throws {
        let (_, today, store) = try await openDemo()
        _ = try await store.runDaily(asOf: today, actor: .system, at: Fixtures.importedAt)
        let sent = try await store.lettersSent(on: today)
        XCTAssertGreaterThan(sent.count, 64, "enough letters for more than one thread")
        let base = directory.appendingPathComponent("out").path
        let written = try await LetterFiles.write(store, on: today, base: base, templates: nil)
        // One file a letter, in the log's order, each the letter rendered for its account.
        XCTAssertEqual(written.map { ($0 as NSString).lastPathComponent }, sent.map { LetterRenderer.fileName(accountID: $0.accountID, kind: $0.kind) })
        let renderer = try LetterRenderer(overrides: nil)
        for (letter, file) in zip(sent, written) {
            let account = try await store.account(id: letter.accountID)
            let record = try await store.caseRecord(accountID: letter.accountID)
            let expected = renderer.render(LetterAssembly.content(kind: letter.kind, on: today, account: try XCTUnwrap(account), record: try XCTUnwrap(record), policy: store.policy))
            XCTAssertEqual(try String(contentsOfFile: file, encoding: .utf8), expected, file)
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("out/letters/\(today.iso)").path)
        XCTAssertEqual(left.count, sent.count, "no temporary file left behind")
    }
}
