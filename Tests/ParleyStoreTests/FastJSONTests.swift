import Foundation
import GRDB
import ParleyCore
@testable import ParleyStore
import XCTest

/// The hand-written JSON of the import's and the run's events must be byte for byte what
/// `JSONEncoder` writes, or fall back to it; a state's compact form must read back as the state it
/// was written from, and its long form (older databases, and what the compact form leaves alone)
/// as `JSONDecoder` reads it.
final class FastJSONTests: XCTestCase {
    let day = CivilDate(iso: "2026-11-02")!

    func testEventsWrittenByHandAreWhatTheEncoderWrites() throws {
        let events: [CaseEvent] = [
            .invoiceAdded(invoiceID: "INV-0000001", amount: Money(minorUnits: 19_500, currency: .jpy), due: day),
            .invoiceAdded(invoiceID: "inv 7.b_c", amount: Money(minorUnits: 123_456, currency: .eur), due: day),
            .invoiceAdded(invoiceID: "INV-1", amount: Money(minorUnits: 5, currency: .usd), due: day),
            .paymentReceived(amount: Money(minorUnits: 10_920, currency: .gbp), on: day),
            .paymentReceived(amount: Money(minorUnits: 100, currency: try Currency(code: "KWD")), on: day),
            .opened(accountID: "A-00001", debtorKind: .business, currency: .jpy, on: day),
            .opened(accountID: "C-7", debtorKind: .consumer, currency: .usd, on: day),
            .opened(accountID: "A-00002", debtorKind: .business, currency: .eur, on: day, invoices: [
                OpeningInvoice(id: "INV-0000003", amount: Money(minorUnits: 123_456, currency: .eur), due: day.adding(days: -40)),
                OpeningInvoice(id: "inv 7.b_c", amount: Money(minorUnits: 5, currency: .eur), due: day),
            ]),
            .opened(accountID: "A-00003", debtorKind: .consumer, currency: .jpy, on: day, invoices: [
                OpeningInvoice(id: "INV-9", amount: Money(minorUnits: 19_500, currency: .jpy), due: day),
            ]),
            .opened(accountID: "A-00004", debtorKind: .consumer, currency: .usd, on: day, invoices: []),
            .escalated(to: .call, on: day),
            .escalated(to: .agency, on: day),
            .letterSent(.reminder, on: day),
            .letterSent(.finalDemand, on: day),
            .letterSent(.planAgreement, on: day),
        ]
        for event in events {
            let fast = try XCTUnwrap(FastJSON.event(event), "\(event)")
            XCTAssertEqual(fast, try StoreCodec.encode(event), "\(event)")
            XCTAssertEqual(try StoreCodec.decode(CaseEvent.self, from: fast), event)
            XCTAssertEqual(FastStateDecoder.event(fast), event)
        }
    }

