import Foundation
import XCTest
@testable import ParleyCore

final class ComplianceLettersAndPlacementTests: XCTestCase {
    let policy = Policy.standard

    /// 2026: 1 Jan is a Thursday; 1 Feb a Sunday; 1 May a Friday; 1 Jun a Monday; 1 Jul a
    /// Wednesday; 1 Sep a Tuesday; 1 Oct a Thursday; 1 Nov a Sunday; 1 Dec a Tuesday.
    func testFederalHolidaysOf2026() {
        let observed = USFederalHolidays.holidays(in: 2026).map(\.observed.iso)
        XCTAssertEqual(observed, [
            "2026-01-01",  // New Year's Day, Thursday
            "2026-01-19",  // MLK: Mondays 5, 12, 19
            "2026-02-16",  // Presidents: Mondays 2, 9, 16
            "2026-05-25",  // Memorial: 31 May is a Sunday, last Monday the 25th
            "2026-06-19",  // Juneteenth, Friday
            "2026-07-03",  // Independence Day, Saturday 4 July → Friday
            "2026-09-07",  // Labor: first Monday
            "2026-10-12",  // Columbus: Mondays 5, 12
            "2026-11-11",  // Veterans, Wednesday
            "2026-11-26",  // Thanksgiving: Thursdays 5, 12, 19, 26
            "2026-12-25",  // Christmas, Friday
        ])
    }

