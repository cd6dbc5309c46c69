import Foundation
import XCTest
@testable import ParleyCore

/// April 2026 in New York is EDT (−04:00). 2026-04-06 is a Monday: day 1 of the weeks below.
final class ComplianceCallFrequencyTests: XCTestCase {
    let policy = Policy.standard
    let newYork = consumer("America/New_York")

    /// One no-answer call at 10:00 on each of `days` (1 = Monday 6 April).
    func attempts(onDays days: [Int], outcome: CallOutcome = .noAnswer) -> [(String, CallOutcome)] {
        days.map { d in (day("2026-04-06").adding(days: d - 1).iso + "T10:00:00-04:00", outcome) }
    }

    /// Seven attempts on days 1–7 (6–12 April). An 8th on day 7 falls in the window 6–12 April
    /// with 7 attempts: blocked. On day 8 (13 April) the window is 7–13 April, which holds the
    /// attempts of days 2–7 = 6: the call is the 7th, allowed with a warning.
    func testEighthAttemptBlockedOnDaySevenAllowedOnDayEight() {
        let history = calls(attempts(onDays: [1, 2, 3, 4, 5, 6, 7]))
        let rows: [(at: String, expected: ContactVerdict.Decision, line: UInt)] = [
            ("2026-04-12T15:00:00-04:00", .blocked, #line),  // day 7
            ("2026-04-12T23:59:00-04:00", .blocked, #line),  // day 7, and outside the hours
            ("2026-04-13T08:00:00-04:00", .warned, #line),   // day 8: attempt 7 of 7
            ("2026-04-13T15:00:00-04:00", .warned, #line),
        ]
        for row in rows {
            let verdict = ContactRulesEngine.evaluateCall(profile: newYork, history: history, at: instant(row.at), policy: policy)
            XCTAssertEqual(verdict.decision, row.expected, "\(row.at): \(verdict.reasons)", line: row.line)
        }
        let blocked = ContactRulesEngine.evaluateCall(profile: newYork, history: history, at: instant("2026-04-12T15:00:00-04:00"), policy: policy)
        XCTAssertEqual(blocked.blockingRules, [.attemptFrequency])
        XCTAssertEqual(blocked.nextAllowed, instant("2026-04-13T08:00:00-04:00"))
        let dayEight = ContactRulesEngine.evaluateCall(profile: newYork, history: history, at: instant("2026-04-13T15:00:00-04:00"), policy: policy)
        XCTAssertEqual(dayEight.findings.map(\.rule), [.attemptFrequency])
        XCTAssertTrue(dayEight.reasons[0].contains("attempt 7 of the 7"), dayEight.reasons[0])
    }

    /// Counting on day 7 at 15:00 the attempts already made in 6–12 April.
    func testAttemptCountsAndWarnings() {
        let rows: [(history: [(String, CallOutcome)], expected: ContactVerdict.Decision, line: UInt)] = [
            (attempts(onDays: [1, 2, 3]), .allowed, #line),                     // 4th attempt
            (attempts(onDays: [1, 2, 3, 4]), .allowed, #line),                  // 5th
            (attempts(onDays: [1, 2, 3, 4, 5]), .warned, #line),                // 6th of 7
            (attempts(onDays: [1, 2, 3, 4, 5, 6]), .warned, #line),             // 7th of 7
            (attempts(onDays: [1, 2, 3, 4, 5, 6, 7]), .blocked, #line),         // 8th
            (attempts(onDays: [7, 7, 7, 7, 7, 7, 7]), .blocked, #line),         // 7 the same day
            // Two of the seven never connected: 5 attempts, this is the 6th.
            (attempts(onDays: [1, 2, 3, 4, 5]) + attempts(onDays: [6, 7], outcome: .notConnected), .warned, #line),
            (attempts(onDays: [1, 2, 3, 4, 5, 6, 7], outcome: .notConnected), .allowed, #line),
            // Voicemail and wrong numbers are attempts.
            (attempts(onDays: [1, 2, 3], outcome: .voicemail) + attempts(onDays: [4, 5, 6, 7], outcome: .wrongNumber), .blocked, #line),
            // Day 0 (5 April) is outside the window 6–12 April.
            (attempts(onDays: [0, 2, 3, 4, 5, 6, 7]), .warned, #line),
        ]
        for row in rows {
            let verdict = ContactRulesEngine.evaluateCall(profile: newYork, history: calls(row.history), at: instant("2026-04-12T15:00:00-04:00"), policy: policy)
            XCTAssertEqual(verdict.decision, row.expected, "\(verdict.reasons)", line: row.line)
        }
    }

    /// A conversation on Monday 6 April (day one) bars calls through Sunday 12 April, later the
    /// same Monday included; Monday 13 April is allowed.
    func testConversationOnMondayBlocksThroughSunday() {
        let history = calls([("2026-04-06T10:00:00-04:00", .conversation)])
        let rows: [(at: String, expected: ContactVerdict.Decision, line: UInt)] = [
            ("2026-04-06T09:00:00-04:00", .allowed, #line),   // before the conversation
            ("2026-04-06T15:00:00-04:00", .blocked, #line),   // Mon, day 1
            ("2026-04-07T10:00:00-04:00", .blocked, #line),   // Tue, day 2
            ("2026-04-08T10:00:00-04:00", .blocked, #line),   // Wed
            ("2026-04-09T10:00:00-04:00", .blocked, #line),   // Thu
            ("2026-04-10T10:00:00-04:00", .blocked, #line),   // Fri
            ("2026-04-11T10:00:00-04:00", .blocked, #line),   // Sat
            ("2026-04-12T10:00:00-04:00", .blocked, #line),   // Sun, day 7
            ("2026-04-12T20:59:00-04:00", .blocked, #line),
            ("2026-04-13T10:00:00-04:00", .allowed, #line),   // Mon, day 8
        ]
        for row in rows {
            let verdict = ContactRulesEngine.evaluateCall(profile: newYork, history: history, at: instant(row.at), policy: policy)
            XCTAssertEqual(verdict.decision, row.expected, "\(row.at): \(verdict.reasons)", line: row.line)
            if row.expected == .blocked { XCTAssertEqual(verdict.blockingRules, [.conversationWait], line: row.line) }
        }
        let tuesday = ContactRulesEngine.evaluateCall(profile: newYork, history: history, at: instant("2026-04-07T10:00:00-04:00"), policy: policy)
        XCTAssertEqual(tuesday.nextAllowed, instant("2026-04-13T08:00:00-04:00"))
    }

    /// Days are the debtor's: a conversation at 02:00Z on Tuesday 7 April is 19:00 PDT on Monday
    /// 6 April in Los Angeles, so day one is the Monday and Monday 13 April 08:00 PDT (15:00Z)
    /// is the next allowed call.
    func testConversationDaysAreCountedInTheDebtorsCalendar() {
        let losAngeles = consumer("America/Los_Angeles")
        let history = calls([("2026-04-07T02:00:00Z", .conversation)])
        let sunday = ContactRulesEngine.evaluateCall(profile: losAngeles, history: history, at: instant("2026-04-12T20:00:00Z"), policy: policy)
        XCTAssertEqual(sunday.decision, .blocked, "13:00 PDT Sunday, day 7")
        XCTAssertEqual(sunday.nextAllowed, instant("2026-04-13T15:00:00Z"))
        let monday = ContactRulesEngine.evaluateCall(profile: losAngeles, history: history, at: instant("2026-04-13T15:00:00Z"), policy: policy)
        XCTAssertEqual(monday.decision, .allowed, "\(monday.reasons)")
    }

    /// A conversation about accounts A-1 and A-2 blocks calls about either; A-3 is untouched.
    /// A call recorded about A-1 only does not count for A-2.
    func testConversationAboutTwoDebtsBlocksBoth() {
        let both = calls([("2026-04-06T10:00:00-04:00", .conversation)], about: ["A-1", "A-2"])
        let tuesday = instant("2026-04-07T10:00:00-04:00")
        for (account, expected) in [("A-1", ContactVerdict.Decision.blocked), ("A-2", .blocked), ("A-3", .allowed)] {
            let verdict = ContactRulesEngine.evaluateCall(profile: consumer("America/New_York", account: account), history: both, at: tuesday, policy: policy)
            XCTAssertEqual(verdict.decision, expected, account)
        }
        let onlyFirst = calls([("2026-04-06T10:00:00-04:00", .conversation)], about: ["A-1"])
        XCTAssertEqual(ContactRulesEngine.evaluateCall(profile: consumer("America/New_York", account: "A-2"), history: onlyFirst, at: tuesday, policy: policy).decision, .allowed)
    }

    func testStatusBlocksWithNoNextAllowed() {
        var ceased = newYork; ceased.ceased = true
        var disputed = newYork; disputed.disputedUnverified = true
        var represented = newYork; represented.attorneyRepresented = true
        var businessCeased = business("America/New_York"); businessCeased.ceased = true
        let rows: [(ContactProfile, ComplianceRule, UInt)] = [
            (ceased, .ceased, #line), (disputed, .disputeUnverified, #line),
            (represented, .attorneyRepresented, #line), (businessCeased, .ceased, #line),
        ]
        for (profile, rule, line) in rows {
            let verdict = ContactRulesEngine.evaluateCall(profile: profile, history: .empty, at: instant("2026-04-06T12:00:00-04:00"), policy: policy)
            XCTAssertEqual(verdict.decision, .blocked, line: line)
            XCTAssertEqual(verdict.blockingRules, [rule], line: line)
            XCTAssertNil(verdict.nextAllowed, line: line)
        }
    }

    /// Businesses: 10 attempts a week and no wait after a conversation — unless the policy turns
    /// the consumer rules on (then 08:00–18:00, 7 attempts, the wait).
    func testBusinessFrequencyAndConsumerRulesSwitch() {
        let company = business("America/New_York")
        let at = instant("2026-04-12T15:00:00-04:00")
        let rows: [(history: [(String, CallOutcome)], consumerRules: Bool, expected: ContactVerdict.Decision, line: UInt)] = [
            (attempts(onDays: [1, 2, 3, 4, 5, 6, 7]), false, .allowed, #line),                // 8th of 10
            (attempts(onDays: [1, 2, 3, 4, 5, 6, 7, 7]), false, .warned, #line),             // 9th of 10
            (attempts(onDays: [1, 2, 3, 4, 5, 6, 7, 7, 7]), false, .warned, #line),          // 10th of 10
            (attempts(onDays: [1, 2, 3, 4, 5, 6, 7, 7, 7, 7]), false, .blocked, #line),      // 11th
            ([("2026-04-11T10:00:00-04:00", .conversation)], false, .allowed, #line),
            ([("2026-04-11T10:00:00-04:00", .conversation)], true, .blocked, #line),
            (attempts(onDays: [1, 2, 3, 4, 5, 6, 7]), true, .blocked, #line),                 // 8th of 7
        ]
        for row in rows {
            var p = policy
            p.contact.consumerRulesForBusiness = row.consumerRules
            let verdict = ContactRulesEngine.evaluateCall(profile: company, history: calls(row.history), at: at, policy: p)
            XCTAssertEqual(verdict.decision, row.expected, "\(verdict.reasons)", line: row.line)
        }
    }

    /// New York consumers: 3 years from the oldest due date 2023-03-15 → barred from 2026-03-15.
    func testTimeBarredDebtIsWarnedOnACall() {
        var barred = newYork
        barred.region = "NY"
        barred.oldestDueDate = day("2023-03-15")
        let verdict = ContactRulesEngine.evaluateCall(profile: barred, history: .empty, at: instant("2026-04-06T12:00:00-04:00"), policy: policy)
        XCTAssertEqual(verdict.decision, .warned)
        XCTAssertEqual(verdict.findings.map(\.rule), [.timeBarred])
    }

    func testVerdictJSONNamesDecisionReasonsFindingsAndNextAllowed() throws {
        let verdict = ContactRulesEngine.evaluateCall(profile: newYork, history: .empty, at: instant("2026-04-06T07:00:00-04:00"), policy: policy)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        encoder.dateEncodingStrategy = .iso8601
        let object = try JSONSerialization.jsonObject(with: encoder.encode(verdict)) as! [String: Any]
        XCTAssertEqual(object["decision"] as? String, "blocked")
        XCTAssertEqual(object["nextAllowed"] as? String, "2026-04-06T12:00:00Z")
        let findings = object["findings"] as! [[String: Any]]
        XCTAssertEqual(findings.first?["rule"] as? String, "call-hours")
        XCTAssertEqual(findings.first?["severity"] as? String, "block")
        XCTAssertEqual((object["reasons"] as? [String])?.count, 1)

        let legacy = try JSONDecoder().decode(ContactVerdict.self, from: Data(#"{"decision":"allowed","reasons":[]}"#.utf8))
        XCTAssertEqual(legacy, .allowed)
    }
}
