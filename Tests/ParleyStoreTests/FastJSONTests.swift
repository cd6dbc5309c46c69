import Foundation
import ParleyCore
@testable import ParleyStore
import XCTest

/// The hand-written JSON of the import's and the run's events, next actions and reasons must be
/// byte for byte what `JSONEncoder` writes, or fall back to it.
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

    func testNextActionsAndReasonsWrittenByHandAreWhatTheEncoderWrites() throws {
        let actions = [
            NextAction(kind: "call", text: "call the debtor", on: day),
            NextAction(kind: "none", text: "resolved", on: nil),
            NextAction(kind: "check-promise", text: "promise EUR 1,234.56 due", on: day),
        ]
        for action in actions {
            XCTAssertEqual(try XCTUnwrap(FastJSON.nextAction(action)), try StoreCodec.encode(action))
        }
        XCTAssertNil(FastJSON.nextAction(NextAction(kind: "review", text: "on hold: 50/50 split", on: nil)))

        let reasons = [
            Priority.Reason(points: 150, text: "balance USD 1,000.00"),
            Priority.Reason(points: -100, text: "spoke 2 days ago"),
            Priority.Reason(points: 45, text: "45 days past due"),
        ]
        XCTAssertEqual(try XCTUnwrap(FastJSON.reasons(reasons)), try StoreCodec.encode(reasons))
        XCTAssertEqual(try XCTUnwrap(FastJSON.reasons([])), try StoreCodec.encode([Priority.Reason]()))
        XCTAssertNil(FastJSON.reasons([Priority.Reason(points: 1, text: "Hôtel")]))
    }
}