    /// 1 Jan 2022 was a Saturday, observed on Friday 31 Dec 2021. 25 Dec 2027 is a Saturday
    /// (observed Friday 24th); 4 Jul 2027 a Sunday (observed Monday 5th).
    func testObservedDaysAcrossWeekendsAndYears() {
        let rows: [(String, Bool, UInt)] = [
            ("2021-12-31", true, #line), ("2022-01-01", true, #line), ("2022-01-03", false, #line),
            ("2027-12-24", true, #line), ("2027-07-05", true, #line), ("2027-07-06", false, #line),
            ("2026-07-03", true, #line), ("2026-11-27", false, #line), ("2020-06-19", false, #line),
        ]
        for (date, holiday, line) in rows {
            XCTAssertEqual(USFederalHolidays.isHoliday(day(date)), holiday, date, line: line)
        }
    }

    /// Receipt is assumed on the 5th day after sending that is not a Saturday, Sunday or
    /// holiday; the period ends 30 days later.
    func testValidationPeriodAcrossHolidays() {
        let rows: [(sent: String, receipt: String, ends: String, line: UInt)] = [
            // Mon 6 Apr: Tue 7, Wed 8, Thu 9, Fri 10, (weekend), Mon 13.
            ("2026-04-06", "2026-04-13", "2026-05-13", #line),
            // Mon 23 Nov: Tue 24, Wed 25, (Thanksgiving 26), Fri 27, (weekend), Mon 30, Tue 1 Dec.
            ("2026-11-23", "2026-12-01", "2026-12-31", #line),
            // Tue 22 Dec: Wed 23, Thu 24, (Christmas 25, weekend), Mon 28, Tue 29, Wed 30.
            ("2026-12-22", "2026-12-30", "2027-01-29", #line),
            // Wed 30 Dec: Thu 31, (New Year 1 Jan, weekend), Mon 4, Tue 5, Wed 6, Thu 7.
            ("2026-12-30", "2027-01-07", "2027-02-06", #line),
            // Fri 3 Jul (observed holiday itself): Mon 6, Tue 7, Wed 8, Thu 9, Fri 10.
            ("2026-07-03", "2026-07-10", "2026-08-09", #line),
        ]
        for row in rows {
            let period = ValidationPeriod(sentOn: day(row.sent), days: 30)
            XCTAssertEqual(period.assumedReceipt.iso, row.receipt, row.sent, line: row.line)
            XCTAssertEqual(period.endsOn.iso, row.ends, row.sent, line: row.line)
        }
    }

    /// Notice sent Mon 23 Nov 2026: period ends 31 Dec; placement from 1 Jan 2027.
    func testNoPlacementInsideTheValidationPeriod() {
        var profile = consumer("America/New_York")
        profile.validationNoticeSent = day("2026-11-23")
        let rows: [(asOf: String, blocked: Bool, line: UInt)] = [
            ("2026-11-23", true, #line), ("2026-12-01", true, #line),
            ("2026-12-31", true, #line), ("2027-01-01", false, #line),
        ]
        for row in rows {
            let verdict = ContactRulesEngine.mayPlaceWithAgency(profile: profile, asOf: day(row.asOf), policy: policy)
            XCTAssertEqual(verdict.isBlocked, row.blocked, "\(row.asOf): \(verdict.reasons)", line: row.line)
            if row.blocked {
                XCTAssertEqual(verdict.findings.map(\.rule), [.validationPeriod], line: row.line)
                XCTAssertEqual(verdict.earliestDate, day("2027-01-01"), line: row.line)
            }
        }
    }

    func testPlacementBlockedWhileDisputedOrWithoutNotice() {
        var disputed = consumer("America/New_York")
        disputed.validationNoticeSent = day("2026-01-05")
        disputed.disputedUnverified = true
        let d = ContactRulesEngine.mayPlaceWithAgency(profile: disputed, asOf: day("2026-06-01"), policy: policy)
        XCTAssertEqual(d.findings.map(\.rule), [.disputeUnverified])
        XCTAssertNil(d.earliestDate)

        let noNotice = ContactRulesEngine.mayPlaceWithAgency(profile: consumer("America/New_York"), asOf: day("2026-06-01"), policy: policy)
        XCTAssertEqual(noNotice.findings.map(\.rule), [.validationNoticeMissing])

        let company = ContactRulesEngine.mayPlaceWithAgency(profile: business("America/New_York"), asOf: day("2026-06-01"), policy: policy)
        XCTAssertEqual(company.decision, .allowed, "no validation notice for business debts")
    }

    func testLettersAfterCeaseAndDuringDispute() {
        var base = consumer("America/New_York")
        base.validationNoticeSent = day("2026-01-05")
        var ceased = base; ceased.ceased = true
        var disputed = base; disputed.disputedUnverified = true
        let blockedAfterCease: Set<LetterKind> = Set(LetterKind.allCases).subtracting([.ceaseConfirmation])
        let blockedInDispute: Set<LetterKind> = [.reminder, .finalDemand, .agencyNotice]
        for kind in LetterKind.allCases {
            let c = ContactRulesEngine.mayLetter(kind: kind, profile: ceased, asOf: day("2026-06-01"), policy: policy)
            XCTAssertEqual(c.isBlocked, blockedAfterCease.contains(kind), "ceased \(kind)")
            let d = ContactRulesEngine.mayLetter(kind: kind, profile: disputed, asOf: day("2026-06-01"), policy: policy)
            XCTAssertEqual(d.isBlocked, blockedInDispute.contains(kind), "disputed \(kind)")
            let b = ContactRulesEngine.mayLetter(kind: kind, profile: base, asOf: day("2026-06-01"), policy: policy)
            XCTAssertEqual(b.decision, .allowed, "\(kind): \(b.reasons)")
        }
        XCTAssertEqual(LetterKind.allCases.map(\.rawValue), [
            "reminder", "final-demand", "validation-notice", "plan-agreement", "settlement-agreement",
            "promise-confirmation", "agency-notice", "cease-confirmation", "dispute-verification",
        ])
    }

    /// California: 4 years. Oldest due 2021-05-10, last payment 2022-02-01 restarts the clock:
    /// barred from 2026-02-01.
    func testTimeBarredLettersMayNotThreatenSuit() {
        var profile = consumer("America/Los_Angeles", region: "CA")
        profile.validationNoticeSent = day("2021-06-01")
        profile.oldestDueDate = day("2021-05-10")
        profile.lastPaymentDate = day("2022-02-01")
        let asOf = day("2026-03-01")
        let rows: [(kind: LetterKind, text: String?, expected: ContactVerdict.Decision, line: UInt)] = [
            (.finalDemand, nil, .blocked, #line),
            (.reminder, "Your balance of $420 is overdue. Please pay.", .warned, #line),
            (.reminder, "Pay now or we will take you to court.", .blocked, #line),
            (.settlementAgreement, "Because of the age of your debt, we will not sue you for it.", .warned, #line),
        ]
        for row in rows {
            let verdict = ContactRulesEngine.mayLetter(kind: row.kind, profile: profile, asOf: asOf, policy: policy, text: row.text)
            XCTAssertEqual(verdict.decision, row.expected, "\(row.kind): \(verdict.reasons)", line: row.line)
            XCTAssertEqual(verdict.findings.first?.rule, .timeBarred, line: row.line)
        }
        let before = ContactRulesEngine.mayLetter(kind: .finalDemand, profile: profile, asOf: day("2026-01-31"), policy: policy)
        XCTAssertEqual(before.decision, .allowed, "\(before.reasons)")
    }

    /// Limitation years from the policy: NY 3, CA 4, US 6, DE 3, unknown country → default 6.
    func testTimeBarDates() {
        func profile(_ country: String, _ region: String?, due: String, paid: String? = nil) -> ContactProfile {
            var p = consumer(nil, country: country, region: region)
            p.oldestDueDate = day(due)
            p.lastPaymentDate = paid.map(day)
            return p
        }
        let rows: [(ContactProfile, barredFrom: String, line: UInt)] = [
            (profile("US", "NY", due: "2023-03-15"), "2026-03-15", #line),
            (profile("US", "NY", due: "2023-03-15", paid: "2024-01-10"), "2027-01-10", #line),
            (profile("US", "NY", due: "2023-03-15", paid: "2022-12-01"), "2026-03-15", #line),  // earlier payment: due date rules
            (profile("US", "CA", due: "2020-02-29"), "2024-02-29", #line),
            (profile("US", "WA", due: "2020-02-29"), "2026-02-28", #line),  // US: 6 years; no 29 Feb in 2026
            (profile("DE", nil, due: "2023-12-31"), "2026-12-31", #line),
            (profile("ZA", nil, due: "2020-01-01"), "2026-01-01", #line),
        ]
        for (p, barredFrom, line) in rows {
            let bar = day(barredFrom)
            XCTAssertEqual(ContactRulesEngine.timeBarDate(profile: p, policy: policy), bar, line: line)
            XCTAssertFalse(ContactRulesEngine.isTimeBarred(profile: p, asOf: bar.adding(days: -1), policy: policy), line: line)
            XCTAssertTrue(ContactRulesEngine.isTimeBarred(profile: p, asOf: bar, policy: policy), line: line)
        }
        XCTAssertFalse(ContactRulesEngine.isTimeBarred(profile: consumer(nil), asOf: day("2040-01-01"), policy: policy), "no dates, no bar")
    }

    func testLegalThreatDetection() {
        let rows: [(String, [String], UInt)] = [
            ("We will sue you.", ["sue"], #line),
            ("If you do not pay we will take legal action.", ["legal action"], #line),
            ("We may take you to court and obtain a judgment.", ["court", "judgment"], #line),
            ("Our attorney will contact you.", ["attorney will"], #line),
            ("A County Court Judgment (CCJ) may follow.", ["court", "judgment", "ccj"], #line),
            ("Failing payment we will file a lawsuit; your wages may be garnished", ["lawsuit"], #line),
            ("We will pursue payment of this issue.", [], #line),
            ("Please be courteous when you call.", [], #line),
            ("Because of the age of your debt, we will not sue you for it.", [], #line),
            ("No legal action will be taken.", [], #line),
            ("We can\u{2019}t sue you, but we may take you to court.", ["court"], #line),
        ]
        for (text, threats, line) in rows {
            XCTAssertEqual(ContactRulesEngine.legalThreats(in: text), threats, text, line: line)
            XCTAssertEqual(ContactRulesEngine.threatensLegalAction(text), !threats.isEmpty, text, line: line)
        }
    }

    func testScriptLinesThreateningSuitBlockedOnlyForTimeBarredDebt() {
        var profile = consumer("America/New_York", region: "NY")
        profile.oldestDueDate = day("2023-03-15")
        let line = "If we can't agree today, the account goes to our lawyers and they will sue."
        XCTAssertTrue(ContactRulesEngine.mayUse(text: line, profile: profile, asOf: day("2026-03-15"), policy: policy).isBlocked)
        XCTAssertFalse(ContactRulesEngine.mayUse(text: line, profile: profile, asOf: day("2026-03-14"), policy: policy).isBlocked)
        XCTAssertFalse(ContactRulesEngine.mayUse(text: "Can you pay $50 today?", profile: profile, asOf: day("2026-03-15"), policy: policy).isBlocked)
    }
}

final class ComplianceCaseInputsTests: XCTestCase {
    func testProfileAndHistoryAreBuiltFromTheCaseEvents() throws {
        let usd = try Currency(code: "USD")
        var state = CaseState(accountID: "A-7", debtorKind: .consumer, currency: usd, openedOn: day("2026-01-05"))
        state.status = .disputed
        state.attorney = "J. Counsel"
        state.openInvoices = [
            "I-1": .init(due: day("2025-11-30"), outstanding: Money(minorUnits: 10_000, currency: usd)),
            "I-2": .init(due: day("2025-10-31"), outstanding: Money(minorUnits: 5_000, currency: usd)),
        ]
        let debtor = Debtor(name: "Ann Lee", kind: .consumer, timeZone: "America/Chicago", country: "US", region: "IL")
        let events = [
            RecordedEvent(at: instant("2026-01-05T15:00:00Z"), actor: .system, event: .letterSent(.validationNotice, on: day("2026-01-05"))),
            RecordedEvent(at: instant("2026-01-20T15:00:00Z"), actor: .system, event: .paymentReceived(amount: Money(minorUnits: 2_000, currency: usd), on: day("2026-01-20"))),
            RecordedEvent(at: instant("2026-01-21T16:00:00Z"), actor: .system, event: .callAttempted(outcome: .conversation, verdict: .allowed, overrideReason: nil)),
            RecordedEvent(at: instant("2026-01-22T16:00:00Z"), actor: .system, event: .note("called back")),
        ]
        let profile = ContactProfile(state: state, debtor: debtor, events: events)
        XCTAssertEqual(profile, ContactProfile(
            accountID: "A-7", kind: .consumer, timeZone: "America/Chicago", country: "US", region: "IL",
            disputedUnverified: true, ceased: false, attorneyRepresented: true,
            oldestDueDate: day("2025-10-31"), lastPaymentDate: day("2026-01-20"), validationNoticeSent: day("2026-01-05")))
        let history = ContactHistory(events: events, accountID: "A-7")
        XCTAssertEqual(history.calls, [CallRecord(at: instant("2026-01-21T16:00:00Z"), outcome: .conversation, accountIDs: ["A-7"])])
    }
}
