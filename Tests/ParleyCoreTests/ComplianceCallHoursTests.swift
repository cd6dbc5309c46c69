import Foundation
import XCTest
@testable import ParleyCore

final class ComplianceCallHoursTests: XCTestCase {
    let policy = Policy.standard

    /// Consumers may be called in [08:00, 21:00) local time. 2026-03-02 is a Monday; New York is
    /// on EST (−05:00) then. Tokyo is +09:00 all year, Kiritimati +14:00, Honolulu −10:00.
    func testConsumerWindowEdgesInTheDebtorsZone() {
        let rows: [(zone: String, at: String, expected: ContactVerdict.Decision, line: UInt)] = [
            ("America/New_York", "2026-03-02T07:59:00-05:00", .blocked, #line),
            ("America/New_York", "2026-03-02T07:59:59-05:00", .blocked, #line),
            ("America/New_York", "2026-03-02T08:00:00-05:00", .allowed, #line),
            ("America/New_York", "2026-03-02T12:00:00-05:00", .allowed, #line),
            ("America/New_York", "2026-03-02T20:29:00-05:00", .allowed, #line),   // 31 minutes left
            ("America/New_York", "2026-03-02T20:30:00-05:00", .warned, #line),    // 30 minutes left
            ("America/New_York", "2026-03-02T20:59:59-05:00", .warned, #line),
            ("America/New_York", "2026-03-02T21:00:00-05:00", .blocked, #line),   // 21:00 exactly is outside
            ("Asia/Tokyo", "2026-03-02T07:59:00+09:00", .blocked, #line),          // = 2026-03-01T22:59Z
            ("Asia/Tokyo", "2026-03-02T08:00:00+09:00", .allowed, #line),
            ("Asia/Tokyo", "2026-03-02T21:00:00+09:00", .blocked, #line),
            ("Pacific/Kiritimati", "2026-03-02T07:59:00+14:00", .blocked, #line),  // = 2026-03-01T17:59Z
            ("Pacific/Kiritimati", "2026-03-02T08:00:00+14:00", .allowed, #line),
            ("Pacific/Honolulu", "2026-03-02T07:59:00-10:00", .blocked, #line),    // = 2026-03-02T17:59Z
            ("Pacific/Honolulu", "2026-03-02T08:00:00-10:00", .allowed, #line),
            // The same instant, 13:00Z, is 08:00 in New York and 22:00 in Tokyo.
            ("America/New_York", "2026-03-02T13:00:00Z", .allowed, #line),
            ("Asia/Tokyo", "2026-03-02T13:00:00Z", .blocked, #line),
        ]
        for row in rows {
            let verdict = ContactRulesEngine.evaluateCall(profile: consumer(row.zone), history: .empty, at: instant(row.at), policy: policy)
            XCTAssertEqual(verdict.decision, row.expected, "\(row.zone) \(row.at): \(verdict.reasons)", line: row.line)
            if row.expected == .blocked {
                XCTAssertEqual(verdict.blockingRules, [.callHours], line: row.line)
            }
        }
    }

    /// Clocks change in New York at 02:00 on 2026-03-08 (to EDT, −04:00) and on 2026-11-01 (to
    /// EST, −05:00). 08:00 local is 12:00Z on 8 March and 13:00Z on 1 November.
    func testWindowFollowsTheWallClockOnTheDaysClocksChange() {
        let rows: [(at: String, expected: ContactVerdict.Decision, line: UInt)] = [
            ("2026-03-08T07:59:00-04:00", .blocked, #line),  // 11:59Z
            ("2026-03-08T08:00:00-04:00", .allowed, #line),  // 12:00Z
            ("2026-03-08T07:30:00-05:00", .allowed, #line),  // 12:30Z = 08:30 EDT on the wall
            ("2026-03-08T20:59:00-04:00", .warned, #line),
            ("2026-03-08T21:00:00-04:00", .blocked, #line),
            ("2026-11-01T07:59:00-05:00", .blocked, #line),  // 12:59Z
            ("2026-11-01T08:00:00-05:00", .allowed, #line),  // 13:00Z
            ("2026-11-01T08:30:00-04:00", .blocked, #line),  // 12:30Z = 07:30 EST on the wall
            ("2026-11-01T21:00:00-05:00", .blocked, #line),
        ]
        for row in rows {
            let verdict = ContactRulesEngine.evaluateCall(profile: consumer("America/New_York"), history: .empty, at: instant(row.at), policy: policy)
            XCTAssertEqual(verdict.decision, row.expected, "\(row.at): \(verdict.reasons)", line: row.line)
        }
    }

    func testNextAllowedIsTheNextWindowOpening() {
        let rows: [(at: String, next: String, line: UInt)] = [
            ("2026-03-02T07:59:00-05:00", "2026-03-02T08:00:00-05:00", #line),
            ("2026-03-02T21:00:00-05:00", "2026-03-03T08:00:00-05:00", #line),
            ("2026-03-03T00:10:00-05:00", "2026-03-03T08:00:00-05:00", #line),
            // Saturday night before the change: Sunday 08:00 is already EDT.
            ("2026-03-07T21:30:00-05:00", "2026-03-08T08:00:00-04:00", #line),
            ("2026-10-31T22:00:00-04:00", "2026-11-01T08:00:00-05:00", #line),
        ]
        for row in rows {
            let verdict = ContactRulesEngine.evaluateCall(profile: consumer("America/New_York"), history: .empty, at: instant(row.at), policy: policy)
            XCTAssertEqual(verdict.nextAllowed, instant(row.next), row.at, line: row.line)
        }
    }

    /// With the zone unknown, a US consumer may be called only when every zone of the 50 states
    /// is inside 08:00–21:00. The latest opening is Hawaii's 08:00 (UTC−10 all year) = 18:00Z,
    /// the earliest close New York's 21:00 (02:00Z in winter, 01:00Z in summer). So: 13:00–21:00
    /// EST in winter, 14:00–21:00 EDT in summer. 2026-07-06 is a Monday.
    func testUnknownZoneAllowsOnlyHoursConvenientInEveryUSZone() {
        let rows: [(at: String, expected: ContactVerdict.Decision, line: UInt)] = [
            ("2026-03-02T12:59:00-05:00", .blocked, #line),  // 07:59 in Honolulu
            ("2026-03-02T13:00:00-05:00", .warned, #line),   // 08:00 in Honolulu
            ("2026-03-02T20:59:00-05:00", .warned, #line),
            ("2026-03-02T21:00:00-05:00", .blocked, #line),  // 21:00 in New York
            ("2026-07-06T13:59:00-04:00", .blocked, #line),  // 07:59 in Honolulu
            ("2026-07-06T14:00:00-04:00", .warned, #line),
            ("2026-07-06T21:00:00-04:00", .blocked, #line),
        ]
        for row in rows {
            let verdict = ContactRulesEngine.evaluateCall(profile: consumer(nil), history: .empty, at: instant(row.at), policy: policy)
            XCTAssertEqual(verdict.decision, row.expected, "\(row.at): \(verdict.reasons)", line: row.line)
            XCTAssertTrue(verdict.findings.contains { $0.rule == .timeZoneUnknown && $0.severity == .warning }, "the verdict says the zone was unknown", line: row.line)
        }
        let early = ContactRulesEngine.evaluateCall(profile: consumer(nil), history: .empty, at: instant("2026-03-02T09:00:00-05:00"), policy: policy)
        XCTAssertEqual(early.nextAllowed, instant("2026-03-02T13:00:00-05:00"))
        XCTAssertTrue(early.reasons.contains { $0.contains("Pacific/Honolulu") }, "\(early.reasons)")
    }

    /// A known state narrows the zones: California is Pacific only (PST −08:00 on 2 March).
    /// An identifier that is not an IANA zone counts as unknown.
    func testUnknownZoneWithKnownRegionUsesTheRegionsZones() {
        let california = consumer(nil, region: "CA")
        XCTAssertEqual(ContactRulesEngine.evaluateCall(profile: california, history: .empty, at: instant("2026-03-02T07:59:00-08:00"), policy: policy).decision, .blocked)
        XCTAssertEqual(ContactRulesEngine.evaluateCall(profile: california, history: .empty, at: instant("2026-03-02T08:00:00-08:00"), policy: policy).decision, .warned)

        let bogus = consumer("Mars/Olympus_Mons")
        let verdict = ContactRulesEngine.evaluateCall(profile: bogus, history: .empty, at: instant("2026-03-02T10:00:00-05:00"), policy: policy)
        XCTAssertEqual(verdict.decision, .blocked, "10:00 EST is 05:00 in Honolulu")
        XCTAssertTrue(verdict.reasons.contains { $0.contains("Mars/Olympus_Mons") }, "\(verdict.reasons)")
    }

    func testUnknownZoneInACountryWithoutATableIsBlockedUntilAZoneIsRecorded() {
        let verdict = ContactRulesEngine.evaluateCall(profile: consumer(nil, country: "ZA"), history: .empty, at: instant("2026-03-02T12:00:00+02:00"), policy: policy)
        XCTAssertEqual(verdict.decision, .blocked)
        XCTAssertEqual(verdict.blockingRules, [.timeZoneUnknown])
        XCTAssertNil(verdict.nextAllowed)
    }

    /// Standard policy: businesses 08:00–18:00, 10 attempts a week, no wait after a conversation.
    func testBusinessHoursComeFromThePolicy() {
        let rows: [(at: String, expected: ContactVerdict.Decision, line: UInt)] = [
            ("2026-03-02T07:59:00-05:00", .blocked, #line),
            ("2026-03-02T08:00:00-05:00", .allowed, #line),
            ("2026-03-02T17:29:00-05:00", .allowed, #line),
            ("2026-03-02T17:59:00-05:00", .warned, #line),
            ("2026-03-02T18:00:00-05:00", .blocked, #line),
            ("2026-03-02T20:00:00-05:00", .blocked, #line),  // fine for a consumer, not a business
        ]
        for row in rows {
            let verdict = ContactRulesEngine.evaluateCall(profile: business("America/New_York"), history: .empty, at: instant(row.at), policy: policy)
            XCTAssertEqual(verdict.decision, row.expected, "\(row.at): \(verdict.reasons)", line: row.line)
        }
        let late = ContactRulesEngine.evaluateCall(profile: business("America/New_York"), history: .empty, at: instant("2026-03-02T18:00:00-05:00"), policy: policy)
        XCTAssertEqual(late.nextAllowed, instant("2026-03-03T08:00:00-05:00"))
    }

    func testEveryZoneInTheTableIsKnownToFoundation() {
        var ids = Set(CallTimeZones.countries.values.flatMap { $0 })
        for regions in CallTimeZones.regions.values { ids.formUnion(regions.values.flatMap { $0 }) }
        for id in ids.sorted() {
            XCTAssertNotNil(TimeZone(identifier: id), id)
        }
        XCTAssertFalse(CallTimeZones.countries["US"]!.contains("Pacific/Guam"), "territories are not in the US country-wide set")
        XCTAssertTrue(CallTimeZones.countries["US"]!.contains("Pacific/Honolulu"))
    }
}