    /// A log written before the `opened` event carried its invoices reads as it did, and an
    /// `opened` event without them is written as it was.
    func testAnOpenedEventWithoutInvoicesKeepsItsOlderShape() throws {
        let older = #"{"opened":{"accountID":"A-1","currency":"EUR","debtorKind":"consumer","on":"2026-11-02"}}"#
        let event = CaseEvent.opened(accountID: "A-1", debtorKind: .consumer, currency: .eur, on: day)
        XCTAssertEqual(try StoreCodec.decode(CaseEvent.self, from: older), event)
        XCTAssertEqual(FastStateDecoder.event(older), event)
        XCTAssertEqual(try StoreCodec.encode(event: event), older)
        XCTAssertEqual(try StoreCodec.encode(event), older)
        // Invoices belong to an opened event only.
        XCTAssertNil(FastStateDecoder.event(#"{"escalated":{"invoices":[],"on":"2026-11-02","to":"call"}}"#))
    }

    /// An opening's invoices are `[id, due, amount, currency]`; the objects a log of session 12
    /// holds read as the same event, by hand and by `JSONDecoder`.
    func testAnOpeningsInvoicesAreArraysAndTheirOlderObjectsRead() throws {
        let event = CaseEvent.opened(accountID: "A-1", debtorKind: .business, currency: .jpy, on: day, invoices: [
            OpeningInvoice(id: "INV-1", amount: Money(minorUnits: 19_500, currency: .jpy), due: day.adding(days: -30)),
            OpeningInvoice(id: "INV-2", amount: Money(minorUnits: 5, currency: .jpy), due: day),
        ])
        let written = #"{"opened":{"accountID":"A-1","currency":"JPY","debtorKind":"business","invoices":[["INV-1","2026-10-03","19500","JPY"],["INV-2","2026-11-02","5","JPY"]],"on":"2026-11-02"}}"#
        XCTAssertEqual(try StoreCodec.encode(event: event), written)
        XCTAssertEqual(try StoreCodec.encode(event), written)
        let older = #"{"opened":{"accountID":"A-1","currency":"JPY","debtorKind":"business","invoices":[{"amount":{"amount":"19500","currency":"JPY"},"due":"2026-10-03","id":"INV-1"},{"amount":{"amount":"5","currency":"JPY"},"due":"2026-11-02","id":"INV-2"}],"on":"2026-11-02"}}"#
        for text in [written, older] {
            XCTAssertEqual(FastStateDecoder.event(text), event, text)
            XCTAssertEqual(try StoreCodec.decode(CaseEvent.self, from: text), event, text)
            XCTAssertEqual(try StoreCodec.decodeEvent(text), event, text)
        }
        // An invoice with a field more or less, or an amount that is not one, is refused.
        for broken in [written.replacingOccurrences(of: #""5","JPY"]"#, with: #""5","JPY",1]"#),
                       written.replacingOccurrences(of: #","5","JPY"]"#, with: #","5"]"#),
                       written.replacingOccurrences(of: #""19500""#, with: #""19,500.x""#)] {
            XCTAssertNil(FastStateDecoder.event(broken), broken)
            XCTAssertThrowsError(try StoreCodec.decodeEvent(broken), broken)
        }
    }

    func testTextThatNeedsEscapingGoesToTheEncoder() throws {
        // JSONEncoder escapes "/" and quotes; non-ASCII is left to it too.
        for id in ["A-1/event-3", "say \"hi\"", "back\\slash", "Hôtel-1", "tab\there"] {
            let event = CaseEvent.invoiceAdded(invoiceID: id, amount: Money(minorUnits: 100, currency: .usd), due: day)
            XCTAssertNil(FastJSON.event(event))
            let written = try StoreCodec.encode(event: event)
            XCTAssertEqual(written, try StoreCodec.encode(event))
            XCTAssertEqual(try StoreCodec.decode(CaseEvent.self, from: written), event)
        }
        XCTAssertNil(FastJSON.event(.note("anything")))
        XCTAssertEqual(try StoreCodec.encode(event: .note("a/b")), try StoreCodec.encode(CaseEvent.note("a/b")))
    }

    func testStatesReadByHandAreWhatTheDecoderReads() async throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("demo.sqlite").path
        let today = Fixtures.date("2026-11-23")
        let store = try await DefaultDatabase.open(DatabaseLocation(path: path, source: .dataDirectory), policy: .standard, today: today, now: Fixtures.importedAt) { _ in }
        var texts: [String] = []
        for offset in stride(from: 0, to: 40, by: 3) {
            texts += try await DatabaseQueue(path: path).read { db in try String.fetchAll(db, sql: "SELECT state FROM case_states") }
            _ = try await store.runDaily(asOf: today.adding(days: offset), actor: .system, at: Fixtures.importedAt.addingTimeInterval(Double(offset) * 86_400))
        }
        var compact = 0
        for text in texts {
            let state = try StoreCodec.decodeState(text)
            if FastStateDecoder.isCompact(text) {
                // The compact form: read by hand only, and written back byte for byte.
                XCTAssertEqual(FastJSON.compactState(state), text)
                compact += 1
            } else {
                // Only what it leaves to JSONEncoder on purpose, read alike by hand and by JSONDecoder.
                XCTAssertNil(FastJSON.compactState(state), text)
                XCTAssertTrue(text.contains("pendingApproval"), text)
                XCTAssertEqual(state, try StoreCodec.decode(CaseState.self, from: text))
            }
            // The long form of the same state (what older databases hold) reads the same by hand.
            let long = try StoreCodec.encode(state)
            XCTAssertEqual(try StoreCodec.decode(CaseState.self, from: long), state)
            if state.pendingApproval == nil {
                XCTAssertEqual(FastStateDecoder.decode(long), state, long)
                XCTAssertLessThan(text.utf8.count, long.utf8.count)
            }
        }
        // Every event of the log reads the same by hand (where it does) as with JSONDecoder.
        let payloads = try await DatabaseQueue(path: path).read { db in try String.fetchAll(db, sql: "SELECT payload FROM events") }
        var eventsByHand = 0
        for payload in payloads {
            let expected = try StoreCodec.decode(CaseEvent.self, from: payload)
            if let event = FastStateDecoder.event(payload) {
                XCTAssertEqual(event, expected, payload)
                eventsByHand += 1
            }
            XCTAssertEqual(try StoreCodec.decodeEvent(payload), expected)
        }
        XCTAssertGreaterThan(eventsByHand, payloads.count / 2)
        XCTAssertNil(FastStateDecoder.event(#"{"escalated":{"on":"2026-11-02","to":"call"},"letterSent":{"_0":"reminder","on":"2026-11-02"}}"#))
        XCTAssertNil(FastStateDecoder.event(#"{"escalated":{"on":"2026-11-02","to":"nowhere"}}"#))

        XCTAssertEqual(texts.count, 220 * 14)
        XCTAssertGreaterThan(compact, 200 * 14)
        // The demo's histories give states with promises, plans, settlements, callbacks and holds.
        for key in ["\"promise\"", "\"plan\"", "\"settle\"", "\"contact\"", "\"since\"", "\"resume\"", "\"letters\"", "\"calls\""] {
            XCTAssertTrue(texts.contains { $0.contains(key) }, key)
        }
    }

    func testAStateWithEveryFieldReadsBackByHand() throws {
        var state = CaseState(accountID: "A-1", debtorKind: .consumer, currency: .eur, openedOn: day)
        state.assignee = "alice"; state.attorney = "Ms Law"; state.holdReason = "review"; state.disputeReason = "not mine"
        state.balance = Fixtures.eur(12_345); state.callAttempts = 3; state.conversations = 1; state.ceased = true
        state.callbackAt = Date(timeIntervalSince1970: 1_795_428_000); state.lastContactAt = Date(timeIntervalSince1970: 1_795_400_000)
        state.lastTick = day; state.placedOn = day; state.stageSince = day; state.stage = .letter; state.status = .onPlan; state.resumeStatus = .open
        state.openInvoices = ["INV-1": .init(due: day, outstanding: Fixtures.eur(100)), "INV-2": .init(due: day.adding(days: 3), outstanding: Fixtures.eur(12_245))]
        state.promise = .init(amount: Fixtures.eur(500), due: day, paid: Fixtures.eur(0))
        state.settlement = .init(amount: Fixtures.eur(9_000), expires: day, paid: Fixtures.eur(1))
        state.plan = [Installment(due: day, amount: Fixtures.eur(6_000), paid: Fixtures.eur(6_000)), Installment(due: day.adding(months: 1), amount: Fixtures.eur(6_345))]
        state.lettersSent = [.reminder, .finalDemand]; state.promisesKept = 2; state.promisesBroken = 1; state.installmentsMissed = 4; state.version = 42
        let text = try StoreCodec.encode(state)
        XCTAssertEqual(FastStateDecoder.decode(text), state)
        let compact = try XCTUnwrap(FastJSON.compactState(state))
        XCTAssertEqual(try StoreCodec.encode(state: state), compact)
        XCTAssertEqual(FastStateDecoder.decode(compact), state)
        XCTAssertLessThan(compact.utf8.count, text.utf8.count * 6 / 10)
        // At its defaults, a field is left out of the compact form and read back as its default.
        let fresh = CaseState(accountID: "A-2", debtorKind: .business, currency: .jpy, openedOn: day)
        let freshText = try XCTUnwrap(FastJSON.compactState(fresh))
        XCTAssertEqual(freshText, #"{"f":2,"id":"A-2","kind":"business","cur":"JPY","opened":"2026-11-02","stage":"reminder","status":"open","v":0,"bal":0,"inv":[]}"#)
        XCTAssertEqual(FastStateDecoder.decode(freshText), fresh)
        var odd = state
        odd.holdReason = "50/50"
        XCTAssertNil(FastJSON.compactState(odd))
        XCTAssertEqual(try StoreCodec.encode(state: odd), try StoreCodec.encode(odd))
        XCTAssertEqual(try StoreCodec.decodeState(try StoreCodec.encode(state: odd)), odd)
        odd.holdReason = nil
        odd.callbackAt = Date(timeIntervalSince1970: 1_795_428_000.5)
        XCTAssertNil(FastJSON.compactState(odd))
        // A compact state with a key it does not know, a repeat, a default written out, a
        // truncation or a text it cannot read is refused, naming the state.
        for broken in [compact.replacingOccurrences(of: "\"v\":42", with: "\"v\":42,\"unknown\":1"),
                       compact.replacingOccurrences(of: "\"v\":42", with: "\"v\":42,\"v\":43"),
                       freshText.replacingOccurrences(of: "\"inv\":[]", with: "\"inv\":[],\"kept\":0"),
                       freshText.replacingOccurrences(of: ",\"inv\":[]", with: ""),
                       String(compact.dropLast()),
                       compact.replacingOccurrences(of: "Ms Law", with: "Ms \\\"Law\\\"")] {
            XCTAssertNil(FastStateDecoder.decode(broken), broken)
            XCTAssertThrowsError(try StoreCodec.decodeState(broken)) { error in
                XCTAssertTrue("\(error)".contains("case state"), "\(error)")
                XCTAssertTrue("\(error)".contains("A-"), "\(error)")
            }
        }
        // A change it does not know, an escape or a truncation sends it to JSONDecoder.
        XCTAssertNil(FastStateDecoder.decode(text.replacingOccurrences(of: "\"version\":42", with: "\"version\":42,\"unknown\":1")))
        XCTAssertNil(FastStateDecoder.decode(text.replacingOccurrences(of: "Ms Law", with: "Ms \\\"Law\\\"")))
        XCTAssertNil(FastStateDecoder.decode(String(text.dropLast())))
        XCTAssertNil(FastStateDecoder.decode(text.replacingOccurrences(of: "\"ceased\":true,", with: "")))
    }

    func testAmountsAndDaysWrittenDigitByDigitAreWhatMoneyAndCivilDateWrite() throws {
        let currencies = [Currency.jpy, .usd, try Currency(code: "KWD")]
        let amounts: [Int64] = [0, 1, 5, 9, 10, 99, 100, 101, 999, 1_000, 1_001, 12_345, 19_500, 100_000, 3_246_780, -1, -5, -100, -12_345,
                                Int64.max, Int64.min + 1, Int64.min]
        for currency in currencies {
            for minor in amounts {
                let money = Money(minorUnits: minor, currency: currency)
                var out = FastJSON.Bytes(capacity: 32)
                out.decimal(money)
                XCTAssertEqual(out.string, money.decimalString, "\(minor) \(currency.code)")
                XCTAssertEqual(Money.canonical(utf8: out.array, currency: currency), minor == Int64.min ? nil : money, "\(minor) \(currency.code)")
            }
        }
        for days in [-800_000, -719_528, -719_162, -1, 0, 1, 20_394, 2_932_896, 2_932_897, 3_000_000] {
            let day = CivilDate(daysSinceEpoch: days)
            var out = FastJSON.Bytes(capacity: 16)
            out.day(day)
            XCTAssertEqual(out.string, day.iso, "\(days)")
        }
        // Instants, as the log stamps them: what Foundation's `.iso8601` writes, cut to the second.
        var generator = SystemRandomNumberGenerator()
        let instants = [0, 1, -1, 59, 86_399, 86_400, -86_400, -86_401, 951_782_400, 1_795_428_000, 4_102_444_799, -11_676_096_000, -11_676_096_001, -62_135_596_800, 253_402_300_799]
            .map { Date(timeIntervalSince1970: TimeInterval($0)) }
            + (0..<2_000).map { _ in Date(timeIntervalSince1970: TimeInterval(Int64.random(in: -2_208_988_800...4_102_444_800, using: &generator))) }
            + [Date(timeIntervalSince1970: 1_795_428_000.75), Date(timeIntervalSince1970: -0.5)]
        for instant in instants {
            XCTAssertEqual(StoreCodec.timestamp(instant), StoreCodec.wholeSecond(instant).formatted(.iso8601), "\(instant.timeIntervalSince1970)")
        }
        for value in [0, 7, -7, 10, 42, -1_000, Int.max, Int.min] {
            var out = FastJSON.Bytes(capacity: 24)
            out.number(value)
            XCTAssertEqual(out.string, String(value))
        }
    }

    func testAStateWithAmountsInTwoCurrenciesReadsBackByHand() throws {
        var state = CaseState(accountID: "A-2", debtorKind: .business, currency: .usd, openedOn: day)
        state.balance = Money(minorUnits: 1_234, currency: .usd)
        state.openInvoices = ["INV-1": .init(due: day, outstanding: Money(minorUnits: 1_000, currency: .jpy)),
                              "INV-2": .init(due: day, outstanding: Money(minorUnits: 234, currency: .usd)),
                              "INV-3": .init(due: day, outstanding: Money(minorUnits: 7, currency: .eur))]
        let text = try StoreCodec.encode(state)
        // Amounts in another currency than the case's: the long form, read back by hand.
        XCTAssertNil(FastJSON.compactState(state))
        XCTAssertEqual(try StoreCodec.encode(state: state), text)
        XCTAssertEqual(FastStateDecoder.decode(text), state)
        XCTAssertNil(FastStateDecoder.decode(text.replacingOccurrences(of: "\"EUR\"", with: "\"XXX\"")), "an unknown currency")
    }
}
