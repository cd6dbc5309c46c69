import XCTest
import ParleyCore
@testable import ParleyStore

/// The demo portfolio committed in SampleData/.
final class SampleDemoTests: XCTestCase {
    static let sampleData = ImportColumnMapTests.sampleData
    let anchor = CivilDate(iso: "2026-11-01")!

    func demo() throws -> ImportBatch { try PortfolioImporter().read(.directory(Self.sampleData)) }

    func testDemoParsesCleanlyAndHasTheStatedSize() throws {
        let batch = try demo()
        XCTAssertGreaterThanOrEqual(batch.accounts.count, 150)
        XCTAssertEqual(Double(batch.invoices.count), 1_000, accuracy: 100)
        XCTAssertFalse(batch.payments.isEmpty)
        XCTAssertFalse(batch.history.isEmpty)
    }

    func testCommittedDemoIsWhatTheGeneratorWrites() throws {
        let dir = NSTemporaryDirectory() + "parley-demo-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try SampleGenerator.demo.write(to: dir)
        for kind in ImportFileKind.allCases {
            let committed = try Data(contentsOf: URL(fileURLWithPath: Self.sampleData + "/" + kind.fileName))
            let fresh = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + kind.fileName))
            XCTAssertEqual(committed, fresh, "\(kind.fileName) differs from `parley sample --demo`")
        }
        XCTAssertEqual(SampleGenerator.demo.anchor, anchor)
    }

    func testDemoCoversEveryAgingBucketAtTheAnchor() throws {
        var buckets = Set<AgingBucket>()
        for account in try demo().portfolio() {
            for bucket in try account.aging(asOf: anchor).keys { buckets.insert(bucket) }
        }
        XCTAssertEqual(buckets, Set(AgingBucket.allCases))
    }

    func testDemoHistoryHasEveryScenario() throws {
        let history = try demo().history
        func count(_ match: (HistoryEntry.Event) -> Bool) -> Int { history.filter { match($0.event) }.count }
        XCTAssertGreaterThan(count { if case .call(.conversation) = $0 { true } else { false } }, 5)
        XCTAssertGreaterThan(count { if case .call(.noAnswer) = $0 { true } else { false } }, 5)
        XCTAssertGreaterThan(count { if case .letter(.reminder) = $0 { true } else { false } }, 5)
        XCTAssertGreaterThan(count { if case .letter(.finalDemand) = $0 { true } else { false } }, 0)
        XCTAssertGreaterThan(count { if case .letter(.validationNotice) = $0 { true } else { false } }, 0)
        XCTAssertEqual(count { if case .plan = $0 { true } else { false } }, 1)
        XCTAssertEqual(count { if case .dispute = $0 { true } else { false } }, 2)
        XCTAssertEqual(count { if case .disputeResolved = $0 { true } else { false } }, 1)
        XCTAssertEqual(count { if case .cease = $0 { true } else { false } }, 1)
        XCTAssertEqual(count { if case .attorney = $0 { true } else { false } }, 1)
        XCTAssertEqual(count { if case .placed = $0 { true } else { false } }, 1)
        XCTAssertEqual(count { if case .settlement = $0 { true } else { false } }, 1)
        XCTAssertGreaterThan(count { if case .note = $0 { true } else { false } }, 3)
        XCTAssertTrue(history.allSatisfy { $0.at < Date(timeIntervalSince1970: TimeInterval(anchor.daysSinceEpoch * 86_400 + 86_400)) })
    }

    func testDemoPromisesAreKeptBrokenAndDueSoon() throws {
        let batch = try demo()
        let promises = batch.history.compactMap { entry -> (String, Date, Money, CivilDate)? in
            if case .promise(let amount, let due) = entry.event { return (entry.accountID, entry.at, amount, due) }
            return nil
        }
        XCTAssertEqual(promises.count, 3)
        var kept = 0, broken = 0, dueSoon = 0
        for (account, made, amount, due) in promises {
            let madeOn = CivilDate(daysSinceEpoch: Int(made.timeIntervalSince1970) / 86_400)
            let paidByDue = batch.payments.filter { $0.accountID == account && $0.paidOn >= madeOn && $0.paidOn <= due }
                .reduce(Int64(0)) { $0 + $1.amount.minorUnits }
            if due >= anchor { dueSoon += 1 } else if paidByDue >= amount.minorUnits { kept += 1 } else { broken += 1 }
        }
        XCTAssertEqual([kept, broken, dueSoon], [1, 1, 1])
    }
}
