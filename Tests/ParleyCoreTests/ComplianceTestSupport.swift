import Foundation
import XCTest
@testable import ParleyCore

/// An instant written with its UTC offset: "2026-03-02T07:59:00-05:00".
func instant(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> Date {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    guard let date = formatter.date(from: text) else {
        XCTFail("bad instant \(text)", file: file, line: line)
        return Date(timeIntervalSince1970: 0)
    }
    return date
}

func day(_ iso: String) -> CivilDate { CivilDate(iso: iso)! }

func consumer(_ zone: String?, account: String = "A-1", country: String = "US", region: String? = nil) -> ContactProfile {
    ContactProfile(accountID: account, kind: .consumer, timeZone: zone, country: country, region: region)
}

func business(_ zone: String?, account: String = "B-1") -> ContactProfile {
    ContactProfile(accountID: account, kind: .business, timeZone: zone, country: "US")
}

func calls(_ entries: [(String, CallOutcome)], about accounts: Set<String> = []) -> ContactHistory {
    ContactHistory(calls: entries.map { CallRecord(at: instant($0.0), outcome: $0.1, accountIDs: accounts) })
}
