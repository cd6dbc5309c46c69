import Foundation
import ParleyCore
import XCTest

final class LetterRendererTests: XCTestCase {
    func content(_ kind: LetterKind) -> LetterContent {
        LetterContent(kind: kind, date: CivilDate(iso: "2026-11-23")!, accountID: "A-1", debtorName: "Weiß Technik GmbH & Co. KG", contactName: "Jana <Accounts>", address: "Hafenstr. 2, Hamburg",
                      balance: Money(minorUnits: 123_456, currency: .eur),
                      invoices: [.init(invoiceID: "INV-1", dueOn: CivilDate(iso: "2026-09-01")!, outstanding: Money(minorUnits: 123_456, currency: .eur))],
                      nextStep: "agency placement on 2026-12-07", arrangement: nil, respondBy: nil)
    }

    func testEveryLetterKindHasABundledTemplateThatRendersThePlainText() throws {
        let renderer = try LetterRenderer()
        for kind in LetterKind.allCases {
            let text = renderer.render(content(kind))
            XCTAssertTrue(text.contains("Weiß Technik GmbH & Co. KG"), "\(kind): names are not HTML-escaped")
            XCTAssertTrue(text.contains("Account A-1"), "\(kind)")
            XCTAssertFalse(text.contains("{{"), "\(kind): every tag is rendered")
        }
        let demand = renderer.render(content(.finalDemand))
        XCTAssertTrue(demand.contains("INV-1  due 2026-09-01  EUR 1,234.56"), demand)
        XCTAssertTrue(demand.contains("If we hear nothing, agency placement on 2026-12-07."), demand)
    }

    func testTemplateInTheOverrideDirectoryReplacesTheBundledOne() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("letters-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "{{% CONTENT_TYPE: TEXT}}\nPay {{balance}}, {{salutation}}.".write(to: directory.appendingPathComponent("reminder.mustache"), atomically: true, encoding: .utf8)
        let renderer = try LetterRenderer(overrides: directory.path)
        XCTAssertEqual(renderer.render(content(.reminder)), "Pay EUR 1,234.56, Jana <Accounts>.")
        XCTAssertTrue(renderer.render(content(.finalDemand)).contains("LETTER BEFORE ACTION"))
    }

    func testPlanAgreementListsEveryInstallment() throws {
        var c = content(.planAgreement)
        c.arrangement = .plan(installments: [
            Installment(due: CivilDate(iso: "2026-12-01")!, amount: Money(minorUnits: 61_728, currency: .eur)),
            Installment(due: CivilDate(iso: "2027-01-01")!, amount: Money(minorUnits: 61_728, currency: .eur)),
        ])
        let text = try LetterRenderer().render(c)
        XCTAssertTrue(text.contains("Payments (2):"), text)
        XCTAssertTrue(text.contains("2.  2027-01-01  EUR 617.28"), text)
    }
}
